/**
 * POM's 17 capability flags (`POMCapabilities`, the columns of the capability matrix), named with
 * the matrix names in camelCase. A backend that sends capabilities (POM, our simulator) sends
 * these; for the others they are derived from agent and call state with the same matrix.
 */
export const CAPABILITY_FLAGS = [
  'hold',
  'unhold',
  'transfer',
  'conference',
  'release',
  'disposition',
  'originate',
  'createCallback',
  'sendDtmf',
  'updateRecord',
  'leaveConference',
  'leaveConsult',
  'endConference',
  'changeOwnership',
  'ready',
  'notReady',
  'record',
] as const;

export type CapabilityFlag = (typeof CAPABILITY_FLAGS)[number];
export type CapabilityFlags = Readonly<Record<CapabilityFlag, boolean>>;

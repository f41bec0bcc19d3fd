/**
 * Canonical operation names (docs/elements.md, the public contract). Used by connectors' `supports`, by
 * `session.command()`, by `simulator.failNext()` and in `cti-operation-failed` details.
 * Add to the list when a backend needs more; never rename.
 */
export const OPERATIONS = [
  'login',
  'logout',
  'ready',
  'notReady',
  'busy',
  'free',
  'dial',
  'answer',
  'hangup',
  'hold',
  'retrieve',
  'sendDtmf',
  'startRecording',
  'stopRecording',
  'consult',
  'blindTransfer',
  'alternate',
  'completeTransfer',
  'cancelConsult',
  'conference',
  'leaveConference',
  'endConference',
  'changeConferenceOwner',
  'wrapUp',
  'extendWrapUp',
  'previewDial',
  'previewSkip',
  'nextRecord',
  'createCallback',
  'addNote',
  'setCustomerField',
  'addToDnc',
  // Dial the customer again from wrap-up (POM AGTRedial: the call dropped by accident).
  'redial',
  // The agent's microphone on the current call (a phone-side feature: the simulator and browser
  // phones have it; POM does not, so its connector leaves them out of `supports`).
  'mute',
  'unmute',
] as const;

export type Operation = (typeof OPERATIONS)[number];

export function isOperation(value: unknown): value is Operation {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}

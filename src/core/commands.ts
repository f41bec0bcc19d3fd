import type { Operation } from './operations.ts';
import type { Destination } from './model.ts';

/** Arguments of each canonical operation. Operations on a call default to the current call. */
export interface CommandArgs {
  /** Besides `agentId`, the connector's declared login fields by name (its `loginFields`). */
  login: { agentId?: string; extension?: string; password?: string; zone?: string; force?: boolean; [field: string]: string | boolean | undefined };
  logout: Record<string, never>;
  ready: Record<string, never>;
  notReady: { reasonCode: string };
  busy: Record<string, never>;
  free: Record<string, never>;
  /** `number` must already be validated (E.164 or a national number the connector accepts). */
  /**
   * `recordId`: the CRM record the call is for (text, at most 64 characters). Noojee tags the
   * call's recording with it and dispositions the campaign lead with that external id.
   */
  dial: { number: string; recordId?: string };
  answer: { callId?: string };
  hangup: { callId?: string };
  hold: { callId?: string };
  retrieve: { callId?: string };
  sendDtmf: { digit: string; callId?: string };
  /** `tag`: a reference stored with the recording (Noojee; default the call's CRM record id). */
  startRecording: { callId?: string; tag?: string };
  stopRecording: { callId?: string };
  consult: { destination: Destination; callId?: string };
  blindTransfer: { destination: Destination; callId?: string };
  alternate: { callId?: string };
  completeTransfer: { callId?: string };
  cancelConsult: { callId?: string };
  conference: { callId?: string };
  leaveConference: { callId?: string };
  endConference: { callId?: string };
  changeConferenceOwner: { callId?: string };
  wrapUp: { code: string; notes?: string; callId?: string };
  extendWrapUp: { callId?: string };
  previewDial: { number?: string; callId?: string };
  previewSkip: { callId?: string };
  nextRecord: Record<string, never>;
  /** `time` is ISO 8601. */
  /** `target` is the id of one of the snapshot's `callbackTargets` (default: the backend's). */
  createCallback: { time: string; number?: string; notes?: string; target?: string; callId?: string };
  addNote: { note: string; callId?: string };
  setCustomerField: { key: string; value: string; callId?: string };
  addToDnc: { number?: string; callId?: string };
  /** `number` defaults to the contact's default number. */
  redial: { number?: string; callId?: string };
  mute: { callId?: string };
  unmute: { callId?: string };
}

/** A command as it travels from the session to a connector (and over the canonical wire). */
export type Command = {
  [O in Operation]: { id: string; operation: O; args: CommandArgs[O] };
}[Operation];

export type CommandOf<O extends Operation> = { id: string; operation: O; args: CommandArgs[O] };

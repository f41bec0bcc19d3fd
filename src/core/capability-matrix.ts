/**
 * The Avaya POM capability matrix (vendor-apis.md §5.8) as data: which of the 17 capability
 * flags POM enables in each state row. Copied cell by cell from the document, including its
 * oddities (External Conference (Owner) has ChangeOwnership = Y, Record is N everywhere); the
 * capability engine (`capabilities.ts`) corrects those when it maps flags to operations, so the
 * data here stays a faithful copy that a test can compare against the document.
 *
 * Used two ways: backends that send no capabilities get theirs derived from agent + call state
 * with `deriveFlags`; our simulator sends the row's flags the way POM does.
 */
import { CAPABILITY_FLAGS, type CapabilityFlag, type CapabilityFlags } from './capability-flags.ts';
import type { AgentState, AgentStatus, Call } from './model.ts';

export const MATRIX_ROWS = [
  'idle',
  'held',
  'talking',
  'consultOwner',
  'consultRecipient',
  'agentConferenceOwner',
  'externalConferenceOwner',
  'conferenceRecipient',
  'wrapup',
  'notReady',
  'pendingNotReady',
  'ready',
  'recordingPresent',
  'previewCallback',
  'dialing',
] as const;

export type MatrixRow = (typeof MATRIX_ROWS)[number];

/** Column order of the document's table (same as CAPABILITY_FLAGS). */
const Y = true;
const N = false;
type Cells = readonly [
  boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean,
  boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean,
];

// prettier-ignore
const TABLE: Record<MatrixRow, Cells> = {
  //                       Hold Unhold Transfer Conference Release Disposition Originate CreateCallback SendDTMF UpdateRecord LeaveConference LeaveConsult EndConference ChangeOwnership Ready NotReady Record
  idle:                    [N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N],
  held:                    [N, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N],
  talking:                 [Y, N, Y, Y, Y, Y, Y, Y, Y, Y, N, N, N, N, N, Y, N],
  consultOwner:            [N, N, Y, Y, N, N, N, N, N, N, N, Y, N, N, N, Y, N],
  consultRecipient:        [N, N, N, N, N, N, N, N, N, N, N, Y, N, N, N, Y, N],
  agentConferenceOwner:    [N, N, N, N, N, N, N, N, N, Y, N, N, Y, Y, N, Y, N],
  externalConferenceOwner: [N, N, Y, N, N, N, N, N, N, Y, N, N, Y, Y, N, Y, N],
  conferenceRecipient:     [N, N, N, N, N, N, N, N, N, N, Y, N, N, N, N, Y, N],
  wrapup:                  [N, N, N, N, N, Y, N, Y, N, N, N, N, N, N, N, Y, N],
  notReady:                [N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N],
  pendingNotReady:         [N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N],
  ready:                   [N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N],
  recordingPresent:        [N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N],
  previewCallback:         [N, N, N, N, N, N, N, Y, N, Y, N, N, N, N, N, Y, N],
  dialing:                 [N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N],
};

function toFlags(cells: Cells): CapabilityFlags {
  const flags = {} as Record<CapabilityFlag, boolean>;
  CAPABILITY_FLAGS.forEach((flag, i) => (flags[flag] = cells[i]!));
  return Object.freeze(flags);
}

/** The matrix: row → the 17 flags. Frozen. */
export const CAPABILITY_MATRIX: Readonly<Record<MatrixRow, CapabilityFlags>> = Object.freeze(
  Object.fromEntries(MATRIX_ROWS.map((row) => [row, toFlags(TABLE[row])])) as Record<MatrixRow, CapabilityFlags>,
);

/** Every flag false: the logged-out state (no row in the document). */
export const NO_FLAGS: CapabilityFlags = Object.freeze(
  Object.fromEntries(CAPABILITY_FLAGS.map((f) => [f, false])) as Record<CapabilityFlag, boolean>,
);

/**
 * Which row applies. The document mixes agent states and call states in one column; we use
 * the **call state while the agent has a call** (the call is what the controls act on) and the
 * **agent state otherwise**. `null` means logged out (no row: nothing but login is possible).
 *
 * - ringing (not a POM state: POM bridges calls onto the nailed line) → `dialing` (a call being
 *   set up: only NotReady, which turns into PendingNotReady);
 * - preview and callback → `previewCallback`; consult and conferences by `role`/`conferenceKind`;
 * - `busy` (Noetica's flag, not POM) → `notReady` (no calls are delivered; Ready ends it);
 * - `unknown` (a state a newer backend sent) → `notReady`: the agent is not known to take calls,
 *   and Ready / Not ready stay offered so the agent can leave it (the backend refuses what it must);
 * - `ready` with no call → `ready` (identical to the `idle` row);
 * - `recordingPresent` is never chosen: its meaning is unclear in the document and recording is
 *   a property of the call here (`Call.recording`), not a state.
 */
export function matrixRow(agent: AgentStatus | AgentState, call?: Call): MatrixRow | null {
  const state = typeof agent === 'string' ? agent : agent.state;
  if (state === 'loggedOut') return null;
  if (call) {
    switch (call.state) {
      case 'ringing':
      case 'dialing':
        return 'dialing';
      case 'preview':
      case 'callback':
        return 'previewCallback';
      case 'talking':
        return 'talking';
      case 'held':
        return 'held';
      case 'consult':
        return call.role === 'owner' ? 'consultOwner' : 'consultRecipient';
      case 'conferenceOwner':
        return call.conferenceKind === 'external' ? 'externalConferenceOwner' : 'agentConferenceOwner';
      case 'conferencePassive':
        return 'conferenceRecipient';
      case 'wrapup':
        return 'wrapup';
    }
  }
  switch (state) {
    case 'notReady':
    case 'busy':
    case 'unknown':
      return 'notReady';
    case 'pendingNotReady':
      return 'pendingNotReady';
    case 'ready':
      return 'ready';
  }
}

/**
 * The flags a POM server would send in this state. One overlay on top of the row: while the
 * agent is PendingNotReady on a call, Ready stays enabled (the Pending Not Ready row's Ready = Y),
 * so the agent can take back a break requested by mistake before the call ends.
 */
export function deriveFlags(agent: AgentStatus | AgentState, call?: Call): CapabilityFlags {
  const row = matrixRow(agent, call);
  if (row === null) return NO_FLAGS;
  const flags = CAPABILITY_MATRIX[row];
  const state = typeof agent === 'string' ? agent : agent.state;
  if (call && state === 'pendingNotReady' && !flags.ready) return Object.freeze({ ...flags, ready: true });
  return flags;
}

/**
 * The capability engine: turns POM-style flags plus agent and call state into per-operation
 * enablement. Every rule is listed in docs/decisions-core.md ("Capability engine").
 */
import { OPERATIONS, type Operation } from './operations.ts';
import type { CapabilityFlags } from './capability-flags.ts';
import { deriveFlags, matrixRow } from './capability-matrix.ts';
import type { AgentStatus, Call, Capabilities } from './model.ts';

export interface CapabilityInput {
  /** Server-sent flags, or `null`/absent to derive them from state with the matrix. */
  flags?: CapabilityFlags | null;
  agent: AgentStatus;
  calls: readonly Call[];
  /** The connector's `supports`; everything else is always false. */
  supports: ReadonlySet<Operation>;
  /** Operations in flight; their controls are disabled until the response or a timeout. */
  pending: readonly Operation[];
  /**
   * Whether the backend is reachable (default true). While it is not, every control is disabled:
   * a command would fail anyway, and a control that looks usable but is not is a surprise.
   */
  connected?: boolean;
}

const ALL_FALSE = Object.fromEntries(OPERATIONS.map((op) => [op, false])) as Record<Operation, boolean>;

/** Call states in which the agent is handling a contact (notes, DNC). */
const HANDLING = new Set<Call['state']>(['preview', 'callback', 'talking', 'held', 'consult', 'conferenceOwner', 'conferencePassive', 'wrapup']);

/** Call states in which the agent's microphone is live to someone (mute makes sense). */
const SPEAKING = new Set<Call['state']>(['talking', 'consult', 'conferenceOwner', 'conferencePassive']);

/** The unmasked enablement: flags mapped to operations, plus state-derived operations. */
export function operationsFromState(flags: CapabilityFlags, agent: AgentStatus, calls: readonly Call[]): Record<Operation, boolean> {
  const caps = { ...ALL_FALSE };
  const call = calls[0];
  const loggedIn = agent.state !== 'loggedOut';
  const row = matrixRow(agent, call);
  if (!loggedIn) {
    caps.login = true;
    return caps;
  }

  // Agent state (AGTStateChange and friends).
  caps.ready = flags.ready;
  caps.notReady = flags.notReady;
  // POM error 541: logoff only from NotReady; we also require no call, so a call is never lost.
  caps.logout = agent.state === 'notReady' && !call;
  caps.busy = !call && (agent.state === 'ready' || agent.state === 'notReady');
  caps.free = agent.state === 'busy';
  caps.dial = !call && agent.state !== 'busy';
  caps.nextRecord = !call && agent.state !== 'busy';
  // A backend may schedule a callback with no call on hand (uContact's ScheduleDialerCall, a
  // number given); the document's matrix says N for every row without a call.
  caps.createCallback = flags.createCallback;
  if (!call) return caps;

  const consultConnected = call.consult?.state === 'connected';
  caps.answer = call.state === 'ringing';
  caps.hangup = flags.release;
  caps.hold = flags.hold;
  caps.retrieve = flags.unhold;
  caps.sendDtmf = flags.sendDtmf;
  caps.startRecording = flags.record && !call.recording;
  caps.stopRecording = flags.record && call.recording;
  // POM note: Consult is not a capability. Enabled by LeaveConsult=N, Transfer=Y, Conference=Y
  // (the Talking row), disabled by LeaveConsult=Y (the Consult (Owner) row). Blind transfer is
  // a consult completed at once, so it follows the same rule.
  const consultAllowed = !flags.leaveConsult && flags.transfer && flags.conference;
  caps.consult = consultAllowed;
  caps.blindTransfer = consultAllowed;
  caps.cancelConsult = flags.leaveConsult;
  // Transfer=Y means "complete the transfer" only as consult owner (once the consulted party
  // answered) or as owner of an external conference (leaving it by handing over the call).
  caps.completeTransfer =
    flags.transfer && ((row === 'consultOwner' && consultConnected) || row === 'externalConferenceOwner');
  caps.conference = flags.conference && row === 'consultOwner' && consultConnected;
  caps.alternate = row === 'consultOwner' && consultConnected;
  caps.leaveConference = flags.leaveConference;
  caps.endConference = flags.endConference;
  // The matrix says Y for the external-conference owner, the text says ownership cannot pass to
  // an external party (POM error 321): the text wins.
  caps.changeConferenceOwner = flags.changeOwnership && call.conferenceKind !== 'external';
  caps.wrapUp = flags.disposition && call.state === 'wrapup';
  caps.extendWrapUp = call.state === 'wrapup' && call.wrapup?.extendable === true;
  caps.setCustomerField = flags.updateRecord;
  caps.previewDial = call.state === 'preview' || call.state === 'callback';
  caps.previewSkip = caps.previewDial;
  caps.addNote = HANDLING.has(call.state);
  caps.addToDnc = HANDLING.has(call.state) && call.role === 'owner';
  // POM's text allows AGTRedial in wrap-up only and names no capability for it: Originate
  // ("may dial out for this contact") gates it, so a strategy that forbids redial hides it.
  caps.redial = flags.originate && call.state === 'wrapup' && call.role === 'owner';
  // Not in POM's matrix (POM has no mute): allowed while the agent speaks to someone.
  caps.mute = SPEAKING.has(call.state) && call.muted !== true;
  caps.unmute = SPEAKING.has(call.state) && call.muted === true;
  return caps;
}

/**
 * Capabilities = (server-sent flags when present, else flags derived from the matrix) mapped to
 * operations, then masked by what the connector supports and by commands in flight.
 */
export function computeCapabilities(input: CapabilityInput): Capabilities {
  if (input.connected === false) return Object.freeze({ ...ALL_FALSE });
  const flags = input.flags ?? deriveFlags(input.agent, input.calls[0]);
  const caps = operationsFromState(flags, input.agent, input.calls);
  for (const op of OPERATIONS) {
    if (caps[op] && (!input.supports.has(op) || input.pending.includes(op))) caps[op] = false;
  }
  return Object.freeze(caps);
}

export function sameCapabilities(a: Capabilities, b: Capabilities): boolean {
  return a === b || OPERATIONS.every((op) => a[op] === b[op]);
}

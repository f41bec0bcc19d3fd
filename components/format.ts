import type { AgentState, CallState, ConnectionStatus, PhoneLineState } from '../src/core/model.ts';

/** `m:ss`, or `h:mm:ss` past an hour; negative spans (clock skew) show as `0:00`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A `datetime-local` input's value (the agent's local time) as ISO 8601, or undefined when empty or invalid. */
export function isoFromLocalInput(value: string): string | undefined {
  const time = value ? new Date(value) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString() : undefined;
}

const AGENT_STATE_LABELS: Record<AgentState, string> = {
  loggedOut: 'Logged out',
  notReady: 'Not ready',
  ready: 'Ready',
  pendingNotReady: 'Pending not ready',
  busy: 'Busy',
  unknown: 'Unknown state',
};

/** `rawState`: the backend's name for a state this build does not know (shown, as text). */
export function agentStateLabel(state: AgentState, rawState?: string): string {
  if (state === 'unknown' && rawState) return `Unknown state (${rawState})`;
  return AGENT_STATE_LABELS[state] ?? `Unknown state (${String(state)})`;
}

const CALL_STATE_LABELS: Record<CallState, string> = {
  ringing: 'Ringing',
  preview: 'Preview',
  dialing: 'Dialing',
  talking: 'Talking',
  held: 'On hold',
  consult: 'Consulting',
  conferenceOwner: 'Conference (owner)',
  conferencePassive: 'Conference',
  wrapup: 'Wrap-up',
  callback: 'Callback',
};

export function callStateLabel(state: CallState): string {
  return CALL_STATE_LABELS[state] ?? state;
}

const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
};

/** POM nailing states as the agent reads them ("Phone line: …"). */
export const PHONE_LINE_LABELS: Readonly<Record<PhoneLineState, string>> = {
  notNailed: 'not connected',
  availableForNailup: 'waiting for a campaign',
  pendingNailup: 'being connected',
  readyForNailup: 'answering',
  nailedUp: 'connected',
  pendingNailupDrop: 'disconnecting',
  nailingLost: 'lost',
};

export function connectionLabel(status: ConnectionStatus): string {
  return CONNECTION_LABELS[status] ?? status;
}

/** One rule for links and screen pops alike: absolute http(s), no credentials. */
export { safeHttpUrl } from '../src/core/host-events.ts';

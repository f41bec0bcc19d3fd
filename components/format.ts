import { msg, str } from '@lit/localize';
import type { AgentState, CallState, ConnectionStatus, PhoneLineState } from '../src/core/model.ts';

/** A `datetime-local` input's value (the agent's local time) as ISO 8601, or undefined when empty or invalid. */
export function isoFromLocalInput(value: string): string | undefined {
  const time = value ? new Date(value) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString() : undefined;
}

/** Labels are looked up at render time (`msg`), so a change of locale shows at the next render. `rawState`: the backend's name for a state this build does not know (shown, as text). */
export function agentStateLabel(state: AgentState, rawState?: string): string {
  const labels: Record<AgentState, string> = {
    loggedOut: msg('Logged out'),
    notReady: msg('Not ready'),
    ready: msg('Ready'),
    pendingNotReady: msg('Pending not ready'),
    busy: msg('Busy'),
    unknown: msg('Unknown state'),
  };
  if (state === 'unknown' && rawState) return msg(str`Unknown state (${rawState})`);
  return labels[state] ?? msg(str`Unknown state (${String(state)})`);
}

export function callStateLabel(state: CallState): string {
  const labels: Record<CallState, string> = {
    ringing: msg('Ringing'),
    preview: msg('Preview'),
    dialing: msg('Dialing'),
    talking: msg('Talking'),
    held: msg('On hold'),
    consult: msg('Consulting'),
    conferenceOwner: msg('Conference (owner)'),
    conferencePassive: msg('Conference'),
    wrapup: msg('Wrap-up'),
    callback: msg('Callback'),
  };
  return labels[state] ?? state;
}

export function connectionLabel(status: ConnectionStatus): string {
  const labels: Record<ConnectionStatus, string> = {
    connecting: msg('Connecting'),
    connected: msg('Connected'),
    reconnecting: msg('Reconnecting'),
    offline: msg('Offline'),
  };
  return labels[status] ?? status;
}

/** POM nailing states as the agent reads them ("Phone line: …"). */
export function phoneLineLabel(line: PhoneLineState): string {
  const labels: Record<PhoneLineState, string> = {
    notNailed: msg('not connected'),
    availableForNailup: msg('waiting for a campaign'),
    pendingNailup: msg('being connected'),
    readyForNailup: msg('answering'),
    nailedUp: msg('connected'),
    pendingNailupDrop: msg('disconnecting'),
    nailingLost: msg('lost'),
  };
  return labels[line] ?? line;
}

/** One rule for links and screen pops alike: absolute http(s), no credentials. */
export { safeHttpUrl } from '../src/core/host-events.ts';

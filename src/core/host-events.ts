/**
 * Host events: what a CRM page hears (the element layer turns them into `cti-*` DOM events).
 * Derived by comparing two snapshots, so they are right whatever the backend's event grain
 * (one state-carrying event may produce several host events, a missed event produces none twice).
 */
import type { AgentState, Call, Capabilities, Reason, Snapshot } from './model.ts';
import type { Operation } from './operations.ts';
import type { CtiErrorInit } from './errors.ts';
import type { CanonicalEvent } from './events.ts';
import { sameCapabilities } from './capabilities.ts';

export interface HostEventMap {
  'agent-state-changed': { state: AgentState; previous: AgentState; reason?: Reason };
  'call-offered': { call: Call };
  'call-connected': { call: Call };
  'call-held': { call: Call };
  'call-retrieved': { call: Call };
  /** The customer or the agent hung up, or the call left this agent (transfer, passive drop). */
  'call-disconnected': { call: Call };
  'capabilities-changed': { capabilities: Capabilities };
  'wrapup-completed': { callId: string; dispositionCode?: string };
  'operation-failed': { operation: Operation; error: CtiErrorInit };
  /** The call's first `screenPop` field whose value is an http(s) URL. */
  'screen-pop': { callId: string; url: string; call: Call };
  /**
   * The backend refused the agent's token (expired, forged, another agent's), with a connector
   * that takes its token from the host (the gateway's `config.getToken()`): the bar is offline
   * and asks the connector's `getToken()` again in `retryInMs`. A host whose token source needs
   * something first (a CRM sign-in, a refreshed session) does it now, then may call
   * `bar.reconnect()`. `error` says why, never what the token was.
   */
  'token-needed': { error: CtiErrorInit; retryInMs: number };
}

export type HostEventType = keyof HostEventMap;
export type HostEvent = { [K in HostEventType]: { type: K; detail: HostEventMap[K] } }[HostEventType];
export const HOST_EVENT_TYPES: readonly HostEventType[] = [
  'agent-state-changed',
  'call-offered',
  'call-connected',
  'call-held',
  'call-retrieved',
  'call-disconnected',
  'capabilities-changed',
  'wrapup-completed',
  'operation-failed',
  'screen-pop',
  'token-needed',
];

/** States in which the customer is connected (a move from one of them to wrap-up is a hang-up). */
const LIVE = new Set<Call['state']>(['talking', 'held', 'consult', 'conferenceOwner', 'conferencePassive']);
const BEFORE_CONNECT = new Set<Call['state']>(['ringing', 'dialing', 'preview', 'callback']);

/**
 * The host events that the change `prev → next` means, in a stable order: agent state, then per
 * call (offered, connected, held/retrieved, disconnected, screen pop), removed calls, then
 * capabilities. `event` (the canonical event that caused the change) only supplies the
 * disposition code of a removed call, which no snapshot keeps.
 */
export function diffHostEvents(prev: Snapshot, next: Snapshot, event?: CanonicalEvent): HostEvent[] {
  const out: HostEvent[] = [];
  if (prev === next) return out;
  const a = prev.agent;
  const b = next.agent;
  if (a.state !== b.state || (b.reason?.code ?? null) !== (a.reason?.code ?? null)) {
    out.push({
      type: 'agent-state-changed',
      detail: b.reason ? { state: b.state, previous: a.state, reason: b.reason } : { state: b.state, previous: a.state },
    });
  }
  if (prev.calls !== next.calls) {
    const before = new Map(prev.calls.map((c) => [c.id, c]));
    for (const call of next.calls) {
      const old = before.get(call.id);
      if (!old) out.push({ type: 'call-offered', detail: { call } });
      if (old === call) continue;
      const wasConnected = old ? old.timestamps.connectedAt !== undefined || LIVE.has(old.state) : false;
      const isConnected = call.timestamps.connectedAt !== undefined || LIVE.has(call.state);
      if (!wasConnected && isConnected && call.state !== 'wrapup') out.push({ type: 'call-connected', detail: { call } });
      if (old && old.state !== 'held' && call.state === 'held') out.push({ type: 'call-held', detail: { call } });
      if (old && old.state === 'held' && LIVE.has(call.state) && call.state !== 'held') {
        out.push({ type: 'call-retrieved', detail: { call } });
      }
      if (old && (LIVE.has(old.state) || BEFORE_CONNECT.has(old.state)) && call.state === 'wrapup') {
        out.push({ type: 'call-disconnected', detail: { call } });
      }
      const url = screenPopUrl(call);
      if (url && (!old || screenPopUrl(old) !== url)) out.push({ type: 'screen-pop', detail: { callId: call.id, url, call } });
    }
    const still = new Set(next.calls.map((c) => c.id));
    for (const call of prev.calls) {
      if (still.has(call.id)) continue;
      if (call.state === 'wrapup') {
        const code = event?.type === 'callRemoved' && event.callId === call.id ? event.dispositionCode : undefined;
        out.push({ type: 'wrapup-completed', detail: code !== undefined ? { callId: call.id, dispositionCode: code } : { callId: call.id } });
      } else {
        out.push({ type: 'call-disconnected', detail: { call } });
      }
    }
  }
  if (!sameCapabilities(prev.capabilities, next.capabilities)) {
    out.push({ type: 'capabilities-changed', detail: { capabilities: next.capabilities } });
  }
  return out;
}

/** The value of the call's first screen-pop field that is a safe absolute http(s) URL (see
 * `safeHttpUrl`); fields with any other value are dropped. */
export function screenPopUrl(call: Call): string | undefined {
  for (const field of call.fields) {
    if (field.type !== 'screenPop') continue;
    const url = safeHttpUrl(field.value);
    if (url) return url;
  }
  return undefined;
}

/**
 * The URL when it is an absolute http(s) URL without credentials, else undefined. Screen-pop
 * values come from the backend's customer data: `javascript:`, `data:`, `file:` and relative URLs
 * could run code or read local files, and `https://user:pass@host/` would hand a password to
 * whatever the URL opens (and show it in the address bar and history), so none of them is ever
 * opened, linked or sent in a `cti-screen-pop`.
 */
export function safeHttpUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(String(value).trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href;
}

/**
 * The pure reducer: snapshot + canonical event → snapshot. Never mutates its input; returns the
 * very same object when the event changes nothing (so subscribers can compare by identity), and
 * ignores events whose `seq` is not newer than the last one applied (dedupe across reconnects).
 */
import { OPERATIONS, type Operation } from './operations.ts';
import { computeCapabilities, sameCapabilities } from './capabilities.ts';
import { deriveFlags, NO_FLAGS } from './capability-matrix.ts';
import type { CanonicalEvent } from './events.ts';
import type { AgentStatus, Snapshot } from './model.ts';
import type { CapabilityFlags } from './capability-flags.ts';
import { CAPABILITY_FLAGS } from './capability-flags.ts';

export interface ReduceEnv {
  /** The connector's supported operations (default: all). */
  supports?: ReadonlySet<Operation>;
  /** Clock for events without `at` (default: keep the previous timestamp). */
  now?: number;
}

const ALL_OPERATIONS: ReadonlySet<Operation> = new Set(OPERATIONS);

export function initialSnapshot(agentId: string, supports: ReadonlySet<Operation> = ALL_OPERATIONS): Snapshot {
  const agent: AgentStatus = { id: agentId, state: 'loggedOut', since: 0 };
  return Object.freeze({
    agent,
    calls: [],
    capabilities: computeCapabilities({ flags: null, agent, calls: [], supports, pending: [], connected: false }),
    flags: NO_FLAGS,
    flagsSource: 'derived',
    reasons: [],
    dispositions: [],
    destinations: [],
    pending: [],
    connection: 'connecting',
    seq: 0,
  });
}

export function reduce(snapshot: Snapshot, event: CanonicalEvent, env: ReduceEnv = {}): Snapshot {
  if (event.seq !== undefined && event.seq <= snapshot.seq) return snapshot;
  const changed = apply(snapshot, event, env.now);
  const seq = event.seq ?? snapshot.seq;
  if (changed === snapshot && seq === snapshot.seq) return snapshot;
  return refresh({ ...changed, seq }, env.supports ?? ALL_OPERATIONS);
}

/**
 * Recomputes derived flags and capabilities after a change of state, `pending` or `supports`.
 * Keeps the previous `capabilities`/`flags` objects when their values did not change, so an
 * element can tell "nothing to re-render" by identity.
 */
export function refresh(snapshot: Snapshot, supports: ReadonlySet<Operation> = ALL_OPERATIONS): Snapshot {
  const flags =
    snapshot.flagsSource === 'server' ? snapshot.flags : deriveFlags(snapshot.agent, snapshot.calls[0]);
  const capabilities = computeCapabilities({
    flags,
    agent: snapshot.agent,
    calls: snapshot.calls,
    supports,
    pending: snapshot.pending,
    connected: snapshot.connection === 'connected',
  });
  return Object.freeze({
    ...snapshot,
    flags: sameFlags(flags, snapshot.flags) ? snapshot.flags : flags,
    capabilities: sameCapabilities(capabilities, snapshot.capabilities) ? snapshot.capabilities : capabilities,
  });
}

function apply(s: Snapshot, event: CanonicalEvent, now: number | undefined): Snapshot {
  switch (event.type) {
    case 'agentState': {
      const keepsReason = event.state === 'notReady' || event.state === 'pendingNotReady';
      // PendingNotReady → NotReady keeps the reason asked for when the event does not repeat it.
      const hadReason = s.agent.state === 'notReady' || s.agent.state === 'pendingNotReady';
      const reason = keepsReason ? (event.reason ?? (hadReason ? s.agent.reason : undefined)) : undefined;
      const id = event.agentId ?? s.agent.id;
      const rawState = event.state === 'unknown' ? event.rawState : undefined;
      if (s.agent.state === event.state && id === s.agent.id && sameJson(reason, s.agent.reason) && rawState === s.agent.rawState) return s;
      const agent: AgentStatus = { id, state: event.state, since: event.at ?? now ?? s.agent.since };
      if (reason) agent.reason = reason;
      if (rawState !== undefined) agent.rawState = rawState;
      return { ...s, agent };
    }
    case 'call': {
      const i = s.calls.findIndex((c) => c.id === event.call.id);
      if (i >= 0 && sameJson(s.calls[i], event.call)) return s;
      const calls = i >= 0 ? s.calls.map((c, j) => (j === i ? event.call : c)) : [...s.calls, event.call];
      return { ...s, calls };
    }
    case 'calls': {
      if (sameJson(s.calls, event.calls)) return s;
      return { ...s, calls: [...event.calls] };
    }
    case 'callRemoved': {
      if (!s.calls.some((c) => c.id === event.callId)) return s;
      return { ...s, calls: s.calls.filter((c) => c.id !== event.callId) };
    }
    case 'capabilities': {
      if (event.flags === null) {
        return s.flagsSource === 'derived' ? s : { ...s, flagsSource: 'derived' };
      }
      const flags = Object.freeze(pickFlags(event.flags));
      if (s.flagsSource === 'server' && sameFlags(flags, s.flags)) return s;
      return { ...s, flags, flagsSource: 'server' };
    }
    case 'lists': {
      let next = s;
      if (event.reasons && !sameJson(event.reasons, s.reasons)) next = { ...next, reasons: [...event.reasons] };
      if (event.dispositions && !sameJson(event.dispositions, s.dispositions)) next = { ...next, dispositions: [...event.dispositions] };
      if (event.destinations && !sameJson(event.destinations, s.destinations)) next = { ...next, destinations: [...event.destinations] };
      if (event.callbackTargets && !sameJson(event.callbackTargets, s.callbackTargets ?? [])) next = { ...next, callbackTargets: [...event.callbackTargets] };
      return next;
    }
    case 'error':
      return { ...s, lastError: { ...event.error } };
    case 'phoneLine':
      // `job` undefined when the event names none (POM: no job attached).
      return s.phoneLine === event.state && s.job === event.job ? s : { ...s, phoneLine: event.state, job: event.job };
    case 'connection': {
      const degraded = event.status === 'connected' && event.degraded === true;
      if (s.connection === event.status && (s.linkDegraded === true) === degraded) return s;
      const next: Snapshot = { ...s, connection: event.status };
      if (degraded) next.linkDegraded = true;
      else delete next.linkDegraded;
      return next;
    }
  }
}

/** Only the 17 known flags, each a boolean (a server may send extra or missing keys). */
function pickFlags(flags: CapabilityFlags): CapabilityFlags {
  return Object.fromEntries(CAPABILITY_FLAGS.map((f) => [f, flags[f] === true])) as CapabilityFlags;
}

function sameFlags(a: CapabilityFlags, b: CapabilityFlags): boolean {
  return a === b || CAPABILITY_FLAGS.every((f) => a[f] === b[f]);
}

/** Canonical data is plain JSON, so a JSON comparison is exact and cheap at these sizes. */
function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}


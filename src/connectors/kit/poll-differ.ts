/**
 * Poll-to-events: a polling vendor (MaxContact `getcalls`, Noojee `subscribe`, Noetica `Poll
 * Event`) answers with its current truth, not with changes. `PollDiffer` keeps what it last
 * emitted (a `StateFold`, the same fold the server uses for snapshots) and turns each new vendor
 * snapshot into the minimal canonical events: an `agentState` only when the state or reason
 * changed, a `call` per new or changed call, a `callRemoved` per call gone, `lists` and
 * `capabilities` only when they changed. Nothing is emitted twice; after a gap (a failed poll, a
 * reconnect) call `resync()` and the next snapshot is emitted whole — its calls as one `calls`
 * event (the whole list), so a listener drops calls that ended while nobody could tell it.
 */
import type { CanonicalEvent } from '../../core/events.ts';
import type { Call, CallbackTarget, Destination, Disposition, Reason } from '../../core/model.ts';
import type { CapabilityFlags } from '../../core/capability-flags.ts';
import { StateFold } from './state-fold.ts';

type EventOf<T extends CanonicalEvent['type']> = Extract<CanonicalEvent, { type: T }>;

/** The vendor's truth at one moment, in canonical terms. Absent parts are "not reported". */
export interface VendorSnapshot {
  agent?: Omit<EventOf<'agentState'>, 'type' | 'seq' | 'at'>;
  /** Every call the agent has now; calls not in it are gone. Absent: calls not reported this time. */
  calls?: readonly Call[];
  lists?: { reasons?: Reason[]; dispositions?: Disposition[]; destinations?: Destination[]; callbackTargets?: CallbackTarget[] };
  /** Server-sent flags (`null`: derive them). */
  capabilities?: CapabilityFlags | null;
  /** Why a call went away, when the vendor says (disposition code by call id). */
  dispositions?: Readonly<Record<string, string>>;
}

export class PollDiffer {
  #fold = new StateFold();
  #whole = true;

  /** The events that take the last emitted state to `snapshot`, in a stable order. */
  diff(snapshot: VendorSnapshot): CanonicalEvent[] {
    const whole = this.#whole;
    this.#whole = false;
    const before = this.#current();
    const out: CanonicalEvent[] = [];
    if (snapshot.lists) {
      const changed: EventOf<'lists'> = { type: 'lists' };
      for (const key of ['reasons', 'dispositions', 'destinations', 'callbackTargets'] as const) {
        const next = snapshot.lists[key];
        if (next && (whole || !same(next, before.lists?.[key]))) (changed as Record<string, unknown>)[key] = next;
      }
      if (Object.keys(changed).length > 1) out.push(changed);
    }
    if (snapshot.agent) {
      const event = { type: 'agentState', ...snapshot.agent } as EventOf<'agentState'>;
      const old = before.agent;
      if (whole || !old || old.state !== event.state || !same(old.reason, event.reason) || old.rawState !== event.rawState) out.push(event);
    }
    if (snapshot.calls) {
      const previous = new Map(before.calls.map((call) => [call.id, call]));
      const present = new Set<string>();
      const changed: CanonicalEvent[] = [];
      for (const call of snapshot.calls) {
        present.add(call.id);
        const old = previous.get(call.id);
        if (!old || !same(old, call)) changed.push({ type: 'call', call });
      }
      for (const id of previous.keys()) {
        if (present.has(id)) continue;
        const code = snapshot.dispositions?.[id];
        out.push(code !== undefined ? { type: 'callRemoved', callId: id, dispositionCode: code } : { type: 'callRemoved', callId: id });
      }
      // A whole snapshot goes as the whole list: whoever listens may hold calls this differ never
      // saw (a gateway node taking the agent over from another, a session that outlived its
      // connector), and a `calls` event drops those too. Calls known to be gone still get their
      // own `callRemoved` first, which carries the vendor's disposition code.
      if (whole) out.push({ type: 'calls', calls: [...snapshot.calls] });
      else out.push(...changed);
    }
    if (snapshot.capabilities !== undefined && (whole || !same(snapshot.capabilities, before.capabilities))) {
      out.push({ type: 'capabilities', flags: snapshot.capabilities });
    }
    for (const event of out) this.#fold.apply(event);
    return out;
  }

  /** After a gap: the next `diff()` emits the whole snapshot (the session dedupes what it had). */
  resync(): void {
    this.#whole = true;
  }

  /** Forget everything (logout, a new agent). */
  reset(): void {
    this.#fold = new StateFold();
    this.#whole = true;
  }

  #current(): { agent?: EventOf<'agentState'>; calls: Call[]; lists?: EventOf<'lists'>; capabilities?: CapabilityFlags | null } {
    const state: { agent?: EventOf<'agentState'>; calls: Call[]; lists?: EventOf<'lists'>; capabilities?: CapabilityFlags | null } = { calls: [] };
    for (const event of this.#fold.events()) {
      if (event.type === 'agentState') state.agent = event;
      else if (event.type === 'calls') state.calls = event.calls;
      else if (event.type === 'lists') state.lists = event;
      else if (event.type === 'capabilities') state.capabilities = event.flags;
    }
    return state;
  }
}

/** Canonical data is plain JSON, so a JSON comparison is exact at these sizes. */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

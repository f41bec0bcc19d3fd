/**
 * Keeps the in-page simulator's state in `sessionStorage`, so that a page reload mid-call (or
 * mid-wrap-up) comes back to the same call, timers and wrap-up form — the simulator's stand-in
 * for a real backend's snapshot. `sessionStorage` on purpose: it lives as long as the tab and is
 * never shared with other tabs or kept after it; nothing goes to `localStorage`. Masked customer
 * values (`maskedWrite`: card numbers and the like) are not stored at all.
 * Removing the bar from the page ends the simulated session and clears the entry.
 */
import type { CanonicalEvent } from '../../core/events.ts';
import type { Call } from '../../core/model.ts';

/** The part of `Storage` we use (tests pass a Map-backed one). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const VERSION = 1;
const TYPES = new Set(['agentState', 'lists', 'calls', 'capabilities']);

export class SimulatorStateStorage {
  readonly #store: KeyValueStore;
  readonly #key: string;

  constructor(store: KeyValueStore, agentId: string) {
    this.#store = store;
    this.#key = `agent-bar:simulator:${agentId}`;
  }

  /** The saved events, or undefined when there are none or they are not ours (then removed). */
  load(): CanonicalEvent[] | undefined {
    let raw: string | null;
    try {
      raw = this.#store.getItem(this.#key);
    } catch {
      return undefined; // storage blocked (privacy mode, sandboxed frame)
    }
    if (raw === null) return undefined;
    try {
      const saved = JSON.parse(raw) as { v?: unknown; events?: unknown };
      if (saved.v !== VERSION || !Array.isArray(saved.events)) throw new Error('unknown format');
      const events = saved.events as CanonicalEvent[];
      if (!events.every((e) => e && typeof e === 'object' && TYPES.has(e.type))) throw new Error('unknown event');
      return events;
    } catch {
      this.clear();
      return undefined;
    }
  }

  save(events: readonly CanonicalEvent[]): void {
    const safe = events.map((e) => (e.type === 'calls' ? { ...e, calls: e.calls.map(withoutMaskedValues) } : e));
    try {
      this.#store.setItem(this.#key, JSON.stringify({ v: VERSION, events: safe }));
    } catch {
      // Quota or blocked storage: a reload will start afresh, nothing else breaks.
    }
  }

  clear(): void {
    try {
      this.#store.removeItem(this.#key);
    } catch {
      // blocked storage: nothing was saved either
    }
  }
}

function withoutMaskedValues(call: Call): Call {
  return call.fields.some((f) => f.type === 'maskedWrite')
    ? { ...call, fields: call.fields.map((f) => (f.type === 'maskedWrite' ? { ...f, value: '' } : f)) }
    : call;
}

/**
 * The current state of one agent, folded from its canonical events. Canonical events carry whole
 * objects (a `call` event is the whole call), so keeping the latest of each is enough to rebuild
 * the state for a client that cannot be replayed (a snapshot) or for the state file. Works for any
 * connector, so the server never needs to know a connector's internals.
 */
import type { CanonicalEvent } from '../../core/events.ts';
import type { Call } from '../../core/model.ts';

type EventOf<T extends CanonicalEvent['type']> = Extract<CanonicalEvent, { type: T }>;

export class StateFold {
  #connection?: EventOf<'connection'>;
  #lists: Omit<EventOf<'lists'>, 'type' | 'seq' | 'at'> = {};
  #agent?: EventOf<'agentState'>;
  /** Insertion order is kept: `calls[0]` stays the current call. */
  #calls = new Map<string, Call>();
  #capabilities?: EventOf<'capabilities'>;
  #phoneLine?: EventOf<'phoneLine'>;

  static from(events: readonly CanonicalEvent[]): StateFold {
    const fold = new StateFold();
    for (const event of events) fold.apply(event);
    return fold;
  }

  apply(event: CanonicalEvent): void {
    switch (event.type) {
      case 'connection':
        this.#connection = strip(event);
        break;
      case 'lists':
        // A lists event may carry only some lists; the others keep their last value.
        if (event.reasons) this.#lists.reasons = event.reasons;
        if (event.dispositions) this.#lists.dispositions = event.dispositions;
        if (event.destinations) this.#lists.destinations = event.destinations;
        if (event.callbackTargets) this.#lists.callbackTargets = event.callbackTargets;
        break;
      case 'agentState':
        this.#agent = strip(event);
        break;
      case 'call':
        this.#calls.set(event.call.id, event.call);
        break;
      case 'calls':
        this.#calls = new Map(event.calls.map((call) => [call.id, call]));
        break;
      case 'callRemoved':
        this.#calls.delete(event.callId);
        break;
      case 'capabilities':
        this.#capabilities = strip(event);
        break;
      case 'phoneLine':
        this.#phoneLine = strip(event);
        break;
      case 'error':
        // Errors are moments, not state: a late client must not see an old failure again.
        break;
    }
  }

  /**
   * The state as events, without `seq` (a snapshot has one `seq` for all of them). Calls go as
   * one `calls` event — the whole list — so a client drops calls it still has that are gone.
   * Capabilities come last so that a client deriving anything from them sees the final agent and
   * calls first.
   */
  events(): CanonicalEvent[] {
    const out: CanonicalEvent[] = [];
    if (this.#connection) out.push(this.#connection);
    if (Object.keys(this.#lists).length > 0) out.push({ type: 'lists', ...this.#lists });
    if (this.#agent) out.push(this.#agent);
    if (this.#phoneLine) out.push(this.#phoneLine);
    out.push({ type: 'calls', calls: [...this.#calls.values()] });
    if (this.#capabilities) out.push(this.#capabilities);
    return out;
  }
}

function strip<E extends CanonicalEvent>(event: E): E {
  const { seq: _seq, ...rest } = event;
  return rest as E;
}

/**
 * Puts one agent's numbered events back in order on a node. They arrive twice (the owner's own
 * append answer and the pub/sub message) and, after a subscriber reconnect, with holes; a hole is
 * filled from the agent's Redis stream, so each socket gets every number once, in order.
 */
export interface InOrderOptions {
  /** The last number delivered. */
  last: () => number;
  deliver: (seq: number, json: string) => void;
  /** Events after `after`, oldest first, from the stream (at most `count`). */
  fetch: (after: number, count: number) => Promise<Array<{ seq: number; json: string }>>;
  onError?: (error: unknown) => void;
}

/** Out-of-order events held while a hole is filled; past this many the oldest are dropped. */
const MAX_HELD = 10_000;
const FETCH_BATCH = 1000;
/** Rounds of fetching per hole: each round brings up to FETCH_BATCH events. */
const MAX_FETCH_ROUNDS = 20;

export class InOrder {
  #options: InOrderOptions;
  #held = new Map<number, string>();
  #filling = false;

  constructor(options: InOrderOptions) {
    this.#options = options;
  }

  receive(seq: number, json: string): void {
    if (seq <= this.#options.last()) return;
    if (seq === this.#options.last() + 1 && !this.#filling) {
      this.#options.deliver(seq, json);
      this.#drain();
      return;
    }
    this.#held.set(seq, json);
    if (this.#held.size > MAX_HELD) this.#held.delete(Math.min(...this.#held.keys()));
    void this.catchUp();
  }

  /** Reads whatever the stream has after the last delivered number (a hole, or a sync). */
  async catchUp(): Promise<void> {
    if (this.#filling) return;
    this.#filling = true;
    try {
      for (let round = 0; round < MAX_FETCH_ROUNDS; round++) {
        const events = await this.#options.fetch(this.#options.last(), FETCH_BATCH);
        for (const { seq, json } of events) {
          if (seq === this.#options.last() + 1) this.#options.deliver(seq, json);
        }
        this.#drain();
        if (events.length < FETCH_BATCH) break;
      }
    } catch (error) {
      this.#options.onError?.(error);
    } finally {
      this.#filling = false;
    }
    this.#drain();
  }

  #drain(): void {
    for (;;) {
      const next = this.#options.last() + 1;
      const json = this.#held.get(next);
      for (const seq of this.#held.keys()) if (seq < next) this.#held.delete(seq);
      if (json === undefined) return;
      this.#held.delete(next);
      this.#options.deliver(next, json);
    }
  }
}

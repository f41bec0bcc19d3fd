/**
 * The last N sequenced events of one agent, so a client that reconnects with `after=<seq>` gets
 * exactly what it missed. A ring: appending is O(1) and memory is bounded whatever the event rate.
 */
export interface Sequenced<T> {
  seq: number;
  value: T;
}

export class ReplayBuffer<T> {
  readonly capacity: number;
  #ring: Array<Sequenced<T> | undefined>;
  /** Index of the oldest entry. */
  #head = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.capacity = capacity;
    // Grows as events come: most agents never fill 10,000 slots, and an empty slot still costs
    // a pointer (10,000 per agent × thousands of gateway agents adds up).
    this.#ring = [];
  }

  get size(): number {
    return this.#size;
  }

  /** `seq` of the oldest entry held, or undefined when empty. */
  get firstSeq(): number | undefined {
    return this.#size === 0 ? undefined : this.#ring[this.#head]!.seq;
  }

  /** Appends; `seq` must be larger than the last one (the hub numbers events in order). */
  push(seq: number, value: T): void {
    if (this.#size < this.capacity) {
      // Until the first wrap `#head` is 0, so the next slot is the array's end.
      this.#ring.push({ seq, value });
      this.#size++;
      return;
    }
    this.#ring[this.#head] = { seq, value };
    this.#head = (this.#head + 1) % this.capacity;
  }

  /**
   * Entries with `seq > after`, oldest first, at most `limit`; `undefined` when the buffer no
   * longer holds `after + 1` (the caller must send a snapshot instead).
   */
  after(after: number, lastSeq: number, limit = Infinity): Sequenced<T>[] | undefined {
    if (after >= lastSeq) return [];
    const first = this.firstSeq;
    if (first === undefined || first > after + 1) return undefined;
    // Sequence numbers are consecutive inside the ring, so the start index is arithmetic.
    const skip = after + 1 - first;
    const count = Math.min(this.#size - skip, limit);
    const out: Sequenced<T>[] = [];
    for (let i = 0; i < count; i++) out.push(this.#ring[(this.#head + skip + i) % this.capacity]!);
    return out;
  }
}

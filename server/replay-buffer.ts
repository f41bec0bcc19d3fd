/**
 * The last sequenced events of one agent, so a client that reconnects with `after=<seq>` gets
 * exactly what it missed. Bounded twice: by count and by bytes — an event carries the whole call,
 * so a few large events can weigh more than thousands of small ones. When a bound is passed the
 * oldest events fall out; a client that needed them gets a snapshot instead, which is correct,
 * just larger.
 */
export interface Sequenced<T> {
  seq: number;
  value: T;
}

interface Entry<T> extends Sequenced<T> {
  bytes: number;
}

/** Compact the backing array once this many evicted slots sit at its front. */
const COMPACT_AFTER = 1024;

export class ReplayBuffer<T> {
  readonly capacity: number;
  readonly maxBytes: number;
  /** Live entries are `#items[#head …]`; the slots before `#head` were evicted. */
  #items: Array<Entry<T> | undefined> = [];
  #head = 0;
  #bytes = 0;

  /**
   * @param capacity most events kept
   * @param maxBytes most bytes kept (as measured by the caller); the newest event is always kept
   */
  constructor(capacity: number, maxBytes = Number.POSITIVE_INFINITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    if (!(maxBytes > 0)) throw new RangeError('maxBytes must be positive');
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Bytes held (the sum of what `push` was told). */
  get bytes(): number {
    return this.#bytes;
  }

  /** `seq` of the oldest entry held, or undefined when empty. */
  get firstSeq(): number | undefined {
    return this.#items[this.#head]?.seq;
  }

  /** Appends; `seq` must be larger than the last one (the hub numbers events in order). */
  push(seq: number, value: T, bytes = 0): void {
    this.#items.push({ seq, value, bytes });
    this.#bytes += bytes;
    while (this.size > this.capacity || (this.#bytes > this.maxBytes && this.size > 1)) this.#evictOldest();
  }

  /**
   * Entries with `seq > after`, oldest first, at most `limit`; `undefined` when the buffer no
   * longer holds `after + 1` (the caller must send a snapshot instead).
   */
  after(after: number, lastSeq: number, limit = Infinity): Sequenced<T>[] | undefined {
    if (after >= lastSeq) return [];
    const first = this.firstSeq;
    if (first === undefined || first > after + 1) return undefined;
    // Sequence numbers are consecutive inside the buffer, so the start index is arithmetic.
    const start = this.#head + (after + 1 - first);
    const end = Math.min(this.#items.length, start + limit);
    const out: Sequenced<T>[] = [];
    for (let i = start; i < end; i++) {
      const entry = this.#items[i]!;
      out.push({ seq: entry.seq, value: entry.value });
    }
    return out;
  }

  #evictOldest(): void {
    const entry = this.#items[this.#head]!;
    this.#items[this.#head] = undefined;
    this.#head++;
    this.#bytes -= entry.bytes;
    // Amortised O(1): the array is copied only when the dead prefix outweighs the live part.
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}

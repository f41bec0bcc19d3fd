/**
 * The resume/dedupe cursor: the highest event `seq` applied. A connector asks the server for
 * everything after `last` (WebSocket `hello.after`, polling `?after=`), applies an event only
 * when it is exactly the next one, and drops the rest: `seq <= last` was already applied (a
 * replay overlapping what we had), `seq > last + 1` means something in between is missing and
 * the connector must ask again from `last` rather than apply out of order.
 */
export type SeqVerdict = 'apply' | 'duplicate' | 'gap' | 'invalid';

export class SeqCursor {
  #last: number;

  constructor(last = 0) {
    this.#last = validSeq(last) ? last : 0;
  }

  get last(): number {
    return this.#last;
  }

  /** Judges `seq` and, when it is the next one, advances to it. */
  offer(seq: unknown): SeqVerdict {
    if (!validSeq(seq) || seq === 0) return 'invalid';
    if (seq <= this.#last) return 'duplicate';
    if (seq > this.#last + 1) return 'gap';
    this.#last = seq;
    return 'apply';
  }

  /** After a snapshot: the state is complete up to `seq`, whatever came before. */
  reset(seq: number): void {
    if (!validSeq(seq)) throw new RangeError(`Not a sequence number: ${String(seq)}`);
    this.#last = seq;
  }
}

function validSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

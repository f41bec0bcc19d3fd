/**
 * Exponential backoff with jitter for reconnects and failed polls. The n-th retry waits
 * `min(initialMs · factor^n, maxMs)` spread by ±`jitter` (so 1 s, 2 s, 4 s … each ±30 %, the
 * base capped at 30 s). The jitter keeps a thousand agents whose server restarted from all
 * coming back in the same millisecond.
 */
export interface BackoffOptions {
  initialMs?: number;
  factor?: number;
  /** Fraction of the base delay: 0.3 means anywhere in [0.7 · base, 1.3 · base]. */
  jitter?: number;
  maxMs?: number;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}

export const DEFAULT_BACKOFF = { initialMs: 1000, factor: 2, jitter: 0.3, maxMs: 30_000 } as const;

export class Backoff {
  readonly initialMs: number;
  readonly factor: number;
  readonly jitter: number;
  readonly maxMs: number;
  #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? DEFAULT_BACKOFF.initialMs;
    this.factor = options.factor ?? DEFAULT_BACKOFF.factor;
    this.jitter = options.jitter ?? DEFAULT_BACKOFF.jitter;
    this.maxMs = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
    this.#random = options.random ?? Math.random;
    const bad =
      !(this.initialMs > 0) || !(this.factor >= 1) || !(this.jitter >= 0 && this.jitter < 1) ||
      !(this.maxMs >= this.initialMs);
    if (bad) throw new RangeError('Backoff: need initialMs > 0, factor >= 1, 0 <= jitter < 1, maxMs >= initialMs');
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The largest delay `next()` can ever return. */
  get ceilingMs(): number {
    return Math.round(this.maxMs * (1 + this.jitter));
  }

  /** The delay before the next retry; grows until `reset()`. */
  next(): number {
    // Exponent bounded so factor^n never overflows to Infinity on a long outage.
    const exponent = Math.min(this.#attempt, 64);
    const base = Math.min(this.initialMs * this.factor ** exponent, this.maxMs);
    this.#attempt += 1;
    const r = Math.min(Math.max(this.#random(), 0), 1);
    return Math.round(base * (1 + this.jitter * (2 * r - 1)));
  }

  /** Call after a success: the next failure starts again from `initialMs`. */
  reset(): void {
    this.#attempt = 0;
  }
}

/**
 * The next connection attempt after one failed or was refused: 1 s doubling to 30 s, each ±30 %
 * (a thousand bars whose server was down must not all come back in the same second), one timer
 * at a time, and `now()` for an agent who will not wait. A bar that gives up stays offline after
 * the server is back, so this never stops by itself; only `cancel()` stops it. (Not the
 * transports' `Backoff` class: that one would add its weight to the main bundle.)
 */
export interface ConnectRetryOptions {
  /** First delay, ms (default 1000). */
  initialMs?: number;
  /** Cap on the delay before jitter, ms (default 30 000). */
  maxMs?: number;
}

export class ConnectRetry {
  readonly #attempt: () => void;
  readonly #initialMs: number;
  readonly #maxMs: number;
  #failures = 0;
  #timer: ReturnType<typeof globalThis.setTimeout> | undefined;

  constructor(attempt: () => void, options: ConnectRetryOptions = {}) {
    this.#attempt = attempt;
    this.#initialMs = Math.max(1, options.initialMs ?? 1000);
    this.#maxMs = Math.max(this.#initialMs, options.maxMs ?? 30_000);
  }

  /** Schedules the next attempt (replacing a scheduled one); returns its delay, ms. */
  schedule(): number {
    this.cancel();
    const base = Math.min(this.#initialMs * 2 ** Math.min(this.#failures++, 30), this.#maxMs);
    const delay = Math.round(base * (0.7 + 0.6 * Math.random()));
    this.#timer = globalThis.setTimeout(() => this.#fire(), delay);
    return delay;
  }

  /** Runs the scheduled attempt at once; false when none was scheduled (one is running). */
  now(): boolean {
    if (this.#timer === undefined) return false;
    this.#fire();
    return true;
  }

  /** Connected: the next failure waits the shortest delay again. */
  reset(): void {
    this.cancel();
    this.#failures = 0;
  }

  cancel(): void {
    globalThis.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    this.cancel();
    this.#attempt();
  }
}

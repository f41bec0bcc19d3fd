/**
 * A token bucket for creating agents: `burst` at once, then `perSec` per second. In reference mode
 * anyone on loopback may name any agent, and each name costs a connector and a hub; without a
 * rate, a script could fill the server with made-up agents in seconds and lock real ones out.
 */
export class CreationRate {
  readonly perSec: number;
  readonly burst: number;
  #tokens: number;
  #updatedAt: number;
  #now: () => number;

  /** `perSec` 0 means no limit. */
  constructor(perSec: number, burst: number, now: () => number = Date.now) {
    this.perSec = perSec;
    this.burst = Math.max(1, burst);
    this.#tokens = this.burst;
    this.#now = now;
    this.#updatedAt = now();
  }

  /** Takes one creation if allowed; otherwise returns how many ms until one is. */
  take(): { ok: true } | { ok: false; retryInMs: number } {
    if (this.perSec <= 0) return { ok: true };
    const now = this.#now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.perSec);
    this.#updatedAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryInMs: Math.ceil(((1 - this.#tokens) / this.perSec) * 1000) };
  }
}

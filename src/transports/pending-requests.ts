/**
 * Requests waiting for their reply, by id, each with its own timeout. The one place that
 * guarantees every request settles exactly once: by its reply, by its timeout, or by
 * `rejectAll` (connection lost, destroy).
 */
import { TransportError, TransportErrorCode } from './errors.ts';
import { realTimers, type TimerHandle, type Timers } from './timers.ts';
import type { TransportMessage } from './transport.ts';

interface Entry {
  resolve(reply: TransportMessage): void;
  reject(error: Error): void;
  timer: TimerHandle;
}

export class PendingRequests {
  #entries = new Map<string, Entry>();
  #timers: Timers;
  #counter = 0;
  #prefix: string;

  constructor(options: { timers?: Timers; prefix?: string } = {}) {
    this.#timers = options.timers ?? realTimers;
    this.#prefix = options.prefix ?? 'r';
  }

  get size(): number {
    return this.#entries.size;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** A fresh id, unique within this map's lifetime. */
  nextId(): string {
    this.#counter += 1;
    return `${this.#prefix}${this.#counter}`;
  }

  /** Registers `id` and returns the promise of its reply. A duplicate id is refused at once. */
  add(id: string, timeoutMs: number): Promise<TransportMessage> {
    if (this.#entries.has(id)) {
      return Promise.reject(new TransportError(TransportErrorCode.Protocol, `Request id ${id} is already pending`));
    }
    return new Promise<TransportMessage>((resolve, reject) => {
      const timer = this.#timers.setTimeout(() => {
        if (this.#entries.delete(id)) {
          reject(new TransportError(TransportErrorCode.Timeout, `No reply within ${timeoutMs} ms`));
        }
      }, timeoutMs);
      this.#entries.set(id, { resolve, reject, timer });
    });
  }

  /** Settles `id` with its reply; false when nothing waits for it (late or unknown reply). */
  resolve(id: string, reply: TransportMessage): boolean {
    const entry = this.#take(id);
    entry?.resolve(reply);
    return entry !== undefined;
  }

  reject(id: string, error: Error): boolean {
    const entry = this.#take(id);
    entry?.reject(error);
    return entry !== undefined;
  }

  rejectAll(error: Error): void {
    const entries = [...this.#entries.values()];
    for (const entry of entries) this.#timers.clearTimeout(entry.timer);
    this.#entries.clear();
    for (const entry of entries) entry.reject(error);
  }

  #take(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    this.#timers.clearTimeout(entry.timer);
    return entry;
  }
}

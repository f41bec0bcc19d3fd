/**
 * The status every transport exposes, with the promise behind `connect()`: it resolves the first
 * time the status becomes `connected` and rejects if the transport goes `offline` first.
 */
import { Listeners } from './listeners.ts';
import type { StatusHandler, TransportStatus } from './transport.ts';

export class StatusCell {
  #status: TransportStatus = 'connecting';
  #listeners = new Listeners<TransportStatus>();
  #waiters: Array<{ resolve(): void; reject(error: Error): void }> = [];
  #offlineReason: Error | undefined;

  get value(): TransportStatus {
    return this.#status;
  }

  /** Why the status became `offline` (refused, out of attempts, destroyed). */
  get offlineReason(): Error | undefined {
    return this.#offlineReason;
  }

  onChange(handler: StatusHandler): () => void {
    return this.#listeners.add(handler);
  }

  set(status: TransportStatus, offlineReason?: Error): void {
    if (this.#status === 'offline') return; // offline is final
    if (status === 'offline') this.#offlineReason = offlineReason;
    const changed = status !== this.#status;
    this.#status = status;
    if (status === 'connected' || status === 'offline') this.#settleWaiters();
    if (changed) this.#listeners.emit(status);
  }

  /** Resolves once connected (at once if already); rejects if offline comes first. */
  whenConnected(): Promise<void> {
    if (this.#status === 'connected') return Promise.resolve();
    if (this.#status === 'offline') return Promise.reject(this.#offlineReason ?? new Error('offline'));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  clearListeners(): void {
    this.#listeners.clear();
  }

  #settleWaiters(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      if (this.#status === 'connected') waiter.resolve();
      else waiter.reject(this.#offlineReason ?? new Error('offline'));
    }
  }
}

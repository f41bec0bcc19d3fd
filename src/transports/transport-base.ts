/**
 * What the three transports share, so each one holds only its own wire: the status (with the
 * promise behind `connect()`), the message listeners, start-once `connect()`, and a `destroy()`
 * that is idempotent, lets the transport release its resources and reject what is pending, then
 * goes `offline` for good and forgets every listener.
 */
import { TransportError, TransportErrorCode } from './errors.ts';
import { Listeners } from './listeners.ts';
import { StatusCell } from './status-cell.ts';
import type { MessageHandler, RequestOptions, StatusHandler, Transport, TransportMessage, TransportStatus } from './transport.ts';

export abstract class TransportBase implements Transport {
  protected readonly statusCell = new StatusCell();
  protected readonly messages = new Listeners<TransportMessage>();
  #started = false;

  get status(): TransportStatus {
    return this.statusCell.value;
  }

  /** Why the transport stopped, once `offline` (e.g. the server's refusal of its credential). */
  get offlineReason(): Error | undefined {
    return this.statusCell.offlineReason;
  }

  /** `connect()` has been called (and the transport was not already offline then). */
  protected get started(): boolean {
    return this.#started;
  }

  onMessage(handler: MessageHandler): () => void {
    return this.messages.add(handler);
  }

  onStatus(handler: StatusHandler): () => void {
    return this.statusCell.onChange(handler);
  }

  connect(): Promise<void> {
    if (!this.#started && this.status !== 'offline') {
      this.#started = true;
      this.start();
    }
    return this.statusCell.whenConnected();
  }

  destroy(): void {
    if (this.status === 'offline') return;
    const error = new TransportError(TransportErrorCode.Destroyed, 'The connection was closed');
    this.stop(error);
    this.statusCell.set('offline', error);
    this.statusCell.clearListeners();
    this.messages.clear();
  }

  /** Begins connecting; called once, by the first `connect()`. */
  protected abstract start(): void;

  /** Releases sockets, timers and listeners and rejects what is pending with `error`. */
  protected abstract stop(error: TransportError): void;

  abstract send(message: TransportMessage): void;
  abstract request(message: TransportMessage, options: RequestOptions): Promise<TransportMessage>;
}

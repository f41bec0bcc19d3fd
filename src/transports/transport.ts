/**
 * The transport seam: moves JSON messages between a connector and a backend, and nothing else.
 * Shaped like Penpal's messenger: fire-and-forget `send`, correlated `request` (ids, a pending
 * map with timeouts), handlers for unsolicited messages and for status, and a `destroy` that
 * rejects everything pending. Three implementations: WebSocket, REST polling, postMessage.
 */
import type { ConnectionStatus } from '../core/model.ts';

/** One message on the wire: a plain JSON object (the transport never looks inside `data`). */
export type TransportMessage = Record<string, unknown>;

/**
 * `connecting` before the first connection, `connected`, `reconnecting` after a loss while it
 * retries, `offline` once it has stopped (destroyed, refused, or out of attempts). The same names
 * as the session's `ConnectionStatus`, so the UI can show them unchanged.
 */
export type TransportStatus = ConnectionStatus;

export type MessageHandler = (message: TransportMessage) => void;
export type StatusHandler = (status: TransportStatus) => void;

export interface RequestOptions {
  /** Reject with `TIMEOUT` when no reply arrives within this many ms. */
  timeoutMs: number;
}

export interface Transport {
  readonly status: TransportStatus;
  /** Unsolicited messages (everything that is not the reply to a pending request). */
  onMessage(handler: MessageHandler): () => void;
  onStatus(handler: StatusHandler): () => void;
  /** Sends one message. Throws `NOT_CONNECTED` at once when not connected (never queues). */
  send(message: TransportMessage): void;
  /**
   * Sends one message carrying an `id` (taken from the message or generated) and resolves with
   * the reply carrying the same id. Rejects at once with `NOT_CONNECTED` when not connected: call
   * control is never queued for a later replay.
   */
  request(message: TransportMessage, options: RequestOptions): Promise<TransportMessage>;
  /** Starts (idempotent). Resolves once connected; rejects if refused or destroyed first. */
  connect(): Promise<void>;
  /** Stops for good, rejects everything pending with `DESTROYED`. Idempotent. */
  destroy(): void;
}

export function isTransportMessage(value: unknown): value is TransportMessage {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

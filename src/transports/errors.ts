/**
 * Errors of the transport layer. Coded (like Penpal's) so that a connector can map them to a
 * `CtiError` without parsing messages; the codes are a small `as const` map, not an enum, so
 * they survive JSON and `postMessage` unchanged.
 */
export const TransportErrorCode = {
  /** The transport is not connected (connecting, reconnecting or offline); nothing was sent. */
  NotConnected: 'NOT_CONNECTED',
  /** No reply to a request within its timeout. The request may or may not have taken effect. */
  Timeout: 'TIMEOUT',
  /** `destroy()` was called while the request was pending. */
  Destroyed: 'DESTROYED',
  /** The connection dropped while the request was pending. */
  ConnectionLost: 'CONNECTION_LOST',
  /** The peer refused us (bad, expired or forged token). The transport stops retrying. */
  Unauthorized: 'UNAUTHORIZED',
  /** The peer's answer could not be understood (not JSON, wrong shape, HTTP error without body). */
  Protocol: 'PROTOCOL',
  /** The transport was configured wrongly (e.g. a `*` target origin). Thrown at construction. */
  Config: 'CONFIG',
} as const;
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

export class TransportError extends Error {
  readonly code: TransportErrorCode;
  /** HTTP status, WebSocket close code … when there is one (kept for support, never shown). */
  readonly detail?: string | number;

  constructor(code: TransportErrorCode, message: string, detail?: string | number) {
    super(message);
    this.name = 'TransportError';
    this.code = code;
    this.detail = detail;
  }
}

export function isTransportError(value: unknown): value is TransportError {
  return value instanceof TransportError;
}

/**
 * The iframe protocol between the host SDK (the CRM page) and the framed bar (`frame.html`).
 * Shared by both sides and kept tiny: it is part of the host SDK's 3 KB budget.
 *
 * 1. The frame posts `{ agentbar: 'hello', protocol }` to its parent, once per allowed host
 *    origin (a `postMessage` target origin is never `*`; the browser delivers only the one that
 *    matches the parent).
 * 2. The host accepts a hello only from its own iframe's window and from its allowed origin, and
 *    only for a protocol whose major it speaks; it then posts `{ agentbar: 'connect', protocol,
 *    options }` to that exact origin, transferring one end of a fresh `MessageChannel`.
 * 3. The frame accepts a connect only from its parent window, from an allowed origin, with a major
 *    it speaks and a port. From then on both sides talk only over the private port (see
 *    port-peer.ts), so no other window can inject or read anything.
 * A reload of the frame sends a new hello (the host opens a new channel); a reload of the host
 * reloads the frame with it.
 */
export const PROTOCOL = 'agentbar/1';

/** `agentbar/N` → N; anything else → NaN (so every comparison with a known major fails closed). */
export function protocolMajor(protocol: unknown): number {
  const m = typeof protocol === 'string' ? /^agentbar\/(\d+)(?:\.\d+)?$/.exec(protocol) : null;
  return m ? Number(m[1]) : NaN;
}

/** True when `protocol` is one this code speaks (same major). */
export const speaks = (protocol: unknown): boolean => protocolMajor(protocol) === 1;

/** Codes of the errors the iframe layer adds to the bar's own (`TIMEOUT`, `NOT_CONNECTED` …). */
export const FrameErrorCode = {
  /** No valid handshake within `connectTimeoutMs`. */
  ConnectTimeout: 'CONNECT_TIMEOUT',
  /** The frame said hello with a protocol major this SDK does not speak (fail closed). */
  VersionMismatch: 'VERSION_MISMATCH',
  /** No answer to a request within its timeout. */
  Timeout: 'TIMEOUT',
  /** The channel closed (the frame reloaded) before the answer came. */
  Disconnected: 'DISCONNECTED',
  /** `destroy()` was called. */
  Destroyed: 'DESTROYED',
  /** The other side has no such method or hook. */
  Unsupported: 'UNSUPPORTED',
  /** Bad arguments (e.g. a malformed option). */
  InvalidArgument: 'INVALID_ARGUMENT',
} as const;

/** An exact http(s) origin (`scheme://host[:port]`), or undefined for anything else (`*` included). */
export function exactOrigin(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

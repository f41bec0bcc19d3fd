/**
 * Small HTTP helpers shared by the REST endpoints: JSON in and out (bounded, redacted), CORS for
 * the demo page's origin, and the HTTP status of each canonical error code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CtiError, ErrorCode, type CtiErrorInit } from '../src/core/errors.ts';
import type { Redactor } from './redactor.ts';

export const MAX_BODY_BYTES = 64 * 1024;

/** Origins allowed by default: the demo page served from this machine, on any port. */
const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;

/** True when a request may come from `origin` (absent: not a browser, e.g. curl or Node). */
export function isOriginAllowed(origin: string | undefined, extra: readonly string[]): boolean {
  if (origin === undefined) return true;
  return LOOPBACK_ORIGIN.test(origin) || extra.includes(origin);
}

/** Adds CORS headers for an allowed browser origin. */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
  res.setHeader('Access-Control-Max-Age', '600');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, redact: Redactor): void {
  if (res.headersSent || res.destroyed) return;
  const text = redact(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown, redact: Redactor): void {
  const cti = CtiError.from(error);
  sendJson(res, statusOf(cti.code), { ok: false, error: cti.toJSON() }, redact);
}

export function badRequest(message: string): CtiError {
  return new CtiError({ code: ErrorCode.InvalidArgument, message });
}

/** HTTP status for each canonical error code. */
export function statusOf(code: CtiErrorInit['code']): number {
  switch (code) {
    case ErrorCode.InvalidArgument:
    case ErrorCode.Protocol:
      return 400;
    case ErrorCode.Unauthorized:
      return 401;
    case ErrorCode.NotAllowed:
    case ErrorCode.InFlight:
      return 409;
    case ErrorCode.Rejected:
      return 422;
    case ErrorCode.Unsupported:
      return 501;
    case ErrorCode.NotConnected:
    case ErrorCode.Destroyed:
      return 503;
    case ErrorCode.Timeout:
      return 504;
    default:
      return 500;
  }
}

/**
 * Answers a raw socket (a refused upgrade, a malformed request) with a bare status and destroys
 * it. Not `end()`: that half-closes and keeps the socket until the client reads and closes, which a
 * hostile client never does.
 */
export function refuseSocket(socket: Duplex, status: string): void {
  if (socket.writable) socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** Reads a JSON body of at most `MAX_BODY_BYTES`; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw badRequest(`Request body larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Request body is not valid JSON.');
  }
}

/** `Authorization: Bearer <token>` → token (undefined when absent or another scheme). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

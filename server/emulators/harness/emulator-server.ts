/**
 * The part every vendor emulator shares: an HTTP server on 127.0.0.1, the request log, injected
 * failures and the test-only control API. A vendor module supplies only its own wire API and its
 * call model (`VendorEmulator`); the harness answers:
 *
 *   POST /__control/offer-inbound   {to, from, name?, fields?}   → {callId}
 *   POST /__control/customer-hangup {callId}
 *   POST /__control/customer-answer {callId}
 *   POST /__control/fail-next       {status?, body?, match?, drop?}  (one request, then gone)
 *   POST /__control/reset
 *   POST /__control/<other>         vendor extras (`VendorEmulator.control`)
 *   GET  /__log                     the vendor requests received, oldest first (bounded)
 *   GET  /__state                   the vendor model as JSON
 *
 * Control and log routes are never logged themselves and never fail by injection, so a test can
 * always read what happened.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FailureQueue, type FailNext } from './failure-queue.ts';
import { RequestLog, type LoggedRequest } from './request-log.ts';

export const MAX_BODY_BYTES = 256 * 1024;

/** A request as the vendor handler sees it: the body is read already. */
export interface EmulatorRequest {
  method: string;
  url: URL;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  raw: IncomingMessage;
}

export interface InboundOffer {
  to: string;
  from: string;
  name?: string;
  fields?: Record<string, unknown>;
}

export class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface VendorEmulator {
  /** Handles one vendor request; `false` when the path is not the vendor's (→ 404). */
  handle(request: EmulatorRequest, response: ServerResponse): boolean | Promise<boolean>;
  offerInbound(offer: InboundOffer): { callId: string };
  customerHangup(callId: string): void;
  customerAnswer(callId: string): void;
  reset(): void;
  state(): unknown;
  /** Extra control verbs (`POST /__control/<verb>`), vendor-specific (e.g. `preview`). */
  control?: Record<string, (body: Record<string, unknown>) => unknown>;
  /** Attach non-HTTP listeners (a WebSocket server on `upgrade`). */
  attach?(server: Server, tools: EmulatorTools): void;
  /** Stop timers and sockets. */
  close?(): void;
}

/** What the harness lends a vendor module: the shared log and failure queue. */
export interface EmulatorTools {
  log: RequestLog;
  failures: FailureQueue;
}

export interface StartedEmulator {
  url: string;
  port: number;
  server: Server;
  tools: EmulatorTools;
  close(): Promise<void>;
}

export interface StartEmulatorOptions {
  port?: number;
  host?: string;
}

export async function startEmulator(
  create: (tools: EmulatorTools) => VendorEmulator,
  options: StartEmulatorOptions = {},
): Promise<StartedEmulator> {
  const tools: EmulatorTools = { log: new RequestLog(), failures: new FailureQueue() };
  const vendor = create(tools);
  const server = createServer((req, res) => {
    void route(vendor, tools, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  vendor.attach?.(server, tools);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    tools,
    close: async () => {
      vendor.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function route(vendor: VendorEmulator, tools: EmulatorTools, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const body = await readBody(req);
  if (body === undefined) {
    sendJson(res, 413, { error: `Request body larger than ${MAX_BODY_BYTES} bytes.` });
    return;
  }
  if (url.pathname === '/__log' && req.method === 'GET') {
    sendJson(res, 200, tools.log.entries());
    return;
  }
  if (url.pathname === '/__state' && req.method === 'GET') {
    sendJson(res, 200, vendor.state());
    return;
  }
  if (url.pathname.startsWith('/__control/')) {
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'Control verbs are POST.' });
      return;
    }
    try {
      sendJson(res, 200, control(vendor, tools, url.pathname.slice('/__control/'.length), parseObject(body)) ?? { ok: true });
    } catch (error) {
      const status = error instanceof ControlError ? error.status : 400;
      sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
    }
    return;
  }

  const request: EmulatorRequest = {
    method: req.method ?? 'GET',
    url,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    raw: req,
  };
  tools.log.add({ method: request.method, path: request.path, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
  const failure = tools.failures.take(`${request.method} ${request.path}${url.search}`);
  if (failure) {
    if (failure.drop) {
      req.socket.destroy();
      return;
    }
    res.writeHead(failure.status ?? 500, { 'Content-Type': failure.contentType ?? 'text/plain; charset=utf-8' });
    res.end(failure.body ?? 'Injected failure');
    return;
  }
  if (!(await vendor.handle(request, res)) && !res.headersSent) {
    sendJson(res, 404, { error: `No such path: ${request.method} ${request.path}` });
  }
}

function control(vendor: VendorEmulator, tools: EmulatorTools, verb: string, body: Record<string, unknown>): unknown {
  switch (verb) {
    case 'offer-inbound': {
      const to = requireString(body, 'to');
      const from = requireString(body, 'from');
      const name = body.name === undefined ? undefined : requireString(body, 'name');
      const fields = body.fields;
      if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields))) {
        throw new ControlError(400, '"fields" must be an object.');
      }
      return vendor.offerInbound({ to, from, name, fields: fields as Record<string, unknown> | undefined });
    }
    case 'customer-hangup':
      vendor.customerHangup(requireString(body, 'callId'));
      return undefined;
    case 'customer-answer':
      vendor.customerAnswer(requireString(body, 'callId'));
      return undefined;
    case 'fail-next':
      tools.failures.add(readFailNext(body));
      return undefined;
    case 'reset':
      tools.failures.clear();
      tools.log.clear();
      vendor.reset();
      return undefined;
    default: {
      const extra = vendor.control?.[verb];
      if (!extra) throw new ControlError(404, `Unknown control verb "${verb}".`);
      return extra(body);
    }
  }
}

function readFailNext(body: Record<string, unknown>): FailNext {
  const out: FailNext = {};
  if (body.status !== undefined) {
    if (!Number.isInteger(body.status) || (body.status as number) < 100 || (body.status as number) > 599) {
      throw new ControlError(400, '"status" must be an HTTP status code.');
    }
    out.status = body.status as number;
  }
  if (body.body !== undefined) out.body = typeof body.body === 'string' ? body.body : JSON.stringify(body.body);
  if (body.contentType !== undefined) out.contentType = requireString(body, 'contentType');
  if (body.match !== undefined) out.match = requireString(body, 'match');
  if (body.drop !== undefined) out.drop = body.drop === true;
  return out;
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') throw new ControlError(400, `"${key}" is required (a string).`);
  return value;
}

function parseObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlError(400, 'The control body is not JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ControlError(400, 'The control body must be a JSON object.');
  return value as Record<string, unknown>;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

export type { FailNext, LoggedRequest };

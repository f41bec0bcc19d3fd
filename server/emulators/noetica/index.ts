/**
 * The Noetica emulator (docs/connectors/noetica.md §9): the REST binding of the Telephony & Dialler
 * SDK, routed by the very table the connector uses (src/connectors/noetica/binding.ts) — the
 * `Authorization: Bearer` token checked first on every request (401, nothing done), JSON bodies,
 * 200 answers for GETs, 202 `{requestId}` for accepted POSTs, `{error:{code,message}}` with the
 * binding's status for refusals, Poll Event long-polled — and the centre behind it
 * (`NoeticaCentre`). `npm run emulator -- noetica` → `http://127.0.0.1:PORT`; the shared control
 * API is on the same port. CORS is open (`*`, no cookies), so a page can use it directly.
 */
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { checkPathOverrides, matchRequest, resolveBinding, type SdkCommand } from '../../../src/connectors/noetica/binding.ts';
import { DIALLER_STATUSES, ERROR_STATUS, POLL_MAX_WAIT_S, SYSTEM_STATUSES, type DiallerState, type SyncErrorCode, type SystemState } from '../../../src/connectors/noetica/wire.ts';
import { ControlError, startEmulator, type EmulatorRequest, type StartedEmulator, type VendorEmulator } from '../harness/emulator-server.ts';
import { DEFAULT_API_TOKEN } from './noetica-data.ts';
import { NoeticaCentre, Refusal, type CentreOptions } from './noetica-centre.ts';

export interface NoeticaEmulatorOptions extends CentreOptions {
  port?: number;
  /** The always-valid API token (default `noetica-emulator-token`, or NOETICA_API_TOKEN). */
  apiToken?: string;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'authorization, content-type, accept',
  'Access-Control-Max-Age': '600',
};

export async function start(options: NoeticaEmulatorOptions = {}): Promise<StartedEmulator & { centre: NoeticaCentre; apiToken: string }> {
  const centre = new NoeticaCentre(options);
  const apiToken = options.apiToken ?? process.env.NOETICA_API_TOKEN ?? DEFAULT_API_TOKEN;
  const started = await startEmulator(() => noeticaVendor(centre, apiToken), { port: options.port });
  return { ...started, centre, apiToken };
}

function noeticaVendor(centre: NoeticaCentre, staticToken: string): VendorEmulator {
  // The emulator routes by the same table as the connector (a site's path changes: `configure {paths}`).
  let binding = resolveBinding();
  /** Tokens from `issue-token` → expiry (epoch ms). */
  const tokens = new Map<string, number>();

  return {
    handle: (request, response) => api(request, response),
    offerInbound: ({ to, from, name, fields }) => ({ callId: guard(() => centre.offerInbound(to, from, name, fields)) }),
    customerHangup: (callId) => guard(() => centre.customerHangup(callId)),
    customerAnswer: (callId) => guard(() => centre.customerAnswer(callId)),
    reset: () => {
      centre.reset();
      tokens.clear();
      binding = resolveBinding();
    },
    state: () => ({ ...(centre.state() as object), tokensIssued: tokens.size }),
    control: {
      configure: (body) =>
        guard(() => {
          if (body.paths !== undefined) {
            const problem = checkPathOverrides(body.paths);
            if (problem) throw new ControlError(400, problem);
            binding = resolveBinding(body.paths as never);
          }
          centre.configure(body);
        }),
      logon: (body) => guard(() => centre.logOn(text(body, 'userId'), typeof body.extension === 'string' ? body.extension : text(body, 'userId'))),
      'offer-transfer': (body) => ({ callId: guard(() => centre.offerTransfer(text(body, 'to'), text(body, 'from'), optionalText(body, 'name'), text(body, 'by'))) }),
      'consult-answer': (body) => guard(() => centre.consultAnswer(text(body, 'callId'))),
      'consult-hangup': (body) => guard(() => centre.consultHangup(text(body, 'callId'))),
      message: (body) => guard(() => centre.message(text(body, 'to'), text(body, 'text'), optionalText(body, 'from'))),
      'system-status': (body) =>
        guard(() => {
          const status = text(body, 'status');
          if (!(SYSTEM_STATUSES as readonly string[]).includes(status)) throw new ControlError(400, `"status" is one of ${SYSTEM_STATUSES.join(', ')}.`);
          centre.setSystem(status as SystemState, optionalText(body, 'detail'));
        }),
      'dialler-status': (body) =>
        guard(() => {
          const status = text(body, 'status');
          if (!(DIALLER_STATUSES as readonly string[]).includes(status)) throw new ControlError(400, `"status" is one of ${DIALLER_STATUSES.join(', ')}.`);
          centre.setDiallerStatus(text(body, 'userId'), status as DiallerState);
        }),
      'fail-operation': (body) => guard(() => centre.failNextOperation(text(body, 'method'), text(body, 'code'), optionalText(body, 'message'))),
      'issue-token': (body) => {
        const ttlMs = typeof body.ttlMs === 'number' && body.ttlMs > 0 ? body.ttlMs : 600_000;
        const token = randomBytes(18).toString('hex');
        tokens.set(token, Date.now() + ttlMs);
        return { token, expiresInMs: ttlMs };
      },
      'expire-tokens': () => {
        tokens.clear();
      },
    },
    close: () => centre.close(),
  };

  function authorised(request: EmulatorRequest): boolean {
    const header = String(request.headers.authorization ?? '');
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) return false;
    const token = match[1]!;
    if (token === staticToken) return true;
    const expires = tokens.get(token);
    if (expires === undefined) return false;
    if (Date.now() >= expires) {
      tokens.delete(token);
      return false;
    }
    return true;
  }

  async function api(request: EmulatorRequest, response: ServerResponse): Promise<boolean> {
    const matches = matchRequest(binding, request.path);
    if (matches.length === 0) {
      if (!request.path.startsWith('/sdk/')) return false;
      return refuse(response, 'UNKNOWN_METHOD', 'No such SDK method.');
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204, CORS);
      response.end();
      return true;
    }
    // The token comes first: a refused request never did anything.
    if (!authorised(request)) return refuse(response, 'UNAUTHORISED', 'Missing or invalid API token.');
    const match = matches.find((m) => binding[m.method].http === request.method);
    if (!match) return refuse(response, 'METHOD_NOT_ALLOWED', `This path takes ${binding[matches[0]!.method].http}.`);
    try {
      const userId = match.userId ?? '';
      switch (match.method) {
        case 'GetBreakReason':
          return send(response, 200, centre.breakReasons());
        case 'SystemStatus':
          return send(response, 200, centre.system(request.query.get('userId') ?? undefined));
        case 'GetAvailableDispositions':
          return send(response, 200, centre.dispositions(userId));
        case 'TelephonyStatus':
          return send(response, 200, centre.telephony(userId));
        case 'DiallerStatus':
          return send(response, 200, centre.dialler(userId));
        case 'GetNextRecord':
          return send(response, 200, centre.nextRecord(userId));
        case 'PollEvent':
          return await poll(request, response, userId);
        default: {
          const body = jsonBody(request);
          return send(response, 202, centre.command(userId, match.method as SdkCommand, body as never));
        }
      }
    } catch (error) {
      if (error instanceof Refusal) return refuse(response, error.code, error.message);
      throw error;
    }
  }

  async function poll(request: EmulatorRequest, response: ServerResponse, userId: string): Promise<boolean> {
    const after = request.query.get('after');
    const wait = request.query.get('wait');
    if ((after !== null && !/^[0-9]{1,15}$/.test(after)) || (wait !== null && !/^[0-9]{1,3}$/.test(wait))) {
      return refuse(response, 'BAD_REQUEST', '"after" and "wait" are whole numbers.');
    }
    const controller = new AbortController();
    // A client that gave up (or a server closing) ends the wait.
    response.on('close', () => controller.abort());
    const answer = await centre.poll(userId, after === null ? undefined : Number(after), Math.min(POLL_MAX_WAIT_S, Number(wait ?? 0)), controller.signal);
    if (response.writableEnded || response.destroyed) return true;
    return send(response, 200, answer);
  }
}

function jsonBody(request: EmulatorRequest): Record<string, unknown> {
  const type = String(request.headers['content-type'] ?? '');
  if (request.body.trim() === '') return {};
  if (!type.includes('application/json')) throw new Refusal('BAD_REQUEST', 'The body must be JSON (Content-Type: application/json).');
  let value: unknown;
  try {
    value = JSON.parse(request.body);
  } catch {
    throw new Refusal('BAD_REQUEST', 'The body is not valid JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Refusal('BAD_REQUEST', 'The body must be a JSON object.');
  return value as Record<string, unknown>;
}

function send(response: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...CORS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  response.end(text);
  return true;
}

function refuse(response: ServerResponse, code: SyncErrorCode, message: string): true {
  return send(response, ERROR_STATUS[code], { error: { code, message } });
}

/** Control verbs answer a refusal as 409 with its code (the harness shows the message). */
function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof Refusal) throw new ControlError(error.code === 'USER_NOT_FOUND' || error.code === 'NO_SUCH_CALL' ? 404 : 409, `${error.code}: ${error.message}`);
    throw error;
  }
}

function text(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') throw new ControlError(400, `"${key}" is required (a string).`);
  return value;
}

function optionalText(body: Record<string, unknown>, key: string): string | undefined {
  return body[key] === undefined ? undefined : text(body, key);
}

/**
 * The uContact emulator (docs/connectors/ucontact.md §8), on one origin:
 *  - the Integra REST API under `/Integra/resources/…`: form POSTs (`application/x-www-form-
 *    urlencoded`), `Authorization: Basic <token>` from `auth/getUserToken` or `auth/AgentLogin`,
 *    `auth/EndSession`; answers as uContact gives them (text, JSON, `0` for failed; 401 for a
 *    missing or unknown token, 400 for a missing form field, 415 for another content type);
 *  - the portal pages (`/portal.html`, `/uphone.html`, portal-pages.ts) with the real porthole.js
 *    at `/porthole.js`, their actions at `POST /portal/action` and events at `GET /portal/events`;
 *  - the shared control API (offer-inbound `{to: agent name, from, name?, fields?}`,
 *    customer-hangup / customer-answer `{callId: guid}`, fail-next for REST) plus
 *    `proxy-fail-next {action}`, `portal-event {action, params}`, and the v6 Events API's
 *    `offer-interaction {to, campaign?, clientId?}` and `events-api {event, data}`.
 * `npm run emulator -- ucontact` → `http://127.0.0.1:PORT`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { DIALER_TASK_KEYS, FORM_CONTENT_TYPE, REST_METHODS, REST_PREFIX, type RestMethod } from '../../../src/connectors/ucontact/protocol.ts';
import { ControlError, sendJson, startEmulator, type EmulatorRequest, type StartedEmulator, type VendorEmulator } from '../harness/emulator-server.ts';
import { RefusalError, UcontactCenter } from './ucontact-center.ts';
import { portalPage, uphonePage } from './portal-pages.ts';

export { SUPERUSER, AGENTS, BREAKS } from './ucontact-center.ts';

const PORTHOLE_JS = fileURLToPath(new URL('../../../node_modules/porthole-proxy/lib/porthole.js', import.meta.url));
const REST_ROOT = `/${REST_PREFIX}/`;
/** Methods that authenticate instead of needing a token. */
const OPEN_METHODS: ReadonlySet<string> = new Set(['auth/getUserToken', 'auth/AgentLogin']);

export async function start(options: { port?: number } = {}): Promise<StartedEmulator & { center: UcontactCenter }> {
  const center = new UcontactCenter();
  const started = await startEmulator(() => ucontactVendor(center), { port: options.port });
  return { ...started, center };
}

function ucontactVendor(center: UcontactCenter): VendorEmulator {
  const porthole = readFileSync(PORTHOLE_JS, 'utf8');
  return {
    handle: (request, response) => {
      if (request.path.startsWith(REST_ROOT)) return rest(center, request, response);
      if (request.method === 'GET' && request.path === '/portal.html') return page(response, portalPage());
      if (request.method === 'GET' && request.path === '/uphone.html') return page(response, uphonePage());
      if (request.method === 'GET' && request.path === '/porthole.js') {
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end(porthole);
        return true;
      }
      if (request.method === 'POST' && request.path === '/portal/action') return portalAction(center, request, response);
      if (request.method === 'GET' && request.path === '/portal/events') return portalEvents(center, response);
      return false;
    },
    offerInbound: ({ to, from, name, fields }) => ({ callId: guard(() => center.offerInbound(to, from, name, fields)) }),
    customerHangup: (callId) => guard(() => center.customerHangup(callId)),
    customerAnswer: (callId) => guard(() => center.customerAnswer(callId)),
    reset: () => center.reset(),
    state: () => center.state(),
    control: {
      'proxy-fail-next': (body) => {
        if (typeof body.action !== 'string' || body.action === '') throw new ControlError(400, '"action" is required (a string).');
        center.failNextProxy(body.action);
        return undefined;
      },
      'offer-interaction': (body) => {
        if (typeof body.to !== 'string') throw new ControlError(400, '"to" is required (an agent name).');
        const opt = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
        return { callId: guard(() => center.offerInteraction(body.to as string, opt('campaign'), opt('clientId'))) };
      },
      'events-api': (body) => {
        if (typeof body.event !== 'string') throw new ControlError(400, '"event" is required (a string).');
        center.emit({ event: body.event, data: body.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : {} });
        return undefined;
      },
      'portal-event': (body) => {
        if (typeof body.action !== 'string') throw new ControlError(400, '"action" is required (a string).');
        const params = body.params && typeof body.params === 'object' ? (body.params as Record<string, string>) : {};
        center.emit({ action: body.action, params });
        return undefined;
      },
    },
  };
}

function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RefusalError) throw new ControlError(409, error.message);
    throw error;
  }
}

function page(response: ServerResponse, html: string): boolean {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(html);
  return true;
}

function text(response: ServerResponse, status: number, body: string): boolean {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  response.end(body);
  return true;
}

// ---- the portal's side of the window proxy ----------------------------------------------------------

function portalAction(center: UcontactCenter, request: EmulatorRequest, response: ServerResponse): boolean {
  let data: unknown;
  try {
    data = JSON.parse(request.body);
  } catch {
    sendJson(response, 400, { error: 'not JSON' });
    return true;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    sendJson(response, 200, {});
    return true;
  }
  const reply = center.proxyAction(request.query.get('agent') ?? 'agent1', data as Record<string, unknown>);
  sendJson(response, 200, reply ? { reply } : {});
  return true;
}

function portalEvents(center: UcontactCenter, response: ServerResponse): boolean {
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  response.write(': uContact portal events\n\n');
  const stop = center.listen((event) => response.write(`data: ${JSON.stringify(event)}\n\n`));
  response.on('close', stop);
  return true;
}

// ---- Integra REST ---------------------------------------------------------------------------------

function rest(center: UcontactCenter, request: EmulatorRequest, response: ServerResponse): boolean {
  const method = request.path.slice(REST_ROOT.length) as RestMethod;
  const spec = (REST_METHODS as Record<string, { required: readonly string[]; optional: readonly string[] }>)[method];
  if (!spec) return text(response, 404, 'Not Found');
  if (request.method !== 'POST') return text(response, 405, 'Method Not Allowed');
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) return text(response, 415, `Unsupported Media Type (send ${FORM_CONTENT_TYPE})`);
  const auth = String(request.headers.authorization ?? '');
  const token = auth.startsWith('Basic ') ? auth.slice('Basic '.length) : undefined;
  const tokenUser = token !== undefined ? center.tokenUser(token) : undefined;
  if (!OPEN_METHODS.has(method) && tokenUser === undefined) return text(response, 401, 'Unauthorized');
  if (OPEN_METHODS.has(method) && auth !== '' && tokenUser === undefined) return text(response, 401, 'Unauthorized');
  const form = new URLSearchParams(request.body);
  for (const field of spec.required) if (!form.has(field)) return text(response, 400, `Missing parameter: ${field}`);
  const f = (key: string): string => form.get(key) ?? '';
  try {
    switch (method) {
      case 'auth/getUserToken': {
        const issued = center.userToken(f('user'), f('password'));
        // A user without a phone: a list whose last element is the token.
        return issued ? json(response, [f('user'), issued]) : text(response, 200, '0');
      }
      case 'auth/AgentLogin': {
        const peer = center.agentLogin(f('agent'), f('password'));
        return peer ? json(response, peer) : text(response, 200, '0');
      }
      case 'auth/EndSession':
        return text(response, 200, center.endSession(f('user'), f('token')) ? 'OK' : '0');
      case 'api/AgentLogoff':
        center.logoff(f('agent'), f('interface'));
        return text(response, 200, '1');
      case 'api/AgentPause':
        center.pause(f('agent'), f('interface'), f('message'));
        return text(response, 200, '1');
      case 'api/AgentUnPause':
        center.unpause(f('agent'), f('interface'));
        return text(response, 200, '1');
      case 'api/AgentBreak':
        center.takeBreak(f('agent'), f('interface'), f('motive'));
        return text(response, 200, '1');
      case 'api/AgentUnBreak':
        center.endBreak(f('agent'), f('interface'));
        return text(response, 200, '1');
      case 'Agents/AgentCall':
        return text(response, 200, center.agentCall({ agent: f('agent'), phone: f('phone'), destination: f('destination'), outqueue: f('outqueue') }));
      case 'Agents/HangupPhone':
        center.hangupPhone(f('phone'));
        return text(response, 200, '1');
      case 'api/DispositionCall': {
        const record: Record<string, string> = {};
        for (const key of [...spec.required, ...spec.optional]) if (form.has(key)) record[key] = f(key);
        center.disposition(record);
        return text(response, 200, '1');
      }
      case 'Dialers/ScheduleDialerCall':
        center.scheduleDialerCall(jsonField(f('callschedule')));
        return text(response, 200, '1');
      case 'Dialers/DialerTask':
        center.dialerTask(jsonField(f('call')), DIALER_TASK_KEYS);
        return text(response, 200, '1');
    }
  } catch (error) {
    // uContact says "failed" with 0 and no detail.
    if (error instanceof RefusalError) return text(response, 200, '0');
    throw error;
  }
  return text(response, 404, 'Not Found');
}

function json(response: ServerResponse, body: unknown): boolean {
  sendJson(response, 200, body);
  return true;
}

function jsonField(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new RefusalError('not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RefusalError('not a JSON object');
  return parsed as Record<string, unknown>;
}

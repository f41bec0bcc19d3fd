/**
 * The POM emulator: the server side of the POM bridge (docs/connectors/pom.md) with POM's
 * behaviour behind it (`PomCenter`). `npm run emulator -- pom` → the bridge is at
 * `ws://127.0.0.1:PORT/bridge`; the shared control API (`/__control/…`, `/__log`, `/__state`) is on
 * the same port over HTTP.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { ControlError, startEmulator, type EmulatorTools, type StartedEmulator, type VendorEmulator } from '../harness/emulator-server.ts';
import {
  BRIDGE_PROTOCOL,
  CLOSE_REFUSED,
  COMMAND_ALIASES,
  POM_COMMANDS,
  checkArgs,
  isCommandName,
  type BridgeFrame,
  type PomCommandName,
} from '../../../src/connectors/pom/protocol.ts';
import { PomCenter, type AgentLink, type CenterOptions } from './pom-center.ts';

export const BRIDGE_PATH = '/bridge';
/** Largest frame the bridge accepts: POM's own packet limit. */
export const MAX_FRAME_BYTES = 16_000;
const HELLO_TIMEOUT_MS = 10_000;
const AGENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface PomEmulatorOptions extends CenterOptions {
  port?: number;
}

export async function start(options: PomEmulatorOptions = {}): Promise<StartedEmulator & { center: PomCenter; bridgeUrl: string }> {
  const center = new PomCenter(options);
  const started = await startEmulator((tools) => pomVendor(center, tools), { port: options.port });
  return { ...started, center, bridgeUrl: `ws://127.0.0.1:${started.port}${BRIDGE_PATH}` };
}

function pomVendor(center: PomCenter, tools: EmulatorTools): VendorEmulator {
  const sockets = new Map<WebSocket, string | undefined>();
  let wss: WebSocketServer | undefined;

  const dropBridges = (agentId?: string): number => {
    let n = 0;
    for (const [socket, id] of sockets) {
      if (agentId === undefined || id === agentId) {
        socket.terminate();
        n++;
      }
    }
    return n;
  };

  return {
    // The bridge speaks WebSocket only; plain HTTP to the bridge path is refused.
    handle: (request, response) => {
      if (request.path !== BRIDGE_PATH) return false;
      response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
      response.end('The POM bridge speaks WebSocket.');
      return true;
    },
    offerInbound: ({ to, from, name, fields }) => ({ callId: guard(() => center.offerCall(to, { from, name, fields })) }),
    customerHangup: (callId) => guard(() => center.customerHangup(callId)),
    customerAnswer: (callId) => guard(() => center.customerAnswer(callId)),
    reset: () => {
      dropBridges();
      center.reset();
    },
    state: () => center.state(),
    control: {
      preview: (body) =>
        ({
          callId: guard(() =>
            center.offerPreview(str(body, 'to'), {
              number: str(body, 'number'),
              name: optStr(body, 'name'),
              fields: obj(body, 'fields'),
              timeoutSec: optNum(body, 'timeoutSec'),
              callback: body.callback === true,
              numbers: Array.isArray(body.numbers) ? body.numbers.map(String) : undefined,
            }),
          ),
        }),
      'answering-machine': (body) => guard(() => center.customerHangup(str(body, 'callId'), true)),
      'callback-pending': (body) => ({ sessionID: guard(() => center.callbackPending(str(body, 'to'), optStr(body, 'dueTime') ?? dueSoon())) }),
      'callback-expired': (body) => guard(() => center.callbackExpired(str(body, 'to'), str(body, 'sessionID'), optStr(body, 'dueTime') ?? dueSoon())),
      'dial-fails': (body) => guard(() => center.armDialFailure(body.reason, false)),
      'consult-dial-fails': (body) => guard(() => center.armDialFailure(body.reason, true)),
      'nailing-lost': (body) => guard(() => center.nailingLost(str(body, 'to'))),
      'dnc-add': (body) => guard(() => center.listInDnc(str(body, 'number'))),
      'job-end': (body) => guard(() => center.jobEnd(str(body, 'to'))),
      'job-start': (body) => guard(() => center.jobStart(str(body, 'to'), optStr(body, 'campaign') ?? 'Renewals')),
      'zone-down': (body) => guard(() => center.zoneDown(str(body, 'zone'), optNum(body, 'gracePeriodInMillis') ?? 30_000)),
      'pom-down': () => center.setPomAvailable(false),
      'pom-up': () => center.setPomAvailable(true),
      'drop-bridge': (body) => ({ dropped: dropBridges(optStr(body, 'to')) }),
      'get-agent-status': (body) => guard(() => center.askAgentStatus(str(body, 'to'))),
      configure: (body) => guard(() => center.configure(body)),
      // Test-only: any notification, known or not, to one agent's desktop (e.g. a newer POM's).
      notify: (body) => guard(() => center.rawNotify(str(body, 'to'), str(body, 'name'), obj(body, 'args') ?? {})),
    },
    attach(server: Server) {
      wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
      server.on('upgrade', (req, socket, head) => {
        const path = new URL(req.url ?? '/', 'http://bridge.invalid').pathname;
        if (path !== BRIDGE_PATH) {
          socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
          return;
        }
        wss!.handleUpgrade(req, socket, head, (ws) => serve(ws));
      });
    },
    close() {
      dropBridges();
      wss?.close();
      center.close();
    },
  };

  function serve(ws: WebSocket): void {
    sockets.set(ws, undefined);
    let agentId: string | undefined;
    const send = (frame: BridgeFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const link: AgentLink = {
      notify: (name, args) => send({ type: 'notification', name, args }),
      close: () => ws.close(4409, 'Logged on elsewhere'),
    };
    const helloTimer = setTimeout(() => ws.close(CLOSE_REFUSED, 'No hello'), HELLO_TIMEOUT_MS);
    const refuse = (reason: string) => {
      send({ type: 'refused', reason });
      ws.close(CLOSE_REFUSED, 'Refused');
    };

    ws.on('close', () => {
      clearTimeout(helloTimer);
      sockets.delete(ws);
      if (agentId) center.detach(agentId, link);
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      let frame: unknown;
      try {
        frame = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        frame = undefined;
      }
      if (!frame || typeof frame !== 'object' || Array.isArray(frame)) {
        refuse('Every frame is one JSON object.');
        return;
      }
      const f = frame as Record<string, unknown>;
      if (f.type === 'ping') {
        send({ type: 'pong', id: String(f.id ?? '') });
        return;
      }
      if (agentId === undefined) {
        if (f.type !== 'hello') return refuse('The first frame must be hello.');
        if (f.protocol !== BRIDGE_PROTOCOL) return refuse(`Unsupported protocol ${JSON.stringify(f.protocol)}; this bridge speaks ${BRIDGE_PROTOCOL}.`);
        if (typeof f.agentId !== 'string' || !AGENT_ID.test(f.agentId)) return refuse('hello needs an agentId (letters, digits, . _ -).');
        clearTimeout(helloTimer);
        agentId = f.agentId;
        sockets.set(ws, agentId);
        const status = center.attach(agentId, link);
        send({ type: 'welcome', protocol: BRIDGE_PROTOCOL, agentId, pomAvailable: center.pomAvailable, status });
        return;
      }
      if (f.type === 'getStatus') {
        send({ type: 'status', id: String(f.id ?? ''), pomAvailable: center.pomAvailable, status: center.status(agentId) });
        return;
      }
      if (f.type !== 'command') return refuse(`Unknown frame type ${JSON.stringify(f.type)}.`);
      command(f);
    });

    function command(f: Record<string, unknown>): void {
      const id = typeof f.id === 'string' ? f.id : undefined;
      const rawName = typeof f.name === 'string' ? f.name : '';
      const args = f.args && typeof f.args === 'object' && !Array.isArray(f.args) ? (f.args as Record<string, unknown>) : {};
      const name: string = COMMAND_ALIASES[rawName] ?? rawName;
      tools.log.add({ method: 'WS', path: BRIDGE_PATH, query: {}, headers: {}, body: JSON.stringify(redact(args)), message: name });
      const reply = (result: number, extra: Record<string, unknown> = {}) =>
        send({ type: 'response', ...(id !== undefined ? { id } : {}), name: `${name}RESP`, args: { ...extra, result } });

      if (!isCommandName(name)) {
        // The library has no such method; POM reports the name it did not know.
        reply(9011);
        link.notify('AGTInvalidCommandName', { commandName: rawName });
        return;
      }
      const spec = POM_COMMANDS[name as PomCommandName];
      const problem = checkArgs(spec.args, args);
      if (problem.missing) return reply(9010, emptyResp(name));
      if (problem.wrongType) return reply(9008, emptyResp(name));
      const failure = tools.failures.take(name);
      if (failure) {
        if (failure.drop) {
          ws.terminate();
          return;
        }
        return reply(injectedResult(failure.body), emptyResp(name));
      }
      center.execute(agentId!, name, args, (result, extra) => reply(result, result === 0 ? extra : { ...emptyResp(name), ...extra }), link);
    }
  }
}

/** The RESP's own arguments, null-filled, for a refused command (so its shape never varies). */
function emptyResp(name: PomCommandName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(POM_COMMANDS[name].resp)) {
    if (key === 'result') continue;
    out[key] = type === 'boolean' ? false : null;
  }
  return out;
}

/** `fail-next` body: a POM result code, as a number or `{"result": n}`; default 1 (Command Failure). */
function injectedResult(body: string | undefined): number {
  if (body === undefined) return 1;
  try {
    const parsed = JSON.parse(body) as unknown;
    const n = typeof parsed === 'number' ? parsed : (parsed as { result?: unknown })?.result;
    return Number.isInteger(n) && n !== 0 ? (n as number) : 1;
  } catch {
    return 1;
  }
}

/** The request log never holds a password. */
function redact(args: Record<string, unknown>): Record<string, unknown> {
  return typeof args.pwd === 'string' ? { ...args, pwd: '•••' } : args;
}

function dueSoon(): string {
  const d = new Date(Date.now() + 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ControlError) throw error;
    throw new ControlError(400, error instanceof Error ? error.message : String(error));
  }
}

function str(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v === '') throw new ControlError(400, `"${key}" is required (a string).`);
  return v;
}

function optStr(body: Record<string, unknown>, key: string): string | undefined {
  return body[key] === undefined ? undefined : str(body, key);
}

function optNum(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ControlError(400, `"${key}" must be a number ≥ 0.`);
  return v;
}

function obj(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ControlError(400, `"${key}" must be an object.`);
  return v as Record<string, unknown>;
}

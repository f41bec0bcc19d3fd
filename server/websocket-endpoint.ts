/**
 * The canonical protocol over WebSocket (`/ws`, docs/protocol.md): hello → welcome + replay (or a
 * snapshot), then events as they happen, commands with responses, ping/pong. Framing is `ws`'s.
 * A socket only ever receives the events of the agent it said hello as (and, in gateway mode,
 * proved with its token).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { CtiError, ErrorCode } from '../src/core/errors.ts';
import { OPERATIONS } from '../src/core/operations.ts';
import type { AgentHub, CatchUp } from './agent-hub.ts';
import type { HubRegistry } from './hub-registry.ts';
import type { AccessPolicy } from './access.ts';
import type { Redactor } from './redactor.ts';
import type { LoginFieldInfo } from '../src/core/connector.ts';
import { parseCommand } from '../src/protocol/command-guard.ts';
import type { ServerFrame } from '../src/protocol/messages.ts';
import { isAgentId } from './tokens.ts';
import { AGENT_ID_RULE } from './agent-id.ts';
import { BoundedSender } from './bounded-send.ts';
import { refuseSocket } from './http-util.ts';
import type { Counters } from './metrics.ts';

/** Close codes (4000-4999 are the application's). */
export const CloseCode = {
  /** Missing, expired or forged token; or a message before hello. */
  Unauthorized: 4401,
  /** Malformed hello (bad agentId, bad `after`). */
  BadHello: 4400,
  /** The agent's connector could not start (vendor down, too many agents). */
  Unavailable: 4503,
  /** Closed by the control API's drop-connections or by the server shutting down. */
  Going: 1001,
  /** The hello's token expired: reconnect with a fresh one (not 4401, which means "stop"). */
  TokenExpired: 4001,
} as const;

export interface WebSocketEndpointOptions {
  registry: HubRegistry;
  access: AccessPolicy;
  redact: Redactor;
  /** Origins allowed besides loopback (checked on the upgrade request). */
  isOriginAllowed: (origin: string | undefined) => boolean;
  helloTimeoutMs?: number;
  heartbeatMs?: number;
  /** A client this far behind is cut off; it reconnects and resumes from its last seq. */
  maxBufferedBytes?: number;
  /** Sockets said hello as one agent. */
  socketsPerAgent?: number;
  counters?: Counters;
  log?: (message: string) => void;
  /** The connector's login form (its declaration's), announced in the welcome. */
  loginFields?: readonly LoginFieldInfo[];
}

const MAX_MESSAGE_BYTES = 64 * 1024;
/** Messages a client may send before its hello is answered (they are handled after it). */
const MAX_EARLY_MESSAGES = 32;

export class WebSocketEndpoint {
  #options: Required<Omit<WebSocketEndpointOptions, 'log' | 'counters' | 'loginFields'>> & { log: (message: string) => void; loginFields?: readonly LoginFieldInfo[] };
  #counters?: Counters;
  #sender: BoundedSender;
  #wss: WebSocketServer;
  #byAgent = new Map<string, Set<WebSocket>>();
  #alive = new WeakMap<WebSocket, boolean>();
  #heartbeat: ReturnType<typeof globalThis.setInterval>;

  constructor(options: WebSocketEndpointOptions) {
    // Field by field: an option passed as `undefined` keeps its default.
    this.#options = {
      ...options,
      helloTimeoutMs: options.helloTimeoutMs ?? 10_000,
      heartbeatMs: options.heartbeatMs ?? 30_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
      socketsPerAgent: options.socketsPerAgent ?? 32,
      log: options.log ?? (() => {}),
    };
    this.#counters = options.counters;
    this.#sender = new BoundedSender({
      maxBufferedBytes: this.#options.maxBufferedBytes,
      onCutOff: () => {
        this.#counters?.add('slowClientCutoffs');
        this.#options.log('a client stopped reading: disconnected');
      },
    });
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
    this.#wss.on('connection', (ws: WebSocket) => this.#accept(ws));
    // Detects sockets whose peer vanished without a close (cable pulled, laptop asleep).
    this.#heartbeat = globalThis.setInterval(() => this.#sweep(), this.#options.heartbeatMs);
    this.#heartbeat.unref?.();
  }

  get clientCount(): number {
    return this.#wss.clients.size;
  }

  /** Takes over an HTTP upgrade on `/ws`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.#options.isOriginAllowed(req.headers.origin)) {
      refuseSocket(socket, '403 Forbidden');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  /** Drops every socket of one agent, abruptly (as a network failure would). Returns how many. */
  dropAgent(agentId: string): number {
    const sockets = this.#byAgent.get(agentId);
    if (!sockets) return 0;
    const count = sockets.size;
    for (const ws of [...sockets]) ws.terminate();
    return count;
  }

  close(): void {
    globalThis.clearInterval(this.#heartbeat);
    for (const ws of this.#wss.clients) ws.close(CloseCode.Going, 'server shutting down');
    // Sockets that do not finish the closing handshake promptly are cut.
    const stragglers = globalThis.setTimeout(() => {
      for (const ws of this.#wss.clients) ws.terminate();
    }, 1000);
    stragglers.unref?.();
    this.#wss.close();
  }

  #sweep(): void {
    for (const ws of this.#wss.clients) {
      if (this.#alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.#alive.set(ws, false);
      ws.ping();
    }
  }

  /** Every frame a client receives is one of the protocol's `ServerFrame`s. */
  #send(ws: WebSocket, message: ServerFrame): void {
    if (ws.readyState === ws.OPEN) this.#sender.send(ws, this.#options.redact(JSON.stringify(message)));
  }

  /** Error message, then close: the client learns why before the socket goes. */
  #refuse(ws: WebSocket, code: number, error: CtiError): void {
    this.#send(ws, { t: 'error', error: error.toJSON() });
    ws.close(code, error.message.slice(0, 120));
  }

  #accept(ws: WebSocket): void {
    this.#alive.set(ws, true);
    ws.on('pong', () => this.#alive.set(ws, true));
    ws.on('error', () => ws.terminate());

    let phase: 'awaiting-hello' | 'authenticating' | 'ready' | 'closed' = 'awaiting-hello';
    let hub: AgentHub | undefined;
    const early: RawData[] = [];
    let unsubscribe = (): void => {};
    let expiresAt = Number.POSITIVE_INFINITY;
    let expiryTimer: ReturnType<typeof globalThis.setTimeout> | undefined;
    const expire = (): void => {
      phase = 'closed';
      ws.close(CloseCode.TokenExpired, 'Token expired: reconnect with a fresh token.');
    };

    const helloTimer = globalThis.setTimeout(() => {
      if (phase === 'awaiting-hello' || phase === 'authenticating') {
        this.#refuse(ws, CloseCode.Unauthorized, unauthorized('No hello within the time allowed.'));
      }
    }, this.#options.helloTimeoutMs);

    ws.on('close', () => {
      phase = 'closed';
      globalThis.clearTimeout(helloTimer);
      globalThis.clearTimeout(expiryTimer);
      unsubscribe();
      if (hub) {
        const sockets = this.#byAgent.get(hub.agentId);
        sockets?.delete(ws);
        if (sockets?.size === 0) this.#byAgent.delete(hub.agentId);
      }
    });

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (phase === 'closed') return;
      if (phase === 'authenticating') {
        if (early.length >= MAX_EARLY_MESSAGES) {
          this.#refuse(ws, CloseCode.BadHello, protocolError('Too many messages before welcome.'));
        } else early.push(data);
        return;
      }
      if (phase === 'ready') {
        // Timers can fire late; nothing is done on a token past its `exp`.
        if (Date.now() >= expiresAt) expire();
        else this.#handle(ws, hub!, data, isBinary);
        return;
      }
      const hello = parseHello(data, isBinary);
      if (hello instanceof CtiError) {
        this.#refuse(ws, hello.code === ErrorCode.Unauthorized ? CloseCode.Unauthorized : CloseCode.BadHello, hello);
        return;
      }
      phase = 'authenticating';
      void this.#welcome(ws, hello).then(
        (result) => {
          if (phase === 'closed') return;
          globalThis.clearTimeout(helloTimer);
          if (result instanceof CtiError) {
            phase = 'closed';
            const code = result.code === ErrorCode.Unauthorized ? CloseCode.Unauthorized : CloseCode.Unavailable;
            this.#refuse(ws, code, result);
            return;
          }
          hub = result.hub;
          unsubscribe = result.unsubscribe;
          phase = 'ready';
          if (result.expiresAt !== undefined) {
            // The socket lives only as long as the token that opened it.
            expiresAt = result.expiresAt;
            expiryTimer = globalThis.setTimeout(expire, Math.max(0, expiresAt - Date.now()));
          }
          for (const message of early.splice(0)) this.#handle(ws, hub, message, false);
        },
      );
    });
  }

  /**
   * Checks the token, opens the hub, then — in one synchronous step, so no event can slip in
   * between — subscribes, sends welcome and the catch-up.
   */
  async #welcome(
    ws: WebSocket,
    hello: Hello,
  ): Promise<{ hub: AgentHub; unsubscribe: () => void; expiresAt?: number } | CtiError> {
    let hub: AgentHub;
    let expiresAt: number | undefined;
    try {
      ({ expiresAt } = await this.#options.access.check(hello.agentId, hello.token));
      hub = await this.#options.registry.open(hello.agentId);
    } catch (error) {
      return CtiError.from(error);
    }
    if (ws.readyState !== ws.OPEN) return new CtiError({ code: ErrorCode.NotConnected, message: 'closed' });
    if ((this.#byAgent.get(hub.agentId)?.size ?? 0) >= this.#options.socketsPerAgent) {
      return new CtiError({
        code: ErrorCode.Rejected,
        message: `Too many connections for agent ${hub.agentId} (limit ${this.#options.socketsPerAgent}); close another tab.`,
      });
    }

    const unsubscribe = hub.subscribe((_entry, frame) => void this.#sender.send(ws, frame));
    let sockets = this.#byAgent.get(hub.agentId);
    if (!sockets) this.#byAgent.set(hub.agentId, (sockets = new Set()));
    sockets.add(ws);

    const catchUp: CatchUp = hub.catchUp(hello.after);
    // A vendor connector that cannot do everything says so, so the bar greys out (never offers)
    // what its backend lacks — MaxContact has no login, not-ready or DTMF. All: nothing to say.
    const supports = hub.connector.supports.size < OPERATIONS.length ? [...hub.connector.supports] : undefined;
    // The vendor's login form (a POM extension and zone, a Noetica password): the bar behind the
    // gateway asks for what the gateway's connector needs, and sends it with its login command.
    const declared = hub.connector.loginFields?.length ? hub.connector.loginFields : this.#options.loginFields;
    const loginFields = declared?.length ? declared.map((f) => ({ ...f })) : undefined;
    this.#send(ws, { t: 'welcome', agentId: hub.agentId, seq: hub.seq, ...(supports ? { supports } : {}), ...(loginFields ? { loginFields } : {}) });
    if (catchUp.kind === 'snapshot') {
      this.#send(ws, { t: 'snapshot', seq: catchUp.seq, events: catchUp.events });
    } else {
      for (const entry of catchUp.events) this.#send(ws, { t: 'event', seq: entry.seq, event: entry.event });
    }
    return { hub, unsubscribe, expiresAt };
  }

  #handle(ws: WebSocket, hub: AgentHub, data: RawData, isBinary: boolean): void {
    const message = parseMessage(data, isBinary);
    if (message instanceof CtiError) {
      this.#send(ws, { t: 'error', error: message.toJSON() });
      return;
    }
    const id = typeof message.id === 'string' ? message.id.slice(0, 128) : undefined;
    switch (message.t) {
      case 'ping':
        this.#send(ws, { t: 'pong', id });
        return;
      case 'command': {
        if (id === undefined) {
          this.#send(ws, { t: 'error', error: protocolError('A command message needs an "id".').toJSON() });
          return;
        }
        let command;
        try {
          command = parseCommand(message.command, id);
        } catch (error) {
          this.#send(ws, { t: 'response', id, ok: false, error: CtiError.from(error).toJSON() });
          return;
        }
        hub.execute(command).then(
          () => this.#send(ws, { t: 'response', id, ok: true }),
          (error: unknown) => this.#send(ws, { t: 'response', id, ok: false, error: CtiError.from(error).toJSON() }),
        );
        return;
      }
      case 'hello':
        this.#send(ws, { t: 'error', error: protocolError('Already said hello on this socket.').toJSON() });
        return;
      default:
        this.#send(ws, {
          t: 'error',
          error: protocolError(`Unknown message type ${JSON.stringify(String(message.t)).slice(0, 40)}.`).toJSON(),
        });
    }
  }
}

interface Hello {
  agentId: string;
  after?: number;
  token?: unknown;
}

function unauthorized(message: string): CtiError {
  return new CtiError({ code: ErrorCode.Unauthorized, message, severity: 'critical' });
}

function protocolError(message: string): CtiError {
  return new CtiError({ code: ErrorCode.Protocol, message });
}

function parseMessage(data: RawData, isBinary: boolean): (Record<string, unknown> & { t: unknown }) | CtiError {
  if (isBinary) return protocolError('Binary messages are not part of the protocol.');
  let value: unknown;
  try {
    value = JSON.parse(rawToString(data));
  } catch {
    return protocolError('Message is not valid JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return protocolError('Message must be a JSON object.');
  return value as Record<string, unknown> & { t: unknown };
}

function parseHello(data: RawData, isBinary: boolean): Hello | CtiError {
  const message = parseMessage(data, isBinary);
  if (message instanceof CtiError || message.t !== 'hello') {
    return unauthorized('The first message must be a hello.');
  }
  const { agentId, after, token } = message;
  if (!isAgentId(agentId)) {
    return new CtiError({ code: ErrorCode.InvalidArgument, message: `hello.${AGENT_ID_RULE}.` });
  }
  if (after !== undefined && after !== null && !(Number.isSafeInteger(after) && (after as number) >= 0)) {
    return new CtiError({ code: ErrorCode.InvalidArgument, message: 'hello.after must be a non-negative integer.' });
  }
  return { agentId, after: (after ?? undefined) as number | undefined, token };
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

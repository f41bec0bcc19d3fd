/**
 * Helpers for the server tests (Node side of Playwright): a recording WebSocket client with
 * bounded waits, JSON HTTP helpers, and a tiny stand-in connector for tests that need a connector
 * the test controls (secret echo, gateway config).
 */
import WebSocket from 'ws';
import type { Connector, EventSink } from '../../src/core/connector.ts';
import type { Command } from '../../src/core/commands.ts';
import type { Operation } from '../../src/core/operations.ts';
import { OPERATIONS } from '../../src/core/operations.ts';
import { CtiError, ErrorCode } from '../../src/core/errors.ts';
import type { Call } from '../../src/core/model.ts';
import type { OfferCallInput, SimulatorControl } from '../../src/connectors/simulator/control.ts';
import { defineConnector } from '../../src/connectors/kit/define-connector.ts';

export type Message = Record<string, any>;

/** A WebSocket client that records every message and can wait for one, with a time limit. */
export class RecordingClient {
  readonly messages: Message[] = [];
  readonly ws: WebSocket;
  closeCode: number | undefined;
  closeReason = '';
  #waiters: Array<() => void> = [];

  constructor(url: string, headers?: Record<string, string>) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      this.#wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = String(reason);
      this.#wake();
    });
    this.ws.on('error', () => this.#wake());
  }

  static async open(url: string, headers?: Record<string, string>): Promise<RecordingClient> {
    const client = new RecordingClient(url, headers);
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', () => resolve());
      client.ws.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits until `predicate` holds for a recorded message (from index `from`); returns it. */
  async waitFor(predicate: (m: Message) => boolean, timeoutMs = 5000, from = 0): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(predicate);
      if (found) return found;
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode} ${this.closeReason}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.messages).slice(0, 800)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitForClose(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('socket did not close');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closeCode;
  }

  /** Sends hello and waits for the welcome. */
  async hello(agentId: string, extra: Record<string, unknown> = {}): Promise<Message> {
    this.send({ t: 'hello', agentId, ...extra });
    return this.waitFor((m) => m.t === 'welcome' || m.t === 'error');
  }

  /** Sends a command and waits for its response. */
  async command(id: string, operation: string, args: Record<string, unknown> = {}): Promise<Message> {
    this.send({ t: 'command', id, command: { id, operation, args } });
    return this.waitFor((m) => m.t === 'response' && m.id === id);
  }

  events(): Message[] {
    return this.messages.filter((m) => m.t === 'event');
  }

  close(): void {
    this.ws.terminate();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * The stand-in declared like any connector: `apiKey` and `password` are its secrets (the
 * gateway's redactor hides exactly those), `region` is not.
 */
export const standInDefinition = defineConnector<Record<string, unknown>>({
  name: 'stand-in',
  title: 'A connector the tests control',
  configSchema: {
    apiKey: { type: 'string', secret: true, description: 'Vendor API key.' },
    password: { type: 'string', secret: true, description: 'Vendor password.' },
    region: { type: 'string', description: 'Vendor region.' },
  },
  loginFields: [],
  supports: OPERATIONS,
  load: async () => ({ agentId, config }) => new StandInConnector(agentId, config),
});

/**
 * A connector the test controls: a minimal agent and call model, plus a `simulator` so the
 * control API reaches it. Optionally echoes its config into an error (as a careless vendor might)
 * to prove the gateway redacts secrets.
 */
export class StandInConnector implements Connector {
  readonly name = 'stand-in';
  readonly supports: ReadonlySet<Operation> = new Set(OPERATIONS);
  readonly agentId: string;
  readonly config: Record<string, unknown>;
  connected = false;
  #sink: EventSink | undefined;
  #calls = 0;
  #call: Call | undefined;
  #failNext = new Map<Operation, number>();

  constructor(agentId: string, config: Record<string, unknown> = {}) {
    this.agentId = agentId;
    this.config = config;
  }

  readonly simulator: SimulatorControl = {
    offerCall: (input: OfferCallInput) => {
      this.#call = {
        id: `${this.agentId}-call-${++this.#calls}`,
        direction: 'inbound',
        state: 'talking',
        role: 'owner',
        remote: { number: input.number, name: input.name },
        fields: [],
        recording: false,
        notes: [],
        timestamps: { offeredAt: Date.now(), connectedAt: Date.now() },
      };
      this.#emit({ type: 'call', call: this.#call });
    },
    customerHangup: () => {
      if (!this.#call) throw new CtiError({ code: ErrorCode.NotAllowed, message: 'No call to hang up.' });
      this.#emit({ type: 'callRemoved', callId: this.#call.id });
      this.#call = undefined;
    },
    offerPreview: () => {},
    answerConsult: () => {},
    failNext: (operation, code) => void this.#failNext.set(operation, code),
    dropConnection: () => {},
  };

  async connect(sink: EventSink): Promise<void> {
    this.#sink = sink;
    this.connected = true;
    sink({ type: 'connection', status: 'connected' });
    sink({ type: 'agentState', state: 'loggedOut' });
  }

  async execute(command: Command): Promise<void> {
    const code = this.#failNext.get(command.operation);
    if (code !== undefined) {
      this.#failNext.delete(command.operation);
      throw new CtiError({ code: ErrorCode.Rejected, message: `Vendor refused (${code}).`, vendorCode: code });
    }
    switch (command.operation) {
      case 'login':
        this.#emit({ type: 'agentState', state: 'notReady' });
        return;
      case 'ready':
        this.#emit({ type: 'agentState', state: 'ready' });
        return;
      case 'hold':
        if (!this.#call) throw new CtiError({ code: ErrorCode.NotAllowed, message: 'No call to hold.' });
        this.#call = { ...this.#call, state: 'held' };
        this.#emit({ type: 'call', call: this.#call });
        return;
      case 'addNote':
        // A careless vendor echoing the whole request, credentials included.
        throw new CtiError({
          code: ErrorCode.Rejected,
          message: `Vendor said: bad request ${JSON.stringify(this.config)}`,
        });
      default:
        return;
    }
  }

  disconnect(): void {
    this.connected = false;
    this.#sink = undefined;
  }

  #emit(event: Parameters<EventSink>[0]): void {
    this.#sink?.(event);
  }
}

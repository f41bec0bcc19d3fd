/**
 * The `server` connector: speaks the canonical protocol (docs/protocol.md) to our reference
 * server or gateway, over WebSocket or REST polling. The server already speaks canonical events,
 * so this connector only has to be right about the wire:
 *  - resume and dedupe with a `SeqCursor` (ask for everything after the last applied `seq`, apply
 *    only the next one, drop repeats, resync on a gap);
 *  - a snapshot replaces state: calls we know but the snapshot lacks are removed;
 *  - events go to the session with the connector's own monotonic `seq`, not the server's: after a
 *    server restart the server's numbering may start again below ours, and the session's reducer
 *    drops events whose `seq` is not newer than the last one;
 *  - transport status becomes `{type:'connection'}` events; a command while not connected is
 *    refused at once with NOT_CONNECTED (never queued: call control is not replayed later).
 * Built on the kit's `ConnectorBase` (connect timeout, connection events, refusals, numbering,
 * errors), with `reopen`: each `open()` is a new transport on the same cursor.
 */
import type { Command } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type { ConnectionStatus } from '../../core/model.ts';
import { CtiError, ErrorCode, type CtiErrorInit } from '../../core/errors.ts';
import { OPERATIONS } from '../../core/operations.ts';
import { SeqCursor } from '../../transports/seq-cursor.ts';
import { TransportError, TransportErrorCode } from '../../transports/errors.ts';
import type { Transport, TransportMessage, TransportStatus } from '../../transports/transport.ts';
import type { TransportBase } from '../../transports/transport-base.ts';
import { WebSocketTransport, type WebSocketLike } from '../../transports/websocket-transport.ts';
import { PollingTransport, type FetchLike } from '../../transports/polling-transport.ts';
import type { BackoffOptions } from '../../transports/backoff.ts';
import { resolveEndpoints, type ServerEndpoints, type ServerTransportKind } from './endpoints.ts';
import { readCommandReply, readPollBody, readServerMessage, type ServerMessage } from '../../protocol/client-reader.ts';
import type { CommandFrame, HelloFrame, PingFrame } from '../../protocol/messages.ts';
import { RemoteSimulatorControl } from './remote-simulator-control.ts';
import { ConnectorBase } from '../kit/connector-base.ts';

export interface ServerConnectorConfig {
  /** Default: from the endpoint's scheme (ws → websocket, http → polling). */
  transport?: ServerTransportKind;
  /** Polling: long-poll (default) or interval polling. */
  longPoll?: boolean;
  /** Interval polling: pause between polls. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Long-poll: how long the server may hold a poll. Default 25 s (server max 30 s). */
  longPollWaitMs?: number;
  /** Polling: abort a poll after this long. Default: the long-poll wait + 10 s. */
  pollTimeoutMs?: number;
  /** A command without an answer within this long fails with TIMEOUT. Default 10 s. */
  commandTimeoutMs?: number;
  /** `connect()` rejects with NOT_CONNECTED when not connected within this long. Default 15 s. */
  connectTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  backoff?: BackoffOptions;
  /**
   * WebSocket: more endpoints of the same gateway (its cluster's other nodes, `ws(s)://…`),
   * tried in turn after a lost connection. One load-balanced URL as `endpoint` does the same.
   */
  fallbackEndpoints?: string[];
  /** Node: a `ws` WebSocket factory (the browser's global WebSocket is used otherwise). */
  createSocket?: (url: string) => WebSocketLike;
  fetch?: FetchLike;
  /**
   * Diagnostics: told the server `seq` behind every event handed to the session, and whether it
   * came from a live/replayed event or a snapshot (tests prove "none lost, none twice" with it).
   */
  onApplied?: (info: { seq: number; source: 'event' | 'snapshot' }) => void;
}

export interface ServerConnectorOptions {
  agentId: string;
  endpoint: string;
  config?: ServerConnectorConfig;
  /** `server` or `gateway`. */
  name?: string;
  /**
   * Gateway mode: a fresh short-lived token for each (re)connect. Called at the moment it is
   * needed and never kept: the token goes into the hello (or the Authorization header) only.
   */
  token?: () => string | Promise<string>;
  /** Offer `simulator` (the server's control API). Off for the gateway. */
  simulatorControl?: boolean;
}

export class ServerConnector extends ConnectorBase {
  /** The server's simulator controls (reference server only); undefined for the gateway. */
  readonly simulator: RemoteSimulatorControl | undefined;
  readonly agentId: string;
  readonly endpoints: ServerEndpoints;

  readonly #config: ServerConnectorConfig;
  readonly #token: (() => string | Promise<string>) | undefined;
  readonly #cursor = new SeqCursor();
  #transport: Transport | undefined;
  #unsubscribe: Array<() => void> = [];
  #knownCalls = new Set<string>();
  /** The status the server reports for its own backend (gateway: the vendor connection). */
  #upstream: ConnectionStatus = 'connected';
  #refusal: CtiError | undefined;
  /** While open() waits: fails it at once with the server's reason (see acceptHandshake). */
  #failConnect: ((error: CtiError) => void) | undefined;
  #dropped = 0;
  readonly #onDrop = (): void => {
    this.#dropped++;
  };

  constructor(options: ServerConnectorOptions) {
    const config = options.config ?? {};
    // Every operation until the server's welcome says which its own connector supports.
    super({ name: options.name ?? 'server', supports: OPERATIONS, connectTimeoutMs: config.connectTimeoutMs, peer: 'the server', reopen: true });
    this.agentId = options.agentId;
    this.#config = config;
    this.#token = options.token;
    if (typeof options.agentId !== 'string' || options.agentId === '') {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'An agent id is required.' });
    }
    this.endpoints = resolveEndpoints(options.endpoint, config.transport);
    this.simulator = options.simulatorControl === false
      ? undefined
      : new RemoteSimulatorControl(this.endpoints.httpBase, options.agentId, config.fetch);
  }

  /** The gateway: it signs in with the host's `getToken()`. */
  get usesHostToken(): boolean {
    return this.#token !== undefined;
  }

  /** The highest server `seq` applied (resume point). */
  get lastSeq(): number {
    return this.#cursor.last;
  }

  /** Server messages (or events in them) that did not fit the protocol and were dropped. */
  get droppedMessages(): number {
    return this.#dropped;
  }

  /**
   * One attempt: a new transport and a fresh token, resuming from the same cursor (so nothing is
   * applied twice). After a failure or a refusal the session calls `connect()` again.
   */
  protected async open(): Promise<void> {
    this.#refusal = undefined;
    const transport = this.endpoints.kind === 'websocket' ? this.#websocket() : this.#polling();
    this.#transport = transport;
    this.#unsubscribe.push(
      transport.onStatus((status) => this.#onStatus(status)),
      transport.onMessage((message) => this.#onMessage(message)),
    );
    if (transport instanceof PollingTransport) this.#unsubscribe.push(transport.onDegraded(() => this.#report()));
    const failed = new Promise<never>((_, reject) => {
      this.#failConnect = reject;
    });
    try {
      await Promise.race([transport.connect(), failed]);
    } catch (error) {
      if (error instanceof CtiError) throw error;
      if (this.#refusal) throw this.#refusal;
      // Polling: a 401 is the refusal, with the server's reason.
      if (error instanceof TransportError && error.code === TransportErrorCode.Unauthorized) throw this.#refused(error.message);
      throw error;
    } finally {
      this.#failConnect = undefined;
    }
  }

  protected async send(command: Command): Promise<void> {
    const transport = this.#transport!;
    const timeoutMs = this.#config.commandTimeoutMs ?? 10_000;
    const reply =
      this.endpoints.kind === 'websocket'
        ? await transport.request({ t: 'command', id: command.id, command } satisfies CommandFrame, { timeoutMs })
        : await transport.request(command as unknown as TransportMessage, { timeoutMs });
    // Polling: the state change the command caused comes with the next poll; ask for it now.
    if (transport instanceof PollingTransport) transport.pollNow();
    const answer = readCommandReply(reply);
    if (!answer) throw new CtiError({ code: ErrorCode.Protocol, message: 'The server sent an unreadable answer.' });
    if (!answer.ok) throw new CtiError(answer.error);
  }

  /**
   * The server refused our sign-in. The agent reads this in the bar: whose sign-in failed, then
   * the server's reason (never the token itself).
   */
  #refused(reason: string, init: Partial<CtiErrorInit> = {}): CtiError {
    return new CtiError({
      ...init,
      code: ErrorCode.Unauthorized,
      severity: init.severity ?? 'critical',
      message: this.#token ? `The ${this.name} refused the agent's token: ${reason}` : `The ${this.name} refused the connection: ${reason}`,
    });
  }

  /** Ends this attempt's transport (pending requests are rejected with it). */
  protected close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#transport?.destroy();
    this.#transport = undefined;
  }

  // --- transports ------------------------------------------------------------------------------

  #websocket(): WebSocketTransport {
    const config = this.#config;
    return new WebSocketTransport({
      url: this.endpoints.websocketUrl,
      fallbackUrls: config.fallbackEndpoints?.map((endpoint) => resolveEndpoints(endpoint, 'websocket').websocketUrl),
      createSocket: config.createSocket,
      backoff: config.backoff,
      heartbeat: {
        intervalMs: config.heartbeatIntervalMs ?? 15_000,
        timeoutMs: config.heartbeatTimeoutMs ?? 5_000,
        ping: (id) => ({ t: 'ping', id }) satisfies PingFrame,
      },
      // Built at every (re)connect: the cursor has moved, and a token must be fresh.
      handshake: async () => {
        const hello: HelloFrame = { t: 'hello', agentId: this.agentId, after: this.#cursor.last };
        if (this.#token) hello.token = await this.#token();
        return hello as unknown as TransportMessage;
      },
      acceptHandshake: (reply) => {
        const message = readServerMessage(reply);
        if (message?.t === 'welcome') return true;
        if (message?.t === 'error') {
          const refused = message.error.code === ErrorCode.Unauthorized
            ? this.#refused(message.error.message, message.error)
            : new CtiError({ ...message.error, severity: message.error.severity ?? 'critical' });
          if (refused.code === ErrorCode.Unauthorized) this.#refusal = refused;
          // Any other refusal while connecting (a gateway whose vendor refused this agent, e.g.
          // Noojee's unknown extension) ends this attempt with the server's words and vendor code,
          // instead of silent retries until the connect timeout; the session retries later.
          else this.#failConnect?.(refused);
          return new TransportError(
            refused.code === ErrorCode.Unauthorized ? TransportErrorCode.Unauthorized : TransportErrorCode.Protocol,
            refused.message,
          );
        }
        return new TransportError(TransportErrorCode.Protocol, 'The server did not welcome us.');
      },
    });
  }

  #polling(): PollingTransport {
    const config = this.#config;
    const base = `${this.endpoints.httpBase}/api/agents/${encodeURIComponent(this.agentId)}`;
    const longPoll = config.longPoll ?? true;
    const waitMs = longPoll ? Math.min(config.longPollWaitMs ?? 25_000, 30_000) : 0;
    return new PollingTransport({
      // Read at every poll, after the previous answer was applied: the cursor is the resume point.
      pollUrl: () => `${base}/events?after=${this.#cursor.last}&wait=${waitMs}`,
      requestUrl: () => `${base}/commands`,
      headers: this.#token ? async () => ({ authorization: `Bearer ${await this.#token!()}` }) : undefined,
      mode: longPoll ? 'long' : 'interval',
      intervalMs: config.pollIntervalMs ?? 1000,
      pollTimeoutMs: config.pollTimeoutMs ?? waitMs + 10_000,
      backoff: config.backoff,
      fetch: config.fetch,
      // While connecting, the server's refusal of this agent (its vendor connector could not
      // start) ends the attempt with the server's words, as over WebSocket.
      onPollRefused: (_status, body) => {
        const refused = readCommandReply(body);
        if (refused && !refused.ok && refused.error.code !== ErrorCode.Unauthorized) {
          this.#failConnect?.(new CtiError({ ...refused.error, severity: refused.error.severity ?? 'critical' }));
        }
      },
    });
  }

  // --- incoming ---------------------------------------------------------------------------------

  #onMessage(raw: TransportMessage): void {
    if (this.endpoints.kind === 'polling') {
      const messages = readPollBody(raw, this.#onDrop);
      if (!messages) return; // garbage: nothing applied, the cursor did not move, the next poll asks again
      for (const message of messages) {
        // A gap inside one answer: stop here, the next poll asks again from the cursor.
        if (!this.#apply(message)) return;
      }
      return;
    }
    const message = readServerMessage(raw, this.#onDrop);
    if (message && !this.#apply(message)) {
      // Something between the cursor and this event is missing: reconnecting resumes from the cursor.
      (this.#transport as WebSocketTransport).reconnect();
    }
  }

  /** Applies one server message; false when it revealed a gap. */
  #apply(message: ServerMessage): boolean {
    switch (message.t) {
      case 'welcome':
        if (message.supports && message.supports.length > 0) this.narrowSupports(message.supports);
        if (message.loginFields) this.learnLoginFields(message.loginFields);
        return true;
      case 'event': {
        const verdict = this.#cursor.offer(message.seq);
        if (verdict === 'apply') {
          // An unreadable body is skipped, but its number counts: asking again would loop forever.
          if (message.event) this.#deliver(message.event);
          this.#config.onApplied?.({ seq: message.seq, source: 'event' });
        }
        return verdict !== 'gap';
      }
      case 'snapshot':
        this.#applySnapshot(message.seq, message.events);
        return true;
      case 'error':
        this.emit({ type: 'error', error: message.error });
        return true;
    }
  }

  #applySnapshot(seq: number, events: CanonicalEvent[]): void {
    this.#cursor.reset(seq);
    const present = new Set<string>();
    for (const event of events) {
      if (event.type === 'call') present.add(event.call.id);
      if (event.type === 'calls') for (const call of event.calls) present.add(call.id);
    }
    // Calls the server no longer has (ended while we were away, or a server that restarted empty).
    for (const callId of [...this.#knownCalls]) {
      if (!present.has(callId)) this.#deliver({ type: 'callRemoved', callId });
    }
    if (!events.some((event) => event.type === 'agentState')) {
      // The server holds no state for this agent at all: it is logged out there.
      this.#deliver({ type: 'agentState', state: 'loggedOut' });
    }
    for (const event of events) this.#deliver(event);
    this.#config.onApplied?.({ seq, source: 'snapshot' });
  }

  #deliver(event: CanonicalEvent): void {
    if (event.type === 'call') this.#knownCalls.add(event.call.id);
    else if (event.type === 'callRemoved') this.#knownCalls.delete(event.callId);
    else if (event.type === 'calls') this.#knownCalls = new Set(event.calls.map((call) => call.id));
    if (event.type === 'connection') {
      // The server's own backend connection (gateway → vendor): folded into ours.
      this.#upstream = event.status;
      this.#report();
      return;
    }
    this.emit(event);
  }

  #onStatus(status: TransportStatus): void {
    if (status !== 'connected') this.#upstream = 'connected'; // learnt again from the server after reconnect
    if (status === 'offline') {
      // While connecting, the failure is connect()'s to report.
      if (this.connecting) return;
      // A transport stops for good only when refused (a 401 or a 4401 close: the token was not
      // accepted on reconnect). Say so: the session shows it, asks for a fresh token and retries.
      // Polling: the 401's own reason (e.g. "Token expired: ask for a new one.").
      const reason = (this.#transport as TransportBase | undefined)?.offlineReason?.message;
      this.setStatus('offline', { error: this.#refusal ?? this.#refused(reason ?? 'the sign-in was not accepted.') });
      return;
    }
    this.#report();
  }

  /** The transport's status, the server's own upstream and a degraded poll, as one status. */
  #report(): void {
    const transport = this.#transport;
    if (!transport || transport.status === 'offline') return;
    const status = transport.status === 'connected' ? this.#upstream : transport.status;
    const degraded = status === 'connected' && transport instanceof PollingTransport && transport.degraded;
    this.setStatus(status, { degraded });
  }
}

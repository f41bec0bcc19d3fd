/**
 * WebSocket transport: one JSON message per frame, reconnect with exponential backoff and
 * jitter, a heartbeat that detects a dead socket (a half-open TCP connection never fires
 * `close`), and a handshake rebuilt on every (re)connect so the connector can put its resume
 * cursor (and a fresh token) in it. Requests in flight when the socket drops are rejected with
 * `CONNECTION_LOST` and never re-sent: re-sending call control after a reconnect could hang up
 * or transfer a call twice.
 *
 * Uses the global `WebSocket` (browser); Node callers inject `ws` through `createSocket`.
 */
import { Backoff, type BackoffOptions } from './backoff.ts';
import { TransportError, TransportErrorCode } from './errors.ts';
import { PendingRequests } from './pending-requests.ts';
import { TransportBase } from './transport-base.ts';
import { realTimers, type TimerHandle, type Timers } from './timers.ts';
import {
  isTransportMessage,
  type RequestOptions,
  type TransportMessage,
} from './transport.ts';

/** The part of the WebSocket API we use; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;
/** Close code the server uses for a refused hello (missing, expired or forged token). */
export const CLOSE_UNAUTHORIZED = 4401;
/** Close code we use when the heartbeat or the handshake timed out. */
const CLOSE_DEAD = 4000;

export interface HeartbeatOptions {
  /** Ping after this long without any message from the server. */
  intervalMs: number;
  /** The socket is dead when the ping's reply takes longer than this. */
  timeoutMs: number;
  /** Builds the ping; its reply must carry the same id. */
  ping(id: string): TransportMessage;
}

export interface WebSocketTransportOptions {
  url: string;
  /**
   * More URLs of the same service (a gateway cluster's nodes): after a lost connection the next
   * one is tried, round the list, so a dead node costs one reconnect.
   */
  fallbackUrls?: readonly string[];
  /**
   * First message on every (re)connect (e.g. the canonical `hello` with `after`). Called anew
   * each time so it can carry the current cursor and a fresh token; may be async (getToken).
   */
  handshake?: () => TransportMessage | Promise<TransportMessage>;
  /**
   * Judges the first message after the handshake: `true` accepts (it is then delivered like
   * any other message), an error refuses. `UNAUTHORIZED` stops retrying; anything else retries.
   */
  acceptHandshake?: (reply: TransportMessage) => true | TransportError;
  /** No reply to the handshake within this long counts as a failed attempt. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** `false` turns it off. Default: canonical `{t:'ping', id}` every 15 s, dead after 5 s. */
  heartbeat?: HeartbeatOptions | false;
  backoff?: Backoff | BackoffOptions;
  /** Give up (status `offline`) after this many failed attempts in a row. Default: never. */
  maxAttempts?: number;
  /** Which incoming message answers which request. Default: a string `id` that is pending. */
  replyId?: (message: TransportMessage) => string | undefined;
  createSocket?: (url: string) => WebSocketLike;
  timers?: Timers;
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = {
  intervalMs: 15_000,
  timeoutMs: 5_000,
  ping: (id) => ({ t: 'ping', id }),
};

export class WebSocketTransport extends TransportBase {
  readonly url: string;
  #urls: string[];
  #urlIndex = 0;
  #options: WebSocketTransportOptions;
  #timers: Timers;
  #backoff: Backoff;
  #heartbeat: HeartbeatOptions | false;
  #createSocket: (url: string) => WebSocketLike;
  #pending: PendingRequests;
  #socket: WebSocketLike | undefined;
  /** Bumped whenever a socket is abandoned, so its late callbacks are ignored. */
  #generation = 0;
  #everConnected = false;
  #failures = 0;
  #awaitingHandshake = false;
  #handshakeTimer: TimerHandle | undefined;
  #reconnectTimer: TimerHandle | undefined;
  #heartbeatTimer: TimerHandle | undefined;
  #lastReceivedAt = 0;

  constructor(options: WebSocketTransportOptions) {
    super();
    this.#urls = [options.url, ...(options.fallbackUrls ?? [])].map(checkedUrl);
    this.url = this.#urls[0]!;
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#backoff = options.backoff instanceof Backoff ? options.backoff : new Backoff(options.backoff);
    this.#heartbeat = options.heartbeat === undefined ? DEFAULT_HEARTBEAT : options.heartbeat;
    this.#createSocket =
      options.createSocket ??
      ((url) => new (globalThis as unknown as { WebSocket: new (u: string) => WebSocketLike }).WebSocket(url));
    this.#pending = new PendingRequests({ timers: this.#timers, prefix: 'w' });
  }

  /** Requests waiting for a reply (for tests and diagnostics). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  protected override start(): void {
    this.#open();
  }

  send(message: TransportMessage): void {
    this.#assertConnected();
    this.#sendRaw(message);
  }

  request(message: TransportMessage, options: RequestOptions): Promise<TransportMessage> {
    try {
      this.#assertConnected();
    } catch (error) {
      return Promise.reject(error);
    }
    const id = typeof message.id === 'string' && message.id !== '' ? message.id : this.#pending.nextId();
    const outgoing = message.id === id ? message : { ...message, id };
    const reply = this.#pending.add(id, options.timeoutMs);
    try {
      this.#sendRaw(outgoing);
    } catch (error) {
      this.#pending.reject(id, error as Error);
    }
    return reply;
  }

  /**
   * Drops the current socket and connects again (after the usual backoff delay), e.g. when the
   * connector saw a gap in the event numbering and must resume from its cursor.
   */
  reconnect(): void {
    if (this.started && this.status !== 'offline') this.#lost(CLOSE_DEAD);
  }

  protected override stop(error: TransportError): void {
    this.#abandonSocket(1000, 'destroyed');
    this.#clearTimer('reconnect');
    this.#pending.rejectAll(error);
  }

  // --- connection lifecycle -------------------------------------------------------------------

  #open(): void {
    this.#reconnectTimer = undefined;
    const generation = ++this.#generation;
    let socket: WebSocketLike;
    try {
      socket = this.#createSocket(this.#urls[this.#urlIndex]!);
    } catch {
      this.#lost();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (generation === this.#generation) void this.#startHandshake(generation);
    };
    socket.onmessage = (event) => {
      if (generation === this.#generation) this.#receive(event.data);
    };
    socket.onclose = (event) => {
      if (generation !== this.#generation) return;
      if (event.code === CLOSE_UNAUTHORIZED) {
        this.#stop(new TransportError(TransportErrorCode.Unauthorized, event.reason || 'Refused by the server', event.code));
      } else {
        this.#lost();
      }
    };
    // An error is always followed by close; the close decides.
    socket.onerror = () => {};
  }

  async #startHandshake(generation: number): Promise<void> {
    const build = this.#options.handshake;
    if (!build) {
      this.#connected();
      return;
    }
    let hello: TransportMessage;
    try {
      hello = await build();
    } catch {
      // e.g. getToken() failed: a failed attempt like any other, retried with backoff.
      if (generation === this.#generation) this.#lost();
      return;
    }
    if (generation !== this.#generation) return;
    this.#awaitingHandshake = true;
    this.#handshakeTimer = this.#timers.setTimeout(() => {
      if (generation === this.#generation) this.#lost(CLOSE_DEAD);
    }, this.#options.handshakeTimeoutMs ?? 10_000);
    try {
      this.#sendRaw(hello);
    } catch {
      this.#lost();
    }
  }

  #connected(): void {
    this.#awaitingHandshake = false;
    this.#clearTimer('handshake');
    this.#failures = 0;
    this.#everConnected = true;
    this.#backoff.reset();
    this.#lastReceivedAt = this.#timers.now();
    this.statusCell.set('connected');
    this.#armHeartbeat(this.#heartbeat ? this.#heartbeat.intervalMs : 0);
  }

  /** The socket is gone or useless: reject what is pending, then retry after a backoff delay. */
  #lost(closeCode = CLOSE_DEAD): void {
    this.#abandonSocket(closeCode, 'lost');
    this.#urlIndex = (this.#urlIndex + 1) % this.#urls.length;
    this.#pending.rejectAll(new TransportError(TransportErrorCode.ConnectionLost, 'The connection to the server was lost'));
    this.#failures += 1;
    const limit = this.#options.maxAttempts ?? Infinity;
    if (this.#failures >= limit) {
      this.#stop(new TransportError(TransportErrorCode.NotConnected, `Gave up after ${this.#failures} attempts`));
      return;
    }
    this.statusCell.set(this.#everConnected ? 'reconnecting' : 'connecting');
    this.#clearTimer('reconnect');
    this.#reconnectTimer = this.#timers.setTimeout(() => this.#open(), this.#backoff.next());
  }

  /** For good: refused or out of attempts. */
  #stop(reason: TransportError): void {
    this.#abandonSocket(1000, 'stopped');
    this.#clearTimer('reconnect');
    this.#pending.rejectAll(reason);
    this.statusCell.set('offline', reason);
  }

  #abandonSocket(code: number, reason: string): void {
    this.#generation += 1;
    this.#awaitingHandshake = false;
    this.#clearTimer('handshake');
    this.#clearTimer('heartbeat');
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    // Keep swallowing errors from the dying socket (ws emits one if closed while connecting).
    socket.onerror = () => {};
    try {
      socket.close(code, reason);
    } catch {
      // Closing a socket that never opened can throw; it is abandoned either way.
    }
  }

  // --- messages --------------------------------------------------------------------------------

  #receive(data: unknown): void {
    this.#lastReceivedAt = this.#timers.now();
    if (typeof data !== 'string') return; // binary frames are not part of any protocol we speak
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return; // garbage is dropped; the heartbeat still guards the connection
    }
    if (!isTransportMessage(message)) return;

    if (this.#awaitingHandshake) {
      const verdict = this.#options.acceptHandshake ? this.#options.acceptHandshake(message) : true;
      if (verdict === true) {
        this.#connected();
      } else if (verdict.code === TransportErrorCode.Unauthorized) {
        this.#stop(verdict);
        return;
      } else {
        this.#lost();
        return;
      }
    } else {
      const replyId = this.#options.replyId ? this.#options.replyId(message) : defaultReplyId(message);
      if (replyId !== undefined && this.#pending.resolve(replyId, message)) return;
    }
    this.messages.emit(message);
  }

  #sendRaw(message: TransportMessage): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) {
      throw new TransportError(TransportErrorCode.NotConnected, 'Not connected to the server');
    }
    socket.send(JSON.stringify(message));
  }

  #assertConnected(): void {
    if (this.status !== 'connected') {
      throw new TransportError(
        TransportErrorCode.NotConnected,
        this.status === 'offline' ? 'Offline: not connected to the server' : 'Not connected to the server (reconnecting)',
      );
    }
  }

  // --- heartbeat --------------------------------------------------------------------------------

  #armHeartbeat(delayMs: number): void {
    const heartbeat = this.#heartbeat;
    if (!heartbeat) return;
    this.#clearTimer('heartbeat');
    const generation = this.#generation;
    this.#heartbeatTimer = this.#timers.setTimeout(() => {
      if (generation === this.#generation) this.#beat(heartbeat, generation);
    }, delayMs);
  }

  #beat(heartbeat: HeartbeatOptions, generation: number): void {
    // Any traffic proves the socket alive; only ping after a quiet interval (no timer per message).
    const quietFor = this.#timers.now() - this.#lastReceivedAt;
    if (quietFor < heartbeat.intervalMs) {
      this.#armHeartbeat(heartbeat.intervalMs - quietFor);
      return;
    }
    const id = this.#pending.nextId();
    const reply = this.#pending.add(id, heartbeat.timeoutMs);
    try {
      this.#sendRaw(heartbeat.ping(id));
    } catch (error) {
      this.#pending.reject(id, error as Error);
    }
    reply.then(
      () => {
        if (generation === this.#generation) this.#armHeartbeat(heartbeat.intervalMs);
      },
      (error: unknown) => {
        const timedOut = error instanceof TransportError && error.code === TransportErrorCode.Timeout;
        if (timedOut && generation === this.#generation) this.#lost(CLOSE_DEAD);
      },
    );
  }

  #clearTimer(which: 'handshake' | 'reconnect' | 'heartbeat'): void {
    if (which === 'handshake' && this.#handshakeTimer !== undefined) {
      this.#timers.clearTimeout(this.#handshakeTimer);
      this.#handshakeTimer = undefined;
    } else if (which === 'reconnect' && this.#reconnectTimer !== undefined) {
      this.#timers.clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = undefined;
    } else if (which === 'heartbeat' && this.#heartbeatTimer !== undefined) {
      this.#timers.clearTimeout(this.#heartbeatTimer);
      this.#heartbeatTimer = undefined;
    }
  }
}

function defaultReplyId(message: TransportMessage): string | undefined {
  return typeof message.id === 'string' ? message.id : undefined;
}

function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportError(TransportErrorCode.Config, `Not a WebSocket URL: ${String(url)}`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TransportError(TransportErrorCode.Config, `A WebSocket endpoint must start with ws:// or wss://`);
  }
  return parsed.href;
}

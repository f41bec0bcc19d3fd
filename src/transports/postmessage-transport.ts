/**
 * postMessage transport to another window (a vendor portal in an iframe or a popup, or the CRM
 * page around us), wire-compatible with Porthole 1.0 (see porthole-envelope.ts).
 *
 * Unlike Porthole, which accepts any origin, every incoming message must pass, in order:
 *   1. `event.origin` is in the allow-list;
 *   2. `event.source` is the expected peer window (not some other frame of an allowed origin);
 *   3. the data is one well-formed Porthole envelope whose `sourceOrigin` is `event.origin`
 *      (and whose `sourceWindowName` is the peer's name, when one is configured — Porthole's rule);
 *   4. its `data` is a JSON object.
 * Anything else is dropped silently: no throw, no handler called, no state changed (counted in
 * `droppedCount` for diagnostics). Sending always names the exact peer origin, never `*`: when
 * the origin is not configured the transport learns it from the first accepted message and
 * refuses to send until then.
 */
import { TransportError, TransportErrorCode } from './errors.ts';
import { PendingRequests } from './pending-requests.ts';
import { TransportBase } from './transport-base.ts';
import { normalizeOrigin, parseEnvelope, serializeEnvelope } from './porthole-envelope.ts';
import { realTimers, type Timers } from './timers.ts';
import {
  isTransportMessage,
  type RequestOptions,
  type TransportMessage,
} from './transport.ts';

/** The part of `Window` we post to. */
export interface PostTarget {
  postMessage(message: string, targetOrigin: string): void;
  readonly closed?: boolean;
}

/** Where we listen (our own window). */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  readonly location?: { origin: string };
  readonly name?: string;
}

export interface PostMessageTransportOptions {
  /** The peer window, or a getter for one that may come and go (a popup, a reloaded iframe). */
  target: PostTarget | (() => PostTarget | null | undefined);
  /** Origins we accept messages from (exact, http(s)). Required; `*` is refused. */
  allowedOrigins: readonly string[];
  /** The peer's exact origin; must be allowed. When absent it is learned from the first accepted message. */
  targetOrigin?: string;
  /** Porthole's `targetWindowName`: the peer's window name ('' for our parent). */
  targetWindowName?: string;
  /** Our window name as the peer knows it. Default: our `window.name`. */
  windowName?: string;
  /** Our own window. Default: `globalThis`. */
  self?: MessageSource;
  /** Which incoming message answers which request. Default: a string `id` that is pending. */
  replyId?: (message: TransportMessage) => string | undefined;
  timers?: Timers;
}

export class PostMessageTransport extends TransportBase {
  #target: () => PostTarget | null | undefined;
  #allowed: ReadonlySet<string>;
  #targetOrigin: string | undefined;
  #targetWindowName: string;
  #windowName: string | undefined;
  #self: MessageSource;
  #ownOrigin: string;
  #replyId: (message: TransportMessage) => string | undefined;
  #pending: PendingRequests;
  #listening = false;
  #dropped = 0;
  #accepted = 0;
  #onWindowMessage = (event: MessageEvent): void => this.#receive(event);

  constructor(options: PostMessageTransportOptions) {
    super();
    const allowed = new Set<string>();
    for (const origin of options.allowedOrigins ?? []) {
      const normalized = typeof origin === 'string' ? normalizeOrigin(origin) : undefined;
      if (!normalized) {
        throw new TransportError(TransportErrorCode.Config, `Not an allowed-origin (need an exact http(s) origin): ${String(origin)}`);
      }
      allowed.add(normalized);
    }
    if (allowed.size === 0) throw new TransportError(TransportErrorCode.Config, 'postMessage needs at least one allowed origin');
    this.#allowed = allowed;
    if (options.targetOrigin !== undefined) {
      const target = normalizeOrigin(options.targetOrigin);
      if (!target) throw new TransportError(TransportErrorCode.Config, `The target origin must be an exact http(s) origin, not ${options.targetOrigin}`);
      if (!allowed.has(target)) throw new TransportError(TransportErrorCode.Config, `The target origin ${target} is not in the allowed origins`);
      this.#targetOrigin = target;
    }
    const target = options.target;
    this.#target = typeof target === 'function' ? target : () => target;
    this.#targetWindowName = options.targetWindowName ?? '';
    this.#windowName = options.windowName;
    this.#self = options.self ?? (globalThis as unknown as MessageSource);
    this.#ownOrigin = this.#self.location?.origin ?? '';
    this.#replyId = options.replyId ?? ((message) => (typeof message.id === 'string' ? message.id : undefined));
    this.#pending = new PendingRequests({ timers: options.timers ?? realTimers, prefix: 'p' });
  }

  /** The peer origin messages are sent to (configured or learned), if known. */
  get targetOrigin(): string | undefined {
    return this.#targetOrigin;
  }

  /** Messages dropped by the checks above (diagnostics; the fuzz test reads it). */
  get droppedCount(): number {
    return this.#dropped;
  }

  /** Messages that passed every check. */
  get acceptedCount(): number {
    return this.#accepted;
  }

  protected override start(): void {
    this.#listening = true;
    this.#self.addEventListener('message', this.#onWindowMessage);
    this.#refreshStatus();
  }

  send(message: TransportMessage): void {
    const { target, origin } = this.#sendable();
    target.postMessage(this.#envelope(message, origin), origin);
  }

  request(message: TransportMessage, options: RequestOptions): Promise<TransportMessage> {
    let route: { target: PostTarget; origin: string };
    try {
      route = this.#sendable();
    } catch (error) {
      return Promise.reject(error);
    }
    const id = typeof message.id === 'string' && message.id !== '' ? message.id : this.#pending.nextId();
    const outgoing = message.id === id ? message : { ...message, id };
    const reply = this.#pending.add(id, options.timeoutMs);
    try {
      route.target.postMessage(this.#envelope(outgoing, route.origin), route.origin);
    } catch (error) {
      this.#pending.reject(id, new TransportError(TransportErrorCode.NotConnected, `Could not post to the peer window: ${(error as Error)?.message}`));
    }
    return reply;
  }

  protected override stop(error: TransportError): void {
    if (this.#listening) this.#self.removeEventListener('message', this.#onWindowMessage);
    this.#listening = false;
    this.#pending.rejectAll(error);
  }

  // ---------------------------------------------------------------------------------------------

  #receive(event: MessageEvent): void {
    // A listener on `window` must never throw, whatever arrives (fuzzed, hostile, a CRM's own chatter).
    try {
      if (!this.#accept(event)) this.#dropped += 1;
    } catch {
      this.#dropped += 1;
    }
  }

  #accept(event: MessageEvent): boolean {
    if (typeof event.origin !== 'string' || !this.#allowed.has(event.origin)) return false;
    if (this.#targetOrigin !== undefined && event.origin !== this.#targetOrigin) return false;
    const peer = this.#peer();
    if (!peer || event.source !== (peer as unknown)) return false;
    const envelope = parseEnvelope(event.data);
    if (!envelope) return false;
    // The envelope must tell the same story as the browser (which cannot be forged).
    if (envelope.sourceOrigin !== event.origin) return false;
    if (this.#targetWindowName !== '' && envelope.sourceWindowName !== this.#targetWindowName) return false;
    if (!isTransportMessage(envelope.data)) return false;

    if (this.#targetOrigin === undefined) this.#targetOrigin = event.origin;
    this.#accepted += 1;
    this.statusCell.set('connected');
    const message = envelope.data;
    const replyId = this.#replyId(message);
    if (replyId !== undefined && this.#pending.resolve(replyId, message)) return true;
    this.messages.emit(message);
    return true;
  }

  #peer(): PostTarget | undefined {
    let peer: PostTarget | null | undefined;
    try {
      peer = this.#target();
    } catch {
      return undefined;
    }
    if (!peer) return undefined;
    try {
      if (peer.closed === true) return undefined;
    } catch {
      // Some cross-origin proxies throw on property access; treat as present.
    }
    return peer;
  }

  #refreshStatus(): void {
    if (this.status === 'offline') return;
    const ready = this.#targetOrigin !== undefined && this.#peer() !== undefined;
    this.statusCell.set(ready ? 'connected' : this.status === 'connected' ? 'reconnecting' : this.status);
  }

  #sendable(): { target: PostTarget; origin: string } {
    if (this.status === 'offline') throw new TransportError(TransportErrorCode.NotConnected, 'Offline: the peer window connection is closed');
    const origin = this.#targetOrigin;
    if (origin === undefined) {
      throw new TransportError(TransportErrorCode.NotConnected, 'The peer window has not identified itself yet');
    }
    const target = this.#peer();
    if (!target) {
      this.#refreshStatus();
      throw new TransportError(TransportErrorCode.NotConnected, 'The peer window is not open');
    }
    return { target, origin };
  }

  #envelope(data: TransportMessage, targetOrigin: string): string {
    return serializeEnvelope({
      data,
      sourceOrigin: this.#ownOrigin,
      targetOrigin,
      sourceWindowName: this.#windowName ?? this.#self.name ?? '',
      targetWindowName: this.#targetWindowName,
    });
  }
}

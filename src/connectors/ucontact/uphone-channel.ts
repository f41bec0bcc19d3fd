/**
 * The uPhone v6 window proxy as a transport: plain `{action, params}` objects posted with
 * `postMessage` (no Porthole envelope) between the CRM page and the uPhone frame it holds.
 * The same rules as our Porthole transport (src/transports/postmessage-transport.ts), for the
 * same reasons:
 *   - a message is read only when `event.origin` is exactly uPhone's origin (which must be in the
 *     allow-list) *and* `event.source` is the uPhone frame's window — a third frame of any origin,
 *     or the page that frames the CRM, is not heard;
 *   - it must be a plain object whose JSON fits PROXY_LIMITS.messageChars;
 *   - everything else is dropped silently (counted in `droppedCount`), no listener ever throws;
 *   - every post names uPhone's exact origin, never `*`, so nothing reaches a page that took the
 *     frame's place.
 */
import { TransportBase } from '../../transports/transport-base.ts';
import { TransportError, TransportErrorCode } from '../../transports/errors.ts';
import { normalizeOrigin } from '../../transports/porthole-envelope.ts';
import type { MessageSource } from '../../transports/postmessage-transport.ts';
import type { RequestOptions, TransportMessage } from '../../transports/transport.ts';
import { PROXY_LIMITS } from './protocol.ts';

/** uPhone takes structured-clone objects, not strings. */
export interface ObjectPostTarget {
  postMessage(message: unknown, targetOrigin: string): void;
  readonly closed?: boolean;
}

export interface UphoneChannelOptions {
  /** The uPhone frame's window (a getter: the frame may be reloaded or replaced). */
  target: () => ObjectPostTarget | null | undefined;
  /** uPhone's exact origin. */
  targetOrigin: string;
  allowedOrigins: readonly string[];
  /** Our window. Default `globalThis`. */
  self?: MessageSource;
}

export class UphoneChannel extends TransportBase {
  readonly #target: () => ObjectPostTarget | null | undefined;
  readonly #origin: string;
  readonly #self: MessageSource;
  #dropped = 0;
  #accepted = 0;
  #listening = false;
  readonly #onWindowMessage = (event: MessageEvent): void => {
    try {
      if (!this.#accept(event)) this.#dropped += 1;
    } catch {
      this.#dropped += 1;
    }
  };

  constructor(options: UphoneChannelOptions) {
    super();
    const origin = normalizeOrigin(options.targetOrigin);
    if (!origin) throw new TransportError(TransportErrorCode.Config, 'uPhone\'s origin must be an exact http(s) origin.');
    const allowed = new Set(options.allowedOrigins.map((o) => normalizeOrigin(o)));
    if (!allowed.has(origin)) throw new TransportError(TransportErrorCode.Config, `uPhone's origin ${origin} is not in the allowed origins.`);
    this.#origin = origin;
    this.#target = options.target;
    this.#self = options.self ?? (globalThis as unknown as MessageSource);
  }

  get droppedCount(): number {
    return this.#dropped;
  }

  get acceptedCount(): number {
    return this.#accepted;
  }

  protected override start(): void {
    this.#listening = true;
    this.#self.addEventListener('message', this.#onWindowMessage);
    // uPhone says nothing until something happens: the frame being there is the link.
    this.statusCell.set(this.#peer() ? 'connected' : 'reconnecting');
  }

  send(message: TransportMessage): void {
    if (this.status === 'offline') throw new TransportError(TransportErrorCode.NotConnected, 'Offline: the uPhone link is closed.');
    const peer = this.#peer();
    if (!peer) {
      this.statusCell.set('reconnecting');
      throw new TransportError(TransportErrorCode.NotConnected, 'The uPhone frame is not open.');
    }
    this.statusCell.set('connected');
    peer.postMessage(message, this.#origin);
  }

  /** uPhone answers nothing: there is no request/reply on this wire. */
  request(_message: TransportMessage, _options: RequestOptions): Promise<TransportMessage> {
    return Promise.reject(new TransportError(TransportErrorCode.Protocol, 'uPhone has no replies.'));
  }

  protected override stop(): void {
    if (this.#listening) this.#self.removeEventListener('message', this.#onWindowMessage);
    this.#listening = false;
  }

  #accept(event: MessageEvent): boolean {
    if (event.origin !== this.#origin) return false;
    const peer = this.#peer();
    if (!peer || event.source !== (peer as unknown)) return false;
    const data: unknown = event.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
    let size: number;
    try {
      size = JSON.stringify(data).length;
    } catch {
      return false; // cycles, BigInt …: not a uPhone message
    }
    if (size > PROXY_LIMITS.messageChars) return false;
    this.#accepted += 1;
    this.statusCell.set('connected');
    this.messages.emit(data as TransportMessage);
    return true;
  }

  #peer(): ObjectPostTarget | undefined {
    try {
      const peer = this.#target();
      if (!peer || peer.closed === true) return undefined;
      return peer;
    } catch {
      return undefined;
    }
  }
}

/**
 * The host SDK (`dist/agent-bar-host.js`, ESM; `dist/agent-bar-host.iife.js`, classic script with a
 * global `AgentBarHost`): puts the bar in an iframe on the CRM page and drives it.
 *
 *   const bar = createAgentBarFrame({ container, src: 'https://bar.example.com/frame.html', agentId: '1001' });
 *   bar.iframe.addEventListener('cti-call-offered', (e) => …);   // the same cti-* events as <agent-bar>
 *   await bar.login(); await bar.ready(); await bar.dial('+44 20 7946 0018');
 *
 * Security: the handshake is the one in protocol.ts. Only the iframe's own window, from the allowed
 * origin (the `src` origin unless `allowedOrigin` says otherwise; never `*`), is heard; after the
 * handshake everything travels over a private MessageChannel port.
 *
 * Hand-written rather than Penpal: Penpal alone measures more than the SDK's whole 3 KB budget
 * (docs/embedding.md has the figures).
 */
import { OPERATIONS, type Operation } from '../core/operations.ts';
import type { CommandArgs } from '../core/commands.ts';
import type { Snapshot } from '../core/model.ts';
import type { HostHooks } from './hooks.ts';
import { PROTOCOL, speaks, FrameErrorCode, exactOrigin } from './protocol.ts';
import { PortPeer, EmbedError } from './port-peer.ts';

export { EmbedError } from './port-peer.ts';
export { FrameErrorCode, PROTOCOL } from './protocol.ts';
export type { HostHooks, ContactMatch, CallRecord } from './hooks.ts';

export interface AgentBarFrameOptions {
  /** Where the iframe goes (it is appended to it). */
  container: Element;
  /** URL of the bar's `frame.html`. */
  src: string;
  /** The bar's exact origin (default: the origin of `src`). `*` is refused. */
  allowedOrigin?: string;
  /** The agent to connect as (sent to the frame at every handshake). */
  agentId?: string;
  /** Connector and endpoint for the framed bar (else the frame page's own configuration). */
  connector?: string;
  endpoint?: string;
  /** Services the bar may call: contact search, screen pop, call logging. */
  hooks?: HostHooks;
  /** Time limit the bar puts on each hook call, ms (default: the bar's, 5000). */
  hookTimeoutMs?: number;
  /** How long `whenConnected()` waits for a handshake (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** How long a command waits for the frame's answer (default 15 000 ms, above the bar's own 10 s). */
  requestTimeoutMs?: number;
  /** The iframe's accessible title (default "Agent bar"). */
  title?: string;
}

type OperationMethods = {
  [O in Exclude<Operation, 'dial'>]: {} extends CommandArgs[O] ? (args?: CommandArgs[O]) => Promise<void> : (args: CommandArgs[O]) => Promise<void>;
};

export interface AgentBarFrameApi {
  /** The iframe; every `cti-*` event is dispatched on it (bubbling, composed). */
  readonly iframe: HTMLIFrameElement;
  /** The bar's latest snapshot (undefined before the first handshake). */
  readonly snapshot: Snapshot | undefined;
  /** True between a handshake and the next reload of the frame (or `destroy()`). */
  readonly connected: boolean;
  /** Resolves at the current or next handshake; rejects with CONNECT_TIMEOUT, VERSION_MISMATCH or DESTROYED. */
  whenConnected(timeoutMs?: number): Promise<void>;
  /** Runs any canonical command in the bar; rejects with the bar's coded error. */
  command<O extends Operation>(operation: O, args?: CommandArgs[O]): Promise<void>;
  /** Dials `number` (validated by the bar); `recordId`: the CRM record the call is for. */
  dial(number: string, options?: { recordId?: string }): Promise<void>;
  /** Called with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
  /** The framed bar's diagnostic log (JSON text, secrets and customer values redacted; `bar.downloadLog()`). */
  diagnosticLog(): Promise<string>;
  /** Stops listening, closes the channel, removes the iframe. Idempotent. */
  destroy(): void;
}

export type AgentBarFrame = AgentBarFrameApi & OperationMethods;

class HostFrame {
  readonly iframe: HTMLIFrameElement;
  snapshot: Snapshot | undefined;
  connected = false;
  readonly #o: AgentBarFrameOptions;
  readonly #origin: string;
  readonly #listeners = new Set<(s: Snapshot) => void>();
  readonly #waiters = new Set<[() => void, (e: EmbedError) => void]>();
  #peer: PortPeer | undefined;
  #destroyed = false;

  constructor(o: AgentBarFrameOptions) {
    const origin = exactOrigin(o.allowedOrigin ?? (o.src ? new URL(o.src, location.href).origin : undefined));
    if (!origin || !(o.container instanceof Element)) {
      throw new EmbedError({ code: FrameErrorCode.InvalidArgument, message: 'createAgentBarFrame needs a container element, a src and an exact http(s) allowedOrigin (never "*").' });
    }
    this.#o = o;
    this.#origin = origin;
    const f = (this.iframe = document.createElement('iframe'));
    f.allow = 'microphone; autoplay; clipboard-write';
    f.title = o.title ?? 'Agent bar';
    f.className = 'agent-bar-frame';
    // CSSOM, not a style attribute: allowed under a strict style-src.
    f.style.border = '0';
    f.style.width = f.style.height = '100%';
    addEventListener('message', this.#onMessage);
    f.src = o.src;
    o.container.append(f);
    for (const op of OPERATIONS) if (!(op in this)) (this as Record<string, unknown>)[op] = (args?: object) => this.command(op, args as never);
  }

  whenConnected(timeoutMs = this.#o.connectTimeoutMs ?? 10_000): Promise<void> {
    if (this.#destroyed) return Promise.reject(this.#destroyedError());
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w: [() => void, (e: EmbedError) => void] = [
        () => (clearTimeout(t), resolve()),
        (e) => (clearTimeout(t), reject(e)),
      ];
      const t = setTimeout(() => {
        this.#waiters.delete(w);
        reject(new EmbedError({ code: FrameErrorCode.ConnectTimeout, message: `No handshake from ${this.#origin} within ${timeoutMs} ms.` }));
      }, timeoutMs);
      this.#waiters.add(w);
    });
  }

  async command<O extends Operation>(operation: O, args?: CommandArgs[O]): Promise<void> {
    const timeout = this.#o.requestTimeoutMs ?? 15_000;
    await this.whenConnected(timeout);
    await this.#peer!.request('command', { operation, args }, timeout);
  }

  dial(number: string, options: { recordId?: string } = {}): Promise<void> {
    return this.command('dial', options.recordId === undefined ? { number } : { number, recordId: options.recordId });
  }

  async diagnosticLog(): Promise<string> {
    const timeout = this.#o.requestTimeoutMs ?? 15_000;
    await this.whenConnected(timeout);
    return (await this.#peer!.request('log', undefined, timeout)) as string;
  }

  subscribe(listener: (s: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.connected = false;
    removeEventListener('message', this.#onMessage);
    this.#peer?.close(FrameErrorCode.Destroyed);
    this.#settle(this.#destroyedError());
    this.#listeners.clear();
    this.iframe.remove();
  }

  #onMessage = (e: MessageEvent): void => {
    const win = this.iframe.contentWindow;
    const d = e.data as { agentbar?: unknown; protocol?: unknown } | null;
    if (this.#destroyed || !win || e.source !== win || e.origin !== this.#origin || d?.agentbar !== 'hello') return;
    // A hello is also how a reloaded frame asks again: the old channel is dead either way.
    this.#peer?.close();
    this.connected = false;
    if (!speaks(d.protocol)) {
      // Fail closed: no channel to a frame whose protocol we do not know.
      this.#peer = undefined;
      return this.#settle(new EmbedError({ code: FrameErrorCode.VersionMismatch, message: `The frame speaks ${String(d.protocol).slice(0, 40)}; this SDK speaks ${PROTOCOL}.` }));
    }
    const { port1, port2 } = new MessageChannel();
    const peer = (this.#peer = new PortPeer(port1, this.#onRequest, (name, data) => {
      if (name === 'snapshot' || name === 'ready') {
        this.snapshot = data as Snapshot;
        for (const l of [...this.#listeners]) l(this.snapshot);
        if (name === 'ready' && this.#peer === peer) {
          this.connected = true;
          this.#settle();
        }
      } else if (name === 'event' && this.connected) {
        const { type, detail } = (data ?? {}) as { type?: unknown; detail?: unknown };
        if (typeof type === 'string' && /^cti-[a-z-]+$/.test(type)) {
          this.iframe.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: type === 'cti-screen-pop' }));
        }
      }
    }));
    const { agentId, connector, endpoint, hooks, hookTimeoutMs } = this.#o;
    win.postMessage(
      { agentbar: 'connect', protocol: PROTOCOL, options: { agentId, connector, endpoint, hookTimeoutMs, hooks: Object.keys(hooks ?? {}) } },
      { targetOrigin: this.#origin, transfer: [port2] },
    );
  };

  /** The bar calls the host's hooks (`searchContacts`, `screenPop`, `logCall`). */
  #onRequest = (method: string, args: unknown): unknown => {
    const hook = method.startsWith('hook:') && (this.#o.hooks as Record<string, unknown> | undefined)?.[method.slice(5)];
    if (typeof hook !== 'function') throw new EmbedError({ code: FrameErrorCode.Unsupported, message: `The host has no "${method}".` });
    return hook(...(Array.isArray(args) ? args : []));
  };

  #settle(error?: EmbedError): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const [resolve, reject] of waiters) error ? reject(error) : resolve();
    // `agent-bar-frame-connected` at every handshake (a reloaded frame too), else the error.
    const detail = error ? { code: error.code, message: error.message } : undefined;
    this.iframe.dispatchEvent(new CustomEvent(`agent-bar-frame-${error ? 'error' : 'connected'}`, { detail, bubbles: true, composed: true }));
  }

  #destroyedError(): EmbedError {
    return new EmbedError({ code: FrameErrorCode.Destroyed, message: 'The agent bar frame was destroyed.' });
  }
}

/** Creates the iframe in `container` and connects to the bar inside it. */
export function createAgentBarFrame(options: AgentBarFrameOptions): AgentBarFrame {
  return new HostFrame(options) as unknown as AgentBarFrame;
}

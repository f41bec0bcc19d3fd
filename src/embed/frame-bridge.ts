/**
 * The bar's side of the iframe protocol (protocol.ts), run by `frame.html`: says hello to the
 * parent, accepts a connect only from the parent window and an allowed host origin, then serves
 * the host over the private port — commands in, snapshots and `cti-*` events out, hook calls to
 * the host with timeouts.
 */
import type { AgentBar } from '../../components/agent-bar/agent-bar.ts';
import type { Session } from '../core/session.ts';
import type { Operation } from '../core/operations.ts';
import { CTI_EVENT_NAMES } from '../../components/events.ts';
import { PROTOCOL, speaks, exactOrigin, FrameErrorCode } from './protocol.ts';
import { PortPeer, EmbedError } from './port-peer.ts';
import { HOOK_NAMES, type HostHooks } from './hooks.ts';

export interface FrameBridgeOptions {
  bar: AgentBar;
  /** Exact origins of the host pages allowed to drive this bar (never `*`). */
  hostOrigins: readonly string[];
  /** Our window (tests pass another). Default: `window`. */
  win?: Window;
}

const CONNECTOR = /^[a-z][a-z0-9-]{0,31}$/;

export class FrameBridge {
  readonly #bar: AgentBar;
  readonly #win: Window;
  readonly #allowed: ReadonlySet<string>;
  #peer: PortPeer | undefined;
  #session: Session | undefined;
  #offSnapshots: (() => void) | undefined;
  #started = false;

  constructor(options: FrameBridgeOptions) {
    const allowed = new Set<string>();
    for (const o of options.hostOrigins) {
      const origin = exactOrigin(o);
      if (!origin) throw new EmbedError({ code: FrameErrorCode.InvalidArgument, message: `Not an exact http(s) host origin: ${String(o)} ("*" is never allowed).` });
      allowed.add(origin);
    }
    this.#bar = options.bar;
    this.#win = options.win ?? window;
    this.#allowed = allowed;
  }

  /** The host origin of the current channel (undefined until a handshake). */
  hostOrigin: string | undefined;

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#win.addEventListener('message', this.#onMessage);
    for (const type of CTI_EVENT_NAMES) this.#bar.addEventListener(type, this.#forward);
    this.#bar.addEventListener('agent-bar-session', this.#watchSession);
    const parent = this.#win.parent;
    if (parent === this.#win) return; // opened on its own: nobody to greet
    // One hello per allowed origin: the browser delivers only the one matching the parent.
    for (const origin of this.#allowed) parent.postMessage({ agentbar: 'hello', protocol: PROTOCOL }, origin);
  }

  stop(): void {
    this.#win.removeEventListener('message', this.#onMessage);
    for (const type of CTI_EVENT_NAMES) this.#bar.removeEventListener(type, this.#forward);
    this.#bar.removeEventListener('agent-bar-session', this.#watchSession);
    this.#offSnapshots?.();
    this.#peer?.close();
    this.#peer = undefined;
    this.#started = false;
  }

  #onMessage = (e: MessageEvent): void => {
    const d = e.data as { agentbar?: unknown; protocol?: unknown; options?: unknown } | null;
    if (e.source !== this.#win.parent || e.source === this.#win || !this.#allowed.has(e.origin)) return;
    if (d?.agentbar !== 'connect' || !speaks(d.protocol) || !e.ports[0]) return;
    this.#peer?.close();
    const peer = (this.#peer = new PortPeer(e.ports[0], this.#onRequest, () => {}));
    this.hostOrigin = e.origin;
    this.#apply((d.options ?? {}) as Record<string, unknown>, peer);
    void this.#bar.updateComplete.then(() => {
      if (this.#peer !== peer) return;
      this.#watchSession();
      peer.notify('ready', this.#session?.snapshot);
    });
  };

  /** The host's options: agent, connector, endpoint (validated strings) and which hooks it has. */
  #apply(o: Record<string, unknown>, peer: PortPeer): void {
    const bar = this.#bar;
    if (typeof o.connector === 'string' && CONNECTOR.test(o.connector)) bar.connector = o.connector;
    if (typeof o.endpoint === 'string' && o.endpoint.length <= 2048) bar.endpoint = o.endpoint;
    if (typeof o.agentId === 'string' && o.agentId.trim() && o.agentId.length <= 128) bar.agentId = o.agentId;
    const t = o.hookTimeoutMs;
    if (typeof t === 'number' && t >= 10 && t <= 120_000) bar.hookTimeoutMs = t;
    const names = Array.isArray(o.hooks) ? o.hooks : [];
    const hooks: HostHooks = {};
    for (const name of HOOK_NAMES) {
      if (!names.includes(name)) continue;
      // The bar puts its own timeout on every hook (hook-runner.ts); this one only bounds the channel.
      (hooks as Record<string, unknown>)[name] = (...args: unknown[]) => peer.request(`hook:${name}`, args, 60_000);
    }
    bar.hooks = hooks;
  }

  #onRequest = (method: string, args: unknown): unknown => {
    const session = this.#bar.session;
    if (method === 'snapshot') return session?.snapshot;
    if (method === 'log') return this.#bar.downloadLog({ save: false });
    if (method !== 'command') throw new EmbedError({ code: FrameErrorCode.Unsupported, message: `The bar has no "${method}".` });
    const { operation, args: a } = (args ?? {}) as { operation?: unknown; args?: unknown };
    if (!session) throw new EmbedError({ code: 'NOT_CONNECTED', message: 'The bar has no session yet (no agent id).' });
    return session.command(operation as Operation, (a && typeof a === 'object' ? a : undefined) as never);
  };

  #forward = (e: Event): void => {
    this.#peer?.notify('event', { type: e.type, detail: (e as CustomEvent).detail });
  };

  /** Follows the bar's session (it is rebuilt when the agent or the connector changes). */
  #watchSession = (): void => {
    const session = this.#bar.session;
    if (session === this.#session) return;
    this.#offSnapshots?.();
    this.#session = session;
    this.#offSnapshots = session?.subscribe((s) => this.#peer?.notify('snapshot', s));
    if (session) this.#peer?.notify('snapshot', session.snapshot);
  };
}

/**
 * One agent on one cluster node, handed to its `AgentHub` as the connector. The node either owns
 * the agent — it holds the lease, runs the real vendor connector, and appends its events to the
 * agent's Redis stream under its fencing token — or mirrors it: it hears the numbered events on
 * the agent's channel and forwards commands to the owner. Every node, owner or not, delivers the
 * events to its own sockets from the same numbered sequence, so two tabs on two nodes see the same.
 */
import type { Connector, EventSink, LoginFieldInfo } from '../../src/core/connector.ts';
import type { Command } from '../../src/core/commands.ts';
import type { CanonicalEvent } from '../../src/core/events.ts';
import type { Operation } from '../../src/core/operations.ts';
import { CtiError, ErrorCode } from '../../src/core/errors.ts';
import type { AgentHub } from '../agent-hub.ts';
import { InOrder } from './in-order.ts';
import { agentKeys, numberedJson } from './redis-scripts.ts';
import type { ClusterNode } from './cluster-node.ts';

type Role = 'mirror' | 'owner';

interface RestorableConnector extends Connector {
  restoreState(events: CanonicalEvent[]): void;
}

/** Events heard before the hub is attached, kept for it; beyond this the stream fills the hole. */
const MAX_EARLY = 1000;
/** How long after the last event the owner writes the folded state (a snapshot's source). */
const STATE_DEBOUNCE_MS = 50;

export class ClusterAgent implements Connector {
  readonly agentId: string;
  readonly keys: ReturnType<typeof agentKeys>;
  #node: ClusterNode;
  /** A connector instance that is never connected: the face (name, supports, login form). */
  #face: Connector;
  #vendor: Connector | undefined;
  #role: Role = 'mirror';
  #token = 0;
  #hub: AgentHub | undefined;
  #inOrder: InOrder;
  #closed = false;
  #acquiring: Promise<boolean> | undefined;
  /** After a take-over whose connector failed: no new try before this (epoch ms). */
  #retryAfter = 0;
  #stateTimer: ReturnType<typeof globalThis.setTimeout> | undefined;
  /** Events heard on the channel before the hub was attached: [seq, json]. */
  #early: Array<[number, string]> = [];
  /** The hub's sink: validates, redacts and stamps the vendor's events, then calls `append`. */
  #sink: EventSink = () => {};

  constructor(node: ClusterNode, agentId: string, face: Connector) {
    this.#node = node;
    this.agentId = agentId;
    this.keys = agentKeys(agentId);
    this.#face = face;
    this.#inOrder = new InOrder({
      last: () => this.#hub?.seq ?? Number.POSITIVE_INFINITY,
      deliver: (seq, json) => {
        this.#hub?.deliver(seq, json);
        this.#node.countEvent();
        if (this.#role === 'owner') this.#scheduleState();
      },
      fetch: (after, count) => this.#node.readEvents(this.keys.events, after, count),
      onError: (error) => this.#node.log(`agent ${agentId}: could not read its events: ${String(error)}`),
    });
  }

  get name(): string {
    return this.#face.name;
  }

  get supports(): ReadonlySet<Operation> {
    return this.#face.supports;
  }

  get loginFields(): readonly LoginFieldInfo[] | undefined {
    return this.#face.loginFields;
  }

  /** The simulator's controls, only where its connector runs (the owner). */
  get simulator(): unknown {
    return this.#role === 'owner' ? (this.#vendor as { simulator?: unknown } | undefined)?.simulator : undefined;
  }

  get isOwner(): boolean {
    return this.#role === 'owner';
  }

  get token(): number {
    return this.#token;
  }

  get hub(): AgentHub | undefined {
    return this.#hub;
  }

  /**
   * The hub, once it holds the state and stream tail read after subscribing: the events heard on
   * the channel meanwhile (numbered after that read, or duplicates of it) are handed to it now.
   */
  attach(hub: AgentHub): void {
    this.#hub = hub;
    const early = this.#early;
    this.#early = [];
    for (const [seq, json] of early) this.#inOrder.receive(seq, json);
  }

  /** An event heard on the agent's channel (or a gap to fill after a reconnect). */
  receive(seq: number, json: string): void {
    if (!this.#hub) {
      // Bounded: past it the hole is filled from the stream once attached.
      if (this.#early.length < MAX_EARLY) this.#early.push([seq, json]);
      return;
    }
    this.#inOrder.receive(seq, json);
  }

  /** Reads what the stream has past the last delivered event (after a subscriber reconnect). */
  sync(): Promise<void> {
    return this.#inOrder.catchUp();
  }

  /**
   * The hub's start: the owner's connector runs when this node wins (or holds) the lease. Nothing
   * is read here: the hub has the state and stream tail read after subscribing, and whatever was
   * numbered after that read was heard on the channel (attach).
   *
   * An agent with history (numbered events) does not wait for the take-over: its true state is in
   * Redis, so the client's welcome and replay go out at once while the lease is taken (or waited
   * for) behind them; a command waits for it (`#execute`). An agent never seen before waits, so
   * a connector that cannot start refuses the hello as on one node.
   */
  async connect(sink: EventSink): Promise<void> {
    this.#sink = sink;
    if ((this.#hub?.seq ?? 0) === 0) {
      await this.tryTakeOver();
      return;
    }
    void this.tryTakeOver().catch((error: unknown) => this.#node.log(`agent ${this.agentId}: take-over failed: ${String(error)}`));
  }

  /**
   * Takes the agent when its lease is free: a new fencing token, a fresh vendor connector put
   * back into the last known state when it can be (the simulator), connected — it reads the
   * backend's truth — and its events numbered after the last stored one. Returns true when owned.
   */
  tryTakeOver(): Promise<boolean> {
    if (this.#role === 'owner') return Promise.resolve(true);
    if (this.#closed || Date.now() < this.#retryAfter) return Promise.resolve(false);
    this.#acquiring ??= this.#takeOver().finally(() => (this.#acquiring = undefined));
    return this.#acquiring;
  }

  async #takeOver(): Promise<boolean> {
    const token = await this.#node.acquire(this);
    if (token === 0 || this.#closed) {
      if (token !== 0) void this.#node.release(this, token);
      return false;
    }
    // Everything numbered before the take-over is delivered first: numbering continues after it.
    await this.#inOrder.catchUp();
    this.#token = token;
    this.#role = 'owner';
    this.#node.countTakeOver();
    this.#node.log(`agent ${this.agentId}: taken over (fencing token ${token})`);
    let vendor: Connector;
    try {
      vendor = await this.#node.createVendor(this.agentId);
      if (this.#hub && isRestorable(vendor)) vendor.restoreState(this.#hub.state());
      this.#vendor = vendor;
      await vendor.connect((event) => {
        if (this.#vendor === vendor && this.#role === 'owner') this.#sink(event);
      });
    } catch (error) {
      this.demote('its connector could not start');
      // Let go now, so another node can try at once rather than after a lease; this one waits a
      // lease before trying again (a backend refusing at once must not be hammered).
      this.#retryAfter = Date.now() + this.#node.leaseMs;
      void this.#node.release(this, token);
      throw error;
    }
    return true;
  }

  /** The hub's `emit`: numbers the event in Redis under this node's token, then delivers it. */
  append(unnumbered: string): void {
    if (this.#role !== 'owner') return;
    const token = this.#token;
    this.#node.append(this, token, unnumbered).then(
      (seq) => {
        if (seq > 0) this.#inOrder.receive(seq, numberedJson(seq, unnumbered));
        else if (this.#token === token) this.demote('another node took it over (stale fencing token)');
      },
      (error: unknown) => this.#node.log(`agent ${this.agentId}: event not stored: ${String(error)}`),
    );
  }

  /** Stops driving the backend: another node holds the agent now (or this one is leaving). */
  demote(reason: string): void {
    if (this.#role !== 'owner') return;
    this.#role = 'mirror';
    this.#node.log(`agent ${this.agentId}: no longer owned here: ${reason}`);
    globalThis.clearTimeout(this.#stateTimer);
    const vendor = this.#vendor;
    this.#vendor = undefined;
    vendor?.disconnect();
  }

  async execute(command: Command): Promise<void> {
    const started = performance.now();
    const route = { forwarded: false };
    try {
      await this.#execute(command, route);
    } finally {
      this.#node.recordLatency(performance.now() - started, route.forwarded);
    }
  }

  /** Runs the command here (owner) or on the owner (`route.forwarded`). */
  async #execute(command: Command, route: { forwarded: boolean }): Promise<void> {
    // A take-over in progress (its connector still connecting) finishes first.
    if (this.#acquiring) await this.#acquiring.catch(() => false);
    if (this.#role !== 'owner' && !this.#node.canForward) {
      // Refused now rather than queued until Redis is back: the client may try again by then,
      // and the queued one would run as well.
      throw new CtiError({
        code: ErrorCode.NotConnected,
        message: `Agent ${this.agentId} is served by another gateway node, out of reach while Redis is; try again in a moment.`,
        commandId: command.id,
      });
    }
    if (this.#role !== 'owner') {
      // The owner may be gone (its lease expired): then this node takes over and runs it itself.
      const owner = await this.#node.ownerOf(this);
      if (owner === undefined) await this.tryTakeOver();
      else if (owner !== this.#node.nodeId) {
        route.forwarded = true;
        return this.#node.forward(owner, this.agentId, command);
      }
    }
    if (this.#role !== 'owner' || !this.#vendor) {
      throw new CtiError({
        code: ErrorCode.NotConnected,
        message: `Agent ${this.agentId} is moving between gateway nodes; try again in a moment.`,
        commandId: command.id,
      });
    }
    return this.#vendor.execute(command);
  }

  /** The hub closed (idle, or the node is stopping): the lease goes, so another node can take over. */
  disconnect(): void {
    if (this.#closed) return;
    this.#closed = true;
    const wasOwner = this.#role === 'owner';
    if (wasOwner) this.#flushState();
    this.demote('its hub closed');
    if (wasOwner) void this.#node.release(this, this.#token);
    this.#node.forget(this);
  }

  #scheduleState(): void {
    if (this.#stateTimer !== undefined) return;
    this.#stateTimer = globalThis.setTimeout(() => {
      this.#stateTimer = undefined;
      this.#flushState();
    }, STATE_DEBOUNCE_MS);
  }

  #flushState(): void {
    globalThis.clearTimeout(this.#stateTimer);
    this.#stateTimer = undefined;
    const hub = this.#hub;
    if (!hub || this.#role !== 'owner') return;
    void this.#node.saveState(this, this.#token, JSON.stringify({ seq: hub.seq, state: hub.state() }));
  }
}

function isRestorable(connector: Connector): connector is RestorableConnector {
  return typeof (connector as Partial<RestorableConnector>).restoreState === 'function';
}

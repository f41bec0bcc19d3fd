/**
 * A gateway process as one node of a cluster whose shared memory is Redis (`REDIS_URL`).
 *
 * - **Ownership:** each agent's vendor connector runs on one node at a time, the holder of the
 *   agent's lease (`SET NX PX`, renewed every third of its life). Each take-over increments the
 *   agent's fencing token; every append to the agent's stream checks it, so a node that lost the
 *   lease (paused, cut off, killed and back) can never add an event.
 * - **Numbering and replay:** the owner appends each event to the agent's bounded stream (XADD
 *   MAXLEN ~) with the next `seq`, and publishes it on the agent's channel; every node holding a
 *   socket of that agent delivers it from there, and reads the stream for whatever it missed.
 * - **Commands** arriving at a node that does not own the agent are forwarded to the owner over
 *   the owner's node channel (request id, reply, timeout).
 * - **Failure:** a lost node's leases expire; a node with sockets for the agent (or the next one a
 *   client opens) takes it over and rebuilds the connector. A stopping node hands its agents over.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Connector } from '../../src/core/connector.ts';
import type { Command } from '../../src/core/commands.ts';
import type { CanonicalEvent } from '../../src/core/events.ts';
import { CtiError, ErrorCode } from '../../src/core/errors.ts';
import { parseCommand } from '../../src/protocol/command-guard.ts';
import type { AgentHub, PersistedAgent } from '../agent-hub.ts';
import type { Counters } from '../metrics.ts';
import { ClusterAgent } from './cluster-agent.ts';
import { ChannelBatcher } from './channel-batcher.ts';
import { agentKeys, NODES_KEY, nodeChannel, nodeKeys, RELEASED, withScripts, type ClusterRedis } from './redis-scripts.ts';

export interface ClusterNodeOptions {
  redisUrl: string;
  /** Default: a random id per process. */
  nodeId?: string;
  /** Lease lifetime; renewed every third of it. Default 10 s. */
  leaseMs?: number;
  /** A command forwarded to the owner not answered within this long fails with TIMEOUT. Default 10 s. */
  forwardTimeoutMs?: number;
  /** Stream length per agent (approximate, XADD MAXLEN ~). */
  streamMaxLen: number;
  /** The vendor connector for an agent (a fresh one at every take-over). */
  createConnector: (agentId: string) => Connector | Promise<Connector>;
  /**
   * Opens the agent's hub on this node (the registry): how an agent of a dead node that no node
   * mirrors is adopted, rather than left undriven until one of its clients comes back.
   */
  adopt?: (agentId: string) => Promise<unknown>;
  counters: Counters;
  log: (line: string) => void;
}

/** What the hub registry needs to open an agent's hub on a cluster node. */
export interface ClusterOpened {
  connector: ClusterAgent;
  restored?: PersistedAgent;
  preload: Array<{ seq: number; eventJson: string }>;
  emit: (eventJson: string) => void;
  attach: (hub: AgentHub) => void;
}

export interface ClusterBinding {
  open(agentId: string): Promise<ClusterOpened>;
}

interface ForwardRequest {
  id: string;
  from: string;
  agentId: string;
  command: unknown;
  /**
   * When the requester stops waiting (epoch ms). A request that reaches the owner later (queued
   * through a Redis outage) is refused unrun: the client was told TIMEOUT and may try again, so
   * running it then could apply it twice.
   */
  deadline?: number;
}

interface ForwardReply {
  id: string;
  ok: boolean;
  error?: ReturnType<CtiError['toJSON']>;
}

/** A node's figures for `/metrics`. */
export interface ClusterMetrics {
  nodeId: string;
  redis: 'ready' | 'down';
  agentsOwned: number;
  agentsHeld: number;
  eventsPerSecond: number;
  commandLatencyP50Ms: number;
  commandLatencyP99Ms: number;
  leaseTakeOvers: number;
}

/** Latencies kept for the percentiles in /metrics. */
const LATENCY_SAMPLES = 1000;
/** Agents of one dead node a live node adopts per check (SPOP count). */
const ADOPT_BATCH = 1000;

export class ClusterNode implements ClusterBinding {
  readonly nodeId: string;
  #options: ClusterNodeOptions;
  #leaseMs: number;
  #redis: ClusterRedis;
  #sub: Redis;
  #subscriptions: ChannelBatcher;
  #agents = new Map<string, ClusterAgent>();
  #pending = new Map<string, { resolve: () => void; reject: (error: CtiError) => void; timer: ReturnType<typeof globalThis.setTimeout> }>();
  #ticker: ReturnType<typeof globalThis.setInterval> | undefined;
  #tickMs: number;
  /** Mirrored agents whose lease lapses before the next check: a take-over timed for the lapse. */
  #expiryTimers = new Map<string, ReturnType<typeof globalThis.setTimeout>>();
  /** What this node id owned in an earlier life (a restart faster than the lease): adopted first. */
  #leftovers: string[] = [];
  /** When the command connection last came back (after an outage): owners renew before mirrors take. */
  #readyAt = 0;
  #closed = false;
  /** Events delivered per second, the last 10 seconds. */
  #eventBuckets = new Map<number, number>();
  #latencies: number[] = [];
  #latencyIndex = 0;

  private constructor(options: ClusterNodeOptions) {
    this.#options = options;
    this.nodeId = options.nodeId ?? `node-${randomBytes(4).toString('hex')}`;
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#tickMs = Math.max(50, Math.floor(this.#leaseMs / 3));
    const connection = {
      // Commands wait through a short outage (sent when Redis is back) instead of failing.
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(50 * times, 500),
      connectionName: `agent-bar:${this.nodeId}`,
    };
    // Auto-pipelining: the many small commands of one tick (a take-over storm, a burst of
    // events) leave in one write and one round trip instead of one each.
    this.#redis = withScripts(new Redis(options.redisUrl, { ...connection, enableAutoPipelining: true }));
    this.#sub = new Redis(options.redisUrl, connection);
    this.#subscriptions = new ChannelBatcher(this.#sub);
    for (const client of [this.#redis, this.#sub]) {
      // Reported by `redisState` (/health); ioredis reconnects by itself.
      client.on('error', () => {});
    }
  }

  /** Connects to Redis (failing after `timeoutMs` with a readable error) and joins the cluster. */
  static async start(options: ClusterNodeOptions, timeoutMs = 10_000): Promise<ClusterNode> {
    const node = new ClusterNode(options);
    let timer: ReturnType<typeof globalThis.setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.all([node.#redis.ping(), node.#sub.subscribe(nodeChannel(node.nodeId))]),
        new Promise((_, reject) => {
          timer = globalThis.setTimeout(() => reject(new Error(`Redis at REDIS_URL did not answer within ${timeoutMs / 1000} s.`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      node.#redis.disconnect();
      node.#sub.disconnect();
      throw error;
    } finally {
      globalThis.clearTimeout(timer);
    }
    const keys = nodeKeys(node.nodeId);
    node.#leftovers = await node.#redis.smembers(keys.owned);
    await node.#redis.multi().set(keys.alive, '1', 'PX', node.#leaseMs).sadd(NODES_KEY, node.nodeId).exec();
    node.#sub.on('message', (channel: string, message: string) => node.#onMessage(channel, message));
    // After an outage: resubscribed by ioredis; whatever was published meanwhile is in the streams.
    node.#sub.on('ready', () => {
      for (const agent of node.#agents.values()) void agent.sync();
    });
    // Back from an outage: the leases may have lapsed meanwhile. Owners renew at once (RENEW takes
    // a lapsed lease back when nobody took over); mirrors wait one check before taking any.
    node.#redis.on('ready', () => {
      node.#readyAt = Date.now();
      void node.#tick();
    });
    node.#ticker = globalThis.setInterval(() => void node.#tick(), node.#tickMs);
    node.#ticker.unref?.();
    return node;
  }

  get leaseMs(): number {
    return this.#leaseMs;
  }

  /** `ready` when both connections are up; `down` otherwise (the node keeps serving what it owns). */
  get redisState(): 'ready' | 'down' {
    return this.#redis.status === 'ready' && this.#sub.status === 'ready' ? 'ready' : 'down';
  }

  get agentsOwned(): number {
    let owned = 0;
    for (const agent of this.#agents.values()) if (agent.isOwner) owned++;
    return owned;
  }

  get agentsHeld(): number {
    return this.#agents.size;
  }

  /** The agent as the registry's hub needs it: subscribed, its numbering and state read back. */
  async open(agentId: string): Promise<ClusterOpened> {
    const face = await this.#options.createConnector(agentId);
    const agent = new ClusterAgent(this, agentId, face);
    this.#agents.get(agentId)?.disconnect();
    this.#agents.set(agentId, agent);
    // Subscribed first: anything numbered while the state is read is heard, or fetched after.
    await this.#subscriptions.subscribe(agent.keys.channel);
    const [stateJson, tail] = await Promise.all([
      this.#redis.get(agent.keys.state),
      this.#redis.xrevrange(agent.keys.events, '+', '-', 'COUNT', this.#options.streamMaxLen),
    ]);
    const saved = parseSaved(stateJson);
    const events = tail.reverse().map(([id, fields]) => ({ seq: Number.parseInt(id, 10), eventJson: fields[1] ?? '{}' }));
    // The saved state is written debounced: what the stream has after it is folded on top.
    const restored: PersistedAgent = { seq: saved.seq, state: saved.state };
    return {
      connector: agent,
      restored,
      preload: events,
      emit: (json) => agent.append(json),
      attach: (hub) => {
        hub.preload(events.filter((event) => event.seq <= saved.seq));
        for (const event of events) if (event.seq > saved.seq) hub.deliver(event.seq, event.eventJson);
        // Last: what was heard on the channel meanwhile follows what was read.
        agent.attach(hub);
      },
    };
  }

  // --- used by ClusterAgent --------------------------------------------------------------------

  createVendor(agentId: string): Promise<Connector> {
    return Promise.resolve(this.#options.createConnector(agentId));
  }

  acquire(agent: ClusterAgent): Promise<number> {
    return this.#redis.abAcquire(agent.keys.lease, agent.keys.fence, this.nodeId, this.#leaseMs);
  }

  async release(agent: ClusterAgent, token: number): Promise<void> {
    try {
      // When released, the script tells the nodes with sockets for the agent on its channel, so
      // they take it at once instead of at their next check.
      await this.#redis.abRelease(agent.keys.lease, agent.keys.fence, this.nodeId, token, agent.keys.channel);
    } catch (error) {
      this.log(`agent ${agent.agentId}: lease not released: ${String(error)}`);
    }
  }

  append(agent: ClusterAgent, token: number, json: string): Promise<number> {
    return this.#redis.abAppend(agent.keys.fence, agent.keys.seq, agent.keys.events, token, json, this.#options.streamMaxLen, agent.keys.channel);
  }

  async saveState(agent: ClusterAgent, token: number, json: string): Promise<void> {
    try {
      await this.#redis.abSaveState(agent.keys.fence, agent.keys.state, token, json);
    } catch (error) {
      this.log(`agent ${agent.agentId}: state not saved: ${String(error)}`);
    }
  }

  async readEvents(streamKey: string, after: number, count: number): Promise<Array<{ seq: number; json: string }>> {
    const entries = await this.#redis.xrange(streamKey, `${after + 1}-0`, '+', 'COUNT', count);
    return entries.map(([id, fields]) => ({ seq: Number.parseInt(id, 10), json: fields[1] ?? '{}' }));
  }

  async ownerOf(agent: ClusterAgent): Promise<string | undefined> {
    return (await this.#redis.get(agent.keys.lease)) ?? undefined;
  }

  /** Runs a command on the agent's owner and waits for its answer. */
  async forward(owner: string, agentId: string, command: Command): Promise<void> {
    const id = randomUUID();
    const answered = new Promise<void>((resolve, reject) => {
      const timeoutMs = this.#options.forwardTimeoutMs ?? 10_000;
      const timer = globalThis.setTimeout(() => {
        this.#pending.delete(id);
        reject(new CtiError({ code: ErrorCode.Timeout, message: `The gateway node serving agent ${agentId} did not answer within ${timeoutMs / 1000} s.`, commandId: command.id }));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
    });
    // The answer (or this node's close) may settle it while the publish below is still pending,
    // before anyone awaits it: handled here so that is not an unhandled rejection (which ends
    // the process); the caller still gets it from the returned promise.
    answered.catch(() => {});
    const request: ForwardRequest = { id, from: this.nodeId, agentId, command, deadline: Date.now() + (this.#options.forwardTimeoutMs ?? 10_000) };
    let receivers: number;
    try {
      receivers = await this.#redis.publish(nodeChannel(owner), JSON.stringify(request));
    } catch (error) {
      this.#settle(id);
      throw CtiError.from(error, { code: ErrorCode.NotConnected, commandId: command.id });
    }
    if (receivers === 0) {
      // Not re-sent anywhere: the node is gone, and its lease will expire shortly. This node
      // takes the agent the moment it does (instead of at its next check).
      const agent = this.#agents.get(agentId);
      if (agent) void this.#redis.pttl(agent.keys.lease).then((ttl) => this.#onLeaseTtl(agent, ttl), () => {});
      this.#pending.get(id)?.reject(
        new CtiError({ code: ErrorCode.NotConnected, message: `Agent ${agentId} is moving between gateway nodes; try again in a moment.`, commandId: command.id }),
      );
      this.#settle(id);
    }
    return answered;
  }

  forget(agent: ClusterAgent): void {
    if (this.#agents.get(agent.agentId) !== agent) return;
    this.#agents.delete(agent.agentId);
    if (!this.#closed) void this.#subscriptions.unsubscribe(agent.keys.channel).catch(() => {});
  }

  countEvent(): void {
    const second = Math.floor(Date.now() / 1000);
    this.#eventBuckets.set(second, (this.#eventBuckets.get(second) ?? 0) + 1);
    this.#options.counters.add('clusterEvents');
  }

  countTakeOver(): void {
    this.#options.counters.add('leaseTakeOvers');
  }

  /** Whether commands can reach another node (Redis is up): checked before any forwarding. */
  get canForward(): boolean {
    return this.#redis.status === 'ready';
  }

  recordLatency(ms: number, forwarded: boolean): void {
    if (this.#latencies.length < LATENCY_SAMPLES) this.#latencies.push(ms);
    else this.#latencies[this.#latencyIndex++ % LATENCY_SAMPLES] = ms;
    this.#options.counters.add(forwarded ? 'commandsForwarded' : 'commandsLocal');
  }

  log(line: string): void {
    this.#options.log(`[${this.nodeId}] ${line}`);
  }

  // --- health and metrics ----------------------------------------------------------------------

  health(): { nodeId: string; redis: 'ready' | 'down'; status: 'ok' | 'degraded'; agentsOwned: number; agents: number } {
    const redis = this.redisState;
    return { nodeId: this.nodeId, redis, status: redis === 'ready' ? 'ok' : 'degraded', agentsOwned: this.agentsOwned, agents: this.agentsHeld };
  }

  metrics(): ClusterMetrics {
    const now = Math.floor(Date.now() / 1000);
    let recent = 0;
    for (const [second, count] of this.#eventBuckets) {
      if (second < now - 10) this.#eventBuckets.delete(second);
      else if (second < now) recent += count;
    }
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const pick = (q: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    return {
      nodeId: this.nodeId,
      redis: this.redisState,
      agentsOwned: this.agentsOwned,
      agentsHeld: this.agentsHeld,
      eventsPerSecond: recent / 10,
      commandLatencyP50Ms: pick(0.5),
      commandLatencyP99Ms: pick(0.99),
      leaseTakeOvers: this.#options.counters.get('leaseTakeOvers'),
    };
  }

  /** Stops the timers and the connections (the registry has closed the hubs, releasing leases). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    globalThis.clearInterval(this.#ticker);
    for (const timer of this.#expiryTimers.values()) globalThis.clearTimeout(timer);
    this.#expiryTimers.clear();
    // No longer alive: the others adopt at their next check whatever no mirror took at RELEASED
    // (queued behind the releases the registry has sent: the same auto-pipeline, in order).
    const gone = this.#redis.del(nodeKeys(this.nodeId).alive).catch(() => {});
    for (const id of [...this.#pending.keys()]) {
      this.#pending.get(id)?.reject(new CtiError({ code: ErrorCode.NotConnected, message: 'The gateway node is stopping.' }));
      this.#settle(id);
    }
    this.#sub.disconnect();
    // QUIT waits for the releases already sent, but is never auto-pipelined: it could leave ahead
    // of them, so it follows the DEL's answer. Bounded: Redis may be gone.
    await Promise.race([gone.then(() => this.#redis.quit()).catch(() => {}), new Promise((resolve) => globalThis.setTimeout(resolve, 1000))]);
    this.#redis.disconnect();
  }

  // --- internals -------------------------------------------------------------------------------

  #settle(id: string): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    globalThis.clearTimeout(pending.timer);
    this.#pending.delete(id);
  }

  #onMessage(channel: string, message: string): void {
    if (channel === nodeChannel(this.nodeId)) {
      this.#onNodeMessage(message);
      return;
    }
    // `ab:{agentId}:ev`
    const agentId = channel.slice(4, channel.length - 4);
    const agent = this.#agents.get(agentId);
    if (!agent) return;
    if (message === RELEASED) {
      void agent.tryTakeOver().catch(() => {});
      return;
    }
    const match = /^\{"seq":(\d+),/.exec(message);
    if (match) agent.receive(Number(match[1]), message);
  }

  #onNodeMessage(message: string): void {
    let parsed: Partial<ForwardRequest & ForwardReply>;
    try {
      parsed = JSON.parse(message) as Partial<ForwardRequest & ForwardReply>;
    } catch {
      return;
    }
    if (typeof parsed.id !== 'string') return;
    if (typeof parsed.from === 'string' && typeof parsed.agentId === 'string') {
      void this.#serveForwarded(parsed as ForwardRequest);
      return;
    }
    const pending = this.#pending.get(parsed.id);
    if (!pending) return;
    this.#settle(parsed.id);
    if (parsed.ok) pending.resolve();
    else pending.reject(CtiError.from(parsed.error ?? { code: ErrorCode.Rejected, message: 'The owning node refused the command.' }));
  }

  async #serveForwarded(request: ForwardRequest): Promise<void> {
    const reply: ForwardReply = { id: request.id, ok: true };
    try {
      if (typeof request.deadline === 'number' && Date.now() > request.deadline) {
        throw new CtiError({ code: ErrorCode.Timeout, message: `A command for agent ${request.agentId} arrived after its requester stopped waiting; not run.` });
      }
      const agent = this.#agents.get(request.agentId);
      if (!agent?.isOwner || !agent.hub) {
        throw new CtiError({ code: ErrorCode.NotConnected, message: `Agent ${request.agentId} is moving between gateway nodes; try again in a moment.` });
      }
      const command = parseCommand(request.command);
      await agent.hub.execute(command);
    } catch (error) {
      reply.ok = false;
      reply.error = CtiError.from(error).toJSON();
    }
    await this.#redis.publish(nodeChannel(request.from), JSON.stringify(reply)).catch(() => {});
  }

  /**
   * Renews the leases held and says this node is alive (with the agents it owns, for adoption);
   * watches the leases of agents mirrored here (their owner may have died); adopts orphans.
   */
  async #tick(): Promise<void> {
    if (this.#closed || this.#redis.status !== 'ready') return;
    const agents = [...this.#agents.values()];
    const owning = agents.map((agent) => agent.isOwner);
    const keys = nodeKeys(this.nodeId);
    const pipeline = this.#redis.pipeline();
    agents.forEach((agent, index) => {
      if (owning[index]) (pipeline as unknown as ClusterRedis).abRenew(agent.keys.lease, agent.keys.fence, this.nodeId, agent.token, this.#leaseMs);
      else pipeline.pttl(agent.keys.lease);
    });
    const owned = agents.filter((_, index) => owning[index]).map((agent) => agent.agentId);
    pipeline.set(keys.alive, '1', 'PX', this.#leaseMs).sadd(NODES_KEY, this.nodeId).del(keys.owned);
    if (owned.length > 0) pipeline.sadd(keys.owned, ...owned);
    let results: Array<[Error | null, unknown]> | null;
    try {
      results = await pipeline.exec();
    } catch {
      return;
    }
    agents.forEach((agent, index) => {
      const [error, value] = results?.[index] ?? [null, undefined];
      if (error) return;
      if (owning[index]) {
        if (value === 0) agent.demote('its lease was taken over');
      } else this.#onLeaseTtl(agent, Number(value));
    });
    await this.#adoptOrphans().catch((error: unknown) => this.log(`adopting orphaned agents failed: ${String(error)}`));
  }

  /** A mirrored agent's lease: gone → take it; lapsing before the next check → take it then. */
  #onLeaseTtl(agent: ClusterAgent, ttlMs: number): void {
    if (this.#closed || agent.isOwner) return;
    if (ttlMs === -2 && Date.now() - this.#readyAt < this.#tickMs) return;
    if (ttlMs === -2) {
      void agent.tryTakeOver().catch(() => {});
      return;
    }
    if (ttlMs < 0 || ttlMs >= this.#tickMs || this.#expiryTimers.has(agent.agentId)) return;
    const timer = globalThis.setTimeout(() => {
      this.#expiryTimers.delete(agent.agentId);
      if (this.#agents.get(agent.agentId) === agent) void agent.tryTakeOver().catch(() => {});
    }, ttlMs + 1);
    timer.unref?.();
    this.#expiryTimers.set(agent.agentId, timer);
  }

  /**
   * The agents of a dead node (its `alive` key lapsed with its leases) that no node mirrors would
   * stay undriven until one of their clients came back. Each live node pops a batch of them (SPOP:
   * each agent to exactly one node) and opens their hubs, which take the leases over as they
   * lapse. An agent already held by a live node is left alone.
   */
  async #adoptOrphans(): Promise<void> {
    const adopt = this.#options.adopt;
    if (!adopt) return;
    const orphans = this.#leftovers.splice(0);
    const others = (await this.#redis.smembers(NODES_KEY)).filter((id) => id !== this.nodeId);
    const alive = new Set([this.nodeId]);
    if (others.length > 0) {
      const exists = (await this.#redis.pipeline(others.map((id) => ['exists', nodeKeys(id).alive])).exec()) ?? [];
      others.forEach((id, index) => {
        if (exists[index]?.[1] === 1) alive.add(id);
      });
    }
    for (const id of others) {
      if (alive.has(id)) continue;
      const popped = await this.#redis.spop(nodeKeys(id).owned, ADOPT_BATCH);
      if (popped.length === 0) await this.#redis.srem(NODES_KEY, id);
      orphans.push(...popped);
    }
    const candidates = orphans.filter((agentId) => !this.#agents.has(agentId));
    if (candidates.length === 0) return;
    const holders = (await this.#redis.pipeline(candidates.map((agentId) => ['get', agentKeys(agentId).lease])).exec()) ?? [];
    candidates.forEach((agentId, index) => {
      const holder = holders[index]?.[1];
      if (typeof holder === 'string' && alive.has(holder)) return;
      this.#options.counters.add('agentsAdopted');
      this.log(`agent ${agentId}: adopted (its node is gone)`);
      adopt(agentId).catch((error: unknown) => this.log(`agent ${agentId}: not adopted: ${String(error)}`));
    });
  }
}

function parseSaved(json: string | null): { seq: number; state: CanonicalEvent[] } {
  if (!json) return { seq: 0, state: [] };
  try {
    const value = JSON.parse(json) as { seq?: unknown; state?: unknown };
    if (Number.isSafeInteger(value.seq) && Array.isArray(value.state)) return { seq: value.seq as number, state: value.state as CanonicalEvent[] };
  } catch {
    // A damaged state is rebuilt by the owner's connector (the backend's truth).
  }
  return { seq: 0, state: [] };
}

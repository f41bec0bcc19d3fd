/**
 * The agents this server serves: one `AgentHub` per agentId, created on first use (hello, REST
 * call, control call) and kept while anyone uses it, so an agent who reloads the page finds its
 * call again. Bounded three ways, so a flood of made-up agent ids cannot exhaust memory or lock
 * real agents out: at most `maxAgents` hubs, at most `agentCreationBurst` new ones at once and
 * `agentCreationPerSec` after that, and a hub idle for `hubIdleMs` (no socket, no long-poll, no
 * command, no call) is closed.
 */
import type { Connector } from '../src/core/connector.ts';
import { CtiError, ErrorCode } from '../src/core/errors.ts';
import { AgentHub, type HubLimits, type HubObserver, type PersistedAgent } from './agent-hub.ts';
import type { Redactor } from './redactor.ts';
import type { StateStore } from './state-store.ts';
import { AGENT_ID_RULE, isAgentId } from './agent-id.ts';
import { CreationRate } from './creation-rate.ts';
import { DEFAULT_LIMITS, type ServerLimits } from './limits.ts';
import type { Counters } from './metrics.ts';
import type { ClusterBinding } from './cluster/cluster-node.ts';

export type ConnectorFactory = (agentId: string) => Connector | Promise<Connector>;

export type RegistryLimits = HubLimits &
  Pick<ServerLimits, 'maxAgents' | 'hubIdleMs' | 'agentCreationPerSec' | 'agentCreationBurst'>;

export interface HubRegistryOptions {
  createConnector: ConnectorFactory;
  /** Overrides `limits.maxAgents`. */
  maxAgents?: number;
  /** Overrides `limits.replayMaxEvents`. */
  capacity?: number;
  limits?: Partial<RegistryLimits>;
  redact?: Redactor;
  store?: StateStore;
  counters?: Counters;
  /** Cluster mode: agents are numbered, stored and owned through Redis (server/cluster/). */
  cluster?: ClusterBinding;
  /** Every hub's events and command times (`/metrics`). */
  observe?: HubObserver;
}

/**
 * Last `seq` of agents whose idle hub was closed, so a new hub continues their numbering (a reused
 * number would be dropped by a returning client as a duplicate). Only numbers: a few dozen bytes
 * each, and the oldest are forgotten past this many.
 */
const RETIRED_SEQS_KEPT = 50_000;

export class HubRegistry {
  #options: HubRegistryOptions;
  #limits: RegistryLimits;
  #hubs = new Map<string, AgentHub>();
  /** Hubs being created: concurrent first requests for one agent share one connector. */
  #opening = new Map<string, Promise<AgentHub>>();
  #restored = new Map<string, PersistedAgent>();
  #retiredSeqs = new Map<string, number>();
  #rate: CreationRate;
  #sweeper: ReturnType<typeof globalThis.setInterval> | undefined;
  #closed = false;

  constructor(options: HubRegistryOptions) {
    this.#options = options;
    this.#limits = {
      ...DEFAULT_LIMITS,
      ...options.limits,
      ...(options.maxAgents !== undefined ? { maxAgents: options.maxAgents } : {}),
      ...(options.capacity !== undefined ? { replayMaxEvents: options.capacity } : {}),
    };
    this.#rate = new CreationRate(this.#limits.agentCreationPerSec, this.#limits.agentCreationBurst);
    if (options.store) {
      this.#restored = options.store.load();
    }
    if (this.#limits.hubIdleMs > 0) {
      // Often enough that a hub goes at most half an idle period late; never busier than 10 ms.
      const every = Math.min(30_000, Math.max(10, Math.floor(this.#limits.hubIdleMs / 2)));
      this.#sweeper = globalThis.setInterval(() => this.evictIdle(), every);
      this.#sweeper.unref?.();
    }
  }

  /** Agent ids read from the state file (the server opens them at start). */
  get restoredAgentIds(): string[] {
    return [...this.#restored.keys()];
  }

  get size(): number {
    return this.#hubs.size;
  }

  get(agentId: string): AgentHub | undefined {
    return this.#hubs.get(agentId);
  }

  hubs(): IterableIterator<AgentHub> {
    return this.#hubs.values();
  }

  /**
   * Cluster mode: opens the hub of an agent whose node died (see ClusterNode), whatever the
   * creation rate — the agent existed before, like one from the state file.
   */
  adopt(agentId: string): Promise<AgentHub> {
    return this.open(agentId, true);
  }

  /** The agent's hub, connected; rejects with a `CtiError` when the connector cannot start. */
  open(agentId: string, existedBefore = false): Promise<AgentHub> {
    const existing = this.#hubs.get(agentId);
    if (existing) {
      existing.touch();
      return Promise.resolve(existing);
    }
    const opening = this.#opening.get(agentId);
    if (opening) return opening;
    if (this.#closed) {
      return Promise.reject(new CtiError({ code: ErrorCode.NotConnected, message: 'The server is shutting down.' }));
    }
    if (!isAgentId(agentId)) {
      return Promise.reject(new CtiError({ code: ErrorCode.InvalidArgument, message: `${AGENT_ID_RULE}.` }));
    }
    if (this.#hubs.size + this.#opening.size >= this.#limits.maxAgents) {
      // Idle hubs make room before anyone is refused.
      this.evictIdle();
      if (this.#hubs.size + this.#opening.size >= this.#limits.maxAgents) {
        this.#options.counters?.add('agentsRefused');
        return Promise.reject(
          new CtiError({ code: ErrorCode.Rejected, message: `Too many agents on this server (limit ${this.#limits.maxAgents}).` }),
        );
      }
    }
    // Agents from the state file come back whatever the rate: they existed before the restart.
    const allowed = existedBefore || this.#restored.has(agentId) ? ({ ok: true } as const) : this.#rate.take();
    if (!allowed.ok) {
      this.#options.counters?.add('agentsRefused');
      return Promise.reject(
        new CtiError({
          code: ErrorCode.Rejected,
          message: `Too many new agents at once on this server; try again in ${Math.max(1, Math.ceil(allowed.retryInMs / 1000))} s.`,
        }),
      );
    }
    const promise = this.#create(agentId).finally(() => this.#opening.delete(agentId));
    this.#opening.set(agentId, promise);
    return promise;
  }

  async #create(agentId: string): Promise<AgentHub> {
    const clustered = await this.#options.cluster?.open(agentId);
    const connector = clustered?.connector ?? (await this.#options.createConnector(agentId));
    const hub = new AgentHub({
      agentId,
      connector,
      limits: this.#limits,
      restored: clustered?.restored ?? this.#restored.get(agentId),
      emit: clustered?.emit,
      startSeq: this.#retiredSeqs.get(agentId),
      redact: this.#options.redact,
      persistence: this.#options.store,
      onDropped: () => this.#options.counters?.add('connectorEventsDropped'),
      observe: this.#options.observe,
    });
    clustered?.attach(hub);
    try {
      await hub.start();
    } catch (error) {
      hub.close();
      throw CtiError.from(error, { code: ErrorCode.NotConnected });
    }
    if (this.#closed) {
      hub.close();
      throw new CtiError({ code: ErrorCode.NotConnected, message: 'The server is shutting down.' });
    }
    this.#restored.delete(agentId);
    this.#retiredSeqs.delete(agentId);
    this.#hubs.set(agentId, hub);
    return hub;
  }

  /**
   * Closes hubs idle for `hubIdleMs` (see `AgentHub.isIdle`); their connectors disconnect and
   * their memory goes. The agent comes back on its next request, numbering continued. Returns how
   * many were closed.
   */
  evictIdle(now = Date.now()): number {
    const idleMs = this.#limits.hubIdleMs;
    if (idleMs <= 0 || this.#closed) return 0;
    let evicted = 0;
    for (const [agentId, hub] of this.#hubs) {
      if (!hub.isIdle(now, idleMs)) continue;
      this.#hubs.delete(agentId);
      hub.close();
      this.#options.store?.forget(agentId);
      this.#retiredSeqs.delete(agentId);
      this.#retiredSeqs.set(agentId, hub.seq);
      if (this.#retiredSeqs.size > RETIRED_SEQS_KEPT) {
        this.#retiredSeqs.delete(this.#retiredSeqs.keys().next().value!);
      }
      evicted++;
    }
    if (evicted > 0) this.#options.counters?.add('hubsEvicted', evicted);
    return evicted;
  }

  /** Saves the state (clean) and disconnects every connector. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sweeper !== undefined) globalThis.clearInterval(this.#sweeper);
    this.#options.store?.close();
    for (const hub of this.#hubs.values()) hub.close();
    this.#hubs.clear();
  }
}

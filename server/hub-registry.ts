/**
 * The agents this server serves: one `AgentHub` per agentId, created on first use (hello, REST
 * call, control call) and kept while the server runs, so an agent who reloads the page finds its
 * call again. Bounded, so a flood of made-up agent ids cannot exhaust memory.
 */
import type { Connector } from '../src/core/connector.ts';
import { CtiError, ErrorCode } from '../src/core/errors.ts';
import { AgentHub, type PersistedAgent } from './agent-hub.ts';
import type { Redactor } from './redactor.ts';
import type { StateStore } from './state-store.ts';

export type ConnectorFactory = (agentId: string) => Connector | Promise<Connector>;

export interface HubRegistryOptions {
  createConnector: ConnectorFactory;
  maxAgents: number;
  capacity?: number;
  redact?: Redactor;
  store?: StateStore;
}

export class HubRegistry {
  #options: HubRegistryOptions;
  #hubs = new Map<string, AgentHub>();
  /** Hubs being created: concurrent first requests for one agent share one connector. */
  #opening = new Map<string, Promise<AgentHub>>();
  #restored = new Map<string, PersistedAgent>();
  #closed = false;

  constructor(options: HubRegistryOptions) {
    this.#options = options;
    if (options.store) {
      this.#restored = options.store.load();
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

  /** The agent's hub, connected; rejects with a `CtiError` when the connector cannot start. */
  open(agentId: string): Promise<AgentHub> {
    const existing = this.#hubs.get(agentId);
    if (existing) return Promise.resolve(existing);
    const opening = this.#opening.get(agentId);
    if (opening) return opening;
    if (this.#closed) {
      return Promise.reject(new CtiError({ code: ErrorCode.NotConnected, message: 'The server is shutting down.' }));
    }
    if (this.#hubs.size + this.#opening.size >= this.#options.maxAgents) {
      return Promise.reject(
        new CtiError({ code: ErrorCode.Rejected, message: `Too many agents on this server (limit ${this.#options.maxAgents}).` }),
      );
    }
    const promise = this.#create(agentId).finally(() => this.#opening.delete(agentId));
    this.#opening.set(agentId, promise);
    return promise;
  }

  async #create(agentId: string): Promise<AgentHub> {
    const connector = await this.#options.createConnector(agentId);
    const hub = new AgentHub({
      agentId,
      connector,
      capacity: this.#options.capacity,
      restored: this.#restored.get(agentId),
      redact: this.#options.redact,
      persistence: this.#options.store,
    });
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
    this.#hubs.set(agentId, hub);
    return hub;
  }

  /** Saves the state (clean) and disconnects every connector. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.store?.close();
    for (const hub of this.#hubs.values()) hub.close();
    this.#hubs.clear();
  }
}

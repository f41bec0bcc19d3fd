/**
 * `/metrics` in the Prometheus text exposition format (prom-client), what a scraper reads from
 * each node: agents, sockets, connections, events delivered, command latency (histogram), memory,
 * the named counters of `Counters`, and in cluster mode the node's Redis state, agents owned,
 * lease take-overs and adoptions. Each scrape reads the figures once (`read`), at scrape time.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Counters } from './metrics.ts';

/** The figures a scrape reports (the same ones `/metrics` gives as JSON). */
export interface ScrapeFigures {
  agents: number;
  sockets: number;
  connections: number;
  longPolls: number;
  replayBytes: number;
  uptimeSec: number;
  memory: { rssBytes: number; heapUsedBytes: number };
  cluster?: { redis: string; agentsOwned: number; agentsHeld: number; eventsPerSecond: number };
}

/** Seconds; from a local command (~1 ms) to one forwarded through Redis to a busy owner. */
const COMMAND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class PrometheusMetrics {
  readonly registry = new Registry();
  #figures: ScrapeFigures | undefined;
  #read: () => ScrapeFigures;
  #commands: Histogram;

  constructor(options: { read: () => ScrapeFigures; counters: Counters; nodeId?: string }) {
    this.#read = options.read;
    const registers = [this.registry];
    // Every series of a cluster node says which node it is.
    if (options.nodeId) this.registry.setDefaultLabels({ node: options.nodeId });
    const gauge = (name: string, help: string, value: (f: ScrapeFigures) => number | undefined): void => {
      const figures = (): ScrapeFigures | undefined => this.#figures;
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const current = figures();
          const v = current ? value(current) : undefined;
          if (v !== undefined) this.set(v);
        },
      });
    };
    gauge('agentbar_agents', 'Agents with a hub on this node.', (f) => f.agents);
    gauge('agentbar_sockets', 'Agent WebSockets open on this node.', (f) => f.sockets);
    gauge('agentbar_connections', 'TCP connections open on this node.', (f) => f.connections);
    gauge('agentbar_long_polls', 'Long-poll requests held on this node.', (f) => f.longPolls);
    gauge('agentbar_replay_bytes', 'Bytes held in the agents’ replay buffers.', (f) => f.replayBytes);
    gauge('agentbar_uptime_seconds', 'Seconds since the server started.', (f) => f.uptimeSec);
    gauge('agentbar_resident_memory_bytes', 'Resident set size of the process.', (f) => f.memory.rssBytes);
    gauge('agentbar_heap_used_bytes', 'V8 heap in use.', (f) => f.memory.heapUsedBytes);
    if (options.nodeId) {
      gauge('agentbar_cluster_redis_up', '1 while both Redis connections are ready (0: degraded).', (f) => (f.cluster?.redis === 'ready' ? 1 : 0));
      gauge('agentbar_cluster_agents_owned', 'Agents whose lease (and vendor connector) this node holds.', (f) => f.cluster?.agentsOwned);
      gauge('agentbar_cluster_events_per_second', 'Events delivered per second, the last 10 s.', (f) => f.cluster?.eventsPerSecond);
    }
    const counters = options.counters;
    const counter = (name: string, help: string, value: () => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          // The count lives in `Counters` (also shown as JSON): mirrored here at scrape time.
          this.reset();
          this.inc(value());
        },
      });
    };
    counter('agentbar_events_total', 'Numbered events delivered to this node’s agents.', () => counters.get('events'));
    counter('agentbar_commands_total', 'Commands run for clients of this node.', () => counters.get('commands'));
    if (options.nodeId) {
      counter('agentbar_cluster_lease_takeovers_total', 'Agents this node took over (a new fencing token each).', () => counters.get('leaseTakeOvers'));
      counter('agentbar_cluster_agents_adopted_total', 'Agents of a dead node this node adopted (no node had a socket for them).', () => counters.get('agentsAdopted'));
      counter('agentbar_cluster_commands_forwarded_total', 'Commands forwarded to the owning node.', () => counters.get('commandsForwarded'));
    }
    // The other bounds and refusals, one series each (cut-offs, refused agents, timeouts …).
    new Counter({
      name: 'agentbar_occurrences_total',
      help: 'Named server counters (see docs/server.md, Limits).',
      labelNames: ['name'],
      registers,
      collect() {
        this.reset();
        for (const [name, value] of Object.entries(counters.toJSON())) this.inc({ name }, value);
      },
    });
    this.#commands = new Histogram({
      name: 'agentbar_command_duration_seconds',
      help: 'Time from a client’s command to its answer, as this node saw it (forwarded ones included).',
      buckets: COMMAND_BUCKETS,
      registers,
    });
  }

  /** One command answered (or refused) after `ms`. */
  observeCommand(ms: number): void {
    this.#commands.observe(ms / 1000);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text, the figures read once for it. */
  async render(): Promise<string> {
    this.#figures = this.#read();
    try {
      return await this.registry.metrics();
    } finally {
      this.#figures = undefined;
    }
  }
}

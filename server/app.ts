/**
 * The reference server and gateway: one HTTP server that serves the canonical protocol over
 * WebSocket (`/ws`) and REST polling (`/api/agents/…`), the simulator control API (`/control/…`),
 * `/health` (liveness only) and `/metrics` (with a metrics token). Reference mode runs the simulator for any agent id; gateway mode runs any
 * connector with the server's vendor secrets and admits only agents with a valid signed token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HubRegistry, type ConnectorFactory } from './hub-registry.ts';
import { StateStore } from './state-store.ts';
import { WebSocketEndpoint } from './websocket-endpoint.ts';
import { PollingEndpoint } from './polling-endpoint.ts';
import { ControlEndpoint } from './control-endpoint.ts';
import { openAccess, tokenAccess } from './access.ts';
import { createTokenVerifier } from './tokens.ts';
import { createRedactor } from './redactor.ts';
import { applyCors, isOriginAllowed, refuseSocket, sendJson } from './http-util.ts';
import { chooseConnector } from './connector-factory.ts';
import { resolveLimits, type ServerLimits } from './limits.ts';
import { Counters, MetricsEndpoint } from './metrics.ts';
import { PrometheusMetrics } from './prometheus.ts';
import { ConnectionGuard } from './connection-guard.ts';
import { ClusterNode } from './cluster/cluster-node.ts';

export interface ServerOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1: a simulator and a holder of vendor secrets are not for the network. */
  host?: string;
  /** Require signed tokens (`tokenSecret`). */
  gateway?: boolean;
  /** Connector name in the shared registry. Default `simulator`. */
  connector?: string;
  /** Vendor endpoint handed to the connector. */
  connectorEndpoint?: string;
  /** Vendor secrets and options handed to the connector; never sent, logged or echoed. */
  connectorConfig?: Record<string, unknown>;
  /** Overrides `connector` (tests, embedding). Undeclared: nothing of its config is redacted. */
  createConnector?: ConnectorFactory;
  /** HMAC secret for agent tokens, at least 32 bytes; required in gateway mode. */
  tokenSecret?: string;
  /** Persist seq counters and state here (see state-store.ts). */
  stateFile?: string;
  /** Browser origins allowed besides http(s)://127.0.0.1|localhost:any-port. */
  allowedOrigins?: string[];
  /** Resource bounds (limits.ts); each missing one keeps its default. */
  limits?: Partial<ServerLimits>;
  /** Enables `GET /metrics` for `Authorization: Bearer <metricsToken>` (≥ 16 characters). */
  metricsToken?: string;
  /** Upper bound on agents (hubs). Default 10,000. Same as `limits.maxAgents`. */
  maxAgents?: number;
  /** Replay buffer per agent. Default 10,000 events. Same as `limits.replayMaxEvents`. */
  replayCapacity?: number;
  /** WebSocket heartbeat period. Default 30 s. */
  heartbeatMs?: number;
  /** Cluster mode: a Redis shared by the gateway's nodes (server/cluster/, docs/server.md). */
  redisUrl?: string;
  /** This node's id in the cluster. Default: random per process. */
  nodeId?: string;
  /** How long an agent's lease lives without renewal (cluster mode). Default 10 s. */
  leaseMs?: number;
  /** Log lines (redacted). Default: none. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  /** `ws://host:port/ws` */
  wsUrl: string;
  port: number;
  registry: HubRegistry;
  /** Cluster mode only. */
  cluster?: ClusterNode;
  /** Saves state (clean), closes sockets and connectors, stops listening. Idempotent. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const gateway = options.gateway ?? false;
  const limits = resolveLimits(
    {
      ...options.limits,
      ...(options.maxAgents !== undefined ? { maxAgents: options.maxAgents } : {}),
      ...(options.replayCapacity !== undefined ? { replayMaxEvents: options.replayCapacity } : {}),
    },
    { gateway },
  );
  const access = gateway ? tokenAccess(createTokenVerifier(options.tokenSecret ?? '')) : openAccess;
  const connectorName = options.connector ?? 'simulator';
  const chosen = options.createConnector
    ? { create: options.createConnector, secrets: [], loginFields: undefined }
    : await chooseConnector(connectorName, options.connectorEndpoint, options.connectorConfig);
  const createConnector = chosen.create;
  // Exactly the declared secrets of the connector's config, plus the token secret and the
  // metrics token: they must never leave the server either.
  const redact = createRedactor([
    ...chosen.secrets,
    ...(options.tokenSecret ? [options.tokenSecret] : []),
    ...(options.metricsToken ? [options.metricsToken] : []),
  ]);
  const counters = new Counters();
  const log = (line: string): void => options.log?.(redact(line));
  const store = options.stateFile ? new StateStore(options.stateFile, { log }) : undefined;
  if (options.redisUrl && store) throw new Error('STATE_FILE and REDIS_URL do not go together: a cluster keeps its state in Redis.');
  const cluster = options.redisUrl
    ? await ClusterNode.start({
        redisUrl: options.redisUrl,
        nodeId: options.nodeId,
        leaseMs: options.leaseMs,
        streamMaxLen: limits.replayMaxEvents,
        createConnector,
        // Called from the node's checks, which start after the registry below exists.
        adopt: (agentId) => registry.adopt(agentId),
        counters,
        log,
      })
    : undefined;
  const figures = () => {
    const memory = process.memoryUsage();
    let replayBytes = 0;
    for (const hub of registry.hubs()) replayBytes += hub.replayBytes;
    return {
      uptimeSec: Math.round((Date.now() - startedAt) / 1000),
      agents: registry.size,
      sockets: webSocket.clientCount,
      connections: guard.open,
      longPolls: [...openPolls.values()].reduce((sum, set) => sum + set.size, 0),
      replayBytes,
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
    };
  };
  const prometheus = new PrometheusMetrics({
    counters,
    nodeId: cluster?.nodeId,
    read: () => ({ ...figures(), ...(cluster ? { cluster: cluster.metrics() } : {}) }),
  });
  const observe = {
    event: () => counters.add('events'),
    command: (ms: number) => {
      counters.add('commands');
      prometheus.observeCommand(ms);
    },
  };
  const registry = new HubRegistry({ createConnector, limits, redact, store, counters, cluster, observe });
  const extraOrigins = options.allowedOrigins ?? [];
  const originAllowed = (origin: string | undefined): boolean => isOriginAllowed(origin, extraOrigins);

  const webSocket = new WebSocketEndpoint({
    registry,
    access,
    redact,
    isOriginAllowed: originAllowed,
    heartbeatMs: options.heartbeatMs,
    maxBufferedBytes: limits.sendBufferMaxBytes,
    socketsPerAgent: limits.socketsPerAgent,
    counters,
    log,
    loginFields: chosen.loginFields,
  });
  const polling = new PollingEndpoint({ registry, access, redact });
  const control = new ControlEndpoint({
    registry,
    access,
    redact,
    dropConnections: (agentId) => webSocket.dropAgent(agentId) + dropLongPolls(agentId),
  });

  // Long-poll responses per agent, so drop-connections can cut them like sockets.
  const openPolls = new Map<string, Set<ServerResponse>>();
  const dropLongPolls = (agentId: string): number => {
    const responses = openPolls.get(agentId);
    if (!responses) return 0;
    for (const res of responses) res.destroy();
    return responses.size;
  };
  const trackPoll = (url: URL, res: ServerResponse): void => {
    const match = /^\/api\/agents\/([^/]+)\/events$/.exec(url.pathname);
    if (!match) return;
    const agentId = match[1]!;
    let set = openPolls.get(agentId);
    if (!set) openPolls.set(agentId, (set = new Set()));
    set.add(res);
    res.on('close', () => {
      set.delete(res);
      if (set.size === 0 && openPolls.get(agentId) === set) openPolls.delete(agentId);
    });
  };

  const startedAt = Date.now();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://server.invalid');
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Bad request URL.' } }, redact);
      return;
    }
    if (!originAllowed(req.headers.origin)) {
      // No CORS headers and no action: a page from a foreign origin cannot drive the simulator.
      sendJson(res, 403, { ok: false, error: { code: 'UNAUTHORIZED', message: 'Origin not allowed.' } }, redact);
      return;
    }
    applyCors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/health' && req.method === 'GET') {
      // Liveness only: the mode, connector and counts are for operators (`/metrics`). A cluster
      // node also says which node it is, how many agents it owns and whether Redis is reachable
      // (degraded: it keeps serving the agents it owns).
      sendJson(res, 200, cluster ? { ok: true, ...cluster.health() } : { ok: true }, redact);
      return;
    }
    if (metrics.handle(req, res, url)) return;
    trackPoll(url, res);
    if (polling.handle(req, res, url) || control.handle(req, res, url)) return;
    sendJson(res, 404, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Not found.' } }, redact);
  };

  const metrics = new MetricsEndpoint({
    token: options.metricsToken,
    redact,
    prometheus,
    read: () => {
      const { uptimeSec, agents, sockets, connections, longPolls, replayBytes, memory } = figures();
      return {
        mode: gateway ? 'gateway' : 'reference',
        connector: options.createConnector ? 'custom' : connectorName,
        uptimeSec,
        agents,
        sockets,
        connections,
        connectionSources: guard.sources,
        longPolls,
        replayBytes,
        memory,
        counters: counters.toJSON(),
        ...(cluster ? { cluster: cluster.metrics() } : {}),
        limits,
      };
    },
  });

  const server = createServer(
    // Timed-out connections are found by this sweep; a short headers timeout needs a short sweep.
    { connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(limits.headersTimeoutMs / 4))) },
    onRequest,
  );
  const guard = new ConnectionGuard(server, { perSource: limits.connectionsPerSource, counters });
  // Long-polls are held up to 30 s; keep the socket longer than that.
  server.requestTimeout = Math.max(60_000, limits.headersTimeoutMs);
  server.headersTimeout = limits.headersTimeoutMs;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/ws') webSocket.handleUpgrade(req, socket, head);
    else refuseSocket(socket, '404 Not Found');
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Destroyed, not just ended: `end()` half-closes and waits for the client to read the answer
    // and close its side, so a client that does neither kept the socket (and its descriptor)
    // forever. One best-effort write of the status first; whatever is unsent is dropped.
    counters.add(error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'connectionsTimedOut' : 'badRequests');
    refuseSocket(socket, error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request');
  });

  // Agents from the state file come back at once, so their simulated calls carry on.
  for (const agentId of registry.restoredAgentIds) {
    await registry.open(agentId).catch((error: unknown) => log(`could not restore agent ${agentId}: ${String(error)}`));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  log(`${gateway ? 'gateway' : 'reference server'} listening on ${url} (connector ${connectorName})${cluster ? ` as cluster node ${cluster.nodeId}` : ''}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    wsUrl: `ws://${hostForUrl}:${address.port}/ws`,
    port: address.port,
    registry,
    cluster,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Hubs first: a cluster node releases its leases (another node takes the agents over)
        // before its clients are told to go and reconnect elsewhere.
        registry.close();
        webSocket.close();
        for (const agentId of [...openPolls.keys()]) dropLongPolls(agentId);
        let pending = 2;
        const done = (): void => {
          if (--pending === 0) resolve();
        };
        server.close(done);
        server.closeAllConnections();
        if (cluster) void cluster.close().then(done);
        else done();
      });
      return closing;
    },
  };
}

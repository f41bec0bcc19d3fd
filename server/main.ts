/**
 * `npm run server` — the reference server (or, with GATEWAY=1, the gateway) from the environment:
 *   PORT (default 8787), HOST (default 127.0.0.1), GATEWAY=1, CONNECTOR (default simulator),
 *   CONNECTOR_ENDPOINT, CONNECTOR_CONFIG (JSON: vendor secrets and options), TOKEN_SECRET
 *   (gateway; ≥ 32 bytes), STATE_FILE, ALLOWED_ORIGINS (comma-separated, besides loopback),
 *   METRICS_TOKEN (enables /metrics), REDIS_URL (a cluster node; NODE_ID, LEASE_MS), and the resource limits of limits.ts (docs/server.md).
 */
import { startServer, type ServerOptions } from './app.ts';
import { limitsFromEnv, type ServerLimits } from './limits.ts';

function fail(message: string): never {
  console.error(`server: ${message}`);
  process.exit(2);
}

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 100) fail(`${name} must be an integer of at least 100 (milliseconds).`);
  return value;
}

function readOptions(env: NodeJS.ProcessEnv): ServerOptions {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('PORT must be an integer 0..65535.');
  let connectorConfig: Record<string, unknown> | undefined;
  if (env.CONNECTOR_CONFIG) {
    try {
      connectorConfig = JSON.parse(env.CONNECTOR_CONFIG) as Record<string, unknown>;
    } catch {
      // Never print the value: it holds secrets.
      fail('CONNECTOR_CONFIG is not valid JSON.');
    }
    if (!connectorConfig || typeof connectorConfig !== 'object' || Array.isArray(connectorConfig)) {
      fail('CONNECTOR_CONFIG must be a JSON object.');
    }
  }
  const gateway = env.GATEWAY === '1' || env.GATEWAY === 'true';
  let limits: Partial<ServerLimits> = {};
  try {
    limits = limitsFromEnv(env);
  } catch (error) {
    fail((error as Error).message);
  }
  return {
    port,
    host: env.HOST || '127.0.0.1',
    gateway,
    connector: env.CONNECTOR || 'simulator',
    connectorEndpoint: env.CONNECTOR_ENDPOINT || undefined,
    connectorConfig,
    tokenSecret: env.TOKEN_SECRET || undefined,
    stateFile: env.STATE_FILE || undefined,
    limits,
    metricsToken: env.METRICS_TOKEN || undefined,
    redisUrl: env.REDIS_URL || undefined,
    nodeId: env.NODE_ID || undefined,
    leaseMs: env.LEASE_MS ? positiveInteger('LEASE_MS', env.LEASE_MS) : undefined,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    log: (line) => console.log(`[server] ${line}`),
  };
}

const options = readOptions(process.env);
let server;
try {
  server = await startServer(options);
} catch (error) {
  fail((error as Error).message);
}
const running = server;

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`[server] ${signal}: saving state and closing`);
  void running.close().then(() => process.exit(0));
  // A close that hangs must not keep the process alive.
  globalThis.setTimeout(() => process.exit(1), 5000).unref();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

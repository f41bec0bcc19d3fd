/**
 * What the cluster tests share: a real `redis-server` on 127.0.0.1 and a random port (installed
 * with apt-get when missing and running as root), and a canonical-protocol WebSocket client that
 * records every frame. Every wait is bounded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort } from '../fixtures/server-process.ts';
import { createGatewayConnector } from '../../src/connectors/gateway/gateway-connector.ts';
import { Session } from '../../src/core/session.ts';

function ensureRedisServer(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  if (process.getuid?.() === 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const installed = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
    if (installed) return installed;
  }
  throw new Error('redis-server is missing: install it with `sudo apt-get install -y redis-server`.');
}

export interface RedisProcess {
  url: string;
  port: number;
  /** Stops it (SIGTERM: the append-only file is flushed) and waits for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/** A redis-server of its own: loopback, random port, append-only file (survives a restart). */
export async function startRedis(): Promise<RedisProcess> {
  const binary = ensureRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'agent-bar-redis-'));
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      started.stdout!.on('data', (chunk: Buffer) => {
        output += String(chunk);
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output}`));
      });
    });
  };
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    restart: launch,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Frame = Record<string, any>;

/** A canonical-protocol client over a real WebSocket that keeps every frame it receives. */
export class ProtocolClient {
  readonly frames: Frame[] = [];
  #ws: WebSocket;
  #waiters = new Set<() => void>();
  #closed = false;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of [...this.#waiters]) wake();
    });
    ws.on('close', () => {
      this.#closed = true;
      for (const wake of [...this.#waiters]) wake();
    });
    ws.on('error', () => {});
  }

  static open(url: string): Promise<ProtocolClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const timer = setTimeout(() => reject(new Error(`no WebSocket to ${url}`)), 5000);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(new ProtocolClient(ws));
      });
      ws.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  async hello(agentId: string, after?: number): Promise<Frame> {
    this.#ws.send(JSON.stringify({ t: 'hello', agentId, ...(after !== undefined ? { after } : {}) }));
    return this.waitFor((f) => f.t === 'welcome' || f.t === 'error', `welcome for ${agentId}`);
  }

  async command(id: string, operation: string, args: Record<string, unknown> = {}): Promise<Frame> {
    this.#ws.send(JSON.stringify({ t: 'command', id, command: { id, operation, args } }));
    return this.waitFor((f) => f.t === 'response' && f.id === id, `response ${id}`, 15_000);
  }

  /** The event frames received, in order. */
  events(): Frame[] {
    return this.frames.filter((f) => f.t === 'event');
  }

  waitFor(test: (frame: Frame) => boolean, what: string, timeoutMs = 8000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.frames.find(test);
        if (found) {
          cleanup();
          resolve(found);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-3))}`));
      }, timeoutMs);
      const wake = (): void => void check();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      this.#waiters.add(wake);
      check();
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/** Polls until `check` is true (bounded). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The environment of one gateway process of a cluster on the Noojee emulator, as the fail-over
 * tests run it: signed tokens, a short lease, hubs never closed for idleness.
 */
export function noojeeNodeEnv(options: { redisUrl: string; nodeId: string; secret: string; apiKey: string; emulatorUrl: string; leaseMs: number }): Record<string, string> {
  return {
    REDIS_URL: options.redisUrl,
    NODE_ID: options.nodeId,
    LEASE_MS: String(options.leaseMs),
    GATEWAY: '1',
    TOKEN_SECRET: options.secret,
    CONNECTOR: 'noojee',
    CONNECTOR_ENDPOINT: options.emulatorUrl,
    CONNECTOR_CONFIG: JSON.stringify({ apiKey: options.apiKey, handset: 'Yealink', pollTimeoutS: 2, campaign: { templateId: 1, campaignId: 11, allocationId: 111 } }),
    HUB_IDLE_MS: '0',
  };
}

/**
 * A bar without the DOM: the real Session over the real gateway connector, trying `endpoints` in
 * order, with a fresh token each time and every applied event or snapshot recorded. Not connected.
 */
export function gatewaySession(options: { agentId: string; endpoints: string[]; getToken: () => string | Promise<string>; onApplied: (info: { seq: number; source: 'event' | 'snapshot' }) => void }): Session {
  const connector = createGatewayConnector({
    agentId: options.agentId,
    endpoint: options.endpoints[0]!,
    config: {
      getToken: options.getToken,
      fallbackEndpoints: options.endpoints.slice(1),
      createSocket: (url) => new WebSocket(url) as never,
      backoff: { initialMs: 50, maxMs: 200 },
      // kill -9 closes the node's sockets at once; heartbeats only catch a stalled node, and
      // must not cut a healthy one on a loaded machine.
      heartbeatIntervalMs: 1000,
      heartbeatTimeoutMs: 3000,
      commandTimeoutMs: 5000,
      onApplied: options.onApplied,
    },
  });
  return new Session(connector, { agentId: options.agentId, commandTimeoutMs: 6000, defaultCountry: 'AU' });
}

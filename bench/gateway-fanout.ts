/**
 * Gateway fan-out benchmark (`npx tsx bench/gateway-fanout.ts`, part of `npm run bench`).
 *
 * The gateway runs in a child process (the same file with `--server`), so its memory is measured
 * alone and it has a core of its own; this process opens AGENTS concurrent agent WebSockets on
 * loopback, each with its own signed token, logs every agent in and makes it ready. Then, in
 * ROUNDS rounds, the gateway offers a call to every agent (spread over SPREAD_MS, as calls arrive
 * in a contact centre) and the customer hangs up; every event is stamped `at` when the simulator
 * emits it, and its fan-out latency is `receive time − at` on the agent's socket.
 * Prints one JSON line: p50/p95/p99/max fan-out in ms, events measured, memory per agent.
 * Bounded: fixed counts, every wait has a deadline; the whole run stays well under a minute.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const AGENTS = Number(process.env.AGENTS ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SPREAD_MS = Number(process.env.SPREAD_MS ?? 1000);
const CONNECT_CONCURRENCY = 200;
const SECRET = 'bench-only-secret-0123456789abcdef0123456789';
const STEP_TIMEOUT_MS = 30_000;

type ToServer = { type: 'memory' } | { type: 'round'; spreadMs: number } | { type: 'tokens'; count: number };
type FromServer =
  | { type: 'listening'; wsUrl: string }
  | { type: 'memory'; rss: number; heapUsed: number }
  | { type: 'round-done' }
  | { type: 'tokens'; tokens: string[] };

if (process.argv.includes('--server')) await serve();
else await main();

// ── The gateway (child process) ──────────────────────────────────────────────────────────────
async function serve(): Promise<void> {
  const { startServer } = await import('../server/app.ts');
  const { createTokenIssuer } = await import('../server/tokens.ts');
  const server = await startServer({
    port: 0,
    gateway: true,
    tokenSecret: SECRET,
    connector: 'simulator',
    connectorConfig: { latencyMs: 0 },
    maxAgents: AGENTS + 10,
    // Every agent connects from this one loopback address: lift the per-source bound.
    limits: { connectionsPerSource: AGENTS + 100 },
  });
  const issuer = createTokenIssuer(SECRET);
  const send = (message: FromServer): void => void process.send!(message);
  process.on('message', async (message: ToServer) => {
    if (message.type === 'tokens') {
      const tokens: string[] = [];
      for (let i = 0; i < message.count; i++) tokens.push(await issuer.issue(agentId(i)));
      send({ type: 'tokens', tokens });
    } else if (message.type === 'memory') {
      for (let i = 0; i < 3; i++) globalThis.gc?.();
      const usage = process.memoryUsage();
      send({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed });
    } else if (message.type === 'round') {
      const hubs = [...server.registry.hubs()];
      const perTick = Math.max(1, Math.ceil(hubs.length / Math.max(1, message.spreadMs / 10)));
      // Offer a call to every agent, perTick agents every 10 ms; then the customers hang up.
      for (let i = 0; i < hubs.length; i += perTick) {
        for (const hub of hubs.slice(i, i + perTick)) hub.simulator?.offerCall({ number: '+15550100', name: 'Bench' });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      for (let i = 0; i < hubs.length; i += perTick) {
        for (const hub of hubs.slice(i, i + perTick)) hub.simulator?.customerHangup();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      send({ type: 'round-done' });
    }
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  send({ type: 'listening', wsUrl: server.wsUrl });
}

function agentId(i: number): string {
  return `agent-${i}`;
}

// ── The agents (this process) ────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  const started = Date.now();
  const child = fork(fileURLToPath(import.meta.url), ['--server'], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, AGENTS: String(AGENTS) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T extends FromServer['type']>(message: ToServer | null, reply: T): Promise<Extract<FromServer, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${reply} from the gateway`)), STEP_TIMEOUT_MS);
      const onMessage = (m: FromServer): void => {
        if (m.type !== reply) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as Extract<FromServer, { type: T }>);
      };
      child.on('message', onMessage);
      if (message) child.send(message);
    });

  const sockets: WebSocket[] = [];
  const latencies: number[] = [];
  let measuring = false;
  try {
    const { wsUrl } = await ask(null, 'listening');
    const baseline = await ask({ type: 'memory' }, 'memory');
    const { tokens } = await ask({ type: 'tokens', count: AGENTS }, 'tokens');

    // Connect, hello, login, ready — CONNECT_CONCURRENCY agents at a time.
    let readyCount = 0;
    const connectOne = (i: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
        sockets.push(ws);
        const timer = setTimeout(() => reject(new Error(`agent ${i} not ready in time`)), STEP_TIMEOUT_MS);
        ws.on('error', reject);
        ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', agentId: agentId(i), token: tokens[i] })));
        ws.on('message', (data) => {
          const message = JSON.parse(String(data));
          if (message.t === 'welcome') {
            ws.send(JSON.stringify({ t: 'command', id: 'l', command: { id: 'l', operation: 'login', args: {} } }));
          } else if (message.t === 'response' && message.id === 'l') {
            ws.send(JSON.stringify({ t: 'command', id: 'r', command: { id: 'r', operation: 'ready', args: {} } }));
          } else if (message.t === 'response' && message.id === 'r') {
            clearTimeout(timer);
            readyCount++;
            resolve();
          } else if (message.t === 'event' && measuring && typeof message.event.at === 'number') {
            latencies.push(Date.now() - message.event.at);
          } else if (message.t === 'error' || (message.t === 'response' && !message.ok)) {
            reject(new Error(`agent ${i}: ${JSON.stringify(message)}`));
          }
        });
      });
    for (let i = 0; i < AGENTS; i += CONNECT_CONCURRENCY) {
      await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, AGENTS - i) }, (_, k) => connectOne(i + k)));
    }
    const connectedMs = Date.now() - started;
    const loaded = await ask({ type: 'memory' }, 'memory');

    measuring = true;
    for (let round = 0; round < ROUNDS; round++) {
      await ask({ type: 'round', spreadMs: SPREAD_MS }, 'round-done');
      // Let the last frames of the round arrive (bounded).
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    measuring = false;

    latencies.sort((a, b) => a - b);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    const result = {
      agents: AGENTS,
      agentsReady: readyCount,
      rounds: ROUNDS,
      spreadMs: SPREAD_MS,
      events: latencies.length,
      fanoutMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: latencies.at(-1) ?? NaN },
      memoryPerAgentKB: {
        rss: +((loaded.rss - baseline.rss) / AGENTS / 1024).toFixed(1),
        heap: +((loaded.heapUsed - baseline.heapUsed) / AGENTS / 1024).toFixed(1),
      },
      gatewayRssMB: +(loaded.rss / 1048576).toFixed(1),
      connectAllMs: connectedMs,
      totalMs: Date.now() - started,
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const ws of sockets) ws.terminate();
    stopChild(child);
  }
}

function stopChild(child: ChildProcess): void {
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  timer.unref();
  child.once('exit', () => clearTimeout(timer));
}

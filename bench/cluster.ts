/**
 * Gateway cluster benchmark (`npx tsx bench/cluster.ts`, part of `npm run bench`).
 *
 * A real redis-server (loopback, random port) and three gateway nodes, each a child process (this
 * file with `--node`), simulator as every agent's connector. This process opens AGENTS agent
 * WebSockets spread over the three nodes (agent i on node i % 3, which then owns it), logs every
 * agent in and makes it ready, then measures:
 * - **fan-out**: ROUNDS rounds of a call offered to every agent (spread over SPREAD_MS) and hung
 *   up; latency = receive time − the event's `at` (stamped on the owner before Redis numbers it);
 * - **commands through non-owner nodes**: MIRRORED agents get a second socket on another node and
 *   send hold/retrieve through it during a call (forwarded over Redis to the owner): commands/s and
 *   latency;
 * - **node loss**: a call rings at every agent, node 3 is `kill -9`ed; take-over time = until
 *   Redis shows every one of its agents leased to a live node; its clients reconnect, spread over
 *   the two others: time to true state = socket open → welcome (the replay of what it missed follows at
 *   once), and time until it works = welcome → its answer accepted and `talking` shown (the
 *   take-over must happen first);
 * - **memory per agent**: node RSS and heap after GC, and Redis's used memory, per agent.
 * Prints one JSON line. Bounded: fixed counts, every wait has a deadline.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { Redis } from 'ioredis';

const AGENTS = Math.min(6000, Number(process.env.AGENTS ?? 6000));
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SPREAD_MS = Number(process.env.SPREAD_MS ?? 2000);
const MIRRORED = Math.min(AGENTS, Number(process.env.MIRRORED ?? 300));
const COMMANDS_EACH = Number(process.env.COMMANDS_EACH ?? 10);
const LEASE_MS = Number(process.env.LEASE_MS ?? 2000);
const CONNECT_CONCURRENCY = 200;
const STEP_TIMEOUT_MS = 60_000;
const NODES = 3;

type ToNode =
  | { type: 'memory' }
  | { type: 'offer'; spreadMs: number }
  | { type: 'hangup'; spreadMs: number }
  | { type: 'profile'; phase: string | null }
  | { type: 'cpu' };
type FromNode =
  | { type: 'listening'; wsUrl: string }
  | { type: 'memory'; rss: number; heapUsed: number; owned: number }
  | { type: 'cpu'; micros: number }
  | { type: 'done' };
/** `CPU_PROFILE_DIR=dir`: each node writes a V8 CPU profile per phase there (fan-out, node loss). */
const CPU_PROFILE_DIR = process.env.CPU_PROFILE_DIR;

const agentId = (i: number): string => `bench-${i}`;


// ── A gateway node (child process) ───────────────────────────────────────────────────────────
async function serveNode(): Promise<void> {
  const { startServer } = await import('../server/app.ts');
  const server = await startServer({
    port: 0,
    connector: 'simulator',
    connectorConfig: { latencyMs: 0 },
    redisUrl: process.env.REDIS_URL,
    nodeId: process.env.NODE_ID,
    leaseMs: LEASE_MS,
    maxAgents: AGENTS + 10,
    // Every agent connects from this one loopback address, all at once: lift those bounds.
    limits: { connectionsPerSource: 2 * AGENTS + 100, agentCreationPerSec: 100_000, agentCreationBurst: 100_000 },
  });
  const send = (message: FromNode): void => void process.send!(message);
  const owned = () => [...server.registry.hubs()].filter((hub) => hub.simulator);
  const spread = async (spreadMs: number, each: (hub: ReturnType<typeof owned>[number]) => void): Promise<void> => {
    const hubs = owned();
    const perTick = Math.max(1, Math.ceil(hubs.length / Math.max(1, spreadMs / 10)));
    for (let i = 0; i < hubs.length; i += perTick) {
      for (const hub of hubs.slice(i, i + perTick)) {
        try {
          each(hub);
        } catch {
          // e.g. no call to hang up: nothing to measure there
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const profiler = CPU_PROFILE_DIR ? await startProfiler(CPU_PROFILE_DIR, process.env.NODE_ID ?? 'node') : undefined;
  process.on('message', async (message: ToNode) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', micros: usage.user + usage.system });
    } else if (message.type === 'profile') {
      await profiler?.(message.phase);
      send({ type: 'done' });
    } else if (message.type === 'memory') {
      for (let i = 0; i < 3; i++) globalThis.gc?.();
      const usage = process.memoryUsage();
      send({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed, owned: server.cluster?.agentsOwned ?? 0 });
    } else if (message.type === 'offer') {
      await spread(message.spreadMs, (hub) => hub.simulator!.offerCall({ number: '+15550100', name: 'Bench' }));
      send({ type: 'done' });
    } else if (message.type === 'hangup') {
      await spread(message.spreadMs, (hub) => hub.simulator!.customerHangup());
      send({ type: 'done' });
    }
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  send({ type: 'listening', wsUrl: server.wsUrl });
}

/** A phase's CPU profile (node:inspector): `phase` starts one, `null` writes the running one. */
async function startProfiler(dir: string, nodeId: string): Promise<(phase: string | null) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const { writeFile, mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  let running: string | undefined;
  return async (phase) => {
    if (running) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(`${dir}/${running}-${nodeId}.cpuprofile`, JSON.stringify(profile));
      running = undefined;
    }
    if (phase) {
      await session.post('Profiler.start');
      running = phase;
    }
  };
}

/**
 * CPU seconds used so far by the live nodes (summed), Redis and this client process: what a phase
 * costs whatever else the shared machine runs meanwhile.
 */
async function cpuNow(children: ChildProcess[], probe: Redis): Promise<{ nodes: number; redis: number; client: number }> {
  const nodes = await Promise.all(children.filter((child) => child.connected && child.signalCode === null).map((child) => ask(child, { type: 'cpu' }, 'cpu')));
  const info = await probe.info('cpu');
  const redis = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0) + Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
  const client = process.cpuUsage();
  return { nodes: nodes.reduce((sum, m) => sum + m.micros, 0) / 1e6, redis, client: (client.user + client.system) / 1e6 };
}

const cpuSpent = (from: { nodes: number; redis: number; client: number }, to: { nodes: number; redis: number; client: number }) => ({
  nodes: +(to.nodes - from.nodes).toFixed(2),
  redis: +(to.redis - from.redis).toFixed(2),
  client: +(to.client - from.client).toFixed(2),
});

const profilePhase = (children: ChildProcess[], phase: string | null): Promise<unknown> =>
  CPU_PROFILE_DIR ? Promise.all(children.filter((child) => child.connected && child.signalCode === null).map((child) => ask(child, { type: 'profile', phase }, 'done'))) : Promise.resolve();

// ── The agents (this process) ────────────────────────────────────────────────────────────────
interface Frame {
  t: string;
  id?: string;
  ok?: boolean;
  seq?: number;
  event?: { type: string; at?: number; call?: { state: string } };
  error?: unknown;
}

/** One agent socket: hello (resuming after `lastSeq`), commands with ids, every frame to `onFrame`. */
class AgentSocket {
  ws: WebSocket;
  lastSeq = 0;
  callState: string | undefined;
  #pending = new Map<string, (frame: Frame) => void>();
  #next = 0;
  onFrame: (frame: Frame) => void = () => {};

  constructor(
    readonly index: number,
    url: string,
  ) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('error', () => {});
    this.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.t === 'event' && typeof frame.seq === 'number') {
        this.lastSeq = frame.seq;
        if (frame.event?.type === 'call') this.callState = frame.event.call?.state;
        if (frame.event?.type === 'callRemoved') this.callState = undefined;
      }
      if (frame.t === 'response' && frame.id) this.#pending.get(frame.id)?.(frame);
      this.onFrame(frame);
    });
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${this.index}: no socket`)), STEP_TIMEOUT_MS);
      this.ws.once('open', () => (clearTimeout(timer), resolve()));
      this.ws.once('error', (error) => (clearTimeout(timer), reject(error)));
    });
  }

  hello(after?: number): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${this.index}: no welcome`)), STEP_TIMEOUT_MS);
      const previous = this.onFrame;
      this.onFrame = (frame) => {
        previous(frame);
        if (frame.t === 'welcome' || frame.t === 'error') {
          clearTimeout(timer);
          this.onFrame = previous;
          if (frame.t === 'welcome') resolve(frame);
          else reject(new Error(`agent ${this.index}: ${JSON.stringify(frame)}`));
        }
      };
      this.ws.send(JSON.stringify({ t: 'hello', agentId: agentId(this.index), ...(after ? { after } : {}) }));
    });
  }

  command(operation: string, args: Record<string, unknown> = {}): Promise<Frame> {
    const id = `c${this.#next++}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.#pending.delete(id), resolve({ t: 'response', id, ok: false, error: 'bench timeout' })), STEP_TIMEOUT_MS);
      this.#pending.set(id, (frame) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        resolve(frame);
      });
      this.ws.send(JSON.stringify({ t: 'command', id, command: { id, operation, args } }));
    });
  }
}

async function inBatches(count: number, run: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < count; i += CONNECT_CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, count - i) }, (_, k) => run(i + k)));
  }
}

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const summary = (values: number[]) => ({ n: values.length, p50: pct(values, 50), p99: pct(values, 99), max: pct(values, 100) });

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const { startRedis } = await import('../test/server/cluster-kit.ts');
  const redis = await startRedis();
  const probe = new Redis(redis.url);
  const children: ChildProcess[] = [];
  const sockets: AgentSocket[] = [];
  try {
    const urls: string[] = [];
    for (let n = 0; n < NODES; n++) {
      const child = fork(fileURLToPath(import.meta.url), ['--node'], {
        execArgv: ['--import', 'tsx', '--expose-gc'],
        env: { ...process.env, REDIS_URL: redis.url, NODE_ID: `bench-node-${n}`, AGENTS: String(AGENTS), LEASE_MS: String(LEASE_MS) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      urls.push((await ask(child, null, 'listening')).wsUrl);
    }
    const baseline = await Promise.all(children.map((child) => ask(child, { type: 'memory' }, 'memory')));
    const redisBaseline = usedMemory(await probe.info('memory'));

    // Connect, hello, login, ready — agent i on node i % 3.
    let fanout: number[] = [];
    let measuring = false;
    const agents: AgentSocket[] = [];
    await inBatches(AGENTS, async (i) => {
      const agent = new AgentSocket(i, urls[i % NODES]!);
      agents[i] = agent;
      sockets.push(agent);
      agent.onFrame = (frame) => {
        if (measuring && frame.t === 'event' && typeof frame.event?.at === 'number') fanout.push(Date.now() - frame.event.at);
      };
      await agent.open();
      await agent.hello();
      for (const op of ['login', 'ready']) {
        const answer = await agent.command(op);
        if (!answer.ok) throw new Error(`agent ${i} ${op}: ${JSON.stringify(answer)}`);
      }
    });
    const connectAllMs = Date.now() - started;
    const loaded = await Promise.all(children.map((child) => ask(child, { type: 'memory' }, 'memory')));
    const redisLoaded = usedMemory(await probe.info('memory'));

    // Fan-out: a call offered to every agent and hung up, ROUNDS times.
    measuring = true;
    const cpuBeforeFanout = await cpuNow(children, probe);
    await profilePhase(children, 'fanout');
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(children.map((child) => ask(child, { type: 'offer', spreadMs: SPREAD_MS }, 'done')));
      await until(() => agents.every((a) => a.callState === 'ringing'), `round ${round}: ringing everywhere`);
      await Promise.all(children.map((child) => ask(child, { type: 'hangup', spreadMs: SPREAD_MS }, 'done')));
      await until(() => agents.every((a) => a.callState !== 'ringing'), `round ${round}: ended everywhere`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    measuring = false;
    await profilePhase(children, 'commands');
    const cpuFanout = cpuSpent(cpuBeforeFanout, await cpuNow(children, probe));
    const fanoutMs = summary(fanout);
    fanout = [];

    // Commands through non-owner nodes: MIRRORED agents, a second socket on the next node.
    await Promise.all(children.map((child) => ask(child, { type: 'offer', spreadMs: 200 }, 'done')));
    await until(() => agents.every((a) => a.callState === 'ringing'), 'ringing for the commands phase');
    // Taken from the agents of the nodes that stay (their calls end in wrap-up, so they are left
    // out of the node-loss phase below).
    const victim = NODES - 1;
    const mirrored = agents.filter((a) => a.index % NODES !== victim).slice(0, MIRRORED).map((a) => a.index);
    const mirrors: AgentSocket[] = [];
    await inBatches(mirrored.length, async (k) => {
      const i = mirrored[k]!;
      const mirror = new AgentSocket(i, urls[(i + 1) % NODES]!);
      mirrors.push(mirror);
      sockets.push(mirror);
      await mirror.open();
      await mirror.hello();
    });
    const commandLatency: number[] = [];
    let commandFailures = 0;
    const commandsStarted = Date.now();
    await Promise.all(
      mirrors.map(async (mirror) => {
        const ops = ['answer', ...Array.from({ length: COMMANDS_EACH - 1 }, (_, k) => (k % 2 === 0 ? 'hold' : 'retrieve'))];
        for (const op of ops) {
          const sent = performance.now();
          const answer = await mirror.command(op);
          commandLatency.push(performance.now() - sent);
          if (!answer.ok) commandFailures++;
        }
      }),
    );
    const commandsMs = Date.now() - commandsStarted;
    for (const mirror of mirrors) mirror.ws.close();
    await Promise.all(children.map((child) => ask(child, { type: 'hangup', spreadMs: 200 }, 'done')));
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Node loss: a call rings everywhere, node 3 dies; its clients go to the next node and answer.
    await Promise.all(children.map((child) => ask(child, { type: 'offer', spreadMs: 200 }, 'done')));
    await profilePhase(children, 'nodeloss');
    // The victim's own CPU is left out: only the two nodes that stay are counted from here.
    const cpuBeforeLoss = await cpuNow(children.slice(0, NODES - 1), probe);
    const inWrapUp = new Set(mirrored);
    await until(() => agents.every((a) => inWrapUp.has(a.index) || a.callState === 'ringing'), 'ringing before the node loss');
    const orphans = agents.filter((a) => a.index % NODES === victim);
    const killedAt = Date.now();
    const reconnectedAt = new Map<number, number>();
    /** Socket open on the new node → its welcome (the replay follows in the same breath). */
    const stateAfterReconnect: number[] = [];
    /** Welcome → the answer worked and `talking` arrived (waits for the take-over). */
    const answeredAfterReconnect: number[] = [];
    let answerAttempts = 0;
    const recovering = orphans.map(
      (agent) =>
        new Promise<void>((resolve) => {
          agent.ws.once('close', async () => {
            try {
              // Spread over the surviving nodes, as rotated endpoint lists or a load balancer do.
              const survivor = Math.floor(agent.index / NODES) % (NODES - 1);
              const replacement = new AgentSocket(agent.index, urls[survivor]!);
              replacement.lastSeq = agent.lastSeq;
              replacement.callState = agent.callState;
              sockets.push(replacement);
              await replacement.open();
              const opened = Date.now();
              await replacement.hello(agent.lastSeq);
              const at = Date.now();
              stateAfterReconnect.push(at - opened);
              reconnectedAt.set(agent.index, at);
              // As a person would: click answer until it works (refused while the agent moves).
              for (let attempt = 0; attempt < 600 && replacement.callState !== 'talking'; attempt++) {
                answerAttempts++;
                const answer = await replacement.command('answer');
                if (answer.ok) break;
                await new Promise((r) => setTimeout(r, 50));
              }
              try {
                await until(() => replacement.callState === 'talking', `agent ${agent.index} talking`);
              } catch (error) {
                if (process.env.BENCH_DEBUG) {
                  const id = agentId(agent.index);
                  const [lease, fence, seq, tail] = await Promise.all([probe.get(`ab:{${id}}:lease`), probe.get(`ab:{${id}}:fence`), probe.get(`ab:{${id}}:seq`), probe.xrevrange(`ab:{${id}}:events`, '+', '-', 'COUNT', 4)]);
                  console.error(`STUCK ${id} on node ${survivor}: client lastSeq ${replacement.lastSeq} call ${replacement.callState}; redis lease ${lease} fence ${fence} seq ${seq} numsub ${JSON.stringify(await probe.pubsub('NUMSUB', `ab:{${id}}:ev`))} tail ${tail.map(([i, f]) => `${i}:${(f[1] ?? '').slice(0, 90)}`).join(' | ')}`);
                }
                throw error;
              }
              answeredAfterReconnect.push(Date.now() - at);
            } catch {
              // counted below as not recovered
            }
            resolve();
          });
        }),
    );
    children[victim]!.kill('SIGKILL');
    const orphanLeases = orphans.map((a) => `ab:{${agentId(a.index)}}:lease`);
    const live = new Set(Array.from({ length: NODES - 1 }, (_, n) => `bench-node-${n}`));
    await until(async () => {
      const holders = await probe.mget(...orphanLeases);
      return holders.every((holder) => holder !== null && live.has(holder));
    }, 'every orphaned agent leased to a live node', 120_000);
    const takeOverMs = Date.now() - killedAt;
    await Promise.race([Promise.all(recovering), new Promise((resolve) => setTimeout(resolve, 120_000))]);
    await profilePhase(children, null);
    const cpuLoss = cpuSpent(cpuBeforeLoss, await cpuNow(children.slice(0, NODES - 1), probe));

    const result = {
      nodes: NODES,
      agents: AGENTS,
      agentsPerNode: Math.round(AGENTS / NODES),
      leaseMs: LEASE_MS,
      connectAllMs,
      fanout: { rounds: ROUNDS, spreadMs: SPREAD_MS, events: fanoutMs.n, p50Ms: fanoutMs.p50, p99Ms: fanoutMs.p99, maxMs: fanoutMs.max },
      nonOwnerCommands: {
        agents: mirrored.length,
        commands: commandLatency.length,
        failures: commandFailures,
        perSecond: Math.round((commandLatency.length / commandsMs) * 1000),
        latencyMs: { p50: +pct(commandLatency, 50).toFixed(1), p99: +pct(commandLatency, 99).toFixed(1) },
      },
      nodeLoss: {
        orphanedAgents: orphans.length,
        takeOverMs,
        reconnected: reconnectedAt.size,
        answerAttempts,
        stateAfterReconnectMs: summary(stateAfterReconnect),
        answeredAfterReconnectMs: summary(answeredAfterReconnect),
      },
      cpuSeconds: { fanout: cpuFanout, nodeLoss: cpuLoss },
      memoryPerAgentKB: {
        nodeRss: +(loaded.reduce((sum, m, n) => sum + m.rss - baseline[n]!.rss, 0) / AGENTS / 1024).toFixed(1),
        nodeHeap: +(loaded.reduce((sum, m, n) => sum + m.heapUsed - baseline[n]!.heapUsed, 0) / AGENTS / 1024).toFixed(1),
        redis: +((redisLoaded - redisBaseline) / AGENTS / 1024).toFixed(1),
      },
      nodeRssMB: loaded.map((m) => +(m.rss / 1048576).toFixed(1)),
      totalMs: Date.now() - started,
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const socket of sockets) socket.ws.terminate();
    for (const child of children) stopChild(child);
    probe.disconnect();
    await redis.destroy();
  }
}

function usedMemory(info: string): number {
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

function ask<T extends FromNode['type']>(child: ChildProcess, message: ToNode | null, reply: T): Promise<Extract<FromNode, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${reply} from a node`)), STEP_TIMEOUT_MS);
    const onMessage = (m: FromNode): void => {
      if (m.type !== reply) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m as Extract<FromNode, { type: T }>);
    };
    child.on('message', onMessage);
    if (message) child.send(message);
  });
}

function stopChild(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  timer.unref();
  child.once('exit', () => clearTimeout(timer));
}

// Last: the classes above exist by now.
if (process.argv.includes('--node')) await serveNode();
else await main();

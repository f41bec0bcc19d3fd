/**
 * MaxContact polling benchmark (`npx tsx bench/maxcontact-polling.ts`, part of `npm run bench`).
 *
 * The MaxContact emulator runs in a child process (this file with `--emulator`) with AGENTS users,
 * all logged in and ready; this process plays the gateway: one `maxcontact` connector per agent,
 * exactly what the gateway's hubs run, each polling `getcalls` at the connector's defaults (every
 * 2 s idle, every second while a call is up). Measured:
 *  - polls per second sustained, idle and with every agent on a call (the connectors' own counts
 *    over a window);
 *  - the delay from a call-state change in the emulator to the canonical event leaving the
 *    connector: in ROUNDS rounds an inbound call is offered to every agent (spread over SPREAD_MS)
 *    → `ringing`, then the customer hangs up → `wrapup`, and the agent disposes it; timed from just
 *    before the control request (an upper bound: it includes that request);
 *  - the gateway process's CPU (user + system) over each window, as % of one core.
 * Prints one JSON line. Bounded: fixed counts, deadlines.
 */
import { fileURLToPath } from 'node:url';
import { controller, forkEmulator, percentile, reportEmulator } from './emulator-child.ts';

const AGENTS = Number(process.env.AGENTS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const SPREAD_MS = Number(process.env.SPREAD_MS ?? 2000);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 6000);
const FIRST_USER = 1001;
const TOKEN = 'bench-maxcontact-token-0123';
const STEP_TIMEOUT_MS = 90_000;
const CONNECT_BATCH = 50;

if (process.argv.includes('--emulator')) await emulator();
else await main();

async function emulator(): Promise<void> {
  const { start } = await import('../server/emulators/maxcontact/index.ts');
  const started = await start({ port: 0, tokenKey: TOKEN, connectDelayMs: -1, ringMs: -1 });
  started.centre.ensureUsers(AGENTS);
  for (let i = 0; i < AGENTS; i++) started.centre.goReady(FIRST_USER + i);
  reportEmulator(started.url);
}

async function main(): Promise<void> {
  const { child, url } = await forkEmulator(fileURLToPath(import.meta.url), STEP_TIMEOUT_MS);
  const { MaxContactConnector } = await import('../src/connectors/maxcontact/maxcontact-connector.ts');
  type Waiting = { state: string; t0: number };
  const waiting = new Map<string, Waiting>();
  const delays: Record<string, number[]> = { ringing: [], wrapup: [] };
  const callIds = new Map<string, string>();
  const connectors: InstanceType<typeof MaxContactConnector>[] = [];

  for (let start = 0; start < AGENTS; start += CONNECT_BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(AGENTS, start + CONNECT_BATCH); i++) {
      const agent = String(FIRST_USER + i);
      const connector = new MaxContactConnector({ agentId: agent, endpoint: url, config: { tokenKey: TOKEN } });
      connectors.push(connector);
      batch.push(
        connector.connect((event) => {
          if (event.type !== 'call') return;
          const wait = waiting.get(agent);
          if (!wait || event.call.state !== wait.state) return;
          waiting.delete(agent);
          delays[wait.state]!.push(performance.now() - wait.t0);
          if (wait.state === 'ringing') callIds.set(agent, event.call.id);
        }),
      );
    }
    await Promise.all(batch);
  }

  const window = async (): Promise<{ pollsPerSecond: number; cpuPercent: number }> => {
    const polls0 = connectors.reduce((n, c) => n + c.pollCount, 0);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      pollsPerSecond: Math.round((connectors.reduce((n, c) => n + c.pollCount, 0) - polls0) / seconds),
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100),
    };
  };
  const control = controller(url);
  const spread = (fn: (agent: string, i: number) => Promise<void>) =>
    Promise.all(connectors.map((_, i) => new Promise<void>((r) => setTimeout(r, (SPREAD_MS * i) / AGENTS)).then(() => fn(String(FIRST_USER + i), i))));
  const settle = async () => {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (waiting.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const missed = waiting.size;
    waiting.clear();
    return missed;
  };

  await new Promise((r) => setTimeout(r, 3000));
  const idle = await window();
  let missed = 0;
  let busy = { pollsPerSecond: 0, cpuPercent: 0 };
  let serverCallIds = new Map<string, string>();
  for (let round = 0; round < ROUNDS; round++) {
    serverCallIds = new Map();
    await spread(async (agent) => {
      waiting.set(agent, { state: 'ringing', t0: performance.now() });
      serverCallIds.set(agent, (await control('offer-inbound', { to: agent, from: '+447911654321' })).callId!);
    });
    missed += await settle();
    if (round === 0) busy = await window();
    await spread(async (agent) => {
      waiting.set(agent, { state: 'wrapup', t0: performance.now() });
      await control('customer-hangup', { callId: serverCallIds.get(agent)! });
    });
    missed += await settle();
    await Promise.all(connectors.map((c) => c.execute({ id: `bench-${round}-${c.name}`, operation: 'wrapUp', args: { code: 'NOSALE' } }).catch(() => undefined)));
    await new Promise((r) => setTimeout(r, 2500));
  }

  const q = percentile;
  const all = [...delays.ringing!, ...delays.wrapup!];
  const result = {
    agents: AGENTS,
    rounds: ROUNDS,
    events: all.length,
    expected: AGENTS * ROUNDS * 2,
    missed,
    idle,
    onCall: busy,
    changeToEventMs: { p50: q(all, 50), p95: q(all, 95), p99: q(all, 99), max: +Math.max(...all).toFixed(1) },
    ringingP95Ms: q(delays.ringing!, 95),
    wrapupP95Ms: q(delays.wrapup!, 95),
  };
  for (const c of connectors) c.disconnect();
  console.log(JSON.stringify(result));
  child.kill('SIGTERM');
  process.exit(0);
}

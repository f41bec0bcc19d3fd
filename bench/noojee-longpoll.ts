/**
 * Noojee long-poll benchmark (`npx tsx bench/noojee-longpoll.ts`, part of `npm run bench`).
 *
 * The Noojee emulator runs in a child process (this file with `--emulator`) with AGENTS extensions;
 * this process plays the gateway: one `noojee` connector per agent, exactly what the gateway's hubs
 * run, each holding its own `subscribe` long poll. Then in ROUNDS rounds an inbound call is offered
 * to every extension (spread over SPREAD_MS) and hung up. The delay of one event is from just
 * before the test asks the emulator for it to the moment the connector hands the canonical `call`
 * event (ringing) to its sink — an upper bound, as it includes the control request.
 * Prints one JSON line: p50/p95/p99/max delay, events measured, memory per agent (heap and RSS
 * growth after connecting every agent, divided by AGENTS). Bounded: fixed counts, deadlines.
 */
import { fileURLToPath } from 'node:url';
import { controller, forkEmulator, percentile, reportEmulator } from './emulator-child.ts';

const AGENTS = Number(process.env.AGENTS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SPREAD_MS = Number(process.env.SPREAD_MS ?? 1000);
const FIRST_EXTENSION = 3000;
const API_KEY = 'bench-noojee-key-0123456789';
const STEP_TIMEOUT_MS = 60_000;
const CONNECT_BATCH = 50;

if (process.argv.includes('--emulator')) await emulator();
else await main();

async function emulator(): Promise<void> {
  const { start } = await import('../server/emulators/noojee/index.ts');
  const extensions = new Map<string, { tech: 'SIP'; login: string }>();
  for (let i = 0; i < AGENTS; i++) extensions.set(String(FIRST_EXTENSION + i), { tech: 'SIP', login: `agent${FIRST_EXTENSION + i}` });
  const started = await start({ port: 0, apiKey: API_KEY, extensions, retainEvents: AGENTS * 4 });
  reportEmulator(started.url);
}

async function main(): Promise<void> {
  const { child, url } = await forkEmulator(fileURLToPath(import.meta.url), STEP_TIMEOUT_MS);
  const { NoojeeConnector } = await import('../src/connectors/noojee/noojee-connector.ts');
  const gc = (globalThis as { gc?: () => void }).gc;
  const memory = () => {
    gc?.();
    const m = process.memoryUsage();
    return { heap: m.heapUsed, rss: m.rss };
  };

  const offeredAt = new Map<string, number>();
  const delays: number[] = [];
  const callIds = new Map<string, string>();
  const before = memory();
  // Connected in batches, as agents log in over a morning (and within connect's timeout here).
  for (let start = 0; start < AGENTS; start += CONNECT_BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(AGENTS, start + CONNECT_BATCH); i++) {
      const ext = String(FIRST_EXTENSION + i);
      const connector = new NoojeeConnector({ agentId: ext, endpoint: url, config: { apiKey: API_KEY, handset: 'Yealink', pollTimeoutS: 25 } });
      batch.push(
        connector.connect((event) => {
          if (event.type !== 'call' || event.call.state !== 'ringing') return;
          const t0 = offeredAt.get(ext);
          if (t0 === undefined) return;
          offeredAt.delete(ext);
          delays.push(performance.now() - t0);
        }),
      );
    }
    await Promise.all(batch);
  }
  // Let every connector settle into its held poll.
  await new Promise((r) => setTimeout(r, 2000));
  const after = memory();

  const control = controller(url);
  for (let round = 0; round < ROUNDS; round++) {
    const offers = [];
    for (let i = 0; i < AGENTS; i++) {
      const ext = String(FIRST_EXTENSION + i);
      offers.push(
        new Promise<void>((resolve) => setTimeout(resolve, (SPREAD_MS * i) / AGENTS)).then(async () => {
          offeredAt.set(ext, performance.now());
          callIds.set(ext, (await control('offer-inbound', { to: ext, from: '0298765432' })).callId!);
        }),
      );
    }
    await Promise.all(offers);
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (offeredAt.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await Promise.all([...callIds.values()].map((callId) => control('customer-hangup', { callId })));
    callIds.clear();
    offeredAt.clear();
    await new Promise((r) => setTimeout(r, 500));
  }

  delays.sort((a, b) => a - b);
  const q = (p: number) => percentile(delays, p);
  const result = {
    agents: AGENTS,
    rounds: ROUNDS,
    events: delays.length,
    expected: AGENTS * ROUNDS,
    delayMs: { p50: q(50), p95: q(95), p99: q(99), max: +(delays.at(-1) ?? NaN).toFixed(1) },
    perAgent: { heapKB: +((after.heap - before.heap) / AGENTS / 1024).toFixed(1), rssKB: +((after.rss - before.rss) / AGENTS / 1024).toFixed(1) },
    gcExposed: gc !== undefined,
  };
  console.log(JSON.stringify(result));
  child.kill('SIGTERM');
  process.exit(0);
}

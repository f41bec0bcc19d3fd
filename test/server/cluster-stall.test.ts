/**
 * A call that ends while its owner is stalled: two real gateway processes (`server/main.ts` with
 * REDIS_URL, CONNECTOR=noojee) on a real redis-server, the Noojee emulator as the backend, and two
 * bars (the real Session over the real gateway connector), one on each node. The owning node is
 * frozen (SIGSTOP) longer than its lease while the customer hangs up, so nobody can number the
 * call's end; the other node takes the agent over and its new connector reads the backend's
 * truth. Proven: both bars drop the call (the new connector's first answer is the whole call
 * list, not only the calls it found), the frozen node, thawed, cannot number its late news of the
 * hang-up and lets go, and neither bar ever sees a number twice or misses one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { start as startNoojee } from '../../server/emulators/noojee/index.ts';
import { createTokenIssuer } from '../../server/tokens.ts';
import { agentKeys } from '../../server/cluster/redis-scripts.ts';
import { Session } from '../../src/core/session.ts';
import { freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { gatewaySession, noojeeNodeEnv, startRedis, until, type RedisProcess } from './cluster-kit.ts';

const LEASE_MS = 600;
const AGENT = '100';
const SECRET = randomBytes(32).toString('hex');
const API_KEY = `noojee-${randomBytes(6).toString('hex')}`;

interface Bar {
  session: Session;
  applied: Array<{ seq: number; source: 'event' | 'snapshot' }>;
}

describe('gateway cluster: a call ended while its owner was frozen', () => {
  let redis: RedisProcess;
  let probe: Redis;
  let emulator: Awaited<ReturnType<typeof startNoojee>>;
  const nodes: ServerProcess[] = [];
  const bars: Bar[] = [];
  const issuer = createTokenIssuer(SECRET);

  const env = (name: string): Record<string, string> =>
    noojeeNodeEnv({ redisUrl: redis.url, nodeId: `${name}-${randomBytes(2).toString('hex')}`, secret: SECRET, apiKey: API_KEY, emulatorUrl: emulator.url, leaseMs: LEASE_MS });
  const emu = async (verb: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${emulator.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 200, verb);
    return (await res.json()) as Record<string, unknown>;
  };
  const health = async (node: ServerProcess): Promise<{ nodeId: string; agentsOwned: number }> =>
    (await (await fetch(`${node.httpUrl}/health`)).json()) as { nodeId: string; agentsOwned: number };
  const openBar = async (node: ServerProcess): Promise<Bar> => {
    const applied: Bar['applied'] = [];
    const session = gatewaySession({ agentId: AGENT, endpoints: [node.wsUrl], getToken: () => issuer.issue(AGENT), onApplied: (info) => applied.push(info) });
    await session.connect();
    const bar = { session, applied };
    bars.push(bar);
    return bar;
  };
  const shows = (bar: Bar): string => bar.session.snapshot.calls.map((c) => c.state).join('/') || 'no call';

  before(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url);
    emulator = await startNoojee({ apiKey: API_KEY });
    for (const name of ['frozen', 'other']) nodes.push(await launchServer({ port: await freePort(), env: env(name) }));
  });

  after(async () => {
    for (const bar of bars) bar.session.destroy();
    for (const node of nodes) node.child.kill('SIGCONT');
    await Promise.all(nodes.map((node) => stopServer(node)));
    probe?.disconnect();
    await emulator?.close();
    await redis?.destroy();
  });

  it('the other node takes over, reads the backend, and every bar drops the call; the thawed owner numbers nothing', async () => {
    const [frozen, other] = nodes as [ServerProcess, ServerProcess];
    const keys = agentKeys(AGENT);
    // The first bar's node opens the agent first, so it owns it; the second bar's node mirrors.
    const first = await openBar(frozen);
    await until(async () => (await probe.get(keys.lease)) === (await health(frozen)).nodeId, 'the first node owns the agent');
    const second = await openBar(other);

    const { callId } = (await emu('offer-inbound', { to: AGENT, from: '+61290000777' })) as { callId: string };
    await until(() => bars.every((bar) => bar.session.snapshot.calls[0]?.state === 'ringing'), 'ringing on both bars');
    const fenceBefore = Number(await probe.get(keys.fence));

    frozen.child.kill('SIGSTOP');
    await emu('customer-hangup', { callId });
    // The other node takes the agent over once the frozen owner's lease lapses; its connector's
    // first answer from Noojee has no call for the agent, and that must reach the bar.
    await until(async () => (await probe.get(keys.lease)) === (await health(other)).nodeId, 'the other node took the agent over', 10_000);
    assert.ok(Number(await probe.get(keys.fence)) > fenceBefore, 'a take-over is a new fencing token');
    await until(() => second.session.snapshot.calls.length === 0, 'the call dropped on the bar of the node that took over', 10_000).catch((error: Error) => {
      throw new Error(`${error.message}: it shows ${shows(second)}\n${other.output().split('\n').slice(-15).join('\n')}`);
    });
    const streamAfterTakeOver = (await probe.xrange(keys.events, '-', '+')).length;

    // Thawed, the old owner hears the hang-up late: its event is refused by the fence and it lets go.
    frozen.child.kill('SIGCONT');
    await until(async () => (await health(frozen)).agentsOwned === 0, 'the thawed node let the agent go', 10_000);
    await until(() => first.session.snapshot.calls.length === 0 && first.session.snapshot.connection === 'connected', 'the first bar back and showing no call', 15_000).catch((error: Error) => {
      throw new Error(`${error.message}: it shows ${shows(first)} (${first.session.snapshot.connection})`);
    });
    assert.equal(await probe.get(keys.lease), (await health(other)).nodeId, 'the agent stays with the node that took it over');
    // Still at the backend's truth a moment later: nothing the thawed node knew came through.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await probe.xrange(keys.events, '-', '+')).length, streamAfterTakeOver, 'the thawed node numbered nothing');
    for (const bar of bars) assert.equal(bar.session.snapshot.calls.length, 0, `a bar shows ${shows(bar)}`);

    const stream = (await probe.xrange(keys.events, '-', '+')).map(([id]) => Number.parseInt(id, 10));
    for (let i = 1; i < stream.length; i++) assert.equal(stream[i], stream[i - 1]! + 1, `stream ${stream[i - 1]} then ${stream[i]}`);
    for (const [index, bar] of bars.entries()) {
      const events = bar.applied.filter((a) => a.source === 'event').map((a) => a.seq);
      assert.ok(bar.applied.filter((a) => a.source === 'snapshot').length <= 1, `bar ${index}: a snapshot after the first`);
      for (let i = 1; i < events.length; i++) assert.equal(events[i], events[i - 1]! + 1, `bar ${index}: event ${events[i - 1]} followed by ${events[i]}`);
    }
  });
});

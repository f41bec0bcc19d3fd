/**
 * The gateway cluster when Redis goes away for a few seconds: three nodes in this process on a
 * real redis-server, which the test stops and starts again on the same port. Proven: the owning
 * node keeps serving its agent (commands run on its connector), every node says `degraded` on
 * /health, a command through a node that does not own the agent is refused at once (never queued
 * to run later, twice), and once Redis is back the owner still owns the agent, both tabs get the
 * events of the outage numbered once, in order, and the agent's stream holds each exactly once.
 * And a node stopping while a forwarded command is still being sent answers it, without the
 * unhandled rejection that used to end the process.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../server/app.ts';
import { agentKeys } from '../../server/cluster/redis-scripts.ts';
import { ProtocolClient, startRedis, until, type RedisProcess } from './cluster-kit.ts';

const LEASE_MS = 600;
/** Longer than a lease: every lease in Redis has lapsed when it comes back. */
const OUTAGE_MS = 1500;

describe('gateway cluster: Redis lost for a few seconds', () => {
  let redis: RedisProcess;
  const nodes: RunningServer[] = [];
  const clients: ProtocolClient[] = [];

  const health = async (node: RunningServer): Promise<Record<string, unknown>> => (await (await fetch(`${node.url}/health`)).json()) as Record<string, unknown>;
  const client = async (node: RunningServer): Promise<ProtocolClient> => {
    const opened = await ProtocolClient.open(node.wsUrl);
    clients.push(opened);
    return opened;
  };

  before(async () => {
    redis = await startRedis();
    for (const nodeId of ['o1', 'o2', 'o3']) {
      nodes.push(await startServer({ redisUrl: redis.url, nodeId, leaseMs: LEASE_MS, log: process.env.CLUSTER_LOG ? (l) => console.log(l) : undefined }));
    }
  });

  after(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((node) => node.close()));
    await redis.destroy();
  });

  it('the owner keeps serving, /health says degraded, nothing runs twice, and all recovers', async () => {
    const [o1, o2, o3] = nodes as [RunningServer, RunningServer, RunningServer];
    const owner = await client(o1);
    await owner.hello('r-2001');
    const mirror = await client(o2);
    const joined = await mirror.hello('r-2001');
    assert.equal((await owner.command('l', 'login', { agentId: 'r-2001' })).ok, true);
    assert.equal((await owner.command('r', 'ready')).ok, true);
    const offer = await fetch(`${o1.url}/control/r-2001/offer-call`, { method: 'POST', body: JSON.stringify({ number: '+15550111', name: 'Grace' }) });
    assert.equal(offer.status, 200);
    await mirror.waitFor((f) => f.t === 'event' && f.event.type === 'call' && f.event.call.state === 'ringing', 'ringing on the mirror');
    assert.equal((await health(o1)).agentsOwned, 1);

    await redis.stop();
    for (const node of nodes) {
      await until(async () => (await health(node)).status === 'degraded', `${node.cluster!.nodeId} degraded`, 5000);
    }
    assert.deepEqual(await health(o1), { ok: true, nodeId: 'o1', redis: 'down', status: 'degraded', agentsOwned: 1, agents: 1 });

    // Through the mirror: refused now, not queued until Redis is back (the client may retry).
    const refused = await mirror.command('h1', 'hold');
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'NOT_CONNECTED', JSON.stringify(refused));
    // On the owner: runs on its connector while Redis is away.
    const answered = await owner.command('a', 'answer');
    assert.equal(answered.ok, true, JSON.stringify(answered));
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));

    await redis.restart();
    for (const node of nodes) await until(async () => (await health(node)).status === 'ok', `${node.cluster!.nodeId} ok again`, 8000);
    // The outage's events reach both tabs, numbered once.
    for (const tab of [owner, mirror]) {
      await tab.waitFor((f) => f.t === 'event' && f.event.type === 'call' && f.event.call.state === 'talking', 'talking after the outage', 8000);
    }
    // Past a few lease periods: the owner took its lapsed lease back, nobody else took the agent.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2));
    assert.equal((await health(o1)).agentsOwned, 1);
    assert.equal((await health(o2)).agentsOwned, 0);
    assert.equal((await health(o3)).agentsOwned, 0);

    // And the agent still works through the mirror.
    const held = await mirror.command('h2', 'hold');
    assert.equal(held.ok, true, JSON.stringify(held));
    await owner.waitFor((f) => f.t === 'event' && f.event.type === 'call' && f.event.call.state === 'held', 'held');
    await until(() => mirror.events().at(-1)?.seq === owner.events().at(-1)?.seq, 'both tabs level');

    const probe = new Redis(redis.url);
    try {
      const stream = (await probe.xrange(agentKeys('r-2001').events, '-', '+')).map(([id, fields]) => [Number.parseInt(id, 10), JSON.parse(fields[1]!).type]);
      const seqs = owner.events().map((f) => f.seq);
      assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'the owner’s tab: 1, 2, 3 … once each');
      assert.deepEqual(stream.map(([seq]) => seq), seqs, 'the stream holds each event once');
      const mirrorSeqs = mirror.events().map((f) => f.seq);
      assert.deepEqual(mirrorSeqs, mirrorSeqs.map((_, i) => joined.seq + 1 + i), 'the mirror’s tab: no hole, no repeat');
      const talking = owner.events().filter((f) => f.event.type === 'call' && f.event.call.state === 'talking');
      assert.equal(talking.length, 1, 'the answer of the outage applied once');
    } finally {
      probe.disconnect();
    }
  });

  it('a node stopping with a forwarded command still unsent answers it NOT_CONNECTED, never an unhandled rejection', async () => {
    const [, o2, o3] = nodes as [RunningServer, RunningServer, RunningServer];
    const owner = await client(o2);
    await owner.hello('r-2002');
    const mirror = await client(o3);
    await mirror.hello('r-2002');
    assert.equal((await health(o2)).agentsOwned, 1);
    let unhandled = 0;
    const count = (): void => void unhandled++;
    process.on('unhandledRejection', count);
    const probe = new Redis(redis.url);
    probe.on('error', () => {});
    try {
      // Writes (PUBLISH among them) wait: the forwarded command is still being sent when o3 stops.
      await probe.client('PAUSE', '3000', 'WRITE');
      const outcome = o3.registry
        .get('r-2002')!
        .execute({ id: 'p1', operation: 'login', args: { agentId: 'r-2002' } } as never)
        .then(() => 'answered', (error: { code?: string }) => error.code);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await o3.close();
      assert.equal(await outcome, 'NOT_CONNECTED');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(unhandled, 0, 'no unhandled rejection (it would end a real node)');
    } finally {
      await probe.client('UNPAUSE');
      probe.disconnect();
      process.off('unhandledRejection', count);
    }
  });
});

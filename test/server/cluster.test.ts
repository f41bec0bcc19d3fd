/**
 * The gateway as a cluster on a real redis-server, three nodes in this process (the simulator as
 * each agent's connector): an agent's sockets on several nodes see one numbered sequence;
 * commands through a node that does not own the agent are forwarded and answered; a client
 * resuming on another node gets exactly what it missed; a stale owner can never append; a node
 * that stops hands its agents over and numbering carries on.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../server/app.ts';
import { agentKeys, withScripts } from '../../server/cluster/redis-scripts.ts';
import { ProtocolClient, startRedis, until, type RedisProcess } from './cluster-kit.ts';

const LEASE_MS = 600;

describe('gateway cluster on Redis', () => {
  let redis: RedisProcess;
  let probe: Redis;
  const nodes: RunningServer[] = [];
  const clients: ProtocolClient[] = [];

  const startNode = async (nodeId: string): Promise<RunningServer> => {
    const node = await startServer({ redisUrl: redis.url, nodeId, leaseMs: LEASE_MS, metricsToken: 'metrics-token-0123456789', log: process.env.CLUSTER_LOG ? (l) => console.log(l) : undefined });
    nodes.push(node);
    return node;
  };
  const client = async (node: RunningServer): Promise<ProtocolClient> => {
    const opened = await ProtocolClient.open(node.wsUrl);
    clients.push(opened);
    return opened;
  };
  const health = async (node: RunningServer): Promise<Record<string, unknown>> => (await (await fetch(`${node.url}/health`)).json()) as Record<string, unknown>;
  const streamSeqs = async (agentId: string): Promise<number[]> =>
    (await probe.xrange(agentKeys(agentId).events, '-', '+')).map(([id]) => Number.parseInt(id, 10));

  before(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url);
    for (const id of ['n1', 'n2', 'n3']) await startNode(id);
  });

  after(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((node) => node.close()));
    probe.disconnect();
    await redis.destroy();
  });

  it('two tabs on two nodes see the same numbered events; a command through the non-owner is forwarded and answered', async () => {
    const [n1, n2] = nodes;
    const owner = await client(n1!);
    assert.equal((await owner.hello('c-1001')).t, 'welcome');
    const other = await client(n2!);
    const joined = await other.hello('c-1001');
    assert.equal(joined.t, 'welcome');
    assert.deepEqual(await health(n1!), { ok: true, nodeId: 'n1', redis: 'ready', status: 'ok', agentsOwned: 1, agents: 1 });
    assert.equal((await health(n2!)).agentsOwned, 0);

    // Through n2, which does not own the agent: forwarded to n1, answered on n2's socket.
    const login = await other.command('l1', 'login', { agentId: 'c-1001' });
    assert.equal(login.ok, true, JSON.stringify(login));
    assert.equal((await other.command('r1', 'ready')).ok, true);
    await other.waitFor((f) => f.t === 'event' && f.event.type === 'agentState' && f.event.state === 'ready', 'ready on n2');
    await owner.waitFor((f) => f.t === 'event' && f.event.type === 'agentState' && f.event.state === 'ready', 'ready on n1');
    // The second tab joined with a snapshot at `joined.seq`; from there on both get the same.
    const seen = (c: ProtocolClient) => c.events().filter((f) => f.seq > joined.seq).map((f) => `${f.seq}:${JSON.stringify(f.event)}`);
    await until(() => seen(owner).length === seen(other).length, 'both tabs level');
    assert.deepEqual(seen(other), seen(owner));
    const seqs = owner.events().map((f) => f.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'numbered 1, 2, 3 … once each');
    assert.deepEqual(await streamSeqs('c-1001'), seqs, 'every event is in the agent’s Redis stream');

    // A failure on the owner comes back through the forwarding node with its code.
    const bad = await other.command('bad', 'hold');
    assert.equal(bad.ok, false);
    assert.equal(typeof bad.error.code, 'string');

    const metrics = (await (await fetch(`${n2!.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789', accept: 'application/json' } })).json()) as { cluster: Record<string, unknown>; counters: Record<string, number> };
    assert.equal(metrics.cluster.nodeId, 'n2');
    assert.equal(metrics.counters.commandsForwarded, 3, JSON.stringify(metrics.counters));
  });

  it('a client resuming on another node gets exactly the events it missed', async () => {
    const [n1, n2, n3] = nodes;
    const first = await client(n1!);
    await first.hello('c-1002');
    await first.command('l', 'login', { agentId: 'c-1002' });
    const notReady = await first.waitFor((f) => f.t === 'event' && f.event.type === 'agentState' && f.event.state === 'notReady', 'logged in');
    const last = first.events().at(-1)!.seq as number;
    assert.ok(last >= notReady.seq);
    first.close();

    // While it is away, commands through n2 change the agent (owned by n1).
    const meanwhile = await client(n2!);
    await meanwhile.hello('c-1002', last);
    const r = await meanwhile.command('r', 'ready');
    assert.equal(r.ok, true, JSON.stringify(r));
    const reasons = first.events().find((f) => f.event.type === 'lists' && f.event.reasons?.length)!.event.reasons;
    const nr = await meanwhile.command('nr', 'notReady', { reasonCode: reasons[0].code });
    assert.equal(nr.ok, true, JSON.stringify(nr));
    await meanwhile.waitFor((f) => f.t === 'event' && f.event.type === 'agentState' && f.event.state === 'notReady' && f.seq > last, 'not ready again');
    const missed = meanwhile.events().filter((f) => f.seq > last);

    const resumed = await client(n3!);
    const welcome = await resumed.hello('c-1002', last);
    assert.equal(welcome.seq, missed.at(-1)!.seq);
    await until(() => resumed.events().length >= missed.length, 'replay on n3');
    assert.ok(!resumed.frames.some((f) => f.t === 'snapshot'), 'an exact replay, not a snapshot');
    assert.deepEqual(resumed.events().map((f) => [f.seq, f.event]), missed.map((f) => [f.seq, f.event]));
  });

  it('a stale owner can never append: after another take-over its events are refused and it lets go', async () => {
    const [n1] = nodes;
    const ownedBefore = (await health(n1!)).agentsOwned as number;
    const tab = await client(n1!);
    await tab.hello('c-1003');
    await tab.command('l', 'login', { agentId: 'c-1003' });
    await tab.waitFor((f) => f.t === 'event' && f.event.type === 'agentState', 'logged in');
    const keys = agentKeys('c-1003');
    await until(async () => (await streamSeqs('c-1003')).length === tab.events().length, 'stream level');
    const before = await streamSeqs('c-1003');

    // Another holder takes the agent behind n1's back: a newer fencing token.
    const staleToken = Number(await probe.get(keys.fence));
    await probe.set(keys.lease, 'intruder', 'PX', 60_000);
    await probe.incr(keys.fence);
    // Two outcomes race, and both are safe: n1 still runs the connector, the backend takes the
    // command and its event is refused a number; or n1's lease renewal saw the newer token first
    // and it refuses the command as no longer the owner. Either way nothing gets a number.
    await tab.command('r', 'ready');
    await until(async () => (await health(n1!)).agentsOwned === ownedBefore, 'n1 demoted itself');
    assert.deepEqual(await streamSeqs('c-1003'), before, 'nothing appended with the stale token');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(tab.events().length, before.length, 'and nothing delivered');
    // The fence itself, without the race: an append with the stale token gets no number.
    const scripts = withScripts(new Redis(redis.url));
    try {
      const seq = await scripts.abAppend(keys.fence, keys.seq, keys.events, staleToken, '{"type":"agentState","state":"ready"}', 100, keys.channel);
      assert.equal(seq, -1, 'a stale token is refused by the append script');
      assert.deepEqual(await streamSeqs('c-1003'), before);
    } finally {
      scripts.disconnect();
    }
    await probe.del(keys.lease);
  });

  it('a node that stops hands its agents over; the call and the numbering carry on on another node', async () => {
    const n4 = await startNode('n4');
    const [, n2] = nodes;
    const onN4 = await client(n4);
    await onN4.hello('c-1004');
    const onN2 = await client(n2!);
    const joined = await onN2.hello('c-1004');
    await onN4.command('l', 'login', { agentId: 'c-1004' });
    await onN4.command('r', 'ready');
    const offer = await fetch(`${n4.url}/control/c-1004/offer-call`, { method: 'POST', body: JSON.stringify({ number: '+15550100', name: 'Ada' }) });
    assert.equal(offer.status, 200);
    await onN2.waitFor((f) => f.t === 'event' && f.event.type === 'call' && f.event.call.state === 'ringing', 'ringing on n2');
    const lastBefore = onN2.events().at(-1)!.seq as number;

    await n4.close();
    await until(async () => (await health(n2!)).agentsOwned === 1, 'n2 took the agent over', 3000);
    const answered = await onN2.command('a', 'answer');
    assert.equal(answered.ok, true, JSON.stringify(answered));
    await onN2.waitFor((f) => f.t === 'event' && f.event.type === 'call' && f.event.call.state === 'talking', 'talking after the hand-over');
    const seqs = onN2.events().map((f) => f.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => joined.seq + 1 + i), 'no number lost or repeated across the hand-over');
    assert.ok(seqs.at(-1)! > lastBefore);
  });
});

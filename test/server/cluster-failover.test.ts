/**
 * A node of the gateway cluster `kill -9`ed mid-call, twenty times in a row: three real gateway
 * processes (`server/main.ts` with REDIS_URL, CONNECTOR=noojee) on a real redis-server, the Noojee
 * emulator as the vendor backend, and six bars (the real Session over the real gateway connector,
 * each with the three nodes as its endpoints). Every round a call rings at every agent, one node
 * dies, the bars answer through whichever node they reach, and the customer hangs up. Proven:
 * no bar ever sees a number twice or misses one (no snapshot after the first), each bar shows the
 * emulator's truth within 2 s of its reconnect, and no call was answered twice at the backend.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { start as startNoojee } from '../../server/emulators/noojee/index.ts';
import { createTokenIssuer } from '../../server/tokens.ts';
import { createGatewayConnector } from '../../src/connectors/gateway/gateway-connector.ts';
import { Session } from '../../src/core/session.ts';
import { freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { startRedis, until, type RedisProcess } from './cluster-kit.ts';

const ROUNDS = 20;
const AGENTS = ['100', '101', '102', '103', '104', '105'];
const SECRET = randomBytes(32).toString('hex');
const API_KEY = `noojee-${randomBytes(6).toString('hex')}`;

interface Bar {
  agentId: string;
  session: Session;
  applied: Array<{ seq: number; source: 'event' | 'snapshot' }>;
  /** When its connection last came back. */
  reconnectedAt: number;
}

describe('gateway cluster: a node killed mid-call, again and again', () => {
  let redis: RedisProcess;
  let emulator: Awaited<ReturnType<typeof startNoojee>>;
  const ports: number[] = [];
  const nodes: Array<ServerProcess | undefined> = [];
  const bars: Bar[] = [];
  const issuer = createTokenIssuer(SECRET);

  const env = (index: number): Record<string, string> => ({
    REDIS_URL: redis.url,
    NODE_ID: `node-${index}-${randomBytes(2).toString('hex')}`,
    LEASE_MS: '600',
    GATEWAY: '1',
    TOKEN_SECRET: SECRET,
    CONNECTOR: 'noojee',
    CONNECTOR_ENDPOINT: emulator.url,
    CONNECTOR_CONFIG: JSON.stringify({ apiKey: API_KEY, handset: 'Yealink', pollTimeoutS: 2, campaign: { templateId: 1, campaignId: 11, allocationId: 111 } }),
    HUB_IDLE_MS: '0',
  });
  const emu = async (verb: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${emulator.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 200, verb);
    return (await res.json()) as Record<string, unknown>;
  };
  const liveCalls = async (): Promise<Array<{ uniqueId: string; exten: string; status: string }>> =>
    ((await (await fetch(`${emulator.url}/__state`)).json()) as { calls: Array<{ uniqueId: string; exten: string; status: string }> }).calls;
  /** The bar shows what the backend has: the same number of calls, ringing iff Ringing. */
  const isTrue = (bar: Bar, calls: Array<{ exten: string; status: string }>): boolean => {
    const truth = calls.filter((c) => c.exten === bar.agentId && c.status !== 'Hungup');
    const shown = bar.session.snapshot.calls;
    if (shown.length !== truth.length) return false;
    return truth.every((c, i) => (shown[i]!.state === 'ringing') === (c.status === 'Ringing'));
  };

  before(async () => {
    redis = await startRedis();
    emulator = await startNoojee({ apiKey: API_KEY });
    for (let i = 0; i < 3; i++) {
      ports.push(await freePort());
      nodes.push(await launchServer({ port: ports[i]!, env: env(i) }));
    }
    for (const [index, agentId] of AGENTS.entries()) {
      // Each bar starts on a different node and knows all three.
      const order = [0, 1, 2].map((k) => `ws://127.0.0.1:${ports[(index + k) % 3]}/ws`);
      const applied: Bar['applied'] = [];
      const connector = createGatewayConnector({
        agentId,
        endpoint: order[0]!,
        config: {
          getToken: () => issuer.issue(agentId),
          fallbackEndpoints: order.slice(1),
          createSocket: (url) => new WebSocket(url) as never,
          backoff: { initialMs: 50, maxMs: 200 },
          heartbeatIntervalMs: 500,
          heartbeatTimeoutMs: 500,
          commandTimeoutMs: 5000,
          onApplied: (info) => applied.push(info),
        },
      });
      const session = new Session(connector, { agentId, commandTimeoutMs: 6000, defaultCountry: 'AU' });
      const bar: Bar = { agentId, session, applied, reconnectedAt: 0 };
      session.subscribe((now, previous) => {
        if (now.connection === 'connected' && previous.connection !== 'connected') bar.reconnectedAt = Date.now();
      });
      await session.connect();
      bars.push(bar);
    }
  });

  after(async () => {
    for (const bar of bars) bar.session.destroy();
    await Promise.all(nodes.map((node) => stopServer(node)));
    await emulator?.close();
    await redis?.destroy();
  });

  it(`${ROUNDS} rounds: a call at every agent, the owner node killed, answered and ended — nothing lost, nothing twice, truth within 2 s`, async () => {
    const answersAtBackend = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const offered = new Map<string, string>();
      for (const agentId of AGENTS) offered.set(agentId, (await emu('offer-inbound', { to: agentId, from: `+6129${String(round).padStart(2, '0')}0000${agentId.slice(-1)}` })).callId as string);
      await until(() => bars.every((bar) => bar.session.snapshot.calls[0]?.state === 'ringing'), `round ${round}: ringing everywhere`);

      // One node dies mid-call (round robin); its replacement starts on the same port meanwhile.
      const victim = round % 3;
      const killedAt = Date.now();
      await stopServer(nodes[victim], 'SIGKILL');
      const restarting = launchServer({ port: ports[victim]!, env: env(victim) }).then((node) => (nodes[victim] = node));
      restarting.catch(() => {});
      const answeredAt = new Map<string, number>();

      // Every bar answers its call through whichever node it reaches; a refusal while the agent
      // moves is answered at once and retried by the agent, as a person would click again.
      await Promise.all(
        bars.map(async (bar) => {
          for (let attempt = 0; attempt < 60; attempt++) {
            if (bar.session.snapshot.calls[0]?.state === 'talking') return;
            try {
              if (bar.session.snapshot.connection === 'connected' && bar.session.snapshot.calls[0]?.state === 'ringing') {
                await bar.session.command('answer', {});
                answeredAt.set(bar.agentId, Date.now());
                answersAtBackend.set(offered.get(bar.agentId)!, (answersAtBackend.get(offered.get(bar.agentId)!) ?? 0) + 1);
              }
            } catch {
              // NOT_CONNECTED / CONNECTION_LOST: not applied; try again.
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }),
      );
      const calls = await liveCalls();
      for (const [agentId, callId] of offered) {
        assert.equal(calls.find((c) => c.uniqueId === callId)?.status, 'Connected', `round ${round}: agent ${agentId}'s call answered at the backend`);
      }
      for (const bar of bars) {
        await until(async () => isTrue(bar, await liveCalls()), `round ${round}: bar ${bar.agentId} true`, 4000);
        // From its reconnect (or the answer, which changed the truth after it), at most 2 s.
        const since = Math.max(bar.reconnectedAt, killedAt, answeredAt.get(bar.agentId) ?? 0);
        assert.ok(Date.now() - since < 2000, `round ${round}: bar ${bar.agentId} true ${Date.now() - since} ms after its reconnect`);
      }

      for (const callId of offered.values()) await emu('customer-hangup', { callId });
      await until(() => bars.every((bar) => bar.session.snapshot.calls.length === 0), `round ${round}: calls ended everywhere`);
      await restarting;
    }

    // Each answer the bars were told succeeded happened once: a second would have been refused.
    assert.equal(answersAtBackend.size, ROUNDS * AGENTS.length);
    for (const [callId, count] of answersAtBackend) assert.equal(count, 1, `call ${callId} answered ${count} times`);
    for (const bar of bars) {
      const events = bar.applied.filter((a) => a.source === 'event').map((a) => a.seq);
      assert.ok(bar.applied.filter((a) => a.source === 'snapshot').length <= 1, `bar ${bar.agentId}: no snapshot after the first (${bar.applied.filter((a) => a.source === 'snapshot').length})`);
      for (let i = 1; i < events.length; i++) {
        assert.equal(events[i], events[i - 1]! + 1, `bar ${bar.agentId}: event ${events[i - 1]} followed by ${events[i]}`);
      }
      assert.ok(events.length > ROUNDS * 3, `bar ${bar.agentId} saw ${events.length} events`);
    }
  });
});

/**
 * Nodes of the gateway cluster taken away mid-call: three real gateway processes
 * (`server/main.ts` with REDIS_URL, CONNECTOR=noojee) on a real redis-server, the Noojee emulator
 * as the vendor backend, and six bars (the real Session over the real gateway connector, each with
 * the three nodes as its endpoints). Each round a call rings at every agent, a node goes, the bars
 * answer through whichever node they reach, and the customer hangs up — twenty rounds with a node
 * `kill -9`ed, then a rolling restart (SIGTERM one node at a time, each restarted before the next).
 * Proven: no bar ever sees a number twice or misses one (no snapshot after the first), every call
 * is answered at the backend and no bar is told twice that it was, each bar shows the backend's
 * truth soon after its reconnect (bounded at 10 s here; the figure is measured by
 * bench/cluster.ts), and a node told to stop exits cleanly having handed its agents over.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { start as startNoojee } from '../../server/emulators/noojee/index.ts';
import { createTokenIssuer } from '../../server/tokens.ts';
import { Session } from '../../src/core/session.ts';
import { freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { Redis } from 'ioredis';
import { agentKeys } from '../../server/cluster/redis-scripts.ts';
import { gatewaySession, noojeeNodeEnv, startRedis, until, type RedisProcess } from './cluster-kit.ts';

const ROUNDS = 20;
/** A bar stuck on a wrong state fails; a slow machine does not (the figure is in the bench). */
const TRUTH_BOUND_MS = 10_000;
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
  /** Calls offered so far (each gets its own caller number) and rounds run. */
  let callsOffered = 0;
  let roundsRun = 0;
  /** Nodes stopped or killed, for their last lines in a failure message. */
  const retired: ServerProcess[] = [];
  /** Each node's replacement, starting while the next rounds run. */
  const restarts: Array<Promise<unknown> | undefined> = [];
  const issuer = createTokenIssuer(SECRET);

  const env = (index: number): Record<string, string> =>
    noojeeNodeEnv({ redisUrl: redis.url, nodeId: `node-${index}-${randomBytes(2).toString('hex')}`, secret: SECRET, apiKey: API_KEY, emulatorUrl: emulator.url, leaseMs: 600 });
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
      const session = gatewaySession({ agentId, endpoints: order, getToken: () => issuer.issue(agentId), onApplied: (info) => applied.push(info) });
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
    await Promise.allSettled(restarts);
    await Promise.all(nodes.map((node) => stopServer(node)));
    await emulator?.close();
    await redis?.destroy();
  });

  /** For a failure message: the bars still showing a call, who owns their agents, the nodes' last lines. */
  const whyNot = async (): Promise<string> => {
    const probe = new Redis(redis.url);
    try {
      const stuck = bars.filter((bar) => bar.session.snapshot.calls.length > 0);
      const owners = await Promise.all(stuck.map((bar) => probe.get(agentKeys(bar.agentId).lease)));
      const lines = stuck.map((bar, i) => `bar ${bar.agentId} (${bar.session.snapshot.connection}, ${bar.session.snapshot.calls.map((c) => c.state).join('/')}) owned by ${owners[i]}`);
      const logs = [...retired, ...nodes].map((node) => (node?.output() ?? '').split('\n').filter((l) => stuck.some((bar) => l.includes(`agent ${bar.agentId}:`))).slice(-10).join('\n'));
      return `${lines.join('; ')}\n${logs.join('\n---\n')}`;
    } finally {
      probe.disconnect();
    }
  };

  interface Outcomes {
    truthLags: number[];
    refusals: string[];
    /** round/agent whose answer was cut in flight (told neither yes nor no). */
    unknownOutcome: Set<string>;
    toldAnswered: Set<string>;
    answersAtBackend: Map<string, number>;
  }
  const outcomes = (): Outcomes => ({ truthLags: [], refusals: [], unknownOutcome: new Set(), toldAnswered: new Set(), answersAtBackend: new Map() });

  /**
   * One round: a call rings at every agent, `disrupt` takes a node away, every bar answers
   * through whichever node it reaches, the backend must show every call answered and every bar
   * the truth; then the customers hang up.
   */
  const round = async (label: string, out: Outcomes, disrupt: () => Promise<void>): Promise<void> => {
    const offered = new Map<string, string>();
    for (const [k, agentId] of AGENTS.entries()) offered.set(agentId, (await emu('offer-inbound', { to: agentId, from: `+61290000${String(callsOffered++ % 1000).padStart(3, '0')}${k}` })).callId as string);
    await until(() => bars.every((bar) => bar.session.snapshot.calls[0]?.state === 'ringing'), `${label}: ringing everywhere`);
    roundsRun++;
    const disruptedAt = Date.now();
    await disrupt();
    const answeredAt = new Map<string, number>();
    // Every bar is watched at once: the moment each first shows the backend's new truth (the
    // call answered there, talking on the bar).
    const trueAt = new Map<string, number>();
    const watching = until(async () => {
      const calls = await liveCalls();
      for (const bar of bars) {
        const connected = calls.some((c) => c.exten === bar.agentId && c.status === 'Connected');
        if (!trueAt.has(bar.agentId) && connected && isTrue(bar, calls)) trueAt.set(bar.agentId, Date.now());
      }
      return trueAt.size === bars.length;
    }, `${label}: every bar true`, 30_000);
    watching.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled

    // Every bar answers its call through whichever node it reaches; a refusal while the agent
    // moves is answered at once and retried by the agent, as a person would click again.
    await Promise.all(
      bars.map(async (bar) => {
        const key = `${label}/${bar.agentId}`;
        for (let attempt = 0; attempt < 60; attempt++) {
          if (bar.session.snapshot.calls[0]?.state === 'talking') return;
          try {
            if (bar.session.snapshot.connection === 'connected' && bar.session.snapshot.calls[0]?.state === 'ringing') {
              await bar.session.command('answer', {});
              answeredAt.set(bar.agentId, Date.now());
              out.toldAnswered.add(key);
              out.answersAtBackend.set(offered.get(bar.agentId)!, (out.answersAtBackend.get(offered.get(bar.agentId)!) ?? 0) + 1);
            }
          } catch (error) {
            // Refused while the agent moves (NOT_CONNECTED): not applied; try again. A socket
            // cut (or a wait timed out, or the bar restarted its connection because the new owner
            // said the backend link failed) with the answer in flight leaves its outcome unknown:
            // the bar shows the truth once back, and a second click on a call already answered
            // is refused by the backend.
            const code = (error as { code?: string }).code;
            if (code === 'DESTROYED' || /check the call state/.test((error as Error).message)) out.unknownOutcome.add(key);
            out.refusals.push(`${key} +${Date.now() - disruptedAt} ms: ${code} ${(error as Error).message}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }),
    );
    await watching;
    const calls = await liveCalls();
    for (const [agentId, callId] of offered) {
      assert.equal(calls.find((c) => c.uniqueId === callId)?.status, 'Connected', `${label}: agent ${agentId}'s call answered at the backend`);
      assert.ok(out.toldAnswered.has(`${label}/${agentId}`) || out.unknownOutcome.has(`${label}/${agentId}`), `${label}: bar ${agentId} never told its answer worked:\n${out.refusals.join('\n')}`);
    }
    for (const bar of bars) {
      // From its reconnect (or the answer, which changed the truth after it). The issue's 2 s
      // is a speed figure, measured by bench/cluster.ts; here only a bound no loaded CI
      // machine can miss unless the bar is really stuck.
      const since = Math.max(bar.reconnectedAt, disruptedAt, answeredAt.get(bar.agentId) ?? 0);
      const lag = Math.max(0, trueAt.get(bar.agentId)! - since);
      out.truthLags.push(lag);
      assert.ok(lag < TRUTH_BOUND_MS, `${label}: bar ${bar.agentId} true ${lag} ms after its reconnect`);
    }

    for (const callId of offered.values()) await emu('customer-hangup', { callId });
    await until(() => bars.every((bar) => bar.session.snapshot.calls.length === 0), `${label}: calls ended everywhere`, 15_000).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${await whyNot()}`);
    });
  };

  /** What both tests prove at the end, over each bar's whole history. */
  const assertNothingLostOrTwice = (t: { diagnostic(message: string): void }, out: Outcomes): void => {
    const sorted = [...out.truthLags].sort((a, b) => a - b);
    t.diagnostic(`time to true state after reconnect: p50 ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms over ${sorted.length}`);
    t.diagnostic(`answers cut in flight (outcome unknown to the bar, applied at the backend): ${out.unknownOutcome.size}`);
    // No bar was told twice that its answer worked (a second would have been refused).
    for (const [callId, count] of out.answersAtBackend) assert.equal(count, 1, `call ${callId} answered ${count} times`);
    for (const bar of bars) {
      const events = bar.applied.filter((a) => a.source === 'event').map((a) => a.seq);
      assert.ok(bar.applied.filter((a) => a.source === 'snapshot').length <= 1, `bar ${bar.agentId}: no snapshot after the first (${bar.applied.filter((a) => a.source === 'snapshot').length})`);
      for (let i = 1; i < events.length; i++) {
        assert.equal(events[i], events[i - 1]! + 1, `bar ${bar.agentId}: event ${events[i - 1]} followed by ${events[i]}`);
      }
      // Ringing, talking, ended at least, every round.
      assert.ok(events.length >= roundsRun * 3, `bar ${bar.agentId} saw ${events.length} events in ${roundsRun} rounds`);
    }
  };

  it(`${ROUNDS} rounds: a call at every agent, a node killed, answered and ended — nothing lost, nothing twice, truth shown soon after`, async (t) => {
    const out = outcomes();
    for (let r = 0; r < ROUNDS; r++) {
      // One node dies mid-call (round robin); its replacement starts while the next rounds run.
      const victim = r % 3;
      await restarts[victim];
      await round(`kill round ${r}`, out, async () => {
        await stopServer(nodes[victim], 'SIGKILL');
        retired.push(nodes[victim]!);
        // A loaded machine may take long to start a process: not what this test is about.
        restarts[victim] = launchServer({ port: ports[victim]!, env: env(victim), startTimeoutMs: 60_000 }).then((node) => (nodes[victim] = node));
        restarts[victim]!.catch(() => {});
      });
    }
    await Promise.all(restarts);
    assertNothingLostOrTwice(t, out);
  });

  it('a rolling restart of all three nodes during calls (SIGTERM one at a time): nothing lost, nothing twice', async (t) => {
    const out = outcomes();
    await Promise.all(restarts);
    for (let victim = 0; victim < 3; victim++) {
      const leaving = nodes[victim]!;
      // The node hands its agents over and closes its sockets before it exits.
      await round(`rolling restart of node ${victim}`, out, async () => {
        const stopped = stopServer(leaving, 'SIGTERM');
        retired.push(leaving);
        restarts[victim] = stopped.then(() => launchServer({ port: ports[victim]!, env: env(victim), startTimeoutMs: 60_000 })).then((node) => (nodes[victim] = node));
        restarts[victim]!.catch(() => {});
      });
      await restarts[victim];
      // It stopped by itself, cleanly (the 5 s guard in server/main.ts exits with 1).
      assert.equal(leaving.child.exitCode, 0, leaving.output().slice(-2000));
    }
    assertNothingLostOrTwice(t, out);
  });
});

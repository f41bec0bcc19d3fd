/**
 * WebSocket through server crashes: the real reference server process is killed with SIGKILL
 * mid-call (call on hold) and started again on the same port and the same STATE_FILE, many times
 * (bounded loop). The client is the real `ServerConnector` (WebSocket transport, `ws` injected in
 * Node) under the real `Session`. Proven each round:
 *  - no event applied twice and none lost: the server seqs behind the events handed to the session
 *    only ever go up by exactly one, except where a snapshot re-based them;
 *  - the session shows the server's state (agent state and calls) within 2 s of reconnecting;
 *  - a command while disconnected fails at once with NOT_CONNECTED (nothing queued for later).
 */
import { test, expect } from '@playwright/test';
import WebSocket from 'ws';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerConnector } from '../../src/connectors/server/server-connector.ts';
import type { WebSocketLike } from '../../src/transports/websocket-transport.ts';
import { Session } from '../../src/core/session.ts';
import { CtiError } from '../../src/core/errors.ts';
import { control, eventually, freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { checkContiguous, sameView as same, serverView, sessionView as clientView } from '../fixtures/state-views.ts';

const AGENT = 'agent7';
const ROUNDS = 6;

test('WebSocket: server killed and restarted mid-call, repeatedly — nothing lost, nothing twice, state back within 2 s', async () => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'ws-restart-'));
  const port = await freePort();
  const env = { STATE_FILE: join(dir, 'state.json'), CONNECTOR_CONFIG: '{"latencyMs":0}' };
  let server: ServerProcess | undefined = await launchServer({ port, env });

  const applied: Array<{ seq: number; source: 'event' | 'snapshot' }> = [];
  const connector = new ServerConnector({
    agentId: AGENT,
    endpoint: server.wsUrl,
    config: {
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      // Quicker than the 1 s default so the loop stays short; the policy itself is unit-tested.
      backoff: { initialMs: 200, maxMs: 1000 },
      heartbeatIntervalMs: 2000,
      heartbeatTimeoutMs: 1000,
      commandTimeoutMs: 5000,
      onApplied: (info) => applied.push(info),
    },
  });
  const session = new Session(connector, { agentId: AGENT });
  /** `eventually`, saying what the session showed when it timed out. */
  const until = (check: () => boolean, ms: number, what: string): Promise<number> =>
    eventually(check, ms, what).catch((error: Error) => {
      throw new Error(`${error.message}; the session shows ${JSON.stringify(clientView(session.snapshot))}; applied ${JSON.stringify(applied.slice(-6))}`);
    });
  const connectedAt: number[] = [];
  session.subscribe((now, before) => {
    if (now.connection === 'connected' && before.connection !== 'connected') connectedAt.push(Date.now());
  });

  try {
    await session.connect();
    await session.command('login', {});
    await until(() => session.snapshot.agent.state === 'notReady', 5000, 'logged in');
    await session.command('ready', {});
    await until(() => session.snapshot.agent.state === 'ready', 5000, 'ready');

    for (let round = 0; round < ROUNDS; round++) {
      // A call, answered and put on hold: the state that must survive the crash.
      await control(server.httpUrl, AGENT, 'offer-call', { number: `+1555000${round}`, name: `Caller ${round}` });
      await until(() => session.snapshot.calls[0]?.state === 'ringing', 5000, 'ringing');
      await session.command('answer', {});
      await until(() => session.snapshot.calls[0]?.state === 'talking', 5000, 'talking');
      await session.command('hold', {});
      await until(() => session.snapshot.calls[0]?.state === 'held', 5000, 'held');

      await stopServer(server, 'SIGKILL');
      server = undefined;
      await until(() => session.snapshot.connection !== 'connected', 10_000, 'the client to notice the crash');

      // While down: a command fails at once, clearly; it is not kept for later.
      const failure = await session.command('retrieve', {}).then(() => undefined, (e: unknown) => e);
      expect(failure).toBeInstanceOf(CtiError);
      expect((failure as CtiError).code).toBe('NOT_CONNECTED');

      const reconnectsBefore = connectedAt.length;
      server = await launchServer({ port, env });
      await eventually(() => connectedAt.length > reconnectsBefore, 15_000, 'the client to reconnect');
      const reconnected = connectedAt.at(-1)!;
      const truth = await serverView(server.httpUrl, AGENT);
      await until(() => same(clientView(session.snapshot), truth), 2000, `round ${round}: the server state ${JSON.stringify(truth)}`);
      expect(Date.now() - reconnected).toBeLessThan(2500); // includes the time to ask the server for its truth
      expect(same(clientView(session.snapshot), await serverView(server.httpUrl, AGENT))).toBe(true);

      // Back to "ready, no call" from whatever state the server kept. A kill -9 can land before
      // the server wrote its last changes (it debounces by 20 ms), so the call may come back
      // earlier in its life (ringing), or not at all; take the step each state needs (bounded).
      const srv = server;
      for (let step = 0; step < 8; step++) {
        const snap = session.snapshot;
        const call = snap.calls[0];
        if (!call && snap.agent.state === 'ready') break;
        const before = JSON.stringify(clientView(snap));
        if (call?.state === 'ringing') await session.command('answer', {});
        else if (call && call.state !== 'wrapup') await control(srv.httpUrl, AGENT, 'customer-hangup');
        else if (call) await session.command('wrapUp', { code: snap.dispositions[0]!.code });
        else if (snap.agent.state === 'loggedOut') await session.command('login', {});
        else await session.command('ready', {});
        await until(() => JSON.stringify(clientView(session.snapshot)) !== before, 5000, `round ${round}: a step from ${before}`);
      }
      expect(session.snapshot.calls).toHaveLength(0);
      expect(session.snapshot.agent.state).toBe('ready');
    }

    // Nothing twice, nothing lost: live/replayed events follow each other by exactly one seq;
    // only a snapshot may re-base the numbering (the state it carries is complete).
    expect(checkContiguous(applied)).toBeUndefined();
    const snapshots = applied.filter((e) => e.source === 'snapshot').length;
    const eventSeqs = applied.filter((e) => e.source === 'event').map((e) => e.seq);
    expect(new Set(eventSeqs).size).toBe(eventSeqs.length);
    expect(eventSeqs.length).toBeGreaterThan(ROUNDS * 5);
    expect(connectedAt.length).toBe(ROUNDS + 1);
    // The session's own numbering only ever went up.
    expect(session.snapshot.seq).toBeGreaterThan(eventSeqs.length);
    test.info().annotations.push({ type: 'resyncs', description: `${snapshots} snapshot(s), ${eventSeqs.length} events` });
  } finally {
    session.destroy();
    await stopServer(server, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

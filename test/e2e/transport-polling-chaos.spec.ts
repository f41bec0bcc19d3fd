/**
 * REST polling through chaos: a proxy in front of the real reference server answers 30 % of the
 * requests with a 500, no answer at all (the client's timeout must end it) or garbage (after
 * forwarding, so a command may have taken effect without the client knowing). The client is the
 * real `ServerConnector` (polling transport) under the real `Session`; calls are offered and ended
 * through the server's control API directly. Proven, for long-polling and interval polling:
 * no crash (no unhandled rejection), no event applied twice or skipped, the pause between polls
 * stays within the backoff ceiling, and the session converges to the server's state.
 */
import { test, expect } from '@playwright/test';
import { ServerConnector } from '../../src/connectors/server/server-connector.ts';
import { Session } from '../../src/core/session.ts';
import type { Operation } from '../../src/core/operations.ts';
import type { CommandArgs } from '../../src/core/commands.ts';
import { Backoff } from '../../src/transports/backoff.ts';
import { control, eventually, freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { startChaosProxy, type ChaosProxy } from '../fixtures/chaos-proxy.ts';
import { checkContiguous, sameView, serverView, sessionView } from '../fixtures/state-views.ts';

const ROUNDS = 5;
const BACKOFF = { initialMs: 100, maxMs: 800 };
const POLL_TIMEOUT_MS = 1000;

for (const mode of ['long-poll', 'interval'] as const) {
  test(`polling (${mode}) through 30 % 500s, timeouts and garbage: no crash, no duplicate, bounded backoff, converges`, async () => {
    test.setTimeout(180_000);
    const agentId = `chaos-${mode}`;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let server: ServerProcess | undefined;
    let proxy: ChaosProxy | undefined;
    let session: Session | undefined;
    try {
      server = await launchServer({ port: await freePort(), env: { CONNECTOR_CONFIG: '{"latencyMs":0}' } });
      proxy = await startChaosProxy({ target: server.httpUrl, faultRate: 0.3, seed: mode === 'interval' ? 7 : 11 });
      const applied: Array<{ seq: number; source: 'event' | 'snapshot' }> = [];
      const connector = new ServerConnector({
        agentId,
        endpoint: proxy.url,
        config: {
          transport: 'polling',
          longPoll: mode === 'long-poll',
          longPollWaitMs: 500,
          pollIntervalMs: 100,
          pollTimeoutMs: POLL_TIMEOUT_MS,
          commandTimeoutMs: 1000,
          connectTimeoutMs: 30_000,
          backoff: BACKOFF,
          onApplied: (info) => applied.push(info),
        },
      });
      const s = new Session(connector, { agentId });
      session = s;
      const httpUrl = server.httpUrl;
      const until = (check: () => boolean, what: string): Promise<number> =>
        eventually(check, 20_000, what).catch((error: Error) => {
          throw new Error(`${error.message}; the session shows ${JSON.stringify(sessionView(s.snapshot))}`);
        });
      /**
       * A command through the chaos: it may fail (500, timeout, garbage after it took effect), so
       * it is tried again only while the state says it has not happened yet — what an agent does.
       */
      const act = async <O extends Operation>(operation: O, args: CommandArgs[O], done: () => boolean): Promise<void> => {
        for (let attempt = 0; attempt < 30 && !done(); attempt++) {
          await s.command(operation, args).catch(() => {});
          await eventually(done, 1000, operation).catch(() => {});
        }
        await until(done, `${operation} to take effect`);
      };

      await s.connect();
      await act('login', {}, () => s.snapshot.agent.state !== 'loggedOut');
      await act('ready', {}, () => s.snapshot.agent.state === 'ready');
      for (let round = 0; round < ROUNDS; round++) {
        await control(httpUrl, agentId, 'offer-call', { number: `+1555010${round}` });
        await until(() => s.snapshot.calls[0]?.state === 'ringing', 'ringing');
        await act('answer', {}, () => s.snapshot.calls[0]?.state === 'talking');
        await act('hold', {}, () => s.snapshot.calls[0]?.state === 'held');
        await control(httpUrl, agentId, 'customer-hangup');
        await until(() => s.snapshot.calls.length === 0 || s.snapshot.calls[0]?.state === 'wrapup', 'wrap-up');
        const code = s.snapshot.dispositions[0]?.code ?? '';
        if (s.snapshot.calls.length > 0) await act('wrapUp', { code }, () => s.snapshot.calls.length === 0);
        if (s.snapshot.agent.state !== 'ready') await act('ready', {}, () => s.snapshot.agent.state === 'ready');
      }

      // Converges: the session shows exactly what the server (asked directly) holds.
      const truth = await serverView(httpUrl, agentId);
      await until(() => sameView(sessionView(s.snapshot), truth), 'convergence');
      expect(truth.calls).toEqual([]);
      expect(truth.agent).toBe('ready');

      // No duplicate, nothing skipped.
      expect(checkContiguous(applied)).toBeUndefined();
      expect(applied.filter((e) => e.source === 'event').length).toBeGreaterThan(ROUNDS * 4);

      // The chaos really happened, and the client kept polling within its backoff bounds.
      const polls = proxy.log.filter((e) => e.method === 'GET');
      const faults = polls.filter((e) => e.fate !== 'ok');
      expect(faults.length).toBeGreaterThan(polls.length * 0.15);
      expect(new Set(faults.map((f) => f.fate))).toEqual(new Set(['500', 'hang', 'garbage']));
      // Between two poll requests: at most a poll's own life (timeout) + the largest backoff
      // delay + scheduling slack. An unbounded or runaway backoff would break this.
      const ceiling = new Backoff(BACKOFF).ceilingMs;
      const longest = Math.max(...polls.slice(1).map((p, i) => p.at - polls[i]!.at));
      expect(longest).toBeLessThanOrEqual(POLL_TIMEOUT_MS + ceiling + 500);
      expect(unhandled).toEqual([]);
      test.info().annotations.push({
        type: 'chaos',
        description: `${polls.length} polls, ${faults.length} faulted, longest gap ${longest} ms, ${applied.length} applied`,
      });
    } finally {
      process.off('unhandledRejection', onUnhandled);
      session?.destroy();
      await proxy?.close();
      await stopServer(server, 'SIGKILL');
    }
  });
}

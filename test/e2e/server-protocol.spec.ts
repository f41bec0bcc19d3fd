/**
 * The reference server over real sockets: canonical WebSocket protocol, REST polling with
 * long-poll and cursors, the simulator control API, CORS and /health. Node-side tests.
 * Resource bounds and /metrics: server-limits.spec.ts.
 */
import { test, expect } from '@playwright/test';
import { startServer, type RunningServer } from '../../server/app.ts';
import { RecordingClient, getJson, postJson, type Message } from './server-test-kit.ts';

let server: RunningServer;

test.beforeAll(async () => {
  // The real simulator (the reference server's default connector), answering without delay.
  server = await startServer({ port: 0, heartbeatMs: 60_000, connectorConfig: { latencyMs: 0 } });
});
test.afterAll(async () => {
  await server?.close();
});

function controlUrl(agentId: string, action: string): string {
  return `${server.url}/control/${agentId}/${action}`;
}

function callsIn(events: Message[]): any[] {
  const calls = events.find((e) => e.type === 'calls');
  return calls ? calls.calls : [];
}

test.describe('WebSocket', () => {
  test('hello gets welcome with the current seq, then a snapshot of the state', async () => {
    const client = await RecordingClient.open(server.wsUrl);
    const welcome = await client.hello('ws-hello');
    expect(welcome).toMatchObject({ t: 'welcome', agentId: 'ws-hello' });
    expect(welcome.seq).toBeGreaterThan(0);
    const snapshot = await client.waitFor((m) => m.t === 'snapshot');
    expect(snapshot.seq).toBe(welcome.seq);
    expect(snapshot.events.some((e: Message) => e.type === 'agentState')).toBe(true);
    // Snapshot events carry no seq of their own: the snapshot's seq covers them all.
    expect(snapshot.events.every((e: Message) => e.seq === undefined)).toBe(true);
    client.close();
  });

  test('a command gets a response and its events carry consecutive seq numbers', async () => {
    const client = await RecordingClient.open(server.wsUrl);
    const welcome = await client.hello('ws-command');
    const response = await client.command('c1', 'login', { agentId: 'ws-command' });
    expect(response).toEqual({ t: 'response', id: 'c1', ok: true });
    const event = await client.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state !== 'loggedOut');
    expect(client.events()[0]!.seq).toBe(welcome.seq + 1);
    expect(event.event.seq).toBe(event.seq);
    const seqs = client.events().map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => welcome.seq + 1 + i));
    client.close();
  });

  test('ping gets pong with the same id', async () => {
    const client = await RecordingClient.open(server.wsUrl);
    await client.hello('ws-ping');
    client.send({ t: 'ping', id: 'p3' });
    expect(await client.waitFor((m) => m.t === 'pong')).toEqual({ t: 'pong', id: 'p3' });
    client.close();
  });

  test('a message before hello is refused with an error and close 4401', async () => {
    const client = await RecordingClient.open(server.wsUrl);
    client.send({ t: 'ping', id: 'x' });
    const error = await client.waitFor((m) => m.t === 'error', 5000).catch(() => undefined);
    expect(error?.error.code).toBe('UNAUTHORIZED');
    expect(error?.error.message).toMatch(/first message must be a hello/);
    expect(await client.waitForClose()).toBe(4401);
  });

  test('a hello with a bad agentId is refused with close 4400', async () => {
    const client = await RecordingClient.open(server.wsUrl);
    client.send({ t: 'hello', agentId: '../../etc/passwd' });
    expect(await client.waitForClose()).toBe(4400);
    expect(client.messages[0]?.error.code).toBe('INVALID_ARGUMENT');
  });

  test('malformed messages after hello get an error and the socket stays usable', async () => {
    const client = await RecordingClient.open(server.wsUrl);
    const welcome = await client.hello('ws-malformed');
    client.send('{not json');
    const error = await client.waitFor((m) => m.t === 'error');
    expect(error.error.code).toBe('PROTOCOL');
    client.send({ t: 'warp', id: 'w' });
    await client.waitFor((m) => m.t === 'error' && /Unknown message type/.test(m.error.message));
    const bad = await client.command('c-bad', 'teleport');
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('UNSUPPORTED');
    client.send({ t: 'ping', id: 'still-alive' });
    await client.waitFor((m) => m.t === 'pong' && m.id === 'still-alive');
    // Nothing above changed the agent.
    expect(client.events()).toEqual([]);
    const health = await getJson(`${server.url}/health`);
    expect(health.body.ok).toBe(true);
    expect(welcome.seq).toBeGreaterThan(0);
    client.close();
  });

  test('a failed command answers ok:false with the vendor code and changes nothing', async () => {
    const client = await RecordingClient.open(server.wsUrl);
    await client.hello('ws-fail');
    await client.command('login', 'login', { agentId: 'ws-fail' });
    await client.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state === 'notReady');
    const armed = await postJson(controlUrl('ws-fail', 'fail-next'), { operation: 'ready', code: 101 });
    expect(armed.status).toBe(200);
    const before = client.events().length;
    const response = await client.command('r1', 'ready');
    expect(response.ok).toBe(false);
    expect(response.error.vendorCode).toBe(101);
    expect(response.error.commandId).toBe('r1');
    // The next one succeeds: fail-next applies once.
    expect((await client.command('r2', 'ready')).ok).toBe(true);
    const ready = await client.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state === 'ready');
    expect(client.events().indexOf(ready)).toBeGreaterThanOrEqual(before);
    client.close();
  });

  test('reconnecting with after=<last seq> replays exactly the missed events', async () => {
    const agent = 'ws-resume';
    const first = await RecordingClient.open(server.wsUrl);
    await first.hello(agent);
    await first.command('login', 'login', { agentId: agent });
    const login = await first.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state === 'notReady');
    await first.command('ready', 'ready');
    const ready = await first.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state === 'ready');
    const lastSeq = ready.seq;
    first.close();

    // While the client is away, a call arrives and the customer hangs up.
    expect((await postJson(controlUrl(agent, 'offer-call'), { number: '+15550100', name: 'Ada' })).status).toBe(200);
    expect((await postJson(controlUrl(agent, 'customer-hangup'), {})).status).toBe(200);

    const second = await RecordingClient.open(server.wsUrl);
    const welcome = await second.hello(agent, { after: lastSeq });
    expect(welcome.seq).toBeGreaterThan(lastSeq);
    await second.waitFor((m) => m.t === 'event' && m.seq === welcome.seq);
    const replayed = second.events().map((m) => m.seq);
    expect(replayed).toEqual(Array.from({ length: welcome.seq - lastSeq }, (_, i) => lastSeq + 1 + i));
    expect(second.messages.some((m) => m.t === 'snapshot')).toBe(false);
    expect(second.events().some((m) => m.event.type === 'call' && m.event.call.remote.number === '+15550100')).toBe(true);
    expect(login.seq).toBeLessThan(lastSeq);
    second.close();
  });

  test('drop-connections cuts the agent’s sockets and only theirs', async () => {
    const mine = await RecordingClient.open(server.wsUrl);
    await mine.hello('ws-drop-a');
    const other = await RecordingClient.open(server.wsUrl);
    await other.hello('ws-drop-b');
    const dropped = await postJson(controlUrl('ws-drop-a', 'drop-connections'), {});
    expect(dropped.body).toEqual({ ok: true, dropped: 1 });
    expect(await mine.waitForClose()).toBe(1006);
    other.send({ t: 'ping', id: 'b' });
    await other.waitFor((m) => m.t === 'pong');
    expect(other.closeCode).toBeUndefined();
    other.close();
  });

  test('a foreign browser origin cannot open a socket', async () => {
    const client = new RecordingClient(server.wsUrl, { Origin: 'https://evil.example' });
    const code = await client.waitForClose();
    expect(code).not.toBe(1000);
    expect(client.messages).toEqual([]);
  });
});

test.describe('snapshot when replay is impossible', () => {
  test('a client further behind than the replay buffer gets a snapshot of the current state', async () => {
    const small = await startServer({ port: 0, replayCapacity: 3, connectorConfig: { latencyMs: 0 } });
    try {
      const agent = 'tiny-buffer';
      const client = await RecordingClient.open(small.wsUrl);
      await client.hello(agent);
      await client.command('login', 'login', { agentId: agent });
      const first = await client.waitFor((m) => m.t === 'event');
      await client.command('ready', 'ready');
      await client.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state === 'ready');
      client.close();
      for (let i = 0; i < 4; i++) {
        await postJson(`${small.url}/control/${agent}/offer-call`, { number: `+1555010${i}` });
        await postJson(`${small.url}/control/${agent}/customer-hangup`, {});
      }
      const again = await RecordingClient.open(small.wsUrl);
      const welcome = await again.hello(agent, { after: first.seq });
      const snapshot = await again.waitFor((m) => m.t === 'snapshot');
      expect(snapshot.seq).toBe(welcome.seq);
      expect(again.events()).toEqual([]);
      const agentState = snapshot.events.find((e: Message) => e.type === 'agentState');
      expect(agentState.state).not.toBe('loggedOut');
      again.close();

      // REST says the same.
      const polled = await getJson(`${small.url}/api/agents/${agent}/events?after=${first.seq}`);
      expect(polled.body.seq).toBe(welcome.seq);
      expect(Array.isArray(polled.body.snapshot)).toBe(true);
    } finally {
      await small.close();
    }
  });
});

test.describe('REST polling', () => {
  const events = (agent: string, query: string): string => `${server.url}/api/agents/${agent}/events?${query}`;

  test('interval poll (wait=0) answers at once; cursor returns only newer events', async () => {
    const agent = 'rest-cursor';
    const initial = await getJson(events(agent, 'after=0&wait=0'));
    expect(initial.status).toBe(200);
    const start = initial.body.seq as number;
    const posted = await postJson(`${server.url}/api/agents/${agent}/commands`, { id: 'l1', operation: 'login', args: {} });
    expect(posted).toEqual({ status: 200, body: { ok: true, id: 'l1' } });
    const page = await getJson(events(agent, `after=${start}&wait=0`));
    expect(page.body.events.length).toBeGreaterThan(0);
    expect(page.body.events.map((e: Message) => e.seq)).toEqual(
      page.body.events.map((_: unknown, i: number) => start + 1 + i),
    );
    const last = page.body.events.at(-1).seq;
    const nothingNew = await getJson(events(agent, `after=${last}&wait=0`));
    expect(nothingNew.body).toEqual({ seq: last, events: [] });
  });

  test('long-poll returns as soon as an event arrives', async () => {
    const agent = 'rest-longpoll';
    await postJson(`${server.url}/api/agents/${agent}/commands`, { id: 'l', operation: 'login', args: {} });
    await postJson(`${server.url}/api/agents/${agent}/commands`, { id: 'r', operation: 'ready', args: {} });
    const { body } = await getJson(events(agent, 'wait=0'));
    const after = body.seq as number;
    const pending = getJson(events(agent, `after=${after}&wait=20000`));
    // Give the request time to be parked before the event exists (a bounded, fixed pause).
    await new Promise((resolve) => setTimeout(resolve, 200));
    await postJson(`${server.url}/control/${agent}/offer-call`, { number: '+15550199', name: 'Grace' });
    const result = await pending;
    expect(result.status).toBe(200);
    expect(result.body.events[0].seq).toBe(after + 1);
    expect(result.body.events.some((e: Message) => e.event.type === 'call' && e.event.call.remote.name === 'Grace')).toBe(true);
  });

  test('long-poll with nothing new returns an empty page when the wait ends', async () => {
    const agent = 'rest-timeout';
    const { body } = await getJson(events(agent, 'wait=0'));
    const result = await getJson(events(agent, `after=${body.seq}&wait=300`));
    expect(result).toEqual({ status: 200, body: { seq: body.seq, events: [] } });
  });

  test('bad parameters and bodies get 400 with a clear message and change nothing', async () => {
    const agent = 'rest-bad';
    const { body } = await getJson(events(agent, 'wait=0'));
    const badAfter = await getJson(events(agent, 'after=-1'));
    expect(badAfter.status).toBe(400);
    expect(badAfter.body.error.message).toMatch(/"after" must be an integer/);
    expect((await getJson(events(agent, 'wait=999999'))).status).toBe(400);
    const notJson = await postJson(`${server.url}/api/agents/${agent}/commands`, '{oops');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/not valid JSON/);
    const unknown = await postJson(`${server.url}/api/agents/${agent}/commands`, { id: 'x', operation: 'fly' });
    expect(unknown.status).toBe(501);
    expect(unknown.body.error.code).toBe('UNSUPPORTED');
    const badAgent = await getJson(`${server.url}/api/agents/a%2Fb/events`);
    expect(badAgent.status).toBe(400);
    const after = await getJson(events(agent, 'wait=0'));
    expect(after.body.seq).toBe(body.seq);
  });
});

test.describe('control API', () => {
  test('offer-call and customer-hangup drive the simulator; the events reach the agent', async () => {
    const agent = 'ctl-call';
    const client = await RecordingClient.open(server.wsUrl);
    await client.hello(agent);
    await client.command('login', 'login', { agentId: agent });
    await client.command('ready', 'ready');
    await client.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state === 'ready');
    const offered = await postJson(`${server.url}/control/${agent}/offer-call`, {
      number: '+442071838750',
      name: 'Alan',
      fields: { account: 'A-17' },
    });
    expect(offered.status).toBe(200);
    const call = await client.waitFor((m) => m.t === 'event' && m.event.type === 'call');
    expect(call.event.call.remote.number).toBe('+442071838750');
    const hangup = await postJson(`${server.url}/control/${agent}/customer-hangup`, {});
    expect(hangup.status).toBe(200);
    const from = client.messages.indexOf(call) + 1;
    await client.waitFor(
      (m) => m.t === 'event' && ((m.event.type === 'call' && m.event.call.state === 'wrapup') || m.event.type === 'callRemoved'),
      5000,
      from,
    );
    client.close();
  });

  test('bad control input gets 400 and changes nothing', async () => {
    const agent = 'ctl-bad';
    const { body } = await getJson(`${server.url}/api/agents/${agent}/events?wait=0`);
    const noNumber = await postJson(`${server.url}/control/${agent}/offer-call`, { name: '<b>x</b>' });
    expect(noNumber.status).toBe(400);
    expect(noNumber.body.error.message).toMatch(/"number"/);
    const badOp = await postJson(`${server.url}/control/${agent}/fail-next`, { operation: 'nope', code: 1 });
    expect(badOp.status).toBe(400);
    const unknown = await postJson(`${server.url}/control/${agent}/explode`, {});
    expect(unknown.status).toBe(404);
    const getInstead = await getJson(`${server.url}/control/${agent}/offer-call`);
    expect(getInstead.status).toBe(405);
    const after = await getJson(`${server.url}/api/agents/${agent}/events?wait=0&after=${body.seq}`);
    expect(after.body.events).toEqual([]);
  });

  test('snapshot after a call lists it as the whole call list', async () => {
    const agent = 'ctl-snapshot';
    await postJson(`${server.url}/api/agents/${agent}/commands`, { id: 'l', operation: 'login', args: {} });
    await postJson(`${server.url}/api/agents/${agent}/commands`, { id: 'r', operation: 'ready', args: {} });
    await postJson(`${server.url}/control/${agent}/offer-call`, { number: '+15550123' });
    const { body } = await getJson(`${server.url}/api/agents/${agent}/events?after=0`);
    expect(callsIn(body.snapshot).map((c) => c.remote.number)).toEqual(['+15550123']);
  });
});

test.describe('HTTP surface', () => {
  test('/health says only that the server is alive (counts are behind /metrics)', async () => {
    const { status, body } = await getJson(`${server.url}/health`);
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true });
  });

  test('CORS: loopback origins are allowed, foreign origins are refused', async () => {
    const ok = await fetch(`${server.url}/health`, { headers: { Origin: 'http://localhost:5173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const preflight = await fetch(`${server.url}/api/agents/x/commands`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5199', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const foreign = await fetch(`${server.url}/control/x/offer-call`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
      body: JSON.stringify({ number: '+15550100' }),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

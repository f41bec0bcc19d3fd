import { expect } from '@open-wc/testing';
import { ServerConnector } from '../../../src/connectors/server/server-connector.ts';
import { createGatewayConnector } from '../../../src/connectors/gateway/gateway-connector.ts';
import { resolveEndpoints } from '../../../src/connectors/server/endpoints.ts';
import { CtiError, ErrorCode } from '../../../src/core/errors.ts';
import type { CanonicalEvent } from '../../../src/core/events.ts';
import type { Command } from '../../../src/core/commands.ts';
import { flush, socketFactory, type FakeSocket } from '../transports/fakes.ts';

const call = (id: string, state = 'talking') => ({
  id,
  direction: 'inbound',
  state,
  role: 'owner',
  remote: { number: '+15551234' },
  fields: [],
  recording: false,
  notes: [],
  timestamps: { offeredAt: 1 },
});

function setup(extra: { token?: () => string } = {}) {
  const factory = socketFactory();
  const connector = new ServerConnector({
    agentId: '1001',
    endpoint: 'ws://127.0.0.1:9/ws',
    config: { createSocket: factory.create, backoff: { initialMs: 5, maxMs: 10 }, heartbeatIntervalMs: 60_000, connectTimeoutMs: 2000 },
    ...extra,
  });
  const events: CanonicalEvent[] = [];
  return { connector, sockets: factory.sockets, events };
}

async function open(sockets: FakeSocket[], welcome: Record<string, unknown> = { t: 'welcome', agentId: '1001', seq: 0 }) {
  const socket = sockets.at(-1)!;
  socket.open();
  await flush(10);
  const hello = socket.sent[0]!;
  socket.deliver(welcome);
  return { socket, hello };
}

/** Waits (bounded) for the connector to open a new socket after a drop. */
async function nextSocket(sockets: FakeSocket[], count: number): Promise<void> {
  for (let i = 0; i < 100 && sockets.length < count; i++) await new Promise((r) => setTimeout(r, 5));
  expect(sockets.length).to.equal(count);
}

const hold: Command = { id: 'c1', operation: 'hold', args: {} };

describe('ServerConnector (canonical protocol client)', () => {
  it('derives both endpoints from either form', () => {
    expect(resolveEndpoints('ws://h:1/ws', undefined)).to.deep.equal({ kind: 'websocket', websocketUrl: 'ws://h:1/ws', httpBase: 'http://h:1' });
    expect(resolveEndpoints('https://h/cti/', undefined)).to.deep.equal({ kind: 'polling', websocketUrl: 'wss://h/cti/ws', httpBase: 'https://h/cti' });
    expect(resolveEndpoints('ws://h:1/ws', 'polling').kind).to.equal('polling');
    expect(() => resolveEndpoints('ftp://h', undefined)).to.throw(CtiError);
    expect(() => resolveEndpoints('ws://user:pw@h/ws', undefined)).to.throw(CtiError);
    expect(() => resolveEndpoints(undefined, undefined)).to.throw(CtiError);
  });

  it('applies each event once, in order, renumbered monotonically for the session', async () => {
    const { connector, sockets, events } = setup();
    const connected = connector.connect((e) => events.push(e));
    const { socket, hello } = await open(sockets);
    await connected;
    expect(hello).to.deep.equal({ t: 'hello', agentId: '1001', after: 0 });
    socket.deliver({ t: 'event', seq: 1, event: { type: 'agentState', state: 'ready', seq: 1 } });
    socket.deliver({ t: 'event', seq: 2, event: { type: 'call', call: call('k1') } });
    socket.deliver({ t: 'event', seq: 2, event: { type: 'call', call: call('k1') } }); // duplicate
    socket.deliver({ t: 'event', seq: 1, event: { type: 'agentState', state: 'ready' } }); // old
    socket.deliver({ t: 'event', seq: 3, event: { type: 'call' } }); // unreadable body: skipped, its number used up
    socket.deliver({ t: 'event', seq: 'x', event: { type: 'call', call: call('zz') } }); // no number: ignored
    socket.deliver({ t: 'event', seq: 4, event: { type: 'call', call: call('k1', 'held') } });
    const nonConnection = events.filter((e) => e.type !== 'connection');
    expect(nonConnection.map((e) => e.type)).to.deep.equal(['agentState', 'call', 'call']);
    const seqs = events.map((e) => e.seq!);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).to.equal(seqs.length);
    expect(connector.lastSeq).to.equal(4);
    expect(sockets).to.have.length(1); // no resync was needed
  });

  it('drops and counts server messages and events that do not fit the protocol (a call without timestamps, an unknown type)', async () => {
    const { connector, sockets, events } = setup();
    const connected = connector.connect((e) => events.push(e));
    const { socket } = await open(sockets);
    await connected;
    const { timestamps: _t, ...noTimestamps } = call('bad');
    socket.deliver({ t: 'event', seq: 1, event: { type: 'call', call: noTimestamps } });
    socket.deliver({ t: 'event', seq: 2, event: { type: 'call', call: { ...call('bad2'), fields: 'x' } } });
    socket.deliver({ t: 'event', seq: 3, event: { type: 'fromANewerServer' } });
    socket.deliver({ t: 'surprise' });
    socket.deliver({ t: 'event', seq: 4, event: { type: 'agentState', state: 'onBreak' } });
    expect(events.filter((e) => e.type !== 'connection').map(({ seq: _s, ...e }) => e)).to.deep.equal([{ type: 'agentState', state: 'unknown', rawState: 'onBreak' }]);
    expect(connector.droppedMessages).to.equal(4);
    expect(connector.lastSeq).to.equal(4);
  });

  it('resumes from the last applied seq after a drop and drops the overlap of the replay', async () => {
    const { connector, sockets, events } = setup();
    const connected = connector.connect((e) => events.push(e));
    const { socket } = await open(sockets);
    await connected;
    for (let seq = 1; seq <= 3; seq++) socket.deliver({ t: 'event', seq, event: { type: 'call', call: call(`k${seq}`) } });
    socket.serverClose(1006);
    expect(events.at(-1)).to.include({ type: 'connection', status: 'reconnecting' });
    await expectRejects(connector.execute(hold), ErrorCode.NotConnected);
    await nextSocket(sockets, 2);
    const { socket: second, hello } = await open(sockets, { t: 'welcome', agentId: '1001', seq: 5 });
    expect(hello.after).to.equal(3);
    for (let seq = 2; seq <= 5; seq++) second.deliver({ t: 'event', seq, event: { type: 'call', call: call(`k${seq}`) } });
    const callIds = events.flatMap((e) => (e.type === 'call' ? [e.call.id] : []));
    expect(callIds).to.deep.equal(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(events.at(-1)!.type).to.equal('call');
    expect(events.filter((e) => e.type === 'connection').map((e) => (e as { status: string }).status)).to.deep.equal([
      'connecting',
      'connected',
      'reconnecting',
      'connected',
    ]);
  });

  it('a snapshot replaces state: calls the server no longer has are removed', async () => {
    const { connector, sockets, events } = setup();
    const connected = connector.connect((e) => events.push(e));
    const { socket } = await open(sockets);
    await connected;
    socket.deliver({ t: 'event', seq: 1, event: { type: 'call', call: call('old') } });
    socket.deliver({ t: 'event', seq: 2, event: { type: 'call', call: call('kept') } });
    events.length = 0;
    socket.deliver({
      t: 'snapshot',
      seq: 40,
      events: [
        { type: 'agentState', state: 'notReady' },
        { type: 'call', call: call('kept', 'held') },
      ],
    });
    expect(events.map((e) => e.type)).to.deep.equal(['callRemoved', 'agentState', 'call']);
    expect(events[0]).to.include({ callId: 'old' });
    expect(connector.lastSeq).to.equal(40);
    socket.deliver({ t: 'event', seq: 41, event: { type: 'callRemoved', callId: 'kept' } });
    expect(events.at(-1)).to.include({ type: 'callRemoved', callId: 'kept' });
  });

  it('an empty snapshot (a server that restarted with nothing) logs the agent out and clears calls', async () => {
    const { connector, sockets, events } = setup();
    const connected = connector.connect((e) => events.push(e));
    const { socket } = await open(sockets);
    await connected;
    socket.deliver({ t: 'event', seq: 1, event: { type: 'call', call: call('k1') } });
    events.length = 0;
    socket.deliver({ t: 'snapshot', seq: 0, events: [] });
    expect(events.map((e) => e.type)).to.deep.equal(['callRemoved', 'agentState']);
    expect(connector.lastSeq).to.equal(0);
  });

  it('a gap makes it reconnect and resume from the cursor instead of applying out of order', async () => {
    const { connector, sockets, events } = setup();
    const connected = connector.connect((e) => events.push(e));
    const { socket } = await open(sockets);
    await connected;
    socket.deliver({ t: 'event', seq: 1, event: { type: 'call', call: call('k1') } });
    socket.deliver({ t: 'event', seq: 3, event: { type: 'call', call: call('k3') } });
    expect(events.some((e) => e.type === 'call' && e.call.id === 'k3')).to.equal(false);
    await nextSocket(sockets, 2);
    const { hello } = await open(sockets);
    expect(hello.after).to.equal(1);
  });

  it('sends commands with their id and maps the answer', async () => {
    const { connector, sockets } = setup();
    const connected = connector.connect(() => {});
    const { socket } = await open(sockets);
    await connected;
    const accepted = connector.execute(hold);
    expect(socket.last()).to.deep.equal({ t: 'command', id: 'c1', command: hold });
    socket.deliver({ t: 'response', id: 'c1', ok: true });
    await accepted;
    const refused = connector.execute({ id: 'c2', operation: 'retrieve', args: {} });
    socket.deliver({ t: 'response', id: 'c2', ok: false, error: { code: 'REJECTED', message: 'Not on hold', vendorCode: 101 } });
    const error = await refused.then(() => undefined, (e: CtiError) => e);
    expect(error).to.be.instanceOf(CtiError);
    expect(error).to.include({ code: 'REJECTED', message: 'Not on hold', vendorCode: 101, operation: 'retrieve', commandId: 'c2' });
  });

  it('a command in flight when the socket drops fails (and is not sent again)', async () => {
    const { connector, sockets } = setup();
    const connected = connector.connect(() => {});
    const { socket } = await open(sockets);
    await connected;
    const pending = connector.execute(hold);
    socket.serverClose(1006);
    await expectRejects(pending, ErrorCode.NotConnected);
    await nextSocket(sockets, 2);
    await open(sockets);
    expect(sockets[1]!.sent.filter((m) => m.t === 'command')).to.have.length(0);
  });

  it('refuses malformed commands without sending anything', async () => {
    const { connector, sockets } = setup();
    const connected = connector.connect(() => {});
    const { socket } = await open(sockets);
    await connected;
    await expectRejects(connector.execute({ id: '', operation: 'hold', args: {} }), ErrorCode.InvalidArgument);
    await expectRejects(connector.execute({ id: 'x', operation: 'explode', args: {} } as unknown as Command), ErrorCode.InvalidArgument);
    expect(socket.sent).to.have.length(1);
  });

  it('narrows supports when the welcome lists operations', async () => {
    const { connector, sockets } = setup();
    const connected = connector.connect(() => {});
    await open(sockets, { t: 'welcome', agentId: '1001', seq: 0, supports: ['login', 'logout', 'hold', 'nonsense'] });
    await connected;
    expect([...connector.supports].sort()).to.deep.equal(['hold', 'login', 'logout']);
  });

  it('folds the server-side backend status into the connection status', async () => {
    const { connector, sockets, events } = setup();
    const connected = connector.connect((e) => events.push(e));
    const { socket } = await open(sockets);
    await connected;
    socket.deliver({ t: 'event', seq: 1, event: { type: 'connection', status: 'reconnecting' } });
    socket.deliver({ t: 'event', seq: 2, event: { type: 'connection', status: 'connected' } });
    const statuses = events.filter((e) => e.type === 'connection').map((e) => (e as { status: string }).status);
    expect(statuses).to.deep.equal(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('gateway: puts a fresh token in every hello and nowhere else', async () => {
    const factory = socketFactory();
    let issued = 0;
    const connector = createGatewayConnector({
      agentId: '1001',
      endpoint: 'ws://127.0.0.1:9/ws',
      config: { getToken: () => `tok-${++issued}`, createSocket: factory.create, backoff: { initialMs: 5, maxMs: 10 } },
    });
    const events: CanonicalEvent[] = [];
    const connected = connector.connect((e) => events.push(e));
    const { socket, hello } = await open(factory.sockets);
    await connected;
    expect(hello.token).to.equal('tok-1');
    socket.serverClose(1006);
    await nextSocket(factory.sockets, 2);
    const again = await open(factory.sockets);
    expect(again.hello.token).to.equal('tok-2');
    expect(connector.name).to.equal('gateway');
    expect(connector.simulator).to.equal(undefined);
    // A refused token asks the host for a fresh one (cti-token-needed); the plain server has none.
    expect(connector.usesHostToken).to.equal(true);
    expect(setup().connector.usesHostToken).to.equal(false);
    expect(JSON.stringify(events)).not.to.contain('tok-');
    expect(JSON.stringify(connector)).not.to.contain('tok-');
  });

  it('gateway: a refused token rejects connect with UNAUTHORIZED and stops', async () => {
    const factory = socketFactory();
    const connector = createGatewayConnector({
      agentId: '1001',
      endpoint: 'ws://127.0.0.1:9/ws',
      config: { token: 'forged', createSocket: factory.create },
    });
    const connected = connector.connect(() => {});
    const socket = factory.sockets[0]!;
    socket.open();
    await flush(10);
    socket.deliver({ t: 'error', error: { code: 'UNAUTHORIZED', message: 'The token is not valid.' } });
    socket.serverClose(4401, 'The token is not valid.');
    const error = await connected.then(() => undefined, (e: CtiError) => e);
    expect(error).to.include({ code: 'UNAUTHORIZED', message: "The gateway refused the agent's token: The token is not valid." });
    expect(error!.message).not.to.contain('forged');
    await new Promise((r) => setTimeout(r, 50));
    // The connector itself stops: retrying (with backoff, asking for a token again) is the session's.
    expect(factory.sockets).to.have.length(1);
  });

  it('gateway: a vendor\'s refusal of the agent while connecting fails connect at once with its words and vendor code (no silent retries until the timeout)', async () => {
    const factory = socketFactory();
    const connector = createGatewayConnector({
      agentId: '999',
      endpoint: 'ws://127.0.0.1:9/ws',
      config: { token: 'tok', createSocket: factory.create, backoff: { initialMs: 5, maxMs: 10 }, connectTimeoutMs: 5000 },
    });
    const connected = connector.connect(() => {});
    const socket = factory.sockets[0]!;
    socket.open();
    await flush(10);
    const refusal = { code: 'REJECTED', severity: 'major', vendorCode: -3, message: 'Noojee does not know this extension (Noojee code -3: Unknown extension 999)' };
    socket.deliver({ t: 'error', error: refusal });
    socket.serverClose(4503, 'refused');
    const error = await connected.then(() => undefined, (e: CtiError) => e);
    expect(error).to.include({ code: 'REJECTED', vendorCode: -3, message: refusal.message });
    expect(connector.status).to.equal('offline');
    await new Promise((r) => setTimeout(r, 50));
    // This attempt is over: the session decides when to try again.
    expect(factory.sockets).to.have.length(1);
  });

  it('gateway over polling: the server\'s refusal of the agent while connecting fails connect at once with its words and vendor code', async () => {
    const refusal = { code: 'REJECTED', severity: 'major', vendorCode: -3, message: 'Noojee does not know this extension (Noojee code -3: Unknown extension 999)' };
    const urls: string[] = [];
    const fetch = async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ ok: false, error: refusal }), { status: 422, headers: { 'content-type': 'application/json' } });
    };
    const connector = createGatewayConnector({
      agentId: '999',
      endpoint: 'http://127.0.0.1:9',
      config: { token: 'tok', transport: 'polling', fetch: fetch as never, backoff: { initialMs: 5, maxMs: 10 }, connectTimeoutMs: 5000 },
    });
    const error = await connector.connect(() => {}).then(() => undefined, (e: CtiError) => e);
    expect(error).to.include({ code: 'REJECTED', vendorCode: -3, message: refusal.message });
    expect(connector.status).to.equal('offline');
    await new Promise((r) => setTimeout(r, 50));
    // One poll: this attempt is over, the session decides when to try again.
    expect(urls).to.have.length(1);
    expect(urls[0]).to.contain('/api/agents/999/events');
  });

  it('gateway: refused on reconnect → offline with the reason; connect() again asks for a new token and resumes', async () => {
    const factory = socketFactory();
    let issued = 0;
    const connector = createGatewayConnector({
      agentId: '1001',
      endpoint: 'ws://127.0.0.1:9/ws',
      config: { getToken: () => `tok-${++issued}`, createSocket: factory.create, backoff: { initialMs: 5, maxMs: 10 } },
    });
    const events: CanonicalEvent[] = [];
    const connected = connector.connect((e) => events.push(e));
    const { socket } = await open(factory.sockets);
    await connected;
    socket.deliver({ t: 'event', seq: 1, event: { type: 'agentState', state: 'ready' } });
    socket.serverClose(4001, 'Token expired');
    await nextSocket(factory.sockets, 2);
    const second = factory.sockets[1]!;
    second.open();
    await flush(10);
    second.deliver({ t: 'error', error: { code: 'UNAUTHORIZED', message: 'Token expired: ask for a new one.' } });
    second.serverClose(4401, 'refused');
    const offline = events.at(-1) as Extract<CanonicalEvent, { type: 'connection' }>;
    expect(offline).to.include({ type: 'connection', status: 'offline' });
    expect(offline.error).to.include({ code: 'UNAUTHORIZED', message: "The gateway refused the agent's token: Token expired: ask for a new one." });
    expect(connector.status).to.equal('offline');
    await expectRejects(connector.execute(hold), ErrorCode.NotConnected);

    const again = connector.connect((e) => events.push(e));
    await nextSocket(factory.sockets, 3);
    const third = await open(factory.sockets);
    await again;
    expect(third.hello).to.include({ token: 'tok-3', after: 1 });
    expect(connector.status).to.equal('connected');
    expect(JSON.stringify(events)).not.to.contain('tok-');
    connector.disconnect();
    await expectRejects(connector.connect(() => {}), ErrorCode.Destroyed);
  });

  it('gateway: needs a token source', () => {
    expect(() => createGatewayConnector({ agentId: '1', endpoint: 'ws://h/ws', config: {} })).to.throw(CtiError);
  });
});

async function expectRejects(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, 'expected a rejection').to.be.instanceOf(CtiError);
  expect((error as CtiError).code).to.equal(code);
}

import { expect } from '@open-wc/testing';
import { WebSocketTransport, type WebSocketTransportOptions } from '../../../src/transports/websocket-transport.ts';
import { TransportError, TransportErrorCode } from '../../../src/transports/errors.ts';
import type { TransportMessage, TransportStatus } from '../../../src/transports/transport.ts';
import { FakeTimers, flush, socketFactory } from './fakes.ts';

function setup(options: Partial<WebSocketTransportOptions> = {}) {
  const timers = new FakeTimers();
  const factory = socketFactory();
  let helloCount = 0;
  const transport = new WebSocketTransport({
    url: 'ws://127.0.0.1:1/ws',
    createSocket: factory.create,
    timers,
    backoff: { random: () => 0.5 },
    heartbeat: { intervalMs: 15_000, timeoutMs: 5_000, ping: (id) => ({ t: 'ping', id }) },
    handshake: () => ({ t: 'hello', n: ++helloCount }),
    acceptHandshake: (reply) =>
      reply.t === 'welcome'
        ? true
        : new TransportError(reply.code === 'auth' ? TransportErrorCode.Unauthorized : TransportErrorCode.Protocol, 'refused'),
    ...options,
  });
  const statuses: TransportStatus[] = [];
  const messages: TransportMessage[] = [];
  transport.onStatus((s) => statuses.push(s));
  transport.onMessage((m) => messages.push(m));
  return { transport, timers, sockets: factory.sockets, statuses, messages };
}

/** Opens the latest socket and completes the handshake. */
async function welcome(sockets: ReturnType<typeof socketFactory>['sockets']): Promise<void> {
  const socket = sockets.at(-1)!;
  socket.open();
  await flush();
  socket.deliver({ t: 'welcome' });
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: TransportError }> {
  return promise.then(
    (value) => ({ value }),
    (error: TransportError) => ({ error }),
  );
}

describe('WebSocketTransport', () => {
  it('refuses a URL that is not ws(s)', () => {
    expect(() => new WebSocketTransport({ url: 'http://x/ws' })).to.throw(TransportError);
    expect(() => new WebSocketTransport({ url: 'not a url' })).to.throw(TransportError);
  });

  it('is connected only after the handshake is accepted, and delivers the welcome', async () => {
    const { transport, sockets, statuses, messages } = setup();
    const connected = transport.connect();
    expect(transport.status).to.equal('connecting');
    sockets[0]!.open();
    await flush();
    expect(sockets[0]!.sent[0]).to.deep.equal({ t: 'hello', n: 1 });
    expect(transport.status).to.equal('connecting');
    sockets[0]!.deliver({ t: 'welcome', seq: 3 });
    await connected;
    expect(statuses).to.deep.equal(['connected']);
    expect(messages).to.deep.equal([{ t: 'welcome', seq: 3 }]);
  });

  it('fails fast while not connected: nothing is sent or queued', async () => {
    const { transport, sockets } = setup();
    void transport.connect();
    sockets[0]!.open();
    await flush();
    const result = await settle(transport.request({ t: 'command' }, { timeoutMs: 1000 }));
    expect(result.error?.code).to.equal(TransportErrorCode.NotConnected);
    expect(() => transport.send({ t: 'x' })).to.throw(TransportError);
    expect(sockets[0]!.sent).to.have.length(1); // only the hello
    expect(transport.pendingCount).to.equal(0);
  });

  it('correlates replies by id and passes other messages to the handlers', async () => {
    const { transport, sockets, messages } = setup();
    void transport.connect();
    await welcome(sockets);
    const reply = transport.request({ t: 'command', id: 'c1' }, { timeoutMs: 1000 });
    const auto = transport.request({ t: 'other' }, { timeoutMs: 1000 });
    const sent = sockets[0]!.sent;
    expect(sent[1]).to.deep.equal({ t: 'command', id: 'c1' });
    expect(typeof sent[2]!.id).to.equal('string');
    sockets[0]!.deliver({ t: 'event', seq: 1 });
    sockets[0]!.deliver({ t: 'response', id: sent[2]!.id, ok: true });
    sockets[0]!.deliver({ t: 'response', id: 'c1', ok: false });
    expect(await reply).to.deep.equal({ t: 'response', id: 'c1', ok: false });
    expect((await auto).ok).to.equal(true);
    expect(messages.map((m) => m.t)).to.deep.equal(['welcome', 'event']);
  });

  it('drops garbage frames without failing', async () => {
    const { transport, sockets, messages } = setup();
    void transport.connect();
    await welcome(sockets);
    for (const junk of ['', 'nope', '[1,2]', 'null', '42', '{"t":']) sockets[0]!.deliver(junk);
    sockets[0]!.onmessage?.({ data: new ArrayBuffer(4) });
    expect(transport.status).to.equal('connected');
    expect(messages).to.have.length(1);
  });

  it('on a drop: rejects what is pending, reconnects with backoff, and sends a fresh handshake', async () => {
    const { transport, sockets, timers, statuses } = setup();
    void transport.connect();
    await welcome(sockets);
    const inFlight = settle(transport.request({ t: 'command', id: 'c9' }, { timeoutMs: 60_000 }));
    sockets[0]!.serverClose(1006);
    expect((await inFlight).error?.code).to.equal(TransportErrorCode.ConnectionLost);
    expect(transport.status).to.equal('reconnecting');
    // 1 s (±30 %, random 0.5 = exactly 1 s) before the next attempt.
    timers.advance(999);
    expect(sockets).to.have.length(1);
    timers.advance(1);
    expect(sockets).to.have.length(2);
    // Fails again while connecting: 2 s next.
    sockets[1]!.serverClose(1006);
    timers.advance(1999);
    expect(sockets).to.have.length(2);
    timers.advance(1);
    expect(sockets).to.have.length(3);
    await welcome(sockets);
    expect(sockets[2]!.sent[0]).to.deep.equal({ t: 'hello', n: 2 });
    expect(statuses).to.deep.equal(['connected', 'reconnecting', 'connected']);
    // The command that was in flight is not re-sent on the new socket.
    expect(sockets[2]!.sent.some((m) => m.id === 'c9')).to.equal(false);
  });

  it('with fallback URLs (a gateway cluster), each lost connection moves on to the next node, round the list', async () => {
    const { transport, sockets, timers } = setup({ fallbackUrls: ['ws://127.0.0.2:1/ws', 'ws://127.0.0.3:1/ws'] });
    expect(() => new WebSocketTransport({ url: 'ws://a/ws', fallbackUrls: ['http://b/ws'] })).to.throw(TransportError);
    void transport.connect();
    await welcome(sockets);
    expect(sockets[0]!.url).to.equal('ws://127.0.0.1:1/ws');
    sockets[0]!.serverClose(1006);
    timers.advance(1000);
    expect(sockets[1]!.url).to.equal('ws://127.0.0.2:1/ws');
    sockets[1]!.serverClose(1006);
    timers.advance(2000);
    expect(sockets[2]!.url).to.equal('ws://127.0.0.3:1/ws');
    await welcome(sockets);
    sockets[2]!.serverClose(1006);
    timers.advance(1000);
    expect(sockets[3]!.url).to.equal('ws://127.0.0.1:1/ws');
  });

  it('resets the backoff after a successful reconnect', async () => {
    const { transport, sockets, timers } = setup();
    void transport.connect();
    await welcome(sockets);
    for (let round = 0; round < 3; round++) {
      sockets.at(-1)!.serverClose(1006);
      const before = sockets.length;
      timers.advance(1000);
      expect(sockets.length, `round ${round}`).to.equal(before + 1);
      await welcome(sockets);
    }
  });

  it('detects a dead socket with the heartbeat and reconnects', async () => {
    const { transport, sockets, timers } = setup();
    void transport.connect();
    await welcome(sockets);
    timers.advance(15_000);
    const ping = sockets[0]!.last()!;
    expect(ping.t).to.equal('ping');
    // The server answers this one: the socket is alive.
    sockets[0]!.deliver({ t: 'pong', id: ping.id });
    await flush();
    expect(transport.status).to.equal('connected');
    timers.advance(15_000);
    expect(sockets[0]!.last()!.t).to.equal('ping');
    // Now silence: half-open TCP, no close event ever comes.
    timers.advance(5_000);
    await flush();
    expect(transport.status).to.equal('reconnecting');
    expect(sockets[0]!.closedWith).to.equal(4000);
    timers.advance(1000);
    expect(sockets).to.have.length(2);
  });

  it('does not ping while messages keep arriving', async () => {
    const { transport, sockets, timers } = setup();
    void transport.connect();
    await welcome(sockets);
    for (let i = 0; i < 10; i++) {
      timers.advance(10_000);
      sockets[0]!.deliver({ t: 'event', seq: i + 1 });
    }
    expect(sockets[0]!.sent.filter((m) => m.t === 'ping')).to.have.length(0);
  });

  it('stops for good when the server refuses us (close 4401): offline, no retry', async () => {
    const { transport, sockets, timers, statuses } = setup();
    const connected = settle(transport.connect());
    sockets[0]!.open();
    await flush();
    sockets[0]!.serverClose(4401, 'token expired');
    const result = await connected;
    expect(result.error?.code).to.equal(TransportErrorCode.Unauthorized);
    expect(transport.status).to.equal('offline');
    timers.advance(120_000);
    expect(sockets).to.have.length(1);
    expect(statuses).to.deep.equal(['offline']);
  });

  it('stops when the handshake reply is an unauthorized refusal', async () => {
    const { transport, sockets } = setup();
    const connected = settle(transport.connect());
    sockets[0]!.open();
    await flush();
    sockets[0]!.deliver({ t: 'error', code: 'auth' });
    expect((await connected).error?.code).to.equal(TransportErrorCode.Unauthorized);
    expect(transport.status).to.equal('offline');
  });

  it('retries when the handshake times out', async () => {
    const { transport, sockets, timers } = setup({ handshakeTimeoutMs: 2000 });
    void transport.connect();
    sockets[0]!.open();
    await flush();
    timers.advance(2000);
    expect(transport.status).to.equal('connecting');
    timers.advance(1000);
    expect(sockets).to.have.length(2);
  });

  it('goes offline after maxAttempts failures in a row', async () => {
    const { transport, sockets, timers } = setup({ maxAttempts: 3 });
    const connected = settle(transport.connect());
    for (let i = 0; i < 3; i++) {
      sockets.at(-1)!.serverClose(1006);
      timers.advance(60_000);
    }
    expect((await connected).error?.code).to.equal(TransportErrorCode.NotConnected);
    expect(transport.status).to.equal('offline');
    expect(sockets).to.have.length(3);
  });

  it('destroy rejects everything pending, closes the socket and stops', async () => {
    const { transport, sockets, timers, statuses } = setup();
    void transport.connect();
    await welcome(sockets);
    const a = settle(transport.request({ t: 'command' }, { timeoutMs: 10_000 }));
    const b = settle(transport.request({ t: 'command' }, { timeoutMs: 10_000 }));
    transport.destroy();
    expect((await a).error?.code).to.equal(TransportErrorCode.Destroyed);
    expect((await b).error?.code).to.equal(TransportErrorCode.Destroyed);
    expect(sockets[0]!.closedWith).to.equal(1000);
    expect(statuses.at(-1)).to.equal('offline');
    timers.advance(120_000);
    expect(sockets).to.have.length(1);
    transport.destroy(); // idempotent
    expect((await settle(transport.connect())).error?.code).to.equal(TransportErrorCode.Destroyed);
  });

  it('ignores late callbacks from an abandoned socket', async () => {
    const { transport, sockets, timers, messages } = setup();
    void transport.connect();
    await welcome(sockets);
    const old = sockets[0]!;
    old.serverClose(1006);
    timers.advance(1000);
    await welcome(sockets);
    old.onmessage?.({ data: JSON.stringify({ t: 'event', seq: 99 }) });
    old.onclose?.({ code: 1006 });
    expect(messages.some((m) => m.seq === 99)).to.equal(false);
    expect(transport.status).to.equal('connected');
  });
});

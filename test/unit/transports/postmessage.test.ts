import { expect } from '@open-wc/testing';
import { PostMessageTransport, type PostTarget } from '../../../src/transports/postmessage-transport.ts';
import { TransportError, TransportErrorCode } from '../../../src/transports/errors.ts';
import type { TransportMessage } from '../../../src/transports/transport.ts';

const PEER = 'http://peer.example:8080';
const OTHER = 'http://evil.example';

/** Our window stand-in: an EventTarget we dispatch synthetic MessageEvents on (any origin allowed). */
function fakeSelf(): EventTarget & { location: { origin: string }; name: string } {
  return Object.assign(new EventTarget(), { location: { origin: 'http://bar.example' }, name: 'agentBar' });
}

function frame(): Window {
  const iframe = document.createElement('iframe');
  document.body.appendChild(iframe);
  return iframe.contentWindow!;
}

function envelope(data: unknown, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ data, sourceOrigin: PEER, targetOrigin: 'http://bar.example', sourceWindowName: 'portal', targetWindowName: 'agentBar', ...overrides });
}

function setup(options: { targetOrigin?: string; targetWindowName?: string } = { targetOrigin: PEER }) {
  const self = fakeSelf();
  const peer = frame();
  const stranger = frame();
  const posted: Array<{ message: string; origin: string }> = [];
  // The real window is what `event.source` is compared with; its postMessage is spied on.
  (peer as unknown as { postMessage: PostTarget['postMessage'] }).postMessage = (message, origin) => posted.push({ message, origin });
  const transport = new PostMessageTransport({
    target: peer,
    allowedOrigins: [PEER],
    targetWindowName: 'portal',
    self: self as never,
    ...options,
  });
  const received: TransportMessage[] = [];
  transport.onMessage((m) => received.push(m));
  const dispatch = (data: unknown, origin = PEER, source: Window | null = peer): void => {
    self.dispatchEvent(new MessageEvent('message', { data, origin, source }));
  };
  return { transport, self, peer, stranger, posted, received, dispatch };
}

describe('PostMessageTransport', () => {
  it('refuses a wildcard or missing allow-list, and a target origin outside it', () => {
    const target = { postMessage() {} };
    expect(() => new PostMessageTransport({ target, allowedOrigins: [] })).to.throw(TransportError);
    expect(() => new PostMessageTransport({ target, allowedOrigins: ['*'] })).to.throw(TransportError);
    expect(() => new PostMessageTransport({ target, allowedOrigins: [PEER], targetOrigin: '*' })).to.throw(TransportError);
    expect(() => new PostMessageTransport({ target, allowedOrigins: [PEER], targetOrigin: OTHER })).to.throw(TransportError);
  });

  it('sends a Porthole 1.0 envelope string to the exact peer origin', async () => {
    const { transport, posted } = setup();
    await transport.connect();
    transport.send({ action: 'dial', number: '123' });
    expect(posted).to.have.length(1);
    expect(posted[0]!.origin).to.equal(PEER);
    expect(JSON.parse(posted[0]!.message)).to.deep.equal({
      data: { action: 'dial', number: '123' },
      sourceOrigin: 'http://bar.example',
      targetOrigin: PEER,
      sourceWindowName: 'agentBar',
      targetWindowName: 'portal',
    });
  });

  it('accepts a well-formed message from the allowed origin and the expected window', async () => {
    const { transport, received, dispatch } = setup();
    await transport.connect();
    dispatch(envelope({ event: 'ringing', guid: 'g1' }));
    expect(received).to.deep.equal([{ event: 'ringing', guid: 'g1' }]);
    expect(transport.acceptedCount).to.equal(1);
  });

  it('drops foreign origins, unexpected windows and malformed payloads, silently', async () => {
    const { transport, received, dispatch, stranger } = setup();
    await transport.connect();
    dispatch(envelope({ a: 1 }), OTHER); // foreign origin
    dispatch(envelope({ a: 1 }, { sourceOrigin: OTHER }), OTHER);
    dispatch(envelope({ a: 2 }), PEER, stranger); // right origin, wrong window
    dispatch(envelope({ a: 3 }), PEER, null);
    dispatch({ data: { a: 4 }, sourceOrigin: PEER }); // an object, not Porthole's string
    dispatch('not json');
    dispatch(envelope({ a: 5 }, { sourceOrigin: OTHER })); // envelope lies about its origin
    dispatch(envelope({ a: 6 }, { sourceWindowName: 'someone-else' })); // Porthole's window-name rule
    dispatch(envelope('a string, not an object'));
    dispatch(envelope([1, 2]));
    dispatch(envelope(null));
    expect(received).to.have.length(0);
    expect(transport.droppedCount).to.equal(11);
    expect(transport.status).to.equal('connected');
  });

  it('learns the peer origin from the first accepted message and never posts to *', async () => {
    const { transport, posted, dispatch } = setup({ targetWindowName: 'portal' });
    void transport.connect();
    expect(transport.status).to.equal('connecting');
    expect(() => transport.send({ hello: 1 })).to.throw(TransportError);
    dispatch(envelope({ ready: true }));
    expect(transport.targetOrigin).to.equal(PEER);
    expect(transport.status).to.equal('connected');
    transport.send({ hello: 2 });
    expect(posted.map((p) => p.origin)).to.deep.equal([PEER]);
  });

  it('correlates a reply by id and times out without one', async () => {
    const { transport, posted, received, dispatch } = setup();
    await transport.connect();
    const reply = transport.request({ action: 'status' }, { timeoutMs: 5000 });
    const id = (JSON.parse(posted[0]!.message) as { data: { id: string } }).data.id;
    dispatch(envelope({ id, state: 'ready' }));
    expect(await reply).to.deep.equal({ id, state: 'ready' });
    expect(received).to.have.length(0);
    const slow = transport.request({ action: 'slow' }, { timeoutMs: 10 }).catch((e: TransportError) => e.code);
    expect(await slow).to.equal(TransportErrorCode.Timeout);
  });

  it('survives thousands of random messages without throwing or changing state', async () => {
    const { transport, received, dispatch, stranger, peer } = setup();
    await transport.connect();
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    const junk = (): unknown =>
      pick<() => unknown>([
        () => Math.random().toString(36),
        () => JSON.stringify({ data: pick([1, 'x', null, [], {}]), sourceOrigin: pick([PEER, OTHER, 1]) }),
        () => envelope({ a: 1 }, pick([{ sourceOrigin: OTHER }, { sourceWindowName: 'x' }, { targetOrigin: 5 }, { data: 'str' }])),
        () => '{"data":' + '['.repeat(Math.floor(random() * 500)),
        () => ({ toString: () => { throw new Error('boom'); } }),
        () => new ArrayBuffer(8),
        () => undefined,
        () => envelope({ a: 1 }),
      ])();
    for (let i = 0; i < 5000; i++) {
      const data = junk();
      const isGood = typeof data === 'string' && data === envelope({ a: 1 });
      // Valid envelopes only ever come from the wrong origin or window here.
      const origin = isGood ? OTHER : pick([PEER, OTHER, 'null', '']);
      const source = isGood ? pick([stranger, null]) : pick([peer, stranger, null]);
      dispatch(data, origin, source);
    }
    expect(received).to.have.length(0);
    expect(transport.acceptedCount).to.equal(0);
    expect(transport.droppedCount).to.equal(5000);
    expect(transport.status).to.equal('connected');
    expect(transport.targetOrigin).to.equal(PEER);
  });

  it('stops listening when destroyed and rejects what is pending', async () => {
    const { transport, received, dispatch } = setup();
    await transport.connect();
    const pending = transport.request({ action: 'x' }, { timeoutMs: 5000 }).catch((e: TransportError) => e.code);
    transport.destroy();
    expect(await pending).to.equal(TransportErrorCode.Destroyed);
    dispatch(envelope({ late: true }));
    expect(received).to.have.length(0);
    expect(transport.status).to.equal('offline');
    expect(() => transport.send({ a: 1 })).to.throw(TransportError);
  });
});

import { expect } from '@open-wc/testing';
import { PollingTransport, type PollingTransportOptions } from '../../../src/transports/polling-transport.ts';
import { TransportError, TransportErrorCode } from '../../../src/transports/errors.ts';
import type { TransportMessage, TransportStatus } from '../../../src/transports/transport.ts';
import { FakeTimers, flush } from './fakes.ts';

type Answer = { status: number; body: string } | 'hang' | 'network-error';

/** A scripted fetch: each call takes the next answer; `hang` never answers until aborted. */
function scriptedFetch(answers: Answer[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const answer = answers.shift() ?? 'hang';
    if (answer === 'network-error') return Promise.reject(new TypeError('Failed to fetch'));
    if (answer === 'hang') {
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return Promise.resolve(new Response(answer.body, { status: answer.status }));
  };
  return { fetch, calls, answers };
}

const ok = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });

function setup(answers: Answer[], options: Partial<PollingTransportOptions> = {}) {
  const timers = new FakeTimers();
  const script = scriptedFetch(answers);
  let cursor = 0;
  const transport = new PollingTransport({
    pollUrl: () => `http://127.0.0.1:1/api/agents/a/events?after=${cursor}&wait=0`,
    requestUrl: () => 'http://127.0.0.1:1/api/agents/a/commands',
    mode: 'interval',
    intervalMs: 1000,
    pollTimeoutMs: 3000,
    backoff: { random: () => 0.5 },
    fetch: script.fetch,
    timers,
    ...options,
  });
  const statuses: TransportStatus[] = [];
  const messages: TransportMessage[] = [];
  transport.onStatus((s) => statuses.push(s));
  transport.onMessage((m) => {
    messages.push(m);
    if (typeof m.seq === 'number') cursor = m.seq;
  });
  return { transport, timers, script, statuses, messages };
}

/** Lets promises and Response body reads (which take real tasks, not just microtasks) settle. */
async function drain(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await flush(10);
    await new Promise((resolve) => globalThis.setTimeout(resolve, 0));
  }
}

/** Runs the loop forward: lets the I/O settle, then moves the fake clock (bounded). */
async function run(timers: FakeTimers, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await drain();
    timers.advance(step);
  }
  await drain();
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: TransportError }> {
  return promise.then(
    (value) => ({ value }),
    (error: TransportError) => ({ error }),
  );
}

describe('PollingTransport', () => {
  it('polls at the interval, asking from the cursor each time', async () => {
    const { transport, timers, script, messages } = setup([ok({ seq: 2 }), ok({ seq: 5 }), ok({ seq: 5 })]);
    await transport.connect();
    await run(timers, 2500);
    expect(script.calls.map((c) => new URL(c.url).searchParams.get('after'))).to.deep.equal(['0', '2', '5']);
    expect(messages.map((m) => m.seq)).to.deep.equal([2, 5, 5]);
    expect(transport.status).to.equal('connected');
  });

  it('pollNow() cuts the pause between polls short, then the interval applies again', async () => {
    const { transport, timers, script } = setup([ok({ seq: 1 }), ok({ seq: 2 }), ok({ seq: 3 }), ok({ seq: 4 })], { intervalMs: 10_000 });
    await transport.connect();
    await drain();
    expect(script.calls).to.have.length(1);
    transport.pollNow(); // sleeping between polls: poll now
    await drain();
    expect(script.calls).to.have.length(2);
    await run(timers, 500);
    expect(script.calls).to.have.length(2); // back to the 10 s interval
    transport.destroy();
  });

  it('one or two failed polls once connected: still connected, degraded; the third in a row is down', async () => {
    const { transport, timers, statuses } = setup([
      ok({ seq: 1 }),
      { status: 500, body: 'oops' },
      ok({ seq: 2 }),
      { status: 500, body: 'oops' },
      'network-error',
      { status: 502, body: 'bad gateway' },
      ok({ seq: 3 }),
    ]);
    const degraded: boolean[] = [];
    transport.onDegraded((d) => degraded.push(d));
    await transport.connect();
    await run(timers, 1000 + 200); // ok, interval, 500
    expect(transport.status).to.equal('connected');
    expect(transport.degraded).to.equal(true);
    await run(timers, 1000); // backoff 1 s, ok
    expect(transport.degraded).to.equal(false);
    await run(timers, 1000 + 1000); // interval, 500, backoff 1 s, network error
    expect(transport.status).to.equal('connected');
    expect(transport.degraded).to.equal(true);
    await run(timers, 2000); // backoff 2 s, 502: the third failure in a row
    expect(transport.status).to.equal('reconnecting');
    expect(transport.degraded).to.equal(false);
    await run(timers, 4000 + 200);
    expect(transport.status).to.equal('connected');
    expect(statuses).to.deep.equal(['connected', 'reconnecting', 'connected']);
    expect(degraded).to.deep.equal([true, false, true, false]);
    transport.destroy();
  });

  it('backs off on 500s, garbage and network errors, then recovers', async () => {
    const { transport, timers, script, statuses, messages } = setup([
      ok({ seq: 1 }),
      { status: 500, body: 'oops' },
      { status: 200, body: '<html>proxy error</html>' },
      'network-error',
      { status: 200, body: '[1,2,3]' },
      ok({ seq: 2 }),
    ]);
    await transport.connect();
    // ok, +1 s interval, 500 → 1 s, garbage → 2 s, network → 4 s, array → 8 s, ok.
    await run(timers, 1000 + 1000 + 2000 + 4000 + 8000 + 200);
    expect(script.calls).to.have.length(6);
    expect(messages.map((m) => m.seq)).to.deep.equal([1, 2]);
    expect(statuses).to.deep.equal(['connected', 'reconnecting', 'connected']);
  });

  it('pollMethod POST sends each poll as a POST with an empty body (Noojee subscribe)', async () => {
    const { transport, script } = setup([ok({ seq: 1 })], { pollMethod: 'POST' });
    await transport.connect();
    expect(script.calls[0]!.init.method).to.equal('POST');
    expect(script.calls[0]!.init.body).to.equal('');
    transport.destroy();
  });

  it('checkPoll refusing an answer counts the poll as failed: not delivered, backoff, then recovery', async () => {
    const { transport, timers, script, statuses, messages } = setup([ok({ seq: 1 }), ok({ seq: 9, Code: -3 }), ok({ seq: 2 })], {
      checkPoll: (body) => {
        if (typeof body.Code === 'number' && body.Code < 0) throw new TransportError(TransportErrorCode.Protocol, 'vendor error');
      },
    });
    await transport.connect();
    const degraded: boolean[] = [];
    transport.onDegraded((d) => degraded.push(d));
    // ok, +1 s interval, refused → 1 s backoff, ok.
    await run(timers, 1000 + 1000 + 200);
    expect(script.calls).to.have.length(3);
    expect(messages.map((m) => m.seq)).to.deep.equal([1, 2]);
    // One failed poll once connected is a degraded link (see degradedPolls), then recovered.
    expect(statuses).to.deep.equal(['connected']);
    expect(degraded).to.deep.equal([true, false]);
    transport.destroy();
  });

  it('aborts a poll that takes longer than its timeout and tries again', async () => {
    const { transport, timers, script } = setup([ok({ seq: 1 }), 'hang', ok({ seq: 2 })]);
    await transport.connect();
    await run(timers, 1000 + 3000 + 1000 + 200);
    expect(script.calls).to.have.length(3);
    expect(script.calls[1]!.init.signal!.aborted).to.equal(true);
    expect(transport.status).to.equal('connected');
  });

  it('long-polls back to back when there is news, and spaces empty answers', async () => {
    const { transport, timers, script } = setup(
      [ok({ seq: 1, events: [{}] }), ok({ seq: 1, events: [] }), ok({ seq: 1, events: [] })],
      { mode: 'long', minPollSpacingMs: 250 },
    );
    await transport.connect();
    await drain();
    expect(script.calls).to.have.length(2); // no wait after news
    await run(timers, 200, 50);
    expect(script.calls).to.have.length(2); // an empty answer waits out the spacing
    await run(timers, 100, 50);
    expect(script.calls).to.have.length(3);
  });

  it('polls again at once when the server says more is waiting', async () => {
    const { transport, script } = setup([ok({ seq: 1000, more: true }), ok({ seq: 1500 })]);
    await transport.connect();
    await drain();
    expect(script.calls).to.have.length(2);
  });

  it('stops on 401 (offline) instead of hammering the server', async () => {
    const { transport, timers, script } = setup([{ status: 401, body: JSON.stringify({ ok: false, error: { message: 'expired' } }) }]);
    const connected = await settle(transport.connect());
    expect(connected.error?.code).to.equal(TransportErrorCode.Unauthorized);
    expect(connected.error?.message).to.equal('expired');
    await run(timers, 60_000, 1000);
    expect(script.calls).to.have.length(1);
    expect(transport.status).to.equal('offline');
  });

  it('request POSTs JSON and resolves with the body whatever the HTTP status', async () => {
    const { transport, script } = setup([ok({ seq: 0 })]);
    await transport.connect();
    script.answers.push({ status: 409, body: JSON.stringify({ ok: false, error: { code: 'REJECTED', message: 'no' } }) });
    const reply = await transport.request({ id: 'c1', operation: 'hold' }, { timeoutMs: 1000 });
    expect(reply).to.deep.equal({ ok: false, error: { code: 'REJECTED', message: 'no' } });
    const post = script.calls.at(-1)!;
    expect(post.init.method).to.equal('POST');
    expect(JSON.parse(post.init.body as string)).to.deep.equal({ id: 'c1', operation: 'hold' });
  });

  it('request rejects with PROTOCOL on garbage and TIMEOUT when there is no answer', async () => {
    const { transport, timers, script } = setup([ok({ seq: 0 })], { intervalMs: 60_000 });
    await transport.connect();
    script.answers.push({ status: 502, body: 'Bad gateway' });
    const garbage = await settle(transport.request({ id: 'c1' }, { timeoutMs: 1000 }));
    expect(garbage.error?.code).to.equal(TransportErrorCode.Protocol);
    script.answers.push('hang');
    const pending = settle(transport.request({ id: 'c2' }, { timeoutMs: 1000 }));
    await flush(10);
    timers.advance(1000);
    expect((await pending).error?.code).to.equal(TransportErrorCode.Timeout);
  });

  it('request fails fast before the first successful poll', async () => {
    const { transport, script } = setup(['hang']);
    void transport.connect();
    const result = await settle(transport.request({ id: 'c1' }, { timeoutMs: 1000 }));
    expect(result.error?.code).to.equal(TransportErrorCode.NotConnected);
    expect(script.calls.filter((c) => c.init.method === 'POST')).to.have.length(0);
  });

  it('destroy aborts the poll in flight and stops the loop', async () => {
    const { transport, timers, script, statuses } = setup([ok({ seq: 1 }), 'hang']);
    await transport.connect();
    await run(timers, 1100);
    expect(script.calls).to.have.length(2);
    transport.destroy();
    await drain();
    expect(script.calls[1]!.init.signal!.aborted).to.equal(true);
    await run(timers, 30_000, 1000);
    expect(script.calls).to.have.length(2);
    expect(statuses.at(-1)).to.equal('offline');
  });

  it('refuses non-http URLs', async () => {
    const { transport } = setup([], { pollUrl: () => 'javascript:alert(1)', maxAttempts: 1 });
    const result = await settle(transport.connect());
    expect(result.error).to.be.instanceOf(TransportError);
    expect(transport.status).to.equal('offline');
  });
});

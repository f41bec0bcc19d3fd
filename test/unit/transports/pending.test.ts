import { expect } from '@open-wc/testing';
import { PendingRequests } from '../../../src/transports/pending-requests.ts';
import { TransportError, TransportErrorCode } from '../../../src/transports/errors.ts';
import { FakeTimers, flush } from './fakes.ts';

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe('PendingRequests', () => {
  it('resolves a request with its reply, once', async () => {
    const pending = new PendingRequests({ timers: new FakeTimers() });
    const reply = pending.add('a', 1000);
    expect(pending.resolve('a', { ok: true })).to.equal(true);
    expect(pending.resolve('a', { ok: false })).to.equal(false);
    expect(await reply).to.deep.equal({ ok: true });
    expect(pending.size).to.equal(0);
  });

  it('rejects with TIMEOUT when no reply comes in time, and ignores the late reply', async () => {
    const timers = new FakeTimers();
    const pending = new PendingRequests({ timers });
    const reply = outcome(pending.add('a', 500));
    timers.advance(499);
    await flush();
    expect(pending.has('a')).to.equal(true);
    timers.advance(1);
    const result = (await reply) as { error: TransportError };
    expect(result.error).to.be.instanceOf(TransportError);
    expect(result.error.code).to.equal(TransportErrorCode.Timeout);
    expect(pending.resolve('a', {})).to.equal(false);
  });

  it('rejectAll settles everything and clears the timers', async () => {
    const timers = new FakeTimers();
    const pending = new PendingRequests({ timers });
    const replies = [outcome(pending.add('a', 500)), outcome(pending.add('b', 500))];
    pending.rejectAll(new TransportError(TransportErrorCode.Destroyed, 'gone'));
    const results = (await Promise.all(replies)) as Array<{ error: TransportError }>;
    expect(results.map((r) => r.error.code)).to.deep.equal(['DESTROYED', 'DESTROYED']);
    expect(timers.pending).to.equal(0);
    expect(pending.size).to.equal(0);
  });

  it('refuses a duplicate id without disturbing the first request', async () => {
    const pending = new PendingRequests({ timers: new FakeTimers() });
    const first = pending.add('x', 1000);
    const second = (await outcome(pending.add('x', 1000))) as { error: TransportError };
    expect(second.error.code).to.equal(TransportErrorCode.Protocol);
    pending.resolve('x', { n: 1 });
    expect(await first).to.deep.equal({ n: 1 });
  });

  it('hands out distinct ids', () => {
    const pending = new PendingRequests({ prefix: 'q' });
    const ids = new Set(Array.from({ length: 100 }, () => pending.nextId()));
    expect(ids.size).to.equal(100);
    expect([...ids][0]).to.equal('q1');
  });
});

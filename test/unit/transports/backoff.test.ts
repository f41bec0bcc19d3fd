import { expect } from '@open-wc/testing';
import { Backoff } from '../../../src/transports/backoff.ts';

describe('Backoff', () => {
  it('starts at 1 s and doubles, without jitter when random is the midpoint', () => {
    const backoff = new Backoff({ random: () => 0.5 });
    const delays = Array.from({ length: 7 }, () => backoff.next());
    expect(delays).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('spreads each delay by at most ±30 %', () => {
    const low = new Backoff({ random: () => 0 });
    const high = new Backoff({ random: () => 0.999999 });
    expect(low.next()).to.equal(700);
    expect(high.next()).to.equal(1300);
    expect(low.next()).to.equal(1400);
    expect(high.next()).to.equal(2600);
  });

  it('never exceeds its ceiling, even after a very long outage', () => {
    const backoff = new Backoff({ random: Math.random });
    let max = 0;
    for (let i = 0; i < 2000; i++) max = Math.max(max, backoff.next());
    expect(max).to.be.at.most(backoff.ceilingMs);
    expect(backoff.ceilingMs).to.equal(39000);
    expect(Number.isFinite(backoff.next())).to.equal(true);
  });

  it('starts again from the initial delay after reset', () => {
    const backoff = new Backoff({ random: () => 0.5 });
    backoff.next();
    backoff.next();
    expect(backoff.attempt).to.equal(2);
    backoff.reset();
    expect(backoff.attempt).to.equal(0);
    expect(backoff.next()).to.equal(1000);
  });

  it('refuses nonsense settings', () => {
    expect(() => new Backoff({ initialMs: 0 })).to.throw(RangeError);
    expect(() => new Backoff({ jitter: 1 })).to.throw(RangeError);
    expect(() => new Backoff({ initialMs: 5000, maxMs: 1000 })).to.throw(RangeError);
    expect(() => new Backoff({ factor: 0.5 })).to.throw(RangeError);
  });
});

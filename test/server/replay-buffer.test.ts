import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayBuffer } from '../../server/replay-buffer.ts';

describe('ReplayBuffer', () => {
  it('returns exactly the events after a sequence number, oldest first', () => {
    const buffer = new ReplayBuffer<string>(10);
    for (let seq = 1; seq <= 5; seq++) buffer.push(seq, `e${seq}`);
    assert.deepEqual(buffer.after(2, 5)!.map((entry) => entry.value), ['e3', 'e4', 'e5']);
    assert.deepEqual(buffer.after(5, 5), []);
  });

  it('keeps only the newest entries once full, and says so when a resume point fell out', () => {
    const buffer = new ReplayBuffer<number>(3);
    for (let seq = 1; seq <= 7; seq++) buffer.push(seq, seq);
    assert.equal(buffer.size, 3);
    assert.equal(buffer.firstSeq, 5);
    assert.equal(buffer.after(2, 7), undefined);
    assert.deepEqual(buffer.after(4, 7)!.map((entry) => entry.seq), [5, 6, 7]);
    assert.deepEqual(buffer.after(4, 7, 2)!.map((entry) => entry.seq), [5, 6]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new ReplayBuffer(0), RangeError);
    assert.throws(() => new ReplayBuffer(1.5), RangeError);
  });
});

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

describe('ReplayBuffer bounded by bytes', () => {
  it('drops the oldest events once the bytes held pass the bound, keeping replay exact for the rest', () => {
    const buffer = new ReplayBuffer<string>(1000, 10_000);
    for (let seq = 1; seq <= 50; seq++) buffer.push(seq, `e${seq}`, 1_000);
    assert.ok(buffer.bytes <= 10_000, `holds ${buffer.bytes} bytes`);
    assert.equal(buffer.size, 10);
    assert.equal(buffer.firstSeq, 41);
    assert.equal(buffer.after(30, 50), undefined, 'a resume point that fell out asks for a snapshot');
    assert.deepEqual(buffer.after(45, 50)!.map((entry) => entry.value), ['e46', 'e47', 'e48', 'e49', 'e50']);
  });

  it('always keeps the newest event, even one larger than the bound', () => {
    const buffer = new ReplayBuffer<string>(1000, 100);
    buffer.push(1, 'small', 10);
    buffer.push(2, 'huge', 5_000);
    assert.equal(buffer.size, 1);
    assert.equal(buffer.firstSeq, 2);
    buffer.push(3, 'small again', 10);
    assert.deepEqual(buffer.after(2, 3)!.map((entry) => entry.value), ['small again']);
  });

  it('stays exact across many evictions (the backing array is compacted)', () => {
    const buffer = new ReplayBuffer<number>(3000, 50_000);
    for (let seq = 1; seq <= 20_000; seq++) buffer.push(seq, seq, 10 + (seq % 7));
    assert.ok(buffer.bytes <= 50_000);
    const first = buffer.firstSeq!;
    assert.equal(buffer.size, 20_000 - first + 1);
    const tail = buffer.after(19_990, 20_000)!.map((entry) => entry.value);
    assert.deepEqual(tail, [19_991, 19_992, 19_993, 19_994, 19_995, 19_996, 19_997, 19_998, 19_999, 20_000]);
  });
});

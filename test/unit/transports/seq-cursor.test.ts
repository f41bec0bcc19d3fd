import { expect } from '@open-wc/testing';
import { SeqCursor } from '../../../src/transports/seq-cursor.ts';

describe('SeqCursor', () => {
  it('applies only the next number', () => {
    const cursor = new SeqCursor();
    expect(cursor.offer(1)).to.equal('apply');
    expect(cursor.offer(2)).to.equal('apply');
    expect(cursor.last).to.equal(2);
  });

  it('drops repeats (a replay overlapping what was applied)', () => {
    const cursor = new SeqCursor(5);
    expect(cursor.offer(5)).to.equal('duplicate');
    expect(cursor.offer(3)).to.equal('duplicate');
    expect(cursor.last).to.equal(5);
  });

  it('reports a gap without moving', () => {
    const cursor = new SeqCursor(5);
    expect(cursor.offer(7)).to.equal('gap');
    expect(cursor.last).to.equal(5);
    expect(cursor.offer(6)).to.equal('apply');
  });

  it('ignores what is not a sequence number', () => {
    const cursor = new SeqCursor(1);
    for (const bad of [0, -1, 1.5, '2', null, undefined, NaN, Infinity, 2 ** 60]) {
      expect(cursor.offer(bad)).to.equal('invalid');
    }
    expect(cursor.last).to.equal(1);
  });

  it('jumps to a snapshot, in either direction', () => {
    const cursor = new SeqCursor(40);
    cursor.reset(57);
    expect(cursor.last).to.equal(57);
    cursor.reset(3); // a server that restarted with a new numbering
    expect(cursor.offer(4)).to.equal('apply');
    expect(() => cursor.reset(-1)).to.throw(RangeError);
  });

  it('applies each number of a shuffled, repeated stream exactly once when fed in order', () => {
    const cursor = new SeqCursor();
    const applied: number[] = [];
    // Replays overlap: 1..10, then 5..20, then 15..30.
    const stream = [...range(1, 10), ...range(5, 20), ...range(15, 30)];
    for (const seq of stream) if (cursor.offer(seq) === 'apply') applied.push(seq);
    expect(applied).to.deep.equal(range(1, 30));
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

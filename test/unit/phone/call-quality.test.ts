import { expect } from '@open-wc/testing';
import { measureQuality } from '../../../src/phone/call-quality.ts';

/** A peer connection whose getStats() returns these entries (the shape Chromium reports). */
function connection(stats: Array<Record<string, unknown>>): RTCPeerConnection {
  return { getStats: async () => new Map(stats.map((s, i) => [String(i), s])) } as unknown as RTCPeerConnection;
}

const inbound = (extra: Record<string, unknown> = {}) => ({ type: 'inbound-rtp', kind: 'audio', packetsReceived: 1000, packetsLost: 0, jitter: 0.002, ...extra });
const outbound = { type: 'outbound-rtp', kind: 'audio', packetsSent: 990 };

describe('call-quality: measureQuality', () => {
  it('rates a clean call good, with loss, jitter, round trip and packet counts', async () => {
    const q = await measureQuality(connection([inbound(), outbound, { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.0123 }]));
    expect(q).to.deep.equal({ rating: 'good', lossPct: 0, jitterMs: 2, rttMs: 12.3, packetsReceived: 1000, packetsSent: 990 });
  });

  it('rates poor above 3 % loss, 30 ms jitter or 300 ms round trip; at the limits still good', async () => {
    expect((await measureQuality(connection([inbound({ packetsReceived: 960, packetsLost: 40 })])))!).to.include({ rating: 'poor', lossPct: 4 });
    expect((await measureQuality(connection([inbound({ packetsReceived: 970, packetsLost: 30 })])))!).to.include({ rating: 'good', lossPct: 3 });
    expect((await measureQuality(connection([inbound({ jitter: 0.031 })])))!).to.include({ rating: 'poor', jitterMs: 31 });
    expect((await measureQuality(connection([inbound({ jitter: 0.03 })])))!.rating).to.equal('good');
    expect((await measureQuality(connection([inbound(), { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.301 }])))!).to.include({ rating: 'poor', rttMs: 301 });
  });

  it('takes the round trip from the nominated candidate pair when RTCP has not measured one', async () => {
    const q = await measureQuality(connection([inbound(), { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.004 }, { type: 'candidate-pair', nominated: false, currentRoundTripTime: 0.9 }]));
    expect(q!.rttMs).to.equal(4);
    expect(q!.rating).to.equal('good');
  });

  it('has no round trip before one was measured, and no quality without audio stats', async () => {
    const q = await measureQuality(connection([inbound()]));
    expect(q).to.not.have.property('rttMs');
    expect(await measureQuality(connection([{ type: 'inbound-rtp', kind: 'video', packetsReceived: 5 }]))).to.equal(undefined);
  });

  it('ignores junk numbers (negative loss after a duplicate, missing fields)', async () => {
    const q = await measureQuality(connection([{ type: 'inbound-rtp', kind: 'audio', packetsReceived: 100, packetsLost: -3, jitter: 'x' }]));
    expect(q).to.deep.equal({ rating: 'good', lossPct: 0, jitterMs: 0, packetsReceived: 100, packetsSent: 0 });
  });
});

/**
 * Audio quality from `RTCPeerConnection.getStats()`: packet loss, jitter and round-trip time of the
 * received audio, summed up as good or poor (the thresholds an ITU-T G.114/G.107 reading gives for
 * a voice call: above ~3 % loss, 30 ms jitter or 300 ms round trip people notice).
 */
import type { AudioQuality } from '../core/model.ts';

export type CallQuality = AudioQuality;

const POOR_LOSS_PCT = 3;
const POOR_JITTER_MS = 30;
const POOR_RTT_MS = 300;

/** Reads the audio stats of one peer connection; undefined when it has no audio stats (yet). */
export async function measureQuality(connection: RTCPeerConnection): Promise<CallQuality | undefined> {
  const report = await connection.getStats();
  let inbound: Record<string, unknown> | undefined;
  let outbound: Record<string, unknown> | undefined;
  let rttS: number | undefined;
  report.forEach((stat: Record<string, unknown>) => {
    if (stat.type === 'inbound-rtp' && stat.kind === 'audio') inbound = stat;
    else if (stat.type === 'outbound-rtp' && stat.kind === 'audio') outbound = stat;
    else if (stat.type === 'remote-inbound-rtp' && stat.kind === 'audio' && typeof stat.roundTripTime === 'number') rttS = stat.roundTripTime;
    else if (stat.type === 'candidate-pair' && stat.nominated === true && rttS === undefined && typeof stat.currentRoundTripTime === 'number') rttS = stat.currentRoundTripTime;
  });
  if (!inbound && !outbound) return undefined;
  const received = num(inbound?.packetsReceived);
  const lost = Math.max(0, num(inbound?.packetsLost));
  const lossPct = received + lost > 0 ? round((lost / (received + lost)) * 100) : 0;
  const jitterMs = round(num(inbound?.jitter) * 1000);
  const quality: CallQuality = {
    rating: 'good',
    lossPct,
    jitterMs,
    packetsReceived: received,
    packetsSent: num(outbound?.packetsSent),
  };
  if (rttS !== undefined) quality.rttMs = round(rttS * 1000);
  if (lossPct > POOR_LOSS_PCT || jitterMs > POOR_JITTER_MS || (quality.rttMs ?? 0) > POOR_RTT_MS) quality.rating = 'poor';
  return quality;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

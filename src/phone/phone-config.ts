/**
 * What the browser phone needs to know (docs/phone.md): where the SIP server is, who the phone
 * is, and a callback for its digest credentials. The credentials are asked for at every
 * registration start (a fresh page session, a retry after a refusal) and handed to the SIP
 * library only: never stored, logged or put in an event.
 */
import type { AutoAnswerPolicy } from './auto-answer.ts';

/** What `getCredentials()` returns. `username` defaults to the user part of `uri`. */
export interface SipCredentials {
  username?: string;
  password: string;
}

export type DtmfMode = 'rfc4733' | 'info';

export interface PhoneConfig {
  /** The SIP server's WebSocket URL, ws:// or wss:// (the connector's `endpoint`). */
  server: string;
  /** The phone's address of record, e.g. `sip:1001@pbx.example.com`. */
  uri: string;
  getCredentials: () => SipCredentials | Promise<SipCredentials>;
  displayName?: string;
  /** RFC 4733 telephone-events in the audio stream (default), or SIP INFO for servers that want it. */
  dtmf?: DtmfMode;
  /** STUN/TURN servers for calls beyond the local network; none by default. */
  iceServers?: RTCIceServer[];
  /** Registration lifetime asked of the server, s (the library re-registers before it ends). Default 600. */
  registerExpiresS?: number;
  /** The WebSocket reconnects after a loss with random exponential backoff between these, s. Default 2 and 30. */
  reconnectMinS?: number;
  reconnectMaxS?: number;
  /** An outbound call nobody answers is given up after this long, s. Default 60. */
  ringTimeoutS?: number;
  /** ICE candidate gathering is cut short after this long, ms (the call goes out with what it has). Default 1,500. */
  iceGatheringTimeoutMs?: number;
  /** Browser echo cancellation, noise suppression and gain control on the microphone. Default true. */
  audioProcessing?: boolean;
  /** Microphone and speaker to use (device ids from `enumerateDevices()`); the browser's default otherwise. */
  inputDeviceId?: string;
  outputDeviceId?: string;
  /** Which incoming calls answer by themselves (src/phone/auto-answer.ts). Default `off`. */
  autoAnswer?: AutoAnswerPolicy;
}

/** The SIP URI to call for what the agent dialled: a full `sip:` URI as is, else `sip:<number>@<our domain>`. */
export function targetUri(number: string, ownUri: string): string {
  const trimmed = number.trim();
  if (/^sips?:/i.test(trimmed)) return trimmed;
  const domain = ownUri.replace(/^sips?:/i, '').replace(/^[^@]*@/, '').replace(/[;?].*$/, '');
  return `sip:${trimmed}@${domain}`;
}

/** The user part of a SIP URI (what the bar shows as the remote number). */
export function uriUser(uri: string): string {
  return uri.replace(/^sips?:/i, '').replace(/@.*$/, '').replace(/[;?].*$/, '');
}

/**
 * The `sip` connector's declaration (docs/phone.md): the bar as a browser phone, registered to a
 * SIP server over WebSocket; its calls are the canonical calls. Page only (it needs WebRTC).
 */
import { defineConnector } from '../kit/define-connector.ts';
import { SIP_SUPPORTS } from './sip-mapping.ts';
import type { SipConnectorConfig } from './sip-connector.ts';

export default defineConnector<SipConnectorConfig>({
  name: 'sip',
  title: 'Browser phone: SIP over WebSocket with WebRTC audio (JsSIP), e.g. Kamailio, Asterisk, FreeSWITCH',
  endpoint: 'required',
  endpointHint: 'ws://host:port or wss://host:port/path (the SIP server\'s WebSocket)',
  configSchema: {
    uri: { type: 'string', required: true, description: 'The phone\'s SIP address, e.g. sip:1001@pbx.example.com.' },
    getCredentials: { type: 'function', required: true, secret: true, description: 'Returns { username?, password } (or a promise of it) at every registration start; never stored.' },
    displayName: { type: 'string', description: 'The name the far end sees.' },
    dtmf: { type: 'string', enum: ['rfc4733', 'info'], default: 'rfc4733', description: 'How keypad tones are sent: RFC 4733 telephone-events, or SIP INFO.' },
    iceServers: { type: 'list', description: 'STUN/TURN servers (RTCIceServer objects) for calls beyond the local network.' },
    registerExpiresS: { type: 'integer', min: 60, max: 86_400, default: 600, description: 'Registration lifetime asked of the server, s (re-registered before it ends).' },
    reconnectMinS: { type: 'integer', min: 1, max: 60, default: 2, description: 'Shortest wait before reconnecting a lost WebSocket, s.' },
    reconnectMaxS: { type: 'integer', min: 1, max: 600, default: 30, description: 'Longest wait between reconnect attempts, s.' },
    ringTimeoutS: { type: 'integer', min: 5, max: 600, default: 60, description: 'An outbound call nobody answers is given up after this long, s.' },
    iceGatheringTimeoutMs: { type: 'integer', min: 100, max: 30_000, default: 1500, description: 'Candidate gathering is cut short after this long, ms.' },
    audioProcessing: { type: 'boolean', default: true, description: 'Echo cancellation, noise suppression and gain control on the microphone.' },
    inputDeviceId: { type: 'string', description: 'Microphone device id (enumerateDevices()); the browser default otherwise.' },
    outputDeviceId: { type: 'string', description: 'Speaker device id, where the browser has setSinkId.' },
    connectTimeoutMs: { type: 'integer', min: 1000, default: 15_000, description: 'Registration not done within this long fails connect(), ms.' },
  },
  checkConfig: (config) => {
    if (!/^sips?:[^@\s]+@[^@\s]+$/i.test(config.uri)) return '"uri" must be a SIP address like sip:1001@pbx.example.com';
    if ((config.reconnectMinS ?? 2) > (config.reconnectMaxS ?? 30)) return '"reconnectMinS" must not exceed "reconnectMaxS"';
    return undefined;
  },
  loginFields: [],
  supports: SIP_SUPPORTS,
  load: () => import('./module.ts').then((m) => m.create),
});

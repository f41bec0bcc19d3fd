/**
 * The `pom` connector: Avaya Proactive Outreach Manager through a POM bridge (POM's own
 * AGT… commands, …RESP responses and notifications as JSON over a WebSocket; docs/connectors/pom.md).
 */
import { defineConnector } from '../kit/define-connector.ts';
import type { PomConnectorConfig } from './pom-connector.ts';
import { POM_SUPPORTS } from './supports.ts';
import { POM_LOGIN_FIELDS } from './login-fields.ts';

export default defineConnector<PomConnectorConfig>({
  name: 'pom',
  title: 'Avaya POM (Proactive Outreach Manager 3.0.4) through a POM bridge',
  endpoint: 'required',
  endpointHint: 'ws://host:port/bridge or wss://…',
  configSchema: {
    reasons: { type: 'list', description: 'Not-ready reasons offered, a list of {code, label} (POM supplies none; default Break, Lunch, Training, Meeting).' },
    commandTimeoutMs: { type: 'number', min: 1, default: 10_000, description: 'A command without its RESP within this long fails with TIMEOUT, ms.' },
    connectTimeoutMs: { type: 'number', min: 1, default: 15_000, description: 'connect() fails when the bridge has not welcomed the bar within this long, ms.' },
    heartbeatIntervalMs: { type: 'number', min: 100, default: 15_000, description: 'Ping period, ms.' },
    heartbeatTimeoutMs: { type: 'number', min: 100, default: 5_000, description: 'A ping unanswered this long means the link is dead, ms.' },
    backoff: { type: 'object', description: 'Reconnect backoff: { initialMs, maxMs, factor, jitter }.' },
    blindTransferWaitMs: { type: 'number', min: 0, default: 20_000, description: 'Blind transfer: how long to wait for the consult to connect, ms.' },
    callbackType: { type: 'string', enum: ['Standard', 'Agent', 'Campaign'], default: 'Agent', description: 'The POM callback type preselected in Callback for (and sent when no target is chosen).' },
    walkAway: { type: 'boolean', default: true, description: 'Walk-away detection: two calls in a row with no click → Not ready (walked away).' },
    createSocket: { type: 'function', description: 'Node: a WebSocket factory (url) => socket (the global WebSocket otherwise).' },
    onIgnored: { type: 'function', description: 'Diagnostics: told about every bridge frame the connector could not use.' },
    now: { type: 'function', description: 'Clock for tests.' },
  },
  // The schema says it is a list; what each entry holds is this rule's.
  checkConfig: (config) =>
    config.reasons !== undefined &&
    (!Array.isArray(config.reasons) || !config.reasons.every((r) => r && typeof r.code === 'string' && typeof r.label === 'string'))
      ? 'reasons must be a list of {code, label}'
      : undefined,
  loginFields: POM_LOGIN_FIELDS,
  supports: [...POM_SUPPORTS],
  load: () => import('./module.ts').then((m) => m.create),
});

/**
 * The `noetica` connector's declaration (docs/connectors/noetica.md): Noetica's Telephony & Dialler
 * SDK (NVP and the SmartBound dialler) over the REST binding of binding.ts. Runs in the gateway
 * (`CONNECTOR=noetica`, a long-lived `apiToken` in its config) or in the page (`getToken` returns
 * a short-lived token; it is asked for when needed and never stored).
 */
import { defineConnector } from '../kit/define-connector.ts';
import { NOETICA_SUPPORTS } from './noetica-requests.ts';
import { NOETICA_LOGIN_FIELDS } from './login-fields.ts';
import { checkNoeticaConfig, DEFAULT_LONG_POLL_WAIT_S, DEFAULT_POLL_INTERVAL_MS, type NoeticaConfig } from './noetica-config.ts';
import { POLL_MAX_WAIT_S } from './wire.ts';

export default defineConnector<NoeticaConfig>({
  name: 'noetica',
  title: 'Noetica Telephony & Dialler SDK (NVP / SmartBound: agent state, dialler records, calls, transfers; events by Poll Event)',
  endpoint: 'required',
  endpointHint: 'https://noetica-sdk-host',
  configSchema: {
    apiToken: { type: 'string', secret: true, description: 'A Noetica API token, sent as "Authorization: Bearer" (gateway only; or getToken).' },
    getToken: { type: 'function', secret: true, description: 'In the page: returns a short-lived API token (asked for when needed and after a 401; never stored).' },
    paths: { type: 'object', description: 'A site\'s path changes, SDK method → path, e.g. {"Dial": "/users/{userId}/dial"} (docs/connectors/noetica.md §1).' },
    longPollWaitS: { type: 'integer', min: 0, max: POLL_MAX_WAIT_S, default: DEFAULT_LONG_POLL_WAIT_S, description: 'Seconds Noetica may hold a Poll Event (long poll); 0 polls at intervals.' },
    pollIntervalMs: { type: 'integer', min: 100, max: 60_000, default: DEFAULT_POLL_INTERVAL_MS, description: 'Interval polling (longPollWaitS 0): pause between polls, ms.' },
    commandTimeoutMs: { type: 'integer', min: 100, default: 10_000, description: 'A request without an answer within this long fails with TIMEOUT, ms.' },
    backoff: { type: 'object', description: 'Poll retry backoff: { initialMs, maxMs, factor, jitter }.' },
  },
  checkConfig: checkNoeticaConfig,
  loginFields: NOETICA_LOGIN_FIELDS,
  supports: NOETICA_SUPPORTS,
  load: () => import('./module.ts').then((m) => m.create),
});

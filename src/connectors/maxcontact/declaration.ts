/**
 * The `maxcontact` connector's declaration (docs/connectors/maxcontact.md): remote control of an
 * agent already logged in to MaxContact, over its `/webservices/services/telephony` GET API.
 * Meant for the gateway (`CONNECTOR=maxcontact`): the token rides in a cookie a page cannot set,
 * and the token (or the API password behind it) must never reach the page.
 */
import { defineConnector } from '../kit/define-connector.ts';
import { MAXCONTACT_SUPPORTS } from './maxcontact-requests.ts';
import { checkMaxContactConfig, DEFAULT_IDLE_POLL_INTERVAL_MS, DEFAULT_POLL_INTERVAL_MS, type MaxContactConfig } from './maxcontact-config.ts';

export default defineConnector<MaxContactConfig>({
  name: 'maxcontact',
  title: 'MaxContact (agent remote control, polled)',
  endpoint: 'required',
  endpointHint: 'https://customer.maxcontact.com',
  configSchema: {
    tokenKey: { type: 'string', secret: true, description: 'A MaxContact API token, sent as the TokenKey cookie (gateway only; or apiLogin + apiPassword).' },
    apiLogin: { type: 'string', description: 'API user for MaxContact\'s token service (with apiPassword; the token is fetched and renewed).' },
    apiPassword: { type: 'string', secret: true, description: 'Password of apiLogin (gateway only).' },
    format: { type: 'string', enum: ['xml', 'json'], default: 'xml', description: 'Answer format asked for: xml (MaxContact\'s default) or json (Content-Type: application/json).' },
    pollIntervalMs: { type: 'integer', min: 100, max: 1000, default: DEFAULT_POLL_INTERVAL_MS, description: 'Pause between getcalls polls while a call is up, ms.' },
    idlePollIntervalMs: { type: 'integer', min: 100, max: 60_000, default: DEFAULT_IDLE_POLL_INTERVAL_MS, description: 'Pause between getcalls polls with no call, ms.' },
    pollTimeoutMs: { type: 'integer', min: 100, default: 5000, description: 'A poll without an answer within this long fails (then backoff), ms.' },
    commandTimeoutMs: { type: 'integer', min: 100, default: 10_000, description: 'A command without an answer within this long fails with TIMEOUT, ms.' },
    backoff: { type: 'object', description: 'Poll retry backoff: { initialMs, maxMs, factor, jitter }.' },
    enums: { type: 'object', description: 'Override of the CallState / CallStatus / RecordingState table, e.g. {"callState": {"7": "held"}}.' },
    transferResultCodes: { type: 'object', description: '{customer, consult, cancelled}: result codes for connectcalls and a cancelled consult (default: from resultcodes).' },
    userNumbers: { type: 'object', description: 'MaxContact user id → the number that reaches that agent: those users are transfer destinations, named as MaxContact names them.' },
    queueNumbers: { type: 'object', description: 'ACD queue id → the number (DDI) that reaches that queue: those queues are transfer destinations, named as MaxContact names them.' },
    transferDestinations: { type: 'object', description: 'Transfer destinations offered in the bar, label → number, e.g. {"Sales desk": "+442071230100"}.' },
  },
  checkConfig: checkMaxContactConfig,
  loginFields: [],
  supports: MAXCONTACT_SUPPORTS,
  load: () => import('./module.ts').then((m) => m.create),
});

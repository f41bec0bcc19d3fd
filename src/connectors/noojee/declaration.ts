/**
 * The `noojee` connector's declaration (docs/connectors/noojee.md): Noojee Contact's call control
 * over its REST API. Meant for the gateway (`CONNECTOR=noojee`): the API key is a long-lived
 * secret of the whole PBX and Noojee only answers whitelisted addresses.
 */
import { defineConnector } from '../kit/define-connector.ts';
import { HANDSETS, SUBSCRIBE_MAX_TIMEOUT_S, TECHNOLOGIES } from './protocol.ts';
import { NOOJEE_SUPPORTS } from './noojee-requests.ts';
import { checkNoojeeConfig, type NoojeeConfig } from './noojee-config.ts';

export default defineConnector<NoojeeConfig>({
  name: 'noojee',
  title: 'Noojee Contact (REST call control: dial, answer, hang up, recording, campaign dispositions)',
  endpoint: 'required',
  endpointHint: 'https://noojee-host',
  configSchema: {
    apiKey: { type: 'string', required: true, secret: true, description: 'Noojee\'s global API key (sent as the apiKey query parameter; gateway only).' },
    tech: { type: 'string', enum: TECHNOLOGIES, default: 'SIP', description: 'Technology of the agents\' extensions (SIP/100).' },
    techs: { type: 'object', description: 'Per-agent technology, e.g. {"101": "PJSIP"}.' },
    handset: { type: 'string', enum: HANDSETS, description: 'Handset make, for the auto-answer header of dial and answer.' },
    handsets: { type: 'object', description: 'Per-agent handset make, e.g. {"101": "Polycom"}.' },
    autoAnswer: { type: 'string', description: 'The auto-answer header as is (wins over handset).' },
    callerId: { type: 'string', description: 'Caller id presented on every dial.' },
    phoneCaption: { type: 'string', description: 'Text shown on the agent\'s handset for a dial.' },
    agentLoginName: { type: 'string', description: 'Noojee user that owns recordings started from the bar.' },
    recordOnDial: { type: 'boolean', default: false, description: 'Record every dial that carries a CRM record id from connect, tagged with it.' },
    campaign: { type: 'object', description: '{templateId, campaignId, allocationId}: calls dialled for a CRM record are campaign calls with dispositions.' },
    pollTimeoutS: { type: 'integer', min: 1, max: SUBSCRIBE_MAX_TIMEOUT_S, default: 25, description: 'Seconds Noojee may hold a subscribe long poll.' },
    commandTimeoutMs: { type: 'integer', min: 100, default: 10_000, description: 'A request without an answer within this long fails with TIMEOUT, ms.' },
    backoff: { type: 'object', description: 'Long-poll retry backoff: { initialMs, maxMs, factor, jitter }.' },
  },
  checkConfig: checkNoojeeConfig,
  loginFields: [],
  supports: NOOJEE_SUPPORTS,
  load: () => import('./module.ts').then((m) => m.create),
});

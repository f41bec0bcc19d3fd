/**
 * The `ucontact` connector's declaration (docs/connectors/ucontact.md): uContact (Integra) two ways.
 * In the page, through the portal's window proxy (`endpoint` = the portal's origin; the legacy
 * Porthole proxy when the CRM page is framed by the portal, uPhone v6's `{action, params}` when the
 * CRM page frames uPhone); in the gateway, through the Integra REST API (`endpoint` = the uContact
 * server's URL, the SuperUser password only in CONNECTOR_CONFIG).
 */
import { defineConnector } from '../kit/define-connector.ts';
import { MODES, checkUcontactConfig } from './config-rules.ts';
import type { UcontactConfig } from './ucontact-config.ts';

export default defineConnector<UcontactConfig>({
  name: 'ucontact',
  title: 'uContact: the portal\'s window proxy (Porthole, uPhone v6) or the Integra REST API (gateway)',
  endpoint: 'required',
  endpointHint: 'https://instance.ucontactcloud.com',
  configSchema: {
    mode: { type: 'string', enum: MODES, description: 'porthole, uphone or rest; by default rest when user/password are set, else porthole inside a frame and uphone outside one.' },
    campaign: { type: 'string', description: 'Outbound campaign a dial is counted against (proxy campaign, REST outqueue), e.g. "Sales->".' },
    callerid: { type: 'string', description: 'Caller id presented on dials (proxy call, REST AgentCall).' },
    agent: { type: 'string', description: 'The agent\'s uContact name (default: the agent id).' },
    dialAction: { type: 'string', enum: ['call', 'callWithPhone'], default: 'call', description: 'Porthole: dial with call (uContact\'s two-step call) or callWithPhone (the portal\'s own phone).' },
    uphoneFrame: { type: 'function', description: 'uPhone: returns the uPhone iframe or its window (default: the first iframe loaded from the endpoint\'s origin).' },
    screenPopUrl: { type: 'string', description: 'Screen pop for offered calls: an http(s) URL template with {number}, {guid}, {campaign}.' },
    dispositions: { type: 'object', description: 'The dispositions configured in uContact, by code: {"SALE": {label, levels?: [l1, l2?, l3?], isCallback?, isDnc?, tag?}} (tag: the call\'s recording is tagged with it).' },
    reasons: { type: 'object', description: 'REST: not-ready reasons by code: {"Lunch": {label, break?}} (break: AgentBreak with the code as motive; else AgentPause). Default pause, Break, Lunch.' },
    rescheduleCampaign: { type: 'string', description: 'The dialer a callback is scheduled into (camptoreschedule; default: the call\'s campaign).' },
    closeForm: { type: 'boolean', default: false, description: 'Porthole: after a disposition is accepted, ask the portal to close the call\'s form (closeForm).' },
    commandTimeoutMs: { type: 'integer', min: 100, default: 10_000, description: 'A command without an answer within this long fails with TIMEOUT, ms.' },
    user: { type: 'string', description: 'REST: the SuperUser that gets the API token (gateway only).' },
    password: { type: 'string', secret: true, description: 'REST: the SuperUser\'s password (gateway only).' },
    agentPassword: { type: 'string', secret: true, description: 'REST: the agents\' password for auth/AgentLogin when the bar does not ask for one (gateway only).' },
    phone: { type: 'string', description: 'REST: the agent\'s phone (AgentCall phone, HangupPhone; default: the one AgentLogin returns, else the agent id).' },
    tech: { type: 'string', default: 'SIP', description: 'REST: the phone\'s technology (AgentCall tech; interface = tech/phone).' },
    context: { type: 'string', description: 'REST: the agent\'s context in uContact (default: the one AgentLogin returns).' },
  },
  checkConfig: checkUcontactConfig,
  loginFields: [{ name: 'password', label: 'Password', secret: true, hint: 'Your uContact agent password' }],
  supports: ['login', 'logout', 'ready', 'notReady', 'dial', 'hangup', 'wrapUp', 'createCallback'],
  load: () => import('./module.ts').then((m) => m.create),
});

/**
 * The `gateway` connector: the canonical protocol to our gateway, which runs the vendor connector
 * on the server with the vendor secrets kept there; the page proves who it is with a short-lived
 * token from `config.getToken()` (or `config.token`).
 */
import { defineConnector } from '../kit/define-connector.ts';
import { OPERATIONS } from '../../core/operations.ts';
import { SERVER_CONFIG_SCHEMA } from '../server/declaration.ts';
import type { GatewayConnectorConfig } from './gateway-connector.ts';

export default defineConnector<GatewayConnectorConfig>({
  name: 'gateway',
  title: 'Our gateway: any vendor connector run on the server, the page holding only a short-lived token',
  endpoint: 'required',
  endpointHint: 'ws://host:port/ws or http://host:port',
  configSchema: {
    getToken: { type: 'function', secret: true, description: 'Returns a fresh signed token (called at every (re)connect; never stored).' },
    token: { type: 'string', secret: true, description: 'A fixed token instead of getToken (it expires: prefer getToken).' },
    ...SERVER_CONFIG_SCHEMA,
  },
  checkConfig: (config) =>
    typeof config.getToken !== 'function' && !config.token ? 'it needs config.token or config.getToken()' : undefined,
  loginFields: [],
  supports: OPERATIONS,
  load: () => import('./module.ts').then((m) => m.create),
});

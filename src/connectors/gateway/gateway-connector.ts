/**
 * The `gateway` connector: the canonical protocol to our gateway (server/ in gateway mode), which
 * runs the real vendor connector on the server with the vendor secrets kept there. The browser
 * proves who it is with a short-lived signed token, sent in the `hello` (or the polling
 * `Authorization` header) — never in the URL, never stored, never logged, never in an event.
 * `config.getToken()` is called for every (re)connect so an expired token is replaced; a fixed
 * `config.token` is read from the integrator's config object at that moment too.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { ServerConnector, type ServerConnectorConfig } from '../server/server-connector.ts';

export interface GatewayConnectorConfig extends ServerConnectorConfig {
  token?: string;
  getToken?: () => string | Promise<string>;
}

export interface GatewayConnectorOptions {
  agentId: string;
  endpoint: string;
  config?: GatewayConnectorConfig;
}

export function createGatewayConnector(options: GatewayConnectorOptions): ServerConnector {
  const config = options.config ?? {};
  if (typeof config.getToken !== 'function' && (typeof config.token !== 'string' || config.token === '')) {
    throw new CtiError({
      code: ErrorCode.InvalidArgument,
      message: 'The gateway connector needs config.token or config.getToken().',
    });
  }
  const token = async (): Promise<string> => {
    const value = typeof config.getToken === 'function' ? await config.getToken() : config.token;
    if (typeof value !== 'string' || value === '') {
      // Deliberately says nothing about the value itself.
      throw new CtiError({ code: ErrorCode.Unauthorized, message: 'No token to present to the gateway.', severity: 'critical' });
    }
    return value;
  };
  // The transport settings without the token fields, so nothing below keeps a copy of them.
  const { token: _token, getToken: _getToken, ...transportConfig } = config;
  return new ServerConnector({
    name: 'gateway',
    agentId: options.agentId,
    endpoint: options.endpoint,
    config: { transport: 'websocket', ...transportConfig },
    token,
    simulatorControl: false,
  });
}

/** The `gateway` connector's lazy module: its factory (see declaration.ts). */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import { createGatewayConnector, type GatewayConnectorConfig } from './gateway-connector.ts';
import type { ServerConnector } from '../server/server-connector.ts';

export function create({ agentId, endpoint, config }: ConnectorCreateOptions<GatewayConnectorConfig>): ServerConnector {
  return createGatewayConnector({ agentId, endpoint: endpoint ?? '', config });
}

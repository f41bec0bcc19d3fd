/** The `server` connector's lazy module: its factory (see declaration.ts). */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import { ServerConnector, type ServerConnectorConfig } from './server-connector.ts';

export function create({ agentId, endpoint, config }: ConnectorCreateOptions<ServerConnectorConfig>): ServerConnector {
  return new ServerConnector({ agentId, endpoint: endpoint ?? '', config });
}

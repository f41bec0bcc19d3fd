/** The `pom` connector's lazy module: its factory (see declaration.ts). */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import { PomConnector, type PomConnectorConfig } from './pom-connector.ts';

export function create({ agentId, endpoint, config }: ConnectorCreateOptions<PomConnectorConfig>): PomConnector {
  return new PomConnector({ agentId, endpoint: endpoint ?? '', config });
}

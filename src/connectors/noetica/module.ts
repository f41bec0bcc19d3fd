/** The `noetica` connector's lazy module: its factory (see declaration.ts). */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import { NoeticaConnector } from './noetica-connector.ts';
import type { NoeticaConfig } from './noetica-config.ts';

export function create({ agentId, endpoint, config }: ConnectorCreateOptions<NoeticaConfig>): NoeticaConnector {
  return new NoeticaConnector({ agentId, endpoint: endpoint ?? '', config });
}

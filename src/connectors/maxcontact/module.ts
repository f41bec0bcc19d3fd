/** The `maxcontact` connector's lazy module: its factory (see declaration.ts). */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import { MaxContactConnector } from './maxcontact-connector.ts';
import type { MaxContactConfig } from './maxcontact-config.ts';

export function create({ agentId, endpoint, config }: ConnectorCreateOptions<MaxContactConfig>): MaxContactConnector {
  return new MaxContactConnector({ agentId, endpoint: endpoint ?? '', config });
}

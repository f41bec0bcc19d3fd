/** The `ucontact` connector's lazy module: the factory picks the mode (see declaration.ts). */
import type { Connector } from '../../core/connector.ts';
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import { PortalConnector } from './portal-connector.ts';
import { IntegraConnector } from './integra-connector.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { checkUcontactLists, resolveMode, runtimeFramed, type UcontactConfig } from './ucontact-config.ts';

export function create({ agentId, endpoint, config, allowedOrigins }: ConnectorCreateOptions<UcontactConfig>): Connector {
  const problem = checkUcontactLists(config);
  if (problem) throw new CtiError({ code: ErrorCode.InvalidArgument, message: `The ucontact connector's config is not valid: ${problem}` });
  const mode = resolveMode(config, { framed: runtimeFramed() });
  if (mode === 'rest') return new IntegraConnector({ agentId, endpoint: endpoint ?? '', config });
  return new PortalConnector({ agentId, flavour: mode, endpoint: endpoint ?? '', config, ...(allowedOrigins ? { allowedOrigins } : {}) });
}

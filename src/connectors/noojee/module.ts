/** The `noojee` connector's lazy module: its factory (see declaration.ts). */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import type { BackoffOptions } from '../../transports/backoff.ts';
import { NoojeeConnector } from './noojee-connector.ts';
import type { NoojeeConfig } from './noojee-config.ts';

export function create({ agentId, endpoint, config }: ConnectorCreateOptions<NoojeeConfig>): NoojeeConnector {
  return new NoojeeConnector({
    agentId,
    endpoint: endpoint ?? '',
    config,
    ...(config.commandTimeoutMs !== undefined ? { commandTimeoutMs: config.commandTimeoutMs } : {}),
    ...(config.backoff !== undefined ? { backoff: config.backoff as BackoffOptions } : {}),
  });
}

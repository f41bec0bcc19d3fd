/**
 * Registers the `noojee` connector for the gateway (`CONNECTOR=noojee CONNECTOR_ENDPOINT=https://host
 * CONNECTOR_CONFIG='{"apiKey":"…"}'`): the server loads every `register.ts` it finds. The API key
 * is a long-lived secret of the whole PBX, so the connector is not offered to the page.
 */
import { registerConnector } from '../registry.ts';
import { NoojeeConnector } from './noojee-connector.ts';
import type { NoojeeConfig } from './noojee-config.ts';

registerConnector('noojee', ({ agentId, endpoint, config }) =>
  new NoojeeConnector({ agentId, endpoint: endpoint ?? '', config: (config ?? {}) as unknown as NoojeeConfig }),
);

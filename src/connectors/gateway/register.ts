/** Registers the `gateway` connector (`<agent-bar connector="gateway" endpoint="ws://…/ws">` + `config.getToken`). */
import { registerConnector } from '../registry.ts';
import { createGatewayConnector, type GatewayConnectorConfig } from './gateway-connector.ts';

registerConnector('gateway', ({ agentId, endpoint, config }) =>
  createGatewayConnector({ agentId, endpoint: endpoint ?? '', config: (config ?? {}) as GatewayConnectorConfig }),
);

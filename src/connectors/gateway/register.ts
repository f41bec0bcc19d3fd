/** Registers the `gateway` connector (`<agent-bar connector="gateway" endpoint="ws://…/ws">` + `config.getToken`). */
import { registerConnector } from '../registry.ts';
import { LazyConnector } from '../lazy-connector.ts';
import type { GatewayConnectorConfig } from './gateway-connector.ts';

registerConnector('gateway', ({ agentId, endpoint, config }) =>
  new LazyConnector('gateway', async () => {
    const { createGatewayConnector } = await import('../remote-connectors.ts');
    return createGatewayConnector({ agentId, endpoint: endpoint ?? '', config: (config ?? {}) as GatewayConnectorConfig });
  }),
);

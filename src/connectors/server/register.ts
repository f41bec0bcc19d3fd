/** Registers the `server` connector (`<agent-bar connector="server" endpoint="ws://…/ws">`). */
import { registerConnector } from '../registry.ts';
import { LazyConnector } from '../lazy-connector.ts';
import type { ServerConnectorConfig } from './server-connector.ts';

registerConnector('server', ({ agentId, endpoint, config }) =>
  new LazyConnector('server', async () => {
    const { ServerConnector } = await import('../remote-connectors.ts');
    return new ServerConnector({ agentId, endpoint: endpoint ?? '', config: (config ?? {}) as ServerConnectorConfig });
  }),
);

/** Registers the `server` connector (`<agent-bar connector="server" endpoint="ws://…/ws">`). */
import { registerConnector } from '../registry.ts';
import { ServerConnector, type ServerConnectorConfig } from './server-connector.ts';

registerConnector('server', ({ agentId, endpoint, config }) =>
  new ServerConnector({ agentId, endpoint: endpoint ?? '', config: (config ?? {}) as ServerConnectorConfig }),
);

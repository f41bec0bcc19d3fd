/**
 * Registers the `pom` connector (`<agent-bar connector="pom" endpoint="wss://…/bridge">`). Its code
 * loads on first use with the other remote connectors, so a page on the simulator never fetches it.
 */
import { registerConnector } from '../registry.ts';
import { LazyConnector } from '../lazy-connector.ts';
import type { PomConnectorConfig } from './pom-connector.ts';

registerConnector('pom', ({ agentId, endpoint, config }) =>
  new LazyConnector('pom', async () => {
    const { PomConnector } = await import('../remote-connectors.ts');
    return new PomConnector({ agentId, endpoint: endpoint ?? '', config: (config ?? {}) as PomConnectorConfig });
  }),
);

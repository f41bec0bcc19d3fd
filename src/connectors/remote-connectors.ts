/**
 * The code of the remote connectors (reference server and gateway, with their transports), loaded
 * on demand by their `register.ts` files. The build emits it as its own module,
 * `dist/agent-bar-remote.js`, so that the main bundle stays within its size budget and a page on
 * the embedded simulator never downloads it.
 */
export { ServerConnector, type ServerConnectorConfig } from './server/server-connector.ts';
export { createGatewayConnector, type GatewayConnectorConfig } from './gateway/gateway-connector.ts';

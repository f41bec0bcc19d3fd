/**
 * Which connector serves each agent: by name through the shared connector registry
 * (`src/connectors/registry.ts`, the same code the browser uses), with the vendor endpoint and
 * secrets from the server's own configuration — never from a client.
 */
import { createConnector, hasConnector, connectorNames } from '../src/connectors/registry.ts';
import type { ConnectorFactory } from './hub-registry.ts';

export function connectorFactory(
  name: string,
  endpoint: string | undefined,
  config: Record<string, unknown> | undefined,
): ConnectorFactory {
  // Checked at start, so a typo in CONNECTOR stops the server instead of failing every agent.
  if (!hasConnector(name)) {
    throw new Error(`Unknown connector "${name}". Known connectors: ${connectorNames().join(', ')}.`);
  }
  return (agentId) => createConnector(name, { agentId, endpoint, config });
}

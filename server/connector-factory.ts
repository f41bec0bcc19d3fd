/**
 * Which connector serves each agent: by name through the shared connector registry
 * (`src/connectors/registry.ts`, the same code the browser uses), with the vendor endpoint and
 * secrets from the server's own configuration — never from a client.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnector, hasConnector, connectorNames } from '../src/connectors/registry.ts';
import type { ConnectorFactory } from './hub-registry.ts';

const CONNECTORS_DIR = fileURLToPath(new URL('../src/connectors/', import.meta.url));

/**
 * Each backend registers itself in `src/connectors/<name>/register.ts` (the simulator is built
 * in). Loading every one found means a new connector needs no change here to run in the gateway.
 */
async function loadRegistrations(): Promise<void> {
  const dirs = readdirSync(CONNECTORS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  for (const dir of dirs) {
    const file = join(CONNECTORS_DIR, dir.name, 'register.ts');
    if (existsSync(file)) await import(pathToFileURL(file).href);
  }
}

export async function connectorFactory(
  name: string,
  endpoint: string | undefined,
  config: Record<string, unknown> | undefined,
): Promise<ConnectorFactory> {
  if (!hasConnector(name)) await loadRegistrations();
  // Checked at start, so a typo in CONNECTOR stops the server instead of failing every agent.
  if (!hasConnector(name)) {
    throw new Error(`Unknown connector "${name}". Known connectors: ${connectorNames().join(', ')}.`);
  }
  return (agentId) => createConnector(name, { agentId, endpoint, config });
}

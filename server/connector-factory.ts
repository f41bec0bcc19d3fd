/**
 * Which connector serves each agent: by name from the shared catalog (`src/connectors/registry.ts`,
 * the same declarations the browser uses), with the vendor endpoint and secrets from the server's
 * own configuration — never from a client. The config is validated once at start (a typo stops the
 * server with a readable message instead of failing every agent), and the declaration says
 * exactly which of its values are secrets for the redactor.
 */
import type { LoginFieldInfo } from '../src/core/connector.ts';
import WebSocket from 'ws';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectorDefinition, connectorNames, createConnectorNow, hasConnector, registerConnector } from '../src/connectors/registry.ts';
import type { ConnectorFactory } from './hub-registry.ts';

const CONNECTORS_DIR = fileURLToPath(new URL('../src/connectors/', import.meta.url));

/**
 * Each backend declares itself in `src/connectors/<name>/declaration.ts` (default export of
 * `defineConnector`). Loading every one found means a new connector needs no change here.
 */
async function loadDeclarations(): Promise<void> {
  const dirs = readdirSync(CONNECTORS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  for (const dir of dirs) {
    const file = join(CONNECTORS_DIR, dir.name, 'declaration.ts');
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as { default?: { name: string } };
    if (module.default && !hasConnector(module.default.name)) registerConnector(module.default as never);
  }
}

export interface ChosenConnector {
  /** One connector per agent. */
  create: ConnectorFactory;
  /** The config values the declaration marks secret (for the redactor). */
  secrets: string[];
  /** The declaration's login form, announced to the bar behind a gateway. */
  loginFields?: readonly LoginFieldInfo[];
}

export async function chooseConnector(
  name: string,
  endpoint: string | undefined,
  config: Record<string, unknown> | undefined,
): Promise<ChosenConnector> {
  if (!hasConnector(name)) await loadDeclarations();
  if (!hasConnector(name)) {
    throw new Error(`Unknown connector "${name}". Known connectors: ${connectorNames().join(', ')}.`);
  }
  const definition = connectorDefinition(name);
  // Checked at start, so a bad CONNECTOR_CONFIG stops the server with the declaration's message.
  definition?.validateConfig(config);
  if (definition?.endpoint === 'required' && !endpoint) {
    throw new Error(`The ${name} connector needs CONNECTOR_ENDPOINT${definition.endpointHint ? ` (${definition.endpointHint})` : ''}.`);
  }
  // Node 20 has no global WebSocket: a connector that declares `createSocket` (pom) gets `ws` from
  // here, so the page's code never carries it.
  const withSocket =
    definition?.configSchema.createSocket && !config?.createSocket && typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined'
      ? { ...config, createSocket: (url: string) => new WebSocket(url) }
      : config;
  return {
    create: (agentId) => createConnectorNow(name, { agentId, endpoint, config: withSocket }),
    secrets: definition?.secretValues(config) ?? [],
    loginFields: definition?.loginFields ?? [],
  };
}

/**
 * The catalog of connectors by name. The agent bar's `connector` attribute and the server's
 * CONNECTOR pick one. Each backend declares itself once (`src/connectors/<name>/declaration.ts`,
 * made with `defineConnector`); the built-in ones are registered here, a vendor's declaration is
 * found by the bundle entry (src/index.ts) and by the server (server/connector-factory.ts) from
 * its folder, so adding a vendor touches only that folder.
 */
import type { Connector } from '../core/connector.ts';
import { CtiError, ErrorCode } from '../core/errors.ts';
import type { ConnectorDefinition, ConnectorInput } from './kit/define-connector.ts';
import { LazyConnector } from './kit/lazy-connector.ts';
import simulator from './simulator/declaration.ts';
import server from './server/declaration.ts';
import gateway from './gateway/declaration.ts';

export interface ConnectorOptions {
  agentId: string;
  /** URL or origin of the backend, for connectors that need one. */
  endpoint?: string;
  /** Connector-specific options (the element's `config` property). */
  config?: Record<string, unknown>;
  /** postMessage peers allowed to talk to us. */
  allowedOrigins?: string[];
}

/** A bare factory (tests, embedding): no declaration, so no validation, login form or secrets. */
export type ConnectorFactory = (options: ConnectorOptions) => Connector;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDefinition = ConnectorDefinition<any>;
const definitions = new Map<string, AnyDefinition>();
const bareFactories = new Map<string, ConnectorFactory>();
// Vendor connectors known to the page only by name: the declaration arrives with the code.
const deferred = new Map<string, () => Promise<AnyDefinition>>();

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Registers (or replaces) a connector: its `defineConnector` definition, or — for tests and
 * embedding — a name and a bare factory.
 */
export function registerConnector(definition: AnyDefinition): void;
export function registerConnector(name: string, factory: ConnectorFactory): void;
export function registerConnector(nameOrDefinition: string | AnyDefinition, factory?: ConnectorFactory): void {
  if (typeof nameOrDefinition === 'object' && nameOrDefinition !== null) {
    bareFactories.delete(nameOrDefinition.name);
    deferred.delete(nameOrDefinition.name);
    definitions.set(nameOrDefinition.name, nameOrDefinition);
    return;
  }
  const name = nameOrDefinition;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: `"${String(name)}" is not a valid connector name (lower-case letters, digits and dashes).` });
  }
  if (typeof factory !== 'function') {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: `The factory for connector "${name}" must be a function.` });
  }
  definitions.delete(name);
  deferred.delete(name);
  bareFactories.set(name, factory);
}

/**
 * Registers a connector by name whose declaration is loaded with its code on `connect()` (the
 * bundle's vendor connectors: each declaration would cost every page ~0.4 KB of a 30 KB budget).
 * Its config is validated when it loads; a bad one fails `connect()` with the same readable error.
 * A connector already registered with its declaration keeps it.
 */
export function registerDeferredConnector(name: string, loadDefinition: () => Promise<AnyDefinition>): void {
  if (!NAME.test(name)) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: `"${String(name)}" is not a valid connector name (lower-case letters, digits and dashes).` });
  }
  if (definitions.has(name) || bareFactories.has(name)) return;
  deferred.set(name, loadDefinition);
}

export function hasConnector(name: string): boolean {
  return definitions.has(name) || bareFactories.has(name) || deferred.has(name);
}

export function connectorNames(): string[] {
  return [...new Set([...definitions.keys(), ...bareFactories.keys(), ...deferred.keys()])].sort();
}

/** The declaration behind a name (undefined for bare factories, deferred connectors not yet loaded and unknown names). */
export function connectorDefinition(name: string): AnyDefinition | undefined {
  return definitions.get(name);
}

function unknown(name: string): CtiError {
  return new CtiError({
    code: ErrorCode.Unsupported,
    message: `Unknown connector "${name}". Known connectors: ${connectorNames().join(', ')}.`,
  });
}

function checkAgent(options: ConnectorInput): void {
  if (!options || typeof options.agentId !== 'string' || options.agentId.trim() === '') {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'A connector needs an agent id.' });
  }
}

/** The page: validates the config now, loads the backend's code on `connect()`. */
export function createConnector(name: string, options: ConnectorOptions): Connector {
  checkAgent(options);
  const definition = definitions.get(name);
  if (definition) return definition.create(options);
  const loadDefinition = deferred.get(name);
  if (loadDefinition) return createDeferred(name, loadDefinition, options);
  const factory = bareFactories.get(name);
  if (!factory) throw unknown(name);
  return factory(options);
}

function createDeferred(name: string, loadDefinition: () => Promise<AnyDefinition>, options: ConnectorOptions): Connector {
  const lazy: LazyConnector = new LazyConnector({
    name,
    supports: new Set(),
    loginFields: [],
    load: async () => {
      const definition = await loadDefinition();
      // Later bars on this page get the declaration at once.
      if (deferred.get(name) === loadDefinition) {
        deferred.delete(name);
        definitions.set(name, definition);
      }
      lazy.learn(definition);
      return definition.createNow(options);
    },
  });
  return lazy;
}

/** Node (server, gateway): validates, loads and returns the real connector. */
export async function createConnectorNow(name: string, options: ConnectorOptions): Promise<Connector> {
  checkAgent(options);
  const definition = definitions.get(name);
  if (definition) return definition.createNow(options);
  const loadDefinition = deferred.get(name);
  if (loadDefinition) return (await loadDefinition()).createNow(options);
  const factory = bareFactories.get(name);
  if (!factory) throw unknown(name);
  return factory(options);
}

registerConnector(simulator);
registerConnector(server);
registerConnector(gateway);

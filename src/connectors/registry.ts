/**
 * Connectors by name. The agent bar's `connector` attribute and the server's configuration pick
 * one; each backend's module registers its factory. The simulator is registered here by default.
 */
import type { Connector } from '../core/connector.ts';
import { CtiError, ErrorCode } from '../core/errors.ts';
import { SimulatorConnector } from './simulator/simulator-connector.ts';

export interface ConnectorOptions {
  agentId: string;
  /** URL or origin of the backend, for connectors that need one. */
  endpoint?: string;
  /** Connector-specific options (the element's `config` property). */
  config?: Record<string, unknown>;
  /** postMessage peers allowed to talk to us. */
  allowedOrigins?: string[];
}

export type ConnectorFactory = (options: ConnectorOptions) => Connector;

const factories = new Map<string, ConnectorFactory>();

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Registers (or replaces) the factory for `name` (lower-case letters, digits, dashes). */
export function registerConnector(name: string, factory: ConnectorFactory): void {
  if (!NAME.test(name)) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: `"${name}" is not a valid connector name (lower-case letters, digits and dashes).` });
  }
  if (typeof factory !== 'function') {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: `The factory for connector "${name}" must be a function.` });
  }
  factories.set(name, factory);
}

export function hasConnector(name: string): boolean {
  return factories.has(name);
}

export function connectorNames(): string[] {
  return [...factories.keys()].sort();
}

export function createConnector(name: string, options: ConnectorOptions): Connector {
  const factory = factories.get(name);
  if (!factory) {
    throw new CtiError({
      code: ErrorCode.Unsupported,
      message: `Unknown connector "${name}". Known connectors: ${connectorNames().join(', ')}.`,
    });
  }
  if (!options || typeof options.agentId !== 'string' || options.agentId.trim() === '') {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'A connector needs an agent id.' });
  }
  return factory(options);
}

function sessionStore(): Storage | undefined {
  try {
    return globalThis.sessionStorage ?? undefined;
  } catch {
    return undefined; // access denied (sandboxed frame, blocked storage)
  }
}

/**
 * The simulator reads its options from `config` (numbers only; anything else is ignored):
 * `latencyMs`, `connectDelayMs`, `wrapupMaxTimeSec`, `reconnectDelayMs`; and `persist: false` to keep
 * nothing in sessionStorage.
 */
registerConnector('simulator', ({ agentId, config = {} }) => {
  const num = (key: string): number | undefined => {
    const v = config[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
  };
  return new SimulatorConnector({
    agentId,
    latencyMs: num('latencyMs'),
    connectDelayMs: num('connectDelayMs'),
    wrapupMaxTimeSec: num('wrapupMaxTimeSec'),
    reconnectDelayMs: num('reconnectDelayMs'),
    // Survive a page reload (the tab's sessionStorage), unless `config.persist === false`.
    storage: config.persist === false ? undefined : sessionStore(),
  });
});

/** The simulator's lazy module: its factory (see declaration.ts). */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import type { SimulatorConfig } from './declaration.ts';
import { SimulatorConnector } from './simulator-connector.ts';

export function create({ agentId, config }: ConnectorCreateOptions<SimulatorConfig>): SimulatorConnector {
  const { persist, ...options } = config;
  // In a page, survive a reload (the tab's sessionStorage) unless `persist: false`; never in Node.
  return new SimulatorConnector({ agentId, ...options, storage: persist === false ? undefined : tabStorage() });
}

function tabStorage(): Storage | undefined {
  if (typeof document === 'undefined') return undefined;
  try {
    return globalThis.sessionStorage ?? undefined;
  } catch {
    return undefined; // access denied (sandboxed frame, blocked storage)
  }
}

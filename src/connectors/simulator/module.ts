/** The simulator's lazy module: its factory (see declaration.ts). */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import type { SimulatorConfig } from './declaration.ts';
import { SimulatorConnector } from './simulator-connector.ts';

export function create({ agentId, config }: ConnectorCreateOptions<SimulatorConfig>): SimulatorConnector {
  return new SimulatorConnector({ agentId, ...config });
}

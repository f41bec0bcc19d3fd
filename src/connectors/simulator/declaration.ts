/** The embedded simulator (the default connector): the POM state machine in the page, no network. */
import { defineConnector } from '../kit/define-connector.ts';
import { OPERATIONS } from '../../core/operations.ts';

export interface SimulatorConfig {
  latencyMs?: number;
  connectDelayMs?: number;
  wrapupMaxTimeSec?: number;
  reconnectDelayMs?: number;
  persist?: boolean;
}

export default defineConnector<SimulatorConfig>({
  name: 'simulator',
  title: 'Contact-centre simulator in the page (the default; also what the reference server runs)',
  endpoint: 'none',
  configSchema: {
    latencyMs: { type: 'number', min: 0, default: 20, description: 'Delay before a command is answered, ms (0 answers in a microtask).' },
    connectDelayMs: { type: 'number', min: 0, default: 1500, description: 'Dialling → talking for manual and preview dials, ms (0 when latencyMs is 0).' },
    wrapupMaxTimeSec: { type: 'number', min: 0, default: 60, description: 'Wrap-up window in seconds (0 = no limit).' },
    reconnectDelayMs: { type: 'number', min: 0, default: 1000, description: 'How long dropConnection() stays offline, ms (0 when latencyMs is 0).' },
    persist: { type: 'boolean', default: true, description: "In the page: keep the state in the tab's sessionStorage so a reload comes back to the same call (false: keep nothing)." },
  },
  // Logging in needs nothing beyond the agent-id attribute.
  loginFields: [],
  supports: OPERATIONS,
  load: () => import('./module.ts').then((m) => m.create),
});

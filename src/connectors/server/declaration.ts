/** The `server` connector: the canonical protocol to our reference server (docs/protocol.md). */
import { defineConnector } from '../kit/define-connector.ts';
import type { ConfigSchema } from '../kit/config-schema.ts';
import { OPERATIONS } from '../../core/operations.ts';
import type { ServerConnectorConfig } from './server-connector.ts';

/** The transport options shared by `server` and `gateway`. */
export const SERVER_CONFIG_SCHEMA: ConfigSchema = {
  transport: { type: 'string', enum: ['websocket', 'polling'], description: 'websocket or polling; by default from the endpoint\'s scheme (ws → websocket, http → polling).' },
  longPoll: { type: 'boolean', default: true, description: 'Polling: long-poll (true) or interval polling (false).' },
  pollIntervalMs: { type: 'number', min: 50, default: 1000, description: 'Interval polling: pause between polls, ms.' },
  longPollWaitMs: { type: 'number', min: 0, max: 30_000, default: 25_000, description: 'Long-poll: how long the server may hold a poll, ms.' },
  pollTimeoutMs: { type: 'number', min: 100, description: 'Polling: abort a poll after this long, ms (default: the long-poll wait + 10 s).' },
  commandTimeoutMs: { type: 'number', min: 1, default: 10_000, description: 'A command without an answer within this long fails with TIMEOUT, ms.' },
  connectTimeoutMs: { type: 'number', min: 1, default: 15_000, description: 'connect() fails with NOT_CONNECTED when not connected within this long, ms.' },
  heartbeatIntervalMs: { type: 'number', min: 100, default: 15_000, description: 'WebSocket: ping period, ms.' },
  heartbeatTimeoutMs: { type: 'number', min: 100, default: 5_000, description: 'WebSocket: a ping unanswered this long means the link is dead, ms.' },
  backoff: { type: 'object', description: 'Reconnect backoff: { initialMs, maxMs, factor, jitter }.' },
  fallbackEndpoints: { type: 'list', description: 'WebSocket: more endpoints of the same gateway (its cluster\'s other nodes), tried in turn after a lost connection.' },
  createSocket: { type: 'function', description: 'Node: a WebSocket factory (url) => socket (the global WebSocket otherwise).' },
  fetch: { type: 'function', description: 'A fetch implementation (the global fetch otherwise).' },
  onApplied: { type: 'function', description: 'Diagnostics: told the server seq behind every event handed to the session.' },
};

export default defineConnector<ServerConnectorConfig>({
  name: 'server',
  title: 'Our reference server (the simulator over WebSocket or REST polling)',
  endpoint: 'required',
  endpointHint: 'ws://host:port/ws or http://host:port',
  configSchema: SERVER_CONFIG_SCHEMA,
  loginFields: [],
  // The welcome may narrow this to what the server's own connector supports.
  supports: OPERATIONS,
  load: () => import('./module.ts').then((m) => m.create),
});

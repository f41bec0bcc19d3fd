/**
 * Every resource bound of the server in one place, with its default and its environment
 * override (docs/server.md lists them). A bound is what keeps one hostile or broken client from
 * exhausting memory, descriptors or agents for everyone else; each one refuses with a readable
 * error (or cuts the one offending connection) and changes nothing else.
 */

export interface ServerLimits {
  /** Agents (hubs) at once. */
  maxAgents: number;
  /** Events kept per agent for replay. */
  replayMaxEvents: number;
  /** JSON bytes of events kept per agent for replay; older events fall out (resume → snapshot). */
  replayMaxBytes: number;
  /** Characters in any one text argument of a command (a note, a field value, wrap-up notes …). */
  textMaxChars: number;
  /** Notes one call may carry; every event about the call carries them all. */
  notesMaxPerCall: number;
  /** Bytes queued for one WebSocket that does not read; past it the socket is cut. */
  sendBufferMaxBytes: number;
  /** Open TCP connections from one remote address; 0 turns the bound off. */
  connectionsPerSource: number;
  /** A connection must send its request headers within this long, or it is destroyed. */
  headersTimeoutMs: number;
  /** WebSockets said hello as one agent (browser tabs). */
  socketsPerAgent: number;
  /** Long-polls held open for one agent. */
  longPollsPerAgent: number;
  /** Commands of one agent waiting for the connector's answer. */
  commandsInFlightPerAgent: number;
  /** A hub with no socket, no long-poll, no command and no call for this long is closed; 0: never. */
  hubIdleMs: number;
  /** New agents per second (sustained); 0: no limit. */
  agentCreationPerSec: number;
  /** New agents allowed in a burst before the rate applies. */
  agentCreationBurst: number;
}

/** Defaults; `agentCreationPerSec` depends on the mode (see `resolveLimits`). */
export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  maxAgents: 10_000,
  replayMaxEvents: 10_000,
  replayMaxBytes: 2 * 1024 * 1024,
  textMaxChars: 2_000,
  notesMaxPerCall: 50,
  sendBufferMaxBytes: 8 * 1024 * 1024,
  connectionsPerSource: 256,
  headersTimeoutMs: 20_000,
  socketsPerAgent: 32,
  longPollsPerAgent: 32,
  commandsInFlightPerAgent: 32,
  hubIdleMs: 10 * 60_000,
  agentCreationPerSec: 5,
  agentCreationBurst: 60,
});

/**
 * Environment variable of each limit. Creation rate: in gateway mode only a holder of a signed
 * token can create its agent, so the rate applies there only when set explicitly.
 */
export const LIMIT_ENV: Readonly<Record<keyof ServerLimits, string>> = Object.freeze({
  maxAgents: 'MAX_AGENTS',
  replayMaxEvents: 'REPLAY_MAX_EVENTS',
  replayMaxBytes: 'REPLAY_MAX_BYTES',
  textMaxChars: 'TEXT_MAX_CHARS',
  notesMaxPerCall: 'NOTES_MAX_PER_CALL',
  sendBufferMaxBytes: 'SEND_BUFFER_MAX_BYTES',
  connectionsPerSource: 'MAX_CONNECTIONS_PER_SOURCE',
  headersTimeoutMs: 'HEADERS_TIMEOUT_MS',
  socketsPerAgent: 'MAX_SOCKETS_PER_AGENT',
  longPollsPerAgent: 'MAX_LONG_POLLS_PER_AGENT',
  commandsInFlightPerAgent: 'MAX_COMMANDS_IN_FLIGHT_PER_AGENT',
  hubIdleMs: 'HUB_IDLE_MS',
  agentCreationPerSec: 'AGENT_CREATION_PER_SEC',
  agentCreationBurst: 'AGENT_CREATION_BURST',
});

/** Limits where 0 means "off"; the others must be at least 1. */
const ZERO_MEANS_OFF = new Set<keyof ServerLimits>(['connectionsPerSource', 'hubIdleMs', 'agentCreationPerSec']);

/** Reads the overrides present in `env`; throws a readable `Error` naming the bad variable. */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<ServerLimits> {
  const out: Partial<ServerLimits> = {};
  for (const key of Object.keys(LIMIT_ENV) as (keyof ServerLimits)[]) {
    const name = LIMIT_ENV[key];
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    const min = ZERO_MEANS_OFF.has(key) ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < min) {
      throw new Error(`${name} must be an integer ≥ ${min}${min === 0 ? ' (0 turns it off)' : ''}.`);
    }
    out[key] = value;
  }
  return out;
}

/** Defaults, the mode's default creation rate, then the given overrides (checked). */
export function resolveLimits(overrides: Partial<ServerLimits> = {}, options: { gateway?: boolean } = {}): ServerLimits {
  const base: ServerLimits = { ...DEFAULT_LIMITS, ...(options.gateway ? { agentCreationPerSec: 0 } : {}) };
  for (const [key, value] of Object.entries(overrides) as [keyof ServerLimits, number | undefined][]) {
    if (value === undefined) continue;
    const min = ZERO_MEANS_OFF.has(key) ? 0 : 1;
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= min)) {
      throw new RangeError(`limit ${key} must be a number ≥ ${min}.`);
    }
    base[key] = value;
  }
  return base;
}

/**
 * The Lua scripts a cluster node runs in Redis, and the keys they touch. Each runs atomically, so
 * a lease, its fencing token and an agent's event numbering can never be seen half-changed.
 *
 * Every key of one agent carries the agent id as a hash tag (`ab:{1001}:…`): under Redis Cluster
 * they all live in one slot, so these multi-key scripts stay legal there (docs/server.md, Cluster).
 */
import type { Redis } from 'ioredis';

export const agentKeys = (agentId: string) => ({
  /** The owning node's id; expires unless renewed (PX). */
  lease: `ab:{${agentId}}:lease`,
  /** The fencing token: incremented on every take-over, never reset. */
  fence: `ab:{${agentId}}:fence`,
  /** The last `seq` given out. */
  seq: `ab:{${agentId}}:seq`,
  /** The numbered events, bounded (XADD MAXLEN ~), entry id `<seq>-0`. */
  events: `ab:{${agentId}}:events`,
  /** `{"seq":N,"state":[…]}`: the folded state at N, written by the owner (debounced). */
  state: `ab:{${agentId}}:state`,
  /** Pub/sub: the agent's events as they are numbered, and hand-over notices. */
  channel: `ab:{${agentId}}:ev`,
});

export const nodeChannel = (nodeId: string): string => `ab:node:${nodeId}`;

/** The ids of the nodes that joined (a set); a node found dead is removed once its agents are adopted. */
export const NODES_KEY = 'ab:nodes';

export const nodeKeys = (nodeId: string) => ({
  /** Present while the node runs: set with the same lifetime as its leases, renewed with them. */
  alive: `ab:node:${nodeId}:alive`,
  /** The agents it owned at its last renewal: what another node adopts when it dies (SPOP). */
  owned: `ab:node:${nodeId}:owned`,
});

/** Sent on an agent's channel when its owner lets go (rolling restart): take it now. */
export const RELEASED = '!released';

/** KEYS lease, fence · ARGV nodeId, leaseMs → the new fencing token, or 0 when the lease is held. */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0`;

/**
 * KEYS lease, fence · ARGV nodeId, token, leaseMs → 1 while this node still holds the newest
 * token. A lease that expired while Redis was unreachable is taken back when nobody took over
 * (the token is still the newest), so a short Redis outage does not move every agent.
 */
const RENEW = `
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
  return 1
end
return 0`;

/**
 * KEYS lease, fence · ARGV nodeId, token, channel → 1 when released. The `!released` notice is
 * published by the same script: one round trip, and it cannot be cut off by the node's QUIT.
 */
const RELEASE = `
if redis.call('GET', KEYS[2]) == ARGV[2] and redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[3], '${RELEASED}')
  return 1
end
return 0`;

/**
 * KEYS fence, seq, events · ARGV token, event JSON without seq (an object),
 * maxlen, channel → the event's seq, or -1 when the token is stale (another node took over: a
 * stale owner can never append). The stored and published JSON is `{"seq":N,` + the rest.
 */
const APPEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local seq = redis.call('INCR', KEYS[2])
local json = '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'e', json)
redis.call('PUBLISH', ARGV[4], json)
return seq`;

/** KEYS fence, state · ARGV token, state JSON → 1 when written (only by the token's holder). */
const SAVE_STATE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

/** The JSON an appended event is stored and published as (the same string APPEND builds). */
export function numberedJson(seq: number, unnumbered: string): string {
  return `{"seq":${seq},${unnumbered.slice(1)}`;
}

export interface ClusterRedis extends Redis {
  abAcquire(lease: string, fence: string, nodeId: string, leaseMs: number): Promise<number>;
  abRenew(lease: string, fence: string, nodeId: string, token: number, leaseMs: number): Promise<number>;
  abRelease(lease: string, fence: string, nodeId: string, token: number, channel: string): Promise<number>;
  abAppend(fence: string, seq: string, events: string, token: number, json: string, maxLen: number, channel: string): Promise<number>;
  abSaveState(fence: string, state: string, token: number, json: string): Promise<number>;
}

/** Registers the scripts on a connection (EVALSHA, loaded again by ioredis after a Redis restart). */
export function withScripts(redis: Redis): ClusterRedis {
  redis.defineCommand('abAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  redis.defineCommand('abRenew', { numberOfKeys: 2, lua: RENEW });
  redis.defineCommand('abRelease', { numberOfKeys: 2, lua: RELEASE });
  redis.defineCommand('abAppend', { numberOfKeys: 3, lua: APPEND });
  redis.defineCommand('abSaveState', { numberOfKeys: 2, lua: SAVE_STATE });
  return redis as ClusterRedis;
}

/**
 * `STATE_FILE`: each agent's seq counter and current state survive a server restart, so a
 * restarted server continues the numbering (clients dedupe on it) and the call state.
 *
 * State is written debounced (atomic: temp file + rename, so a crash never leaves half a file).
 * The numbering must never go backwards even after `kill -9` between an event and the debounced
 * write — a reused `seq` would be dropped by every client as a duplicate. So numbers are reserved
 * in blocks: before an event numbered past the reservation leaves, the new reservation is written
 * synchronously. After a crash the server continues after the reservation (clients get a snapshot
 * across the gap); after a clean shutdown it continues exactly where it stopped.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CanonicalEvent } from '../src/core/events.ts';
import type { AgentHub, HubPersistence, PersistedAgent } from './agent-hub.ts';
import { isAgentId } from './agent-id.ts';

/**
 * Version 2 lists agents as an array of entries: agent ids are data, and as keys of a plain
 * object one like `__proto__` would silently vanish. Version 1 files (an object) are still read.
 */
const FILE_VERSION = 2;

interface StateFileAgent {
  /** Last number sent when this was written. */
  seq: number;
  /** No number above this was sent before the next write. */
  reserved: number;
  state: CanonicalEvent[];
}

interface StateFile {
  version: typeof FILE_VERSION;
  /** Written by an orderly shutdown: `seq` is exact. */
  clean: boolean;
  savedAt: number;
  agents: Array<StateFileAgent & { agentId: string }>;
}

export interface StateStoreOptions {
  debounceMs?: number;
  /** How many numbers one synchronous write reserves. */
  reserveBlock?: number;
  /** Where write failures are reported (never with state content). */
  log?: (message: string) => void;
}

export class StateStore implements HubPersistence {
  readonly path: string;
  #debounceMs: number;
  #reserveBlock: number;
  #log: (message: string) => void;
  /** Every hub that produced an event since start (the store sees them before the registry). */
  #hubs = new Map<string, AgentHub>();
  #reserved = new Map<string, number>();
  /** Agents read from the file that no hub has taken yet; kept in every write until then. */
  #pending = new Map<string, StateFileAgent>();
  #timer: ReturnType<typeof globalThis.setTimeout> | undefined;
  #closed = false;

  constructor(path: string, options: StateStoreOptions = {}) {
    this.path = path;
    this.#debounceMs = options.debounceMs ?? 20;
    this.#reserveBlock = options.reserveBlock ?? 1000;
    this.#log = options.log ?? (() => {});
  }

  /**
   * Reads the file (a missing file is a fresh start; an unreadable one is reported and ignored,
   * never half-applied). Returns where each agent continues.
   */
  load(): Map<string, PersistedAgent> {
    const out = new Map<string, PersistedAgent>();
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#log(`state file ${this.path} unreadable, starting fresh: ${(error as Error).message}`);
      }
      return out;
    }
    const file = readStateFile(parsed);
    if (!file) {
      this.#log(`state file ${this.path} has an unknown format, starting fresh`);
      return out;
    }
    if (file.skipped > 0) this.#log(`state file ${this.path}: ${file.skipped} malformed agent entries ignored`);
    for (const [agentId, agent] of file.agents) {
      const seq = file.clean ? agent.seq : Math.max(agent.seq, agent.reserved);
      out.set(agentId, { seq, state: agent.state });
      this.#reserved.set(agentId, seq);
      this.#pending.set(agentId, { seq, reserved: seq, state: agent.state });
    }
    return out;
  }

  reserve(hub: AgentHub, seq: number): void {
    this.#hubs.set(hub.agentId, hub);
    if (seq <= (this.#reserved.get(hub.agentId) ?? 0)) return;
    this.#reserved.set(hub.agentId, seq + this.#reserveBlock);
    this.saveNow(false);
  }

  /** The agent's hub was closed for idleness: it is no longer saved (memory stays bounded). */
  forget(agentId: string): void {
    this.#hubs.delete(agentId);
    this.#pending.delete(agentId);
    this.#reserved.delete(agentId);
  }

  changed(hub: AgentHub): void {
    this.#hubs.set(hub.agentId, hub);
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = globalThis.setTimeout(() => {
      this.#timer = undefined;
      this.saveNow(false);
    }, this.#debounceMs);
  }

  /** Writes now (atomic rename). `clean` marks an orderly shutdown: numbering continues exactly. */
  saveNow(clean: boolean): void {
    if (this.#closed) return;
    if (this.#timer !== undefined) {
      globalThis.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const agents = new Map<string, StateFileAgent>(this.#pending);
    for (const hub of this.#hubs.values()) {
      this.#pending.delete(hub.agentId);
      const { seq, state } = hub.persisted();
      const reserved = clean ? seq : Math.max(seq, this.#reserved.get(hub.agentId) ?? seq);
      agents.set(hub.agentId, { seq, reserved, state });
    }
    const file: StateFile = {
      version: FILE_VERSION,
      clean,
      savedAt: Date.now(),
      agents: [...agents].map(([agentId, agent]) => ({ agentId, ...agent })),
    };
    const temp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(temp, JSON.stringify(file));
      renameSync(temp, this.path);
    } catch (error) {
      this.#log(`could not write state file ${this.path}: ${(error as Error).message}`);
    }
  }

  /** Final, clean write; later events are not saved. */
  close(): void {
    if (this.#closed) return;
    this.saveNow(true);
    this.#closed = true;
  }
}

/** The file's agents (version 1 or 2), each checked on its own: one bad entry is skipped, not the file. */
function readStateFile(
  value: unknown,
): { clean: boolean; agents: Map<string, StateFileAgent>; skipped: number } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const file = value as { version?: unknown; clean?: unknown; agents?: unknown };
  if (typeof file.clean !== 'boolean' || !file.agents || typeof file.agents !== 'object') return undefined;
  let entries: [unknown, unknown][];
  if (file.version === 2 && Array.isArray(file.agents)) {
    entries = file.agents.map((agent: unknown) => [(agent as { agentId?: unknown } | null)?.agentId, agent]);
  } else if (file.version === 1 && !Array.isArray(file.agents)) {
    entries = Object.entries(file.agents);
  } else {
    return undefined;
  }
  const agents = new Map<string, StateFileAgent>();
  let skipped = 0;
  for (const [agentId, agent] of entries) {
    if (isAgentId(agentId) && isAgentEntry(agent)) agents.set(agentId, { seq: agent.seq, reserved: agent.reserved, state: agent.state });
    else skipped++;
  }
  return { clean: file.clean, agents, skipped };
}

function isAgentEntry(value: unknown): value is StateFileAgent {
  if (!value || typeof value !== 'object') return false;
  const agent = value as Partial<StateFileAgent>;
  return (
    Number.isSafeInteger(agent.seq) &&
    agent.seq! >= 0 &&
    Number.isSafeInteger(agent.reserved) &&
    Array.isArray(agent.state) &&
    agent.state.every((event) => !!event && typeof event === 'object' && typeof event.type === 'string')
  );
}

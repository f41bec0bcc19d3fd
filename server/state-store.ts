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
import { isAgentId } from './tokens.ts';

const FILE_VERSION = 1;

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
  agents: Record<string, StateFileAgent>;
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
    if (!isStateFile(parsed)) {
      this.#log(`state file ${this.path} has an unknown format, starting fresh`);
      return out;
    }
    for (const [agentId, agent] of Object.entries(parsed.agents)) {
      const seq = parsed.clean ? agent.seq : Math.max(agent.seq, agent.reserved);
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
    const agents: Record<string, StateFileAgent> = Object.fromEntries(this.#pending);
    for (const hub of this.#hubs.values()) {
      this.#pending.delete(hub.agentId);
      const { seq, state } = hub.persisted();
      const reserved = clean ? seq : Math.max(seq, this.#reserved.get(hub.agentId) ?? seq);
      agents[hub.agentId] = { seq, reserved, state };
    }
    const file: StateFile = { version: FILE_VERSION, clean, savedAt: Date.now(), agents };
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

function isStateFile(value: unknown): value is StateFile {
  if (!value || typeof value !== 'object') return false;
  const file = value as Partial<StateFile>;
  if (file.version !== FILE_VERSION || typeof file.clean !== 'boolean') return false;
  if (!file.agents || typeof file.agents !== 'object') return false;
  return Object.entries(file.agents).every(
    ([agentId, agent]) =>
      isAgentId(agentId) &&
      !!agent &&
      Number.isSafeInteger(agent.seq) &&
      agent.seq >= 0 &&
      Number.isSafeInteger(agent.reserved) &&
      Array.isArray(agent.state) &&
      agent.state.every((event) => !!event && typeof event === 'object' && typeof event.type === 'string'),
  );
}

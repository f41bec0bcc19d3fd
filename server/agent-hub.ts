/**
 * One agent on the server: one connector instance, whose canonical events get a server-side `seq`
 * (1, 2, 3 … per agent), go into a bounded replay buffer and out to that agent's WebSocket clients
 * and long-poll waiters — and to nobody else's. Works with any `Connector`.
 */
import type { Connector } from '../src/core/connector.ts';
import type { Command } from '../src/core/commands.ts';
import type { CanonicalEvent } from '../src/core/events.ts';
import type { Call } from '../src/core/model.ts';
import { CtiError, ErrorCode } from '../src/core/errors.ts';
import type { SimulatorControl } from '../src/connectors/simulator/control.ts';
import { ReplayBuffer } from './replay-buffer.ts';
import { StateFold } from '../src/connectors/kit/state-fold.ts';
import type { Redactor } from './redactor.ts';
import { readCanonicalEvent } from '../src/protocol/event-guards.ts';
import { checkCommandLimits } from './command-limits.ts';
import { DEFAULT_LIMITS, type ServerLimits } from './limits.ts';

export const DEFAULT_REPLAY_CAPACITY = DEFAULT_LIMITS.replayMaxEvents;
/** A command the connector never answers must not hold a client's request forever. */
export const COMMAND_TIMEOUT_MS = 30_000;

export interface SequencedEvent {
  seq: number;
  event: CanonicalEvent;
}

/** What a client that says "I have everything up to `after`" must receive. */
export type CatchUp =
  | { kind: 'events'; seq: number; events: SequencedEvent[]; more: boolean }
  | { kind: 'snapshot'; seq: number; events: CanonicalEvent[] };

/** A fan-out target: gets the event and its WebSocket frame, serialised once for all sockets. */
export type HubListener = (entry: SequencedEvent, frame: string) => void;

/** The part of an agent's state that survives a server restart. */
export interface PersistedAgent {
  seq: number;
  state: CanonicalEvent[];
}

/**
 * Optional: a connector that can be put back into a saved state (the simulator). Others just
 * reconnect to their backend, which is the source of truth anyway.
 */
interface RestorableConnector extends Connector {
  restoreState(events: CanonicalEvent[]): void;
}

/** The bounds a hub enforces (see limits.ts). */
export type HubLimits = Pick<
  ServerLimits,
  'replayMaxEvents' | 'replayMaxBytes' | 'textMaxChars' | 'notesMaxPerCall' | 'longPollsPerAgent' | 'commandsInFlightPerAgent'
>;

export interface AgentHubOptions {
  agentId: string;
  connector: Connector;
  /** Replay buffer events; overrides `limits.replayMaxEvents`. */
  capacity?: number;
  limits?: Partial<HubLimits>;
  /** From the state file: numbering continues after `seq`, the state is the starting point. */
  restored?: PersistedAgent;
  /** Numbering starts after this (an earlier hub of the agent was closed while idle). */
  startSeq?: number;
  redact?: Redactor;
  persistence?: HubPersistence;
  /** Told about each event from the connector that did not fit the protocol (dropped). */
  onDropped?: (reason: string) => void;
  /** Told about each event delivered and each command answered (its time): `/metrics`. */
  observe?: HubObserver;
  /**
   * Cluster mode: the connector's events are numbered elsewhere (Redis, see server/cluster/).
   * They leave as JSON without `seq` (stamped `at`, redacted) and come back through `deliver`.
   */
  emit?: (eventJson: string) => void;
}

export interface HubObserver {
  event(): void;
  command(ms: number): void;
}

/** How the state store follows a hub (see state-store.ts). */
export interface HubPersistence {
  /** Called before an event numbered `seq` leaves the server: the number must be on disk first. */
  reserve(hub: AgentHub, seq: number): void;
  /** Called after each event: the state changed (saved later, debounced). */
  changed(hub: AgentHub): void;
}

interface Waiter {
  after: number;
  limit: number;
  resolve: (result: CatchUp) => void;
  timer: ReturnType<typeof globalThis.setTimeout>;
}

export class AgentHub {
  readonly agentId: string;
  readonly connector: Connector;
  #seq: number;
  #buffer: ReplayBuffer<SequencedEvent>;
  #fold: StateFold;
  #listeners = new Set<HubListener>();
  #waiters = new Set<Waiter>();
  #redact: Redactor;
  #persistence?: HubPersistence;
  #limits: HubLimits;
  #inFlight = 0;
  /** Notes sent to the connector and not yet answered: they count against the call's bound. */
  #notesInFlight = 0;
  #closing = new AbortController();
  #lastActiveAt = Date.now();
  #closed = false;
  #onDropped: (reason: string) => void;
  #observe: HubObserver | undefined;
  #dropped = 0;
  #emit?: (eventJson: string) => void;

  constructor(options: AgentHubOptions) {
    this.agentId = options.agentId;
    this.connector = options.connector;
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#seq = options.restored?.seq ?? options.startSeq ?? 0;
    this.#fold = StateFold.from(options.restored?.state ?? []);
    this.#buffer = new ReplayBuffer(options.capacity ?? this.#limits.replayMaxEvents, this.#limits.replayMaxBytes);
    this.#redact = options.redact ?? ((text) => text);
    this.#persistence = options.persistence;
    this.#onDropped = options.onDropped ?? (() => {});
    this.#observe = options.observe;
    this.#emit = options.emit;
    if (options.restored && isRestorable(this.connector)) {
      this.connector.restoreState(options.restored.state);
    }
  }

  /** The last `seq` given out. */
  get seq(): number {
    return this.#seq;
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** JSON bytes held in the replay buffer. */
  get replayBytes(): number {
    return this.#buffer.bytes;
  }

  /**
   * True when nobody uses this hub and closing it loses nothing a client could miss: no socket,
   * no held long-poll, no command waiting, no call, and no request for `idleMs`.
   */
  isIdle(now: number, idleMs: number): boolean {
    return (
      this.#listeners.size === 0 &&
      this.#waiters.size === 0 &&
      this.#inFlight === 0 &&
      now - this.#lastActiveAt >= idleMs &&
      !this.#hasCalls()
    );
  }

  /** Marks a use (a request, a socket coming or going), so an idle hub is not closed under a client. */
  touch(): void {
    this.#lastActiveAt = Date.now();
  }

  /** The simulator's control API when the connector is the simulator; undefined otherwise. */
  get simulator(): SimulatorControl | undefined {
    const candidate = (this.connector as { simulator?: unknown }).simulator;
    return candidate && typeof candidate === 'object' ? (candidate as SimulatorControl) : undefined;
  }

  /** Connector events dropped because they did not fit the protocol. */
  get droppedEvents(): number {
    return this.#dropped;
  }

  async start(): Promise<void> {
    await this.connector.connect((untrusted) => {
      // In gateway mode the events come from a vendor connector: what does not fit the protocol
      // is dropped (and counted) here, so it is neither sent to a client nor folded into state.
      const event = readCanonicalEvent(untrusted, (reason) => {
        this.#dropped++;
        this.#onDropped(reason);
      });
      if (event) this.#publish(event);
    });
  }

  /** The current state as events (what a snapshot carries). */
  state(): CanonicalEvent[] {
    return this.#fold.events();
  }

  persisted(): PersistedAgent {
    return { seq: this.#seq, state: this.state() };
  }

  /**
   * What a client holding everything up to `after` needs: the missed events, or a snapshot when
   * they are no longer buffered, when the client has nothing yet (`after` 0 or absent: the state
   * is what it needs, not the history), or when it claims more than was ever sent (it saw an
   * earlier server whose numbering this one cannot know).
   */
  catchUp(after: number | undefined, limit = Infinity): CatchUp {
    this.touch();
    const seq = this.#seq;
    if (after === undefined || after <= 0 || after > seq) {
      return seq === 0 && (after ?? 0) <= 0
        ? { kind: 'events', seq, events: [], more: false }
        : { kind: 'snapshot', seq, events: this.state() };
    }
    const found = this.#buffer.after(after, seq, limit);
    if (!found) return { kind: 'snapshot', seq, events: this.state() };
    const events = found.map((entry) => entry.value);
    const last = events.at(-1)?.seq ?? after;
    return { kind: 'events', seq, events, more: last < seq };
  }

  /**
   * Long-poll: resolves at once when there is something after `after`, otherwise with the first
   * event or after `waitMs` with nothing. `signal` ends the wait early (the HTTP client left).
   */
  waitForEvents(after: number | undefined, waitMs: number, limit: number, signal?: AbortSignal): Promise<CatchUp> {
    const now = this.catchUp(after, limit);
    if (now.kind === 'snapshot' || now.events.length > 0 || waitMs <= 0 || this.#closed) {
      return Promise.resolve(now);
    }
    if (this.#waiters.size >= this.#limits.longPollsPerAgent) {
      return Promise.reject(
        new CtiError({
          code: ErrorCode.NotConnected,
          message: `Too many long-polls held for agent ${this.agentId} (limit ${this.#limits.longPollsPerAgent}); close other tabs or poll with wait=0.`,
        }),
      );
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        after: after ?? 0,
        limit,
        resolve: (result) => {
          globalThis.clearTimeout(waiter.timer);
          this.#waiters.delete(waiter);
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
        timer: globalThis.setTimeout(() => waiter.resolve(this.catchUp(after, limit)), waitMs),
      };
      const onAbort = (): void => waiter.resolve({ kind: 'events', seq: this.#seq, events: [], more: false });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  subscribe(listener: HubListener): () => void {
    this.touch();
    this.#listeners.add(listener);
    return () => {
      this.touch();
      this.#listeners.delete(listener);
    };
  }

  /** Runs one command on this agent's connector. Rejects with a `CtiError`. */
  async execute(command: Command): Promise<void> {
    if (this.#closed) {
      throw new CtiError({ code: ErrorCode.NotConnected, message: 'The agent hub is closed.', commandId: command.id });
    }
    this.touch();
    // Checked here, before the connector: both transports pass through, and a refusal changes nothing.
    checkCommandLimits(command, this.#currentCalls(), this.#limits, this.#notesInFlight);
    if (this.#inFlight >= this.#limits.commandsInFlightPerAgent) {
      throw new CtiError({
        code: ErrorCode.InFlight,
        operation: command.operation,
        commandId: command.id,
        message: `Too many commands waiting for the backend (limit ${this.#limits.commandsInFlightPerAgent}); try again when they are answered.`,
      });
    }
    this.#inFlight++;
    const started = performance.now();
    const isNote = command.operation === 'addNote';
    if (isNote) this.#notesInFlight++;
    let timer: ReturnType<typeof globalThis.setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = globalThis.setTimeout(
        () =>
          reject(
            new CtiError({
              code: ErrorCode.Timeout,
              message: `No answer from the backend within ${COMMAND_TIMEOUT_MS / 1000} s.`,
              operation: command.operation,
              commandId: command.id,
            }),
          ),
        COMMAND_TIMEOUT_MS,
      );
    });
    // A hub closed under a waiting command answers it at once rather than at the timeout.
    let onClose = (): void => {};
    const closed = new Promise<never>((_, reject) => {
      onClose = () =>
        reject(new CtiError({ code: ErrorCode.NotConnected, message: 'The agent hub was closed.', commandId: command.id }));
      this.#closing.signal.addEventListener('abort', onClose, { once: true });
    });
    try {
      await Promise.race([this.connector.execute(command), timeout, closed]);
    } catch (error) {
      // Every failure names the command it answers, whoever produced it.
      const cti = CtiError.from(error, { operation: command.operation });
      throw new CtiError({ ...cti.toJSON(), operation: cti.operation ?? command.operation, commandId: command.id });
    } finally {
      this.#inFlight--;
      this.#observe?.command(performance.now() - started);
      if (isNote) this.#notesInFlight--;
      this.touch();
      globalThis.clearTimeout(timer);
      this.#closing.signal.removeEventListener('abort', onClose);
    }
  }

  /** Ends every wait, forgets listeners, disconnects the connector. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    for (const waiter of [...this.#waiters]) waiter.resolve({ kind: 'events', seq: this.#seq, events: [], more: false });
    this.#listeners.clear();
    this.connector.disconnect();
  }

  #publish(event: CanonicalEvent): void {
    if (this.#closed) return;
    if (this.#emit) {
      // The connector's own numbering (if any) is dropped; the cluster's comes back with `deliver`.
      const { seq: _ignored, ...unnumbered } = event as CanonicalEvent & { seq?: number };
      this.#emit(this.#redact(JSON.stringify({ ...unnumbered, at: event.at ?? Date.now() })));
      return;
    }
    const seq = this.#seq + 1;
    this.#persistence?.reserve(this, seq);
    // The connector's own numbering (if any) is replaced: clients resume on the server's.
    const stamped = { ...event, seq, at: event.at ?? Date.now() } as CanonicalEvent;
    // Serialised once, redacted once; the parsed copy kept for replay is the redacted one too.
    this.deliver(seq, this.#redact(JSON.stringify(stamped)));
    this.#persistence?.changed(this);
  }

  /**
   * Hands out one numbered event (redacted JSON, `seq` inside): folded, buffered for replay and
   * sent to this agent's sockets and waiters. Numbers at or below the last one are ignored (a
   * cluster node may hear an event twice); the caller delivers them in order.
   */
  deliver(seq: number, eventJson: string): void {
    if (this.#closed || seq <= this.#seq) return;
    this.#seq = seq;
    this.#observe?.event();
    const entry: SequencedEvent = { seq, event: JSON.parse(eventJson) as CanonicalEvent };
    this.#fold.apply(entry.event);
    this.#buffer.push(seq, entry, eventJson.length);
    const frame = `{"t":"event","seq":${seq},"event":${eventJson}}`;
    for (const listener of [...this.#listeners]) {
      try {
        listener(entry, frame);
      } catch {
        // One broken client must not stop the others from receiving the event.
      }
    }
    for (const waiter of [...this.#waiters]) {
      if (seq > waiter.after) waiter.resolve(this.catchUp(waiter.after, waiter.limit));
    }
  }

  /**
   * Cluster mode: fills the replay buffer with events already folded into the restored state
   * (read back from the cluster), so a client resuming from one of them gets an exact replay.
   */
  preload(events: ReadonlyArray<{ seq: number; eventJson: string }>): void {
    if (this.#buffer.size > 0) return;
    let previous: number | undefined;
    for (const { seq, eventJson } of events) {
      // The buffer's numbers must be consecutive (its lookup is arithmetic).
      if (seq > this.#seq || (previous !== undefined && seq !== previous + 1)) break;
      this.#buffer.push(seq, { seq, event: JSON.parse(eventJson) as CanonicalEvent }, eventJson.length);
      previous = seq;
    }
  }

  #currentCalls(): Call[] {
    const calls = this.#fold.events().find((event) => event.type === 'calls');
    return calls?.type === 'calls' ? calls.calls : [];
  }

  #hasCalls(): boolean {
    return this.#currentCalls().length > 0;
  }
}

function isRestorable(connector: Connector): connector is RestorableConnector {
  return typeof (connector as Partial<RestorableConnector>).restoreState === 'function';
}

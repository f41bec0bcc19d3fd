/**
 * One backend connection per agent across the tabs of one origin. Every tab's bar wraps its
 * connector in a `TabSharedConnector` with the same key (connector, endpoint, agent); the tab that
 * holds the Web Lock `agent-bar:tabs:<key>` is the leader: it alone connects the real connector
 * and relays what the backend says to the others over a `BroadcastChannel`; the others (followers)
 * feed those events to their own session (so their snapshot mirrors the leader's) and send their
 * commands through the leader, which answers each one.
 *
 * Why a lock and not an election: the browser releases a lock the moment its page goes away
 * (closed, reloaded, crashed), and the next tab waiting for it gets it at once — no heartbeat, no
 * timeout, no two leaders. The new leader connects its own connector, and the backend's snapshot
 * (the server replays or sends its state on every connect) brings back the call it was on.
 *
 * Lost or doubled events: the leader numbers what it relays per term (a term = one leader's
 * tenure, a random id); a follower applies only the next number of the term it follows, drops
 * repeats, and asks for the whole state again on a gap or an unknown term. The state it gets is
 * the leader's fold of every event (`StateFold`: whole objects, so the latest of each is enough).
 * Events carry state, not deltas, and the session derives host events by comparing snapshots, so a
 * state applied again raises no `cti-*` event twice.
 *
 * A command a follower sent to a leader that went away before answering is rejected with
 * NOT_CONNECTED when the next leader announces itself (it may or may not have been executed: it is
 * never sent again behind the agent's back).
 */
import type { Connector, EventSink } from '../core/connector.ts';
import type { Command } from '../core/commands.ts';
import type { CanonicalEvent } from '../core/events.ts';
import { CtiError, ErrorCode, type CtiErrorInit } from '../core/errors.ts';
import { maskEvent } from '../core/masking.ts';
import { StateFold } from '../connectors/kit/state-fold.ts';
import type { LoginField } from '../connectors/kit/define-connector.ts';
import type { Operation } from '../core/operations.ts';

/** The messages between the tabs of one key (same origin only: a BroadcastChannel never leaves it). */
type TabMessage =
  | { t: 'hello'; from: string }
  | { t: 'lead'; term: string }
  | { t: 'state'; term: string; n: number; to: string; events: CanonicalEvent[] }
  | { t: 'event'; term: string; n: number; event: CanonicalEvent }
  | { t: 'command'; term: string; from: string; command: Command }
  | { t: 'reply'; to: string; id: string; error?: CtiErrorInit };

/**
 * `waiting`: connecting, not yet leader nor following anyone; `leader`: holds the backend
 * connection; `follower`: mirrors a leader; `closed`: disconnected.
 */
export type TabRole = 'idle' | 'waiting' | 'leader' | 'follower' | 'closed';

/** The browser pieces, injectable so that two instances in one page behave like two tabs. */
export interface TabShareEnvironment {
  locks: LockManager;
  channel: (name: string) => BroadcastChannel;
}

export interface TabShareCounters {
  /** Events handed to this tab's session. */
  applied: number;
  /** Relayed events dropped because this tab had already applied them. */
  repeated: number;
  /** Times this tab asked the leader for the whole state (joining, a gap, an unknown term). */
  resyncs: number;
  /** Times this tab became the leader. */
  terms: number;
}

export class TabSharedConnector implements Connector {
  readonly #inner: Connector;
  readonly #name: string;
  readonly #env: TabShareEnvironment;
  /** This tab's id (in `hello`, `command` and `reply`). */
  readonly #id = randomId();
  #role: TabRole = 'idle';
  #sink: EventSink | undefined;
  #channel: BroadcastChannel | undefined;
  readonly #abort = new AbortController();
  /** Ends the lock callback: gives the lock up. */
  #release: (() => void) | undefined;
  /** The term this tab leads or follows, and the last event number sent or applied in it. */
  #term: string | undefined;
  #n = 0;
  /** Our own numbering of the events handed to the session (its reducer drops a `seq` not newer). */
  #seq = 0;
  #fold = new StateFold();
  /** A follower asked for the state and waits for it (events of an unknown term are dropped meanwhile). */
  #resyncing = false;
  /** Commands sent to the leader, by command id. */
  readonly #pending = new Map<string, { resolve: () => void; reject: (e: CtiError) => void }>();
  #joined: (() => void) | undefined;
  #joining: Promise<void> | undefined;
  readonly #roleListeners = new Set<(role: TabRole) => void>();
  readonly counters: TabShareCounters = { applied: 0, repeated: 0, resyncs: 0, terms: 0 };

  constructor(inner: Connector, key: string, env?: TabShareEnvironment) {
    this.#inner = inner;
    this.#name = `agent-bar:tabs:${key}`;
    this.#env = env ?? { locks: navigator.locks, channel: (name) => new BroadcastChannel(name) };
  }

  get name(): string {
    return this.#inner.name;
  }

  get supports(): Connector['supports'] {
    return this.#inner.supports;
  }

  get loginFields(): Connector['loginFields'] {
    return this.#inner.loginFields;
  }

  /** Whether a token refusal should ask the host for a new one (the leader's connector asks). */
  get usesHostToken(): boolean | undefined {
    return this.#inner.usesHostToken;
  }

  /** The real connector's extras (the reference server's simulator controls), in the leader only. */
  get simulator(): unknown {
    return (this.#inner as { simulator?: unknown }).simulator;
  }

  get role(): TabRole {
    return this.#role;
  }

  /** Another tab holds the connection: it runs the desktop duties and logs the calls, not this one. */
  get mirrored(): boolean {
    return this.#role === 'waiting' || this.#role === 'follower';
  }

  /** Called at every change of role (diagnostics, tests). */
  onRole(listener: (role: TabRole) => void): () => void {
    this.#roleListeners.add(listener);
    return () => this.#roleListeners.delete(listener);
  }

  /**
   * Resolves once this tab leads and its connector is connected (rejecting as that connect
   * does), or once it follows a leader.
   */
  connect(sink: EventSink): Promise<void> {
    this.#sink = sink;
    switch (this.#role) {
      case 'closed':
        return Promise.reject(new CtiError({ code: ErrorCode.Destroyed, message: 'The connector was closed.' }));
      // The session connects again after a failure (its retry): the leader reopens its connector,
      // a follower is already following.
      case 'leader':
        return this.#inner.connect((event) => this.#fromBackend(event));
      case 'follower':
        return Promise.resolve();
      case 'waiting':
        return this.#joining!;
    }
    const channel = this.#env.channel(this.#name);
    this.#channel = channel;
    channel.onmessage = (e: MessageEvent) => this.#receive(e.data as TabMessage);
    this.#setRole('waiting');
    this.#joining = new Promise<void>((resolve, reject) => {
      this.#joined = resolve;
      this.#env.locks
        .request(this.#name, { signal: this.#abort.signal }, () => new Promise<void>((release) => {
          this.#release = release;
          if (this.#role === 'closed') return release();
          this.#lead().then(resolve, reject);
        }))
        // AbortError: disconnected while waiting for the lock.
        .catch(() => {});
      this.#resync();
    });
    return this.#joining;
  }

  execute(command: Command): Promise<void> {
    if (this.#role === 'leader') return this.#inner.execute(command);
    if (this.#role !== 'follower' || !this.#term) {
      return Promise.reject(
        new CtiError({ code: ErrorCode.NotConnected, operation: command.operation, commandId: command.id, message: 'No tab holds the connection to the contact centre yet.' }),
      );
    }
    const term = this.#term;
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(command.id, { resolve, reject });
      this.#post({ t: 'command', term, from: this.#id, command });
    });
  }

  /** Closes the channel and, in the leader, the backend connection, then gives the lock up. Idempotent. */
  disconnect(): void {
    if (this.#role === 'closed') return;
    const wasLeader = this.#role === 'leader';
    this.#setRole('closed');
    // The backend connection closes before the lock is released, so the server never sees two.
    if (wasLeader) this.#inner.disconnect();
    this.#abort.abort();
    this.#release?.();
    this.#channel?.close();
    this.#channel = undefined;
    this.#rejectPending(ErrorCode.Destroyed, 'The agent bar session has ended.');
    this.#roleListeners.clear();
  }

  async #lead(): Promise<void> {
    this.#setRole('leader');
    this.counters.terms++;
    this.#term = randomId();
    this.#n = 0;
    this.#fold = new StateFold();
    this.#resyncing = false;
    // Commands sent to the previous leader will never be answered.
    this.#rejectPending(ErrorCode.NotConnected, 'The tab that held the connection closed before answering; the command may not have been carried out.');
    this.#post({ t: 'lead', term: this.#term });
    const joined = this.#joined;
    this.#joined = undefined;
    try {
      await this.#inner.connect((event) => this.#fromBackend(event));
    } catch (error) {
      if (!joined) {
        // A follower taking over: its session connected long ago, so the failure is told as an
        // event; the session shows it and connects again later (this connector reopens).
        this.#fromBackend({ type: 'connection', status: 'offline', error: CtiError.from(error, { code: ErrorCode.NotConnected }).toJSON() });
        return;
      }
      throw error;
    }
  }

  #fromBackend(event: CanonicalEvent): void {
    if (this.#role !== 'leader' || !this.#term) return;
    // Masked customer values stop here, before they travel to other tabs.
    const { seq: _seq, ...rest } = maskEvent(event);
    const clean = rest as CanonicalEvent;
    this.#deliver(clean);
    // The leader's session retries a connection that stopped with an error; the followers only
    // mirror it: they get the state and, apart, the reason (an `error` event, shown, not retried).
    if (clean.type === 'connection' && clean.error) {
      const { error, ...state } = clean;
      this.#relay(state);
      this.#relay({ type: 'error', error });
    } else {
      this.#relay(clean);
    }
  }

  #relay(event: CanonicalEvent): void {
    this.#fold.apply(event);
    this.#post({ t: 'event', term: this.#term!, n: ++this.#n, event });
  }

  #receive(m: TabMessage): void {
    if (!m || typeof m !== 'object' || this.#role === 'closed') return;
    switch (m.t) {
      case 'hello':
        if (this.#role === 'leader' && this.#term) {
          this.#post({ t: 'state', term: this.#term, n: this.#n, to: m.from, events: this.#fold.events() });
        }
        break;
      case 'lead':
        if (this.#role === 'leader' || m.term === this.#term) break;
        this.#rejectPending(ErrorCode.NotConnected, 'The tab that held the connection closed before answering; the command may not have been carried out.');
        // The leader's first message of its term: everything after it arrives in order.
        this.#follow(m.term, 0);
        break;
      case 'state':
        if (this.#role === 'leader' || m.to !== this.#id) break;
        if (m.term === this.#term && m.n < this.#n) break; // older than what this tab has applied
        this.#follow(m.term, m.n);
        for (const event of m.events) this.#deliver(event);
        break;
      case 'event':
        if (this.#role !== 'follower' || m.term !== this.#term) {
          if (this.#role !== 'leader') this.#resync();
          break;
        }
        if (m.n <= this.#n) {
          this.counters.repeated++;
          break;
        }
        if (m.n !== this.#n + 1) {
          this.#resync();
          break;
        }
        this.#n = m.n;
        this.#deliver(m.event);
        break;
      case 'command':
        if (this.#role === 'leader' && m.term === this.#term) void this.#run(m.from, m.command);
        break;
      case 'reply': {
        if (m.to !== this.#id) break;
        const pending = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (m.error) pending?.reject(CtiError.from(m.error));
        else pending?.resolve();
        break;
      }
    }
  }

  /** Runs a follower's command on the real connector and answers it. */
  async #run(from: string, command: Command): Promise<void> {
    let error: CtiErrorInit | undefined;
    try {
      // Command ids are per tab (c1, c2 …): prefixed, they stay unique on the one connection.
      await this.#inner.execute({ ...command, id: `${from}.${command.id}` });
    } catch (e) {
      error = { ...CtiError.from(e, { code: ErrorCode.Rejected, operation: command.operation }).toJSON(), commandId: command.id };
    }
    this.#post({ t: 'reply', to: from, id: command.id, ...(error ? { error } : {}) });
  }

  #follow(term: string, n: number): void {
    this.#term = term;
    this.#n = n;
    this.#resyncing = false;
    this.#setRole('follower');
    const joined = this.#joined;
    this.#joined = undefined;
    joined?.();
  }

  /** Asks the leader for the whole state (once until it answers). */
  #resync(): void {
    if (this.#resyncing) return;
    this.#resyncing = true;
    this.counters.resyncs++;
    this.#post({ t: 'hello', from: this.#id });
  }

  #deliver(event: CanonicalEvent): void {
    this.counters.applied++;
    this.#sink?.({ ...event, seq: ++this.#seq });
  }

  #post(message: TabMessage): void {
    this.#channel?.postMessage(message);
  }

  #rejectPending(code: ErrorCode, message: string): void {
    for (const [id, { reject }] of this.#pending) reject(new CtiError({ code, message, commandId: id }));
    this.#pending.clear();
  }

  #setRole(role: TabRole): void {
    if (role === this.#role) return;
    this.#role = role;
    for (const listener of [...this.#roleListeners]) listener(role);
  }
}

/** A connector whose code loads lazily (`LazyConnector`). */
interface Preloadable extends Connector {
  preload?: () => Promise<unknown>;
  learn?: (declared: { supports: ReadonlySet<Operation>; loginFields: readonly LoginField[] }) => void;
}

/**
 * The bar's way in: loads `own`'s code first (a vendor's declaration comes with it) and tells the
 * bar's lazy wrapper `outer` the login form and operations it learnt — a follower never connects
 * `own`, yet shows that backend's controls, and takes over without waiting for a download.
 */
export async function shareAcrossTabs(own: Connector, key: string, outer: Connector): Promise<TabSharedConnector> {
  const lazy = own as Preloadable;
  // A failure to load shows when this tab leads and connects (the same load, tried again).
  await lazy.preload?.().catch(() => {});
  (outer as Preloadable).learn?.({ supports: own.supports, loginFields: (own.loginFields ?? []) as readonly LoginField[] });
  return new TabSharedConnector(own, key);
}

function randomId(): string {
  return globalThis.crypto.randomUUID().slice(0, 8);
}

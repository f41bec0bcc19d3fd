/**
 * The session: the single source of truth in the page. Applies canonical events from the
 * connector with the pure reducer, runs commands (ids, validation, in-flight tracking, timeout,
 * error mapping), derives host events, and starts the desktop duties POM expects.
 */
import type { Connector } from './connector.ts';
import type { Operation } from './operations.ts';
import type { Command, CommandArgs } from './commands.ts';
import type { CanonicalEvent } from './events.ts';
import type { Reason, Snapshot } from './model.ts';
import { CtiError, ErrorCode, type CtiErrorInit } from './errors.ts';
import { initialSnapshot, reduce, refresh } from './reducer.ts';
import { diffHostEvents, type HostEvent } from './host-events.ts';
import { DesktopDuties } from './desktop-duties.ts';
import type { validateCommand } from './command-validation.ts';
import { OPERATION_LABELS } from './operation-labels.ts';
import { maskEvent } from './masking.ts';
import { operationsFromState } from './capabilities.ts';
import type { CountryCode } from './phone-number.ts';
import { readCanonicalEvent } from '../protocol/event-guards.ts';
import { ConnectRetry, type ConnectRetryOptions } from './connect-retry.ts';

export interface SessionOptions {
  agentId: string;
  /** How long a command may stay in flight before it fails with TIMEOUT (default 10 000 ms). */
  commandTimeoutMs?: number;
  /** Country for national phone numbers (default GB). */
  defaultCountry?: CountryCode;
  /** Not-ready reasons configured by the desktop (POM supplies none); a backend's list replaces them. */
  reasons?: Reason[];
  /** Clock (tests pass a fake one). */
  now?: () => number;
  /** Start the desktop duties (auto preview dial, auto wrap-up). Default true. */
  desktopDuties?: boolean;
  /**
   * After a state-changing command is accepted, its control stays disabled until the backend's
   * state changes or this long has passed (default 2000 ms; 0 turns the guard off). See `#settle`.
   */
  settleMs?: number;
  /**
   * When connecting fails or the connector stops (refused, unreachable), connect again after
   * this backoff (default 1 s doubling to 30 s, ±30 %), for as long as the session lives; `false`
   * gives up after the first failure.
   */
  retry?: ConnectRetryOptions | false;
}

export type SnapshotListener = (snapshot: Snapshot, previous: Snapshot) => void;
export type HostEventListener = (event: HostEvent) => void;

/** Operations that act on a call: `callId` defaults to the current call (`calls[0]`). */
const CALL_OPERATIONS = new Set<Operation>([
  'answer', 'hangup', 'hold', 'retrieve', 'sendDtmf', 'startRecording', 'stopRecording', 'consult',
  'blindTransfer', 'alternate', 'completeTransfer', 'cancelConsult', 'conference', 'leaveConference',
  'endConference', 'changeConferenceOwner', 'wrapUp', 'extendWrapUp', 'previewDial', 'previewSkip',
  'createCallback', 'addNote', 'setCustomerField', 'addToDnc', 'redial', 'mute', 'unmute',
]);

/**
 * Operations whose effect is a change of agent or call state. Their answer can arrive before the
 * state change does (interval polling: up to one interval later), so they stay guarded until it
 * arrives. The others (a digit, a note, a field, a callback, DNC) may be repeated on purpose, and
 * some change no visible state at all, so their control is released with the answer.
 */
const SETTLING_OPERATIONS: ReadonlySet<Operation> = new Set<Operation>([
  'login', 'logout', 'ready', 'notReady', 'busy', 'free', 'dial', 'answer', 'hangup', 'hold', 'retrieve',
  'startRecording', 'stopRecording', 'consult', 'blindTransfer', 'alternate', 'completeTransfer', 'cancelConsult',
  'conference', 'leaveConference', 'endConference', 'changeConferenceOwner', 'wrapUp', 'extendWrapUp',
  'previewDial', 'previewSkip', 'nextRecord', 'redial',
]);

const DEV = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NODE_ENV !== 'production';

export class Session {
  readonly connector: Connector;
  readonly #options: Required<Pick<SessionOptions, 'agentId' | 'commandTimeoutMs' | 'defaultCountry' | 'settleMs'>>;
  readonly #now: () => number;
  #snapshot: Snapshot;
  readonly #listeners = new Set<SnapshotListener>();
  readonly #hostListeners = new Set<HostEventListener>();
  readonly #commandListeners = new Set<(command: Command) => void>();
  readonly #inFlight = new Map<string, { reject: (e: CtiError) => void }>();
  #nextId = 1;
  #destroyed = false;
  /** Accepted commands still waiting for the state change they caused, with their settle timer. */
  readonly #settling = new Map<Operation, ReturnType<typeof globalThis.setTimeout>>();
  #duties?: DesktopDuties;
  /**
   * libphonenumber-js and its metadata are a third of the bar's weight, and nothing needs them
   * before the agent dials, so they load in the background as a separate chunk, with the command
   * validation that uses them (nothing validates before the first command). Loading starts at
   * once; `connect()` waits for it, so by the time any command can succeed the checker is here.
   */
  #checkPhone?: typeof import('./phone-number.ts').checkPhoneNumber;
  #validate?: typeof validateCommand;
  readonly #phoneReady: Promise<void>;
  #dropped = 0;
  readonly #retry: ConnectRetry | undefined;
  /** A `connect()` is under way (its failure is handled there, not from the events). */
  #connecting = false;
  /** The error that took the connection down, shown until connected again. */
  #connectionError: CtiErrorInit | undefined;

  constructor(connector: Connector, options: SessionOptions) {
    if (!options || typeof options.agentId !== 'string' || options.agentId.trim() === '') {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'A session needs an agent id.' });
    }
    this.connector = connector;
    this.#options = {
      agentId: options.agentId,
      commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
      defaultCountry: options.defaultCountry ?? 'GB',
      settleMs: options.settleMs ?? 2000,
    };
    this.#now = options.now ?? (() => Date.now());
    this.#phoneReady = import('./phone-number.ts').then((m) => {
      this.#checkPhone = m.checkPhoneNumber;
      this.#validate = m.validateCommand;
    });
    const initial = initialSnapshot(options.agentId, connector.supports);
    this.#snapshot = options.reasons ? refresh({ ...initial, reasons: [...options.reasons] }, connector.supports) : initial;
    if (options.retry !== false) {
      this.#retry = new ConnectRetry(() => this.#reconnect(), options.retry);
    }
    if (options.desktopDuties !== false) {
      this.#duties = new DesktopDuties(this, this.#now);
      this.#duties.start();
    }
  }

  /** The current immutable snapshot. */
  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** Another tab holds the backend connection and this one mirrors it (see `Connector.mirrored`). */
  get mirrored(): boolean {
    return !!this.connector.mirrored;
  }

  /**
   * Events from the connector that did not fit the canonical protocol and were dropped (plus
   * malformed calls left out of a `calls` list). A connector bug or a newer backend shows up
   * here instead of as an exception in the page.
   */
  get droppedEvents(): number {
    return this.#dropped;
  }

  /** Called synchronously after every change with the new and the previous snapshot. */
  subscribe(listener: SnapshotListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Called with every validated command as it is sent (what was asked, e.g. the wrap-up notes,
   * which no snapshot keeps; its events may arrive before the backend's answer). Used by the host
   * hooks to log a call.
   */
  onCommandSent(listener: (command: Command) => void): () => void {
    this.#commandListeners.add(listener);
    return () => this.#commandListeners.delete(listener);
  }

  onHostEvent(listener: HostEventListener): () => void {
    this.#hostListeners.add(listener);
    return () => this.#hostListeners.delete(listener);
  }

  /**
   * Connects the connector. When that fails the session shows why (`lastError`), goes
   * `offline` and tries again later (`retryAt`, see `SessionOptions.retry`); the promise still
   * rejects with the first failure.
   */
  async connect(): Promise<void> {
    if (this.#destroyed) throw this.#destroyedError();
    this.#connecting = true;
    try {
      await Promise.all([this.#phoneReady, this.connector.connect((event) => this.#receive(event))]);
    } catch (error) {
      const e = CtiError.from(error, { code: ErrorCode.NotConnected });
      this.#connecting = false;
      if (!this.#destroyed) this.#connectionLost(e.toJSON());
      throw e;
    } finally {
      this.#connecting = false;
    }
  }

  /**
   * Tries to connect now instead of at `snapshot.retryAt` (the bar's Retry button; a host that
   * has just refreshed its token source). False when no retry was waiting.
   */
  retryNow(): boolean {
    return !this.#destroyed && (this.#retry?.now() ?? false);
  }

  /** The connection failed or was refused: say why, go offline, and try again after a delay. */
  #connectionLost(error: CtiErrorInit): void {
    this.#receive({ type: 'connection', status: 'offline' });
    if (error.code === ErrorCode.Destroyed && this.#connectionError) {
      // A connector that cannot connect twice: it stays offline, and the reason shown stays the real one.
      const { retryAt: _none, ...rest } = this.#snapshot;
      this.#update(rest);
      return;
    }
    // A configuration the connector refused, or a connector that was closed, will not heal by waiting.
    const retry = error.code !== ErrorCode.Destroyed && error.code !== ErrorCode.InvalidArgument ? this.#retry : undefined;
    const delay = retry?.schedule();
    this.#connectionError = error;
    const next: Snapshot = { ...this.#snapshot, lastError: error };
    if (delay !== undefined) next.retryAt = this.#now() + delay;
    this.#update(next);
    if (delay !== undefined && error.code === ErrorCode.Unauthorized && this.connector.usesHostToken) {
      this.#emit({ type: 'token-needed', detail: { error, retryInMs: delay } });
    }
  }

  #reconnect(): void {
    if (this.#destroyed) return;
    const { retryAt: _done, ...rest } = this.#snapshot;
    this.#update({ ...rest, connection: 'connecting' });
    // A failure is handled in connect() (shown, retried later).
    this.connect().catch(() => {});
  }

  /** Connected (again): the connection's error and the retry are over. */
  #connectionBack(): void {
    this.#retry?.reset();
    const s = this.#snapshot;
    if (s.retryAt === undefined && (s.lastError === undefined || s.lastError !== this.#connectionError)) return;
    const { retryAt: _done, ...rest } = s;
    if (rest.lastError === this.#connectionError) delete rest.lastError;
    this.#connectionError = undefined;
    this.#update(rest);
  }

  /** Stops everything: events, duties, pending commands (rejected with DESTROYED). Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#duties?.stop();
    this.#retry?.cancel();
    for (const timer of this.#settling.values()) globalThis.clearTimeout(timer);
    this.#settling.clear();
    for (const { reject } of this.#inFlight.values()) reject(this.#destroyedError());
    this.#inFlight.clear();
    this.connector.disconnect();
    this.#listeners.clear();
    this.#hostListeners.clear();
    this.#commandListeners.clear();
  }

  dismissError(): void {
    if (this.#snapshot.lastError) this.#update({ ...this.#snapshot, lastError: undefined });
  }

  /**
   * Runs one command. Validates first (nothing is sent when it fails), marks the operation as
   * pending (its control is disabled), and settles on the connector's answer or the timeout.
   * Rejects with a `CtiError`; on failure `lastError` holds a readable message and nothing else
   * changes. The resulting state arrives as events, never from here.
   */
  async command<O extends Operation>(operation: O, args?: CommandArgs[O]): Promise<void> {
    if (this.#destroyed) throw this.#destroyedError(operation);
    if (!this.#checkPhone) await this.#phoneReady;
    const label = OPERATION_LABELS[operation] ?? String(operation);
    if (!(operation in OPERATION_LABELS)) {
      throw this.#fail(operation, new CtiError({ code: ErrorCode.Unsupported, message: `Unknown operation "${String(operation)}".` }));
    }
    const snap = this.#snapshot;
    if (snap.pending.includes(operation)) {
      // A double click: the control is already disabled, so this is not shown as an error.
      throw new CtiError({ code: ErrorCode.InFlight, operation, severity: 'info', message: `${label} is already in progress.` });
    }
    if (snap.connection !== 'connected') {
      // Controls are disabled too; this is for scripts (bar.dial, session.command) and says why.
      throw this.#fail(
        operation,
        new CtiError({
          code: ErrorCode.NotConnected,
          operation,
          message: `${label} was not sent: the bar is ${snap.connection === 'reconnecting' ? 'reconnecting to' : 'not connected to'} the contact centre.`,
        }),
      );
    }
    if (!this.connector.supports.has(operation)) {
      throw this.#fail(operation, new CtiError({ code: ErrorCode.Unsupported, operation, message: `${label} is not available with this contact centre.` }));
    }
    if (!snap.capabilities[operation]) {
      throw this.#fail(operation, new CtiError({ code: ErrorCode.NotAllowed, operation, severity: 'minor', message: `${label} is not available right now.` }));
    }
    let checked: CommandArgs[O];
    try {
      checked = this.#validate!(
        operation,
        this.#withDefaults(operation, args),
        snap,
        this.#options.defaultCountry,
        this.#checkPhone!,
        this.connector.loginFields,
      );
    } catch (error) {
      throw this.#fail(operation, CtiError.from(error, { code: ErrorCode.InvalidArgument, operation }));
    }

    const id = `c${this.#nextId++}`;
    const command = { id, operation, args: checked } as Command;
    this.#update({ ...this.#snapshot, pending: [...this.#snapshot.pending, operation] });
    for (const listener of [...this.#commandListeners]) guard(() => listener(command));
    try {
      await this.#execute(command);
    } catch (error) {
      const e = CtiError.from(error, { code: ErrorCode.Rejected, operation, commandId: id });
      const full = new CtiError({ ...e.toJSON(), operation, commandId: id });
      throw this.#fail(operation, full, id);
    }
    if (this.#destroyed) return;
    if (SETTLING_OPERATIONS.has(operation) && this.#options.settleMs > 0 && this.#stillOffered(operation)) {
      this.#settle(operation);
      if (this.#snapshot.lastError) this.#update({ ...this.#snapshot, lastError: undefined });
      return;
    }
    this.#update({ ...this.#snapshot, lastError: undefined, pending: this.#snapshot.pending.filter((p) => p !== operation) });
  }

  /**
   * The backend accepted the command, yet the state still offers it: the answer overtook the
   * state change (interval polling brings it with the next poll; long-polling on another request,
   * and its server-sent capabilities possibly one poll later still). Released now, the control
   * would look usable in a state that is about to change: an impatient second click sends a
   * duplicate, which the backend refuses ("Unable to hold.") after a hold that worked. So the
   * operation stays pending until the state no longer offers it, or at most `settleMs` (a
   * backend that reports nothing, or an operation that stays available, must not lock it).
   */
  #settle(operation: Operation): void {
    globalThis.clearTimeout(this.#settling.get(operation));
    this.#settling.set(
      operation,
      globalThis.setTimeout(() => {
        this.#settling.delete(operation);
        this.#release([operation]);
      }, this.#options.settleMs),
    );
  }

  /** Releases the settling operations the current state no longer offers. */
  #checkSettling(): void {
    if (this.#settling.size === 0) return;
    const done = [...this.#settling.keys()].filter((operation) => !this.#stillOffered(operation));
    for (const operation of done) {
      globalThis.clearTimeout(this.#settling.get(operation));
      this.#settling.delete(operation);
    }
    if (done.length > 0) this.#release(done);
  }

  /** Whether the state (flags, agent, calls; not the in-flight mask) still offers `operation`. */
  #stillOffered(operation: Operation): boolean {
    const s = this.#snapshot;
    return operationsFromState(s.flags, s.agent, s.calls)[operation];
  }

  #release(operations: Operation[]): void {
    if (this.#destroyed) return;
    const pending = this.#snapshot.pending.filter((p) => !operations.includes(p));
    if (pending.length !== this.#snapshot.pending.length) this.#update({ ...this.#snapshot, pending });
  }

  #withDefaults<O extends Operation>(operation: O, args: CommandArgs[O] | undefined): CommandArgs[O] {
    const a = { ...(args ?? {}) } as Record<string, unknown>;
    if (operation === 'login' && a.agentId === undefined) a.agentId = this.#options.agentId;
    const current = this.#snapshot.calls[0];
    if (CALL_OPERATIONS.has(operation) && a.callId === undefined && current) a.callId = current.id;
    return a as CommandArgs[O];
  }

  #execute(command: Command): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = globalThis.setTimeout(() => {
        this.#inFlight.delete(command.id);
        reject(
          new CtiError({
            code: ErrorCode.Timeout,
            operation: command.operation,
            commandId: command.id,
            message: `${OPERATION_LABELS[command.operation]} got no answer from the contact centre in time.`,
          }),
        );
      }, this.#options.commandTimeoutMs);
      const settle = (fn: () => void) => {
        if (!this.#inFlight.delete(command.id)) return; // already timed out or destroyed
        globalThis.clearTimeout(timer);
        fn();
      };
      this.#inFlight.set(command.id, {
        reject: (e) => {
          globalThis.clearTimeout(timer);
          reject(e);
        },
      });
      let sent: Promise<void>;
      try {
        sent = this.connector.execute(command);
      } catch (error) {
        sent = Promise.reject(error);
      }
      sent.then(
        () => settle(resolve),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  /** Records a failure: `lastError`, pending cleared for the operation, host event. */
  #fail(operation: Operation, error: CtiError, commandId?: string): CtiError {
    if (this.#destroyed) return error;
    const init: CtiErrorInit = { ...error.toJSON(), operation };
    if (commandId) init.commandId = commandId;
    for (const k of Object.keys(init) as (keyof CtiErrorInit)[]) if (init[k] === undefined) delete init[k];
    this.#update({ ...this.#snapshot, lastError: init, pending: this.#snapshot.pending.filter((p) => p !== operation) });
    this.#emit({ type: 'operation-failed', detail: { operation, error: init } });
    return error;
  }

  #receive(untrusted: CanonicalEvent): void {
    if (this.#destroyed) return;
    // Whatever the connector hands over is checked against the protocol's guards first: a call
    // without timestamps or an event of an unknown type must never reach the reducer or an element.
    const valid = readCanonicalEvent(untrusted, () => this.#dropped++);
    if (!valid) return;
    // Masked customer values never get past this point (snapshot, host events, DOM).
    const event = maskEvent(valid);
    const prev = this.#snapshot;
    const next = reduce(prev, event, { supports: this.connector.supports, now: this.#now() });
    this.#update(next, event);
    if (next !== prev) this.#checkSettling();
    if (event.type === 'connection') {
      if (event.status === 'connected') this.#connectionBack();
      // The connector stopped trying (e.g. its token was refused on reconnect): the session retries.
      else if (event.status === 'offline' && event.error && !this.#connecting) this.#connectionLost(event.error);
    }
    if (event.type === 'error' && event.error.operation) {
      this.#emit({ type: 'operation-failed', detail: { operation: event.error.operation, error: { ...event.error } } });
    }
  }

  /** Installs a new snapshot (recomputing capabilities), notifies subscribers, emits host events. */
  #update(candidate: Snapshot, event?: CanonicalEvent): void {
    const prev = this.#snapshot;
    if (candidate === prev) return;
    const next = event ? candidate : refresh(candidate, this.connector.supports);
    if (DEV) freezeShallow(next);
    this.#snapshot = next;
    for (const listener of [...this.#listeners]) guard(() => listener(next, prev));
    for (const hostEvent of diffHostEvents(prev, next, event)) this.#emit(hostEvent);
  }

  #emit(event: HostEvent): void {
    for (const listener of [...this.#hostListeners]) guard(() => listener(event));
  }

  #destroyedError(operation?: Operation): CtiError {
    return new CtiError({ code: ErrorCode.Destroyed, message: 'The agent bar session has ended.', ...(operation ? { operation } : {}) });
  }
}

/** One listener throwing must not stop the others or the session; rethrown asynchronously. */
function guard(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function freezeShallow(s: Snapshot): void {
  Object.freeze(s);
  Object.freeze(s.calls);
  Object.freeze(s.pending);
  Object.freeze(s.reasons);
  Object.freeze(s.dispositions);
  Object.freeze(s.destinations);
  if (s.callbackTargets) Object.freeze(s.callbackTargets);
}

/**
 * What every vendor connector needs and none should write again: connect with a timeout, the
 * connection status as canonical `connection` events (only on change), commands refused at once
 * with NOT_CONNECTED while not connected (never queued: call control is not replayed later),
 * monotonic event numbering with dedupe of vendor events seen before, every failure a `CtiError`
 * (vendor code kept), and a `disconnect()` that is idempotent and rejects whatever is pending.
 *
 * A vendor connector extends it and implements three methods:
 *  - `open()`   — log in to / subscribe at the vendor; resolve when events can flow;
 *  - `send(command, signal)` — one canonical command as vendor requests; resolve when accepted;
 *  - `close()`  — stop polling, close sockets (by `disconnect()`; with `reopen`, also after a
 *    failed `open()` and before the next one).
 * and reports with `emit(event, vendorEventId?)` and `setStatus(status, { degraded?, error? })`.
 *
 * `reopen: true` says `open()` builds its link afresh each time (after `close()`): then a failed
 * `connect()`, or a stop reported with `setStatus('offline', { error })`, leaves the connector
 * usable, and the session calls `connect()` again with backoff (a fresh token, the same resume
 * point). Without it a failed `connect()` is final (DESTROYED afterwards).
 */
import type { Connector, EventSink, LoginFieldInfo } from '../../core/connector.ts';
import type { Command } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type { ConnectionStatus } from '../../core/model.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { isOperation, type Operation } from '../../core/operations.ts';
import { toCtiError } from './transport-errors.ts';
import { withConnectTimeout } from './connect-timeout.ts';

export interface ConnectorBaseOptions {
  name: string;
  supports: Iterable<Operation>;
  loginFields?: readonly LoginFieldInfo[];
  /** `connect()` rejects with NOT_CONNECTED when `open()` takes longer. Default 15 s. */
  connectTimeoutMs?: number;
  /** How many vendor event ids are remembered for dedupe. Default 1,000. */
  dedupeWindow?: number;
  /** What the agent is (not) connected to, in messages. Default "the contact centre". */
  peer?: string;
  /** `open()` may run again after `close()` (see the file comment). Default false. */
  reopen?: boolean;
}

export interface StatusDetail {
  /** Connected, but the last exchange failed: shown, nothing disabled. */
  degraded?: boolean;
  /** With `offline`: why the connector stopped (the session shows it and connects again). */
  error?: CtiError;
}

export abstract class ConnectorBase implements Connector {
  readonly name: string;
  readonly supports: ReadonlySet<Operation>;
  #loginFields: readonly LoginFieldInfo[] | undefined;
  readonly #connectTimeoutMs: number;
  readonly #dedupeWindow: number;
  readonly #supports: Set<Operation>;
  readonly #peer: string;
  readonly #reopen: boolean;
  #sink: EventSink | undefined;
  #status: ConnectionStatus = 'offline';
  #announced: string | undefined;
  #seq = 0;
  #seen = new Set<string>();
  #pending = new Set<AbortController>();
  #connecting = false;
  #disconnected = false;

  protected constructor(options: ConnectorBaseOptions) {
    this.name = options.name;
    this.#supports = new Set(options.supports);
    this.supports = this.#supports;
    this.#loginFields = options.loginFields;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    this.#dedupeWindow = options.dedupeWindow ?? 1000;
    this.#peer = options.peer ?? 'the contact centre';
    this.#reopen = options.reopen === true;
  }

  /** Log in / subscribe at the vendor. Throw (any error) when that fails. */
  protected abstract open(): Promise<void>;
  /** Send one command; resolve when the vendor accepted it. `signal` aborts on `disconnect()`. */
  protected abstract send(command: Command, signal: AbortSignal): Promise<void>;
  /** Stop everything (timers, sockets, polls). Called once. */
  protected abstract close(): void;

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** True once `disconnect()` was called. */
  protected get disconnected(): boolean {
    return this.#disconnected;
  }

  /** The backend said what it can do (e.g. a server's welcome): the other operations become unsupported. */
  /** The login form the bar shows (see `learnLoginFields`). */
  get loginFields(): readonly LoginFieldInfo[] | undefined {
    return this.#loginFields;
  }

  /** A peer that announces its own login form (the gateway's vendor connector) replaces the declared one. */
  protected learnLoginFields(fields: readonly LoginFieldInfo[]): void {
    this.#loginFields = fields;
  }

  protected narrowSupports(operations: Iterable<Operation>): void {
    const keep = new Set(operations);
    for (const operation of [...this.#supports]) if (!keep.has(operation)) this.#supports.delete(operation);
  }

  /** True while `connect()` waits for `open()`. */
  protected get connecting(): boolean {
    return this.#connecting;
  }

  async connect(sink: EventSink): Promise<void> {
    if (this.#disconnected) throw new CtiError({ code: ErrorCode.Destroyed, message: `The ${this.name} connector was disconnected.` });
    const again = this.#reopen && this.#sink !== undefined && this.#status === 'offline';
    if (this.#connecting || (this.#sink && !again)) throw new CtiError({ code: ErrorCode.Protocol, message: 'Already connected.' });
    // Whatever the stopped attempt left (a refused socket, a dead poll) goes before a new one.
    if (again) this.close();
    this.#connecting = true;
    this.#sink = sink;
    this.setStatus('connecting');
    try {
      await withConnectTimeout(this.open(), this.#connectTimeoutMs, this.#peer);
    } catch (error) {
      const failure = toCtiError(error, { code: ErrorCode.NotConnected });
      this.#connecting = false;
      if (this.#reopen && !this.#disconnected) {
        // This attempt stops here (no retries behind the session's back); connect() may run again.
        this.close();
        this.setStatus('offline');
      } else {
        this.setStatus('offline');
        this.disconnect();
      }
      throw failure;
    } finally {
      this.#connecting = false;
    }
    if (this.#disconnected) throw new CtiError({ code: ErrorCode.Destroyed, message: `The ${this.name} connector was disconnected.` });
    // A connector that already said how its link is (e.g. its server's own upstream is down) keeps that.
    if (this.#status === 'connecting') this.setStatus('connected');
  }

  async execute(command: Command): Promise<void> {
    if (!command || typeof command.id !== 'string' || command.id === '' || !isOperation(command.operation)) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'Not a command (need an id and a known operation).' });
    }
    const context = { operation: command.operation, commandId: command.id };
    if (!this.supports.has(command.operation)) {
      throw new CtiError({ ...context, code: ErrorCode.Unsupported, message: `This contact centre cannot ${command.operation}.` });
    }
    if (this.#disconnected || this.#status !== 'connected') {
      throw new CtiError({
        ...context,
        code: ErrorCode.NotConnected,
        message: this.#status === 'reconnecting'
          ? `Not connected to ${this.#peer}: reconnecting. Try again in a moment.`
          : `Not connected to ${this.#peer}: the command was not sent.`,
      });
    }
    const controller = new AbortController();
    this.#pending.add(controller);
    // `disconnect()` settles the command even if the vendor code never looks at the signal.
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('aborted'))));
    try {
      await Promise.race([this.send(command, controller.signal), aborted]);
    } catch (error) {
      if (controller.signal.aborted) throw new CtiError({ ...context, code: ErrorCode.Destroyed, message: 'The connection was closed.' });
      const failure = toCtiError(error, context);
      // Keep the vendor code, and always say which command failed.
      throw failure.operation && failure.commandId ? failure : new CtiError({ ...failure.toJSON(), ...context });
    } finally {
      this.#pending.delete(controller);
    }
    if (controller.signal.aborted) throw new CtiError({ ...context, code: ErrorCode.Destroyed, message: 'The connection was closed.' });
  }

  disconnect(): void {
    if (this.#disconnected) return;
    this.#disconnected = true;
    for (const controller of this.#pending) controller.abort();
    this.#pending.clear();
    try {
      this.close();
    } finally {
      this.#sink = undefined;
      this.#status = 'offline';
    }
  }

  /**
   * The link's state; a `connection` event goes out only when it (or `degraded`) changed, or
   * with an `error`: `offline` with an error means "stopped for this reason" (see the file comment).
   */
  protected setStatus(status: ConnectionStatus, detail: StatusDetail = {}): void {
    this.#status = status;
    const degraded = status === 'connected' && detail.degraded === true;
    const key = degraded ? 'connected degraded' : status;
    const error = status === 'offline' ? detail.error : undefined;
    if ((key === this.#announced && !error) || this.#disconnected) return;
    this.#announced = key;
    const event: CanonicalEvent = { type: 'connection', status };
    if (degraded) event.degraded = true;
    if (error) event.error = error.toJSON();
    this.#deliver(event);
  }

  /**
   * Hands one canonical event to the session, numbered. With `vendorEventId` (the vendor's own id
   * or sequence for that event), an event seen before — a poll that overlapped, a replay after a
   * reconnect — is dropped. Returns whether it was delivered.
   */
  protected emit(event: CanonicalEvent, vendorEventId?: string | number): boolean {
    if (this.#disconnected || !this.#sink) return false;
    if (vendorEventId !== undefined) {
      const key = String(vendorEventId);
      if (this.#seen.has(key)) return false;
      this.#seen.add(key);
      if (this.#seen.size > this.#dedupeWindow) this.#seen.delete(this.#seen.values().next().value!);
    }
    this.#deliver(event);
    return true;
  }

  #deliver(event: CanonicalEvent): void {
    const sink = this.#sink;
    if (!sink) return;
    this.#seq += 1;
    sink({ ...event, seq: this.#seq } as CanonicalEvent);
  }
}

/**
 * The `noetica` connector (docs/connectors/noetica.md §5–§8): one agent = one Noetica user. The
 * state comes from *Poll Event* through the polling transport (a long poll when `longPollWaitS` >
 * 0, else interval polling; backoff on failures); after a start or any failed poll the truth is
 * read again from *Telephony*, *Dialler* and *System Status*, each saying which event it is
 * current with (`asOf`), so an event is never applied twice and none in between is lost (the
 * cursor is kept: Messages and Operation Failed that came during a gap still arrive).
 *
 * Commands are one POST each, accepted (202) or refused at once with the vendor's code; what an
 * accepted command did arrives as events, and a later failure as *Operation Failed*, which is
 * shown with the command it belongs to. The kit's `PollDiffer` turns the view into the fewest
 * canonical events.
 */
import type { Command } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type { Disposition, Reason } from '../../core/model.ts';
import type { Operation } from '../../core/operations.ts';
import { CtiError, ErrorCode, type CtiErrorInit } from '../../core/errors.ts';
import { PollingTransport, type FetchLike } from '../../transports/polling-transport.ts';
import { TransportError, TransportErrorCode } from '../../transports/errors.ts';
import type { BackoffOptions } from '../../transports/backoff.ts';
import type { TransportMessage, TransportStatus } from '../../transports/transport.ts';
import { ConnectorBase } from '../kit/connector-base.ts';
import { PollDiffer } from '../kit/poll-differ.ts';
import { HttpError } from '../kit/http-client.ts';
import { resolveBinding } from './binding.ts';
import { NoeticaClient } from './noetica-client.ts';
import { DEFAULT_LONG_POLL_WAIT_S, DEFAULT_POLL_INTERVAL_MS, checkNoeticaConfig, type NoeticaConfig } from './noetica-config.ts';
import { noeticaError, vendorText } from './noetica-errors.ts';
import { EMPTY_VIEW, agentOf, callsOf, foldEvent, isDialler, isSystem, isTelephony, systemNotice, diallerNotice, type NoeticaView, type StatusKind } from './noetica-mapping.ts';
import { NOETICA_SUPPORTS, toSdkRequest } from './noetica-requests.ts';
import { NOETICA_LOGIN_FIELDS } from './login-fields.ts';
import { EVENT_TYPES, type DiallerStatusAnswer, type NextRecordAnswer, type PollAnswer, type SystemStatusAnswer, type TelephonyStatusAnswer, type WireDisposition, type WireEvent, type WireReason } from './wire.ts';

export interface NoeticaConnectorOptions {
  agentId: string;
  endpoint: string;
  config: NoeticaConfig;
  /** Test seams. */
  fetch?: FetchLike;
}

/** The truth read after a gap, with the cursor to go on from. */
interface Truth {
  telephony: TelephonyStatusAnswer;
  dialler: DiallerStatusAnswer;
  system: SystemStatusAnswer;
  cursor?: number;
  streamId?: string;
}

/** How many accepted requests are remembered (to name the command an Operation Failed is about). */
const REQUESTS_KEPT = 200;

export class NoeticaConnector extends ConnectorBase {
  readonly #agentId: string;
  readonly #config: NoeticaConfig;
  readonly #client: NoeticaClient;
  readonly #endpoint: string;
  readonly #waitS: number;
  #transport: PollingTransport | undefined;
  #differ = new PollDiffer();
  #view: NoeticaView = EMPTY_VIEW;
  #reasons: Reason[] = [];
  #dispositions: Disposition[] = [];
  #cursor: number | undefined;
  #streamId: string | undefined;
  #asOf: Record<StatusKind, number> = { Telephony: -1, Dialler: -1, System: -1 };
  /** The next poll reads the three statuses first (start, after any failure). */
  #resync = true;
  #requests = new Map<string, { operation: Operation; commandId: string }>();
  /** Disposition codes sent, by call id: said when the call goes. */
  #wrapUpCodes = new Map<string, string>();
  #lastPollError: string | undefined;
  #unauthorized: CtiError | undefined;
  /** Events that were not well-formed (dropped), for diagnostics. */
  droppedEvents = 0;

  constructor(options: NoeticaConnectorOptions) {
    super({ name: 'noetica', supports: NOETICA_SUPPORTS, loginFields: NOETICA_LOGIN_FIELDS, peer: 'Noetica', reopen: true });
    const problem = checkNoeticaConfig(options.config);
    if (problem) throw new CtiError({ code: ErrorCode.InvalidArgument, message: `The noetica connector's config is not valid: ${problem}.` });
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(options.agentId)) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'Noetica connector: the agent id is the Noetica user id (letters, digits, . _ @ -).' });
    }
    this.#agentId = options.agentId;
    this.#config = options.config;
    this.#endpoint = options.endpoint;
    this.#waitS = options.config.longPollWaitS ?? DEFAULT_LONG_POLL_WAIT_S;
    this.#client = new NoeticaClient({
      endpoint: options.endpoint,
      userId: options.agentId,
      binding: resolveBinding(options.config.paths),
      timeoutMs: options.config.commandTimeoutMs ?? 10_000,
      ...(options.config.apiToken !== undefined ? { apiToken: options.config.apiToken } : {}),
      ...(options.config.getToken !== undefined ? { getToken: options.config.getToken } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** For tests: polls answered so far. */
  get pollCount(): number {
    return this.#transport?.pollCount ?? 0;
  }

  protected async open(): Promise<void> {
    this.#unauthorized = undefined;
    this.#resync = true;
    this.#differ.resync();
    await this.#loadLists();
    const transport = this.#newTransport();
    this.#transport = transport;
    try {
      await transport.connect();
    } catch (error) {
      if (this.#unauthorized) throw this.#unauthorized;
      if (error instanceof TransportError && error.code === TransportErrorCode.Unauthorized) {
        throw new CtiError({ code: ErrorCode.Unauthorized, severity: 'critical', message: 'Noetica refused the API token.' });
      }
      throw new CtiError({ code: ErrorCode.NotConnected, message: 'Noetica could not be reached.' });
    }
  }

  protected close(): void {
    this.#transport?.destroy();
    this.#transport = undefined;
  }

  #newTransport(): PollingTransport {
    const long = this.#waitS > 0;
    const pollTimeoutMs = long ? (this.#waitS + 10) * 1000 : (this.#config.commandTimeoutMs ?? 10_000);
    const transport = new PollingTransport({
      mode: long ? 'long' : 'interval',
      intervalMs: this.#config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      // The transport's HTTP goes through `#exchange` (the client builds the requests); the URL is only checked.
      pollUrl: () => this.#endpoint,
      requestUrl: () => this.#endpoint,
      pollTimeoutMs,
      hasNews: (body) => body.truth !== undefined || ((body.answer as PollAnswer | undefined)?.events?.length ?? 0) > 0,
      checkPoll: (body) => this.#checkPoll(body),
      backoff: (this.#config.backoff as BackoffOptions | undefined) ?? { initialMs: 500, maxMs: 15_000 },
      fetch: (_url, init) => this.#exchange(init.signal ?? undefined, pollTimeoutMs),
    });
    transport.onStatus((status) => this.#onStatus(status));
    // A failed poll within the transport's grace leaves it `connected` (degraded): read the truth all the same.
    transport.onDegraded((degraded) => {
      if (degraded) this.#resync = true;
    });
    transport.onMessage((body) => this.#onPoll(body));
    return transport;
  }

  // ---- commands --------------------------------------------------------------------------------

  protected async send(command: Command, signal: AbortSignal): Promise<void> {
    const context = { operation: command.operation, commandId: command.id, signal };
    if (command.operation === 'nextRecord') {
      const answer = await this.#client.get<NextRecordAnswer>('GetNextRecord', context);
      if (!answer.record) {
        throw new CtiError({ ...context, code: ErrorCode.Rejected, severity: 'minor', vendorCode: 'NO_RECORD', message: 'The dialler has no record to call now.' });
      }
      if (!isDialler({ status: 'Preview', record: answer.record })) throw new CtiError({ ...context, code: ErrorCode.Protocol, message: 'Noetica sent a record that could not be read.' });
      // The record is shown now; the Dialler Status Change that follows says the same.
      this.#view = { ...this.#view, dialler: { ...this.#view.dialler, status: 'Preview', record: answer.record } };
      this.#publish();
      return;
    }
    const request = toSdkRequest(command, { view: this.#view, defaultExtension: this.#agentId });
    const accepted = await this.#client.post(request.method, request.body as never, context);
    this.#requests.set(accepted.requestId, { operation: command.operation, commandId: command.id });
    if (this.#requests.size > REQUESTS_KEPT) this.#requests.delete(this.#requests.keys().next().value!);
    if (request.method === 'DispositionRecord') this.#wrapUpCodes.set(request.body.callId, request.body.dispositionCode);
    // Interval polling: show the outcome now, not at the next interval (a long poll has it already).
    this.#transport?.pollNow();
  }

  // ---- polling ---------------------------------------------------------------------------------

  /** One exchange as the polling transport's HTTP: the truth (after a gap) or the next events. */
  async #exchange(signal: AbortSignal | undefined, timeoutMs: number): Promise<Response> {
    const base = { ...(signal ? { signal } : {}), once: true };
    try {
      if (this.#resync || this.#cursor === undefined) {
        // The cursor first: whatever happens after it comes as events, and `asOf` says what the statuses hold.
        const here = this.#cursor === undefined ? await this.#client.get<PollAnswer>('PollEvent', base) : undefined;
        const [telephony, dialler, system] = await Promise.all([
          this.#client.get<TelephonyStatusAnswer>('TelephonyStatus', base),
          this.#client.get<DiallerStatusAnswer>('DiallerStatus', base),
          this.#client.get<SystemStatusAnswer>('SystemStatus', { ...base, query: { userId: this.#agentId } }),
        ]);
        if (!isTelephony(telephony) || !isDialler(dialler) || !isSystem(system) || (here && !isPollAnswer(here))) return unreadable('a status');
        const truth: Truth = { telephony, dialler, system, ...(here ? { cursor: here.next, streamId: here.streamId } : {}) };
        return json(200, { ok: true, truth });
      }
      const answer = await this.#client.get<PollAnswer>('PollEvent', { ...base, timeoutMs, query: { after: this.#cursor, wait: this.#waitS } });
      if (!isPollAnswer(answer)) return unreadable('Poll Event\'s answer');
      return json(200, { ok: true, answer });
    } catch (error) {
      // No answer at all (network, timeout, cancelled): the transport's own failure path.
      if (error instanceof HttpError || signal?.aborted) throw error;
      const failure = CtiError.from(error);
      if (failure.code === ErrorCode.Unauthorized) {
        this.#unauthorized = failure;
        return json(401, { error: { message: failure.message } });
      }
      return json(200, { ok: false, failure: failure.toJSON() });
    }
  }

  #checkPoll(body: TransportMessage): void {
    if (body.ok === true) return;
    const failure = (body.failure ?? { code: ErrorCode.Protocol, message: 'Noetica\'s answer could not be read.' }) as CtiErrorInit;
    this.#resync = true;
    // Shown once per distinct failure, not on every retry.
    if (this.#lastPollError !== failure.message) {
      this.#lastPollError = failure.message;
      this.emit({ type: 'error', error: failure });
    }
    throw new TransportError(TransportErrorCode.Protocol, failure.message);
  }

  #onPoll(body: TransportMessage): void {
    this.#lastPollError = undefined;
    if (body.truth) this.#applyTruth(body.truth as Truth);
    else if (body.answer) this.#applyEvents(body.answer as PollAnswer);
  }

  #applyTruth(truth: Truth): void {
    // Checked in `#exchange`: a status that cannot be read is a failed poll, never applied.
    const { telephony, dialler, system } = truth;
    const { asOf: t, ...telephonyNow } = telephony;
    const { asOf: d, ...diallerNow } = dialler;
    const { asOf: s, ...systemNow } = system;
    const before = this.#view;
    const first = this.#cursor === undefined;
    this.#view = { telephony: telephonyNow, dialler: diallerNow, system: systemNow };
    this.#asOf = { Telephony: num(t), Dialler: num(d), System: num(s) };
    if (truth.cursor !== undefined) {
      this.#cursor = num(truth.cursor);
      this.#streamId = truth.streamId;
    }
    this.#resync = false;
    this.#differ.resync();
    this.#publish();
    // What the agent should know about a dialler or system that is not simply working.
    const dialNotice = first ? diallerNotice('Active', diallerNow.status) : diallerNotice(before.dialler.status, diallerNow.status);
    if (dialNotice && !(first && diallerNow.status === 'Active')) this.emit({ type: 'error', error: dialNotice });
    if ((first && systemNow.status !== 'Online') || (!first && before.system.status !== systemNow.status)) this.emit({ type: 'error', error: systemNotice(systemNow) });
  }

  #applyEvents(answer: PollAnswer): void {
    if (answer.reset === true || (this.#streamId !== undefined && answer.streamId !== this.#streamId)) {
      // The cursor is not in Noetica's stream (too old, or Noetica restarted): read the truth again.
      this.#cursor = undefined;
      this.#resync = true;
      this.#transport?.pollNow();
      return;
    }
    const events = Array.isArray(answer.events) ? answer.events : [];
    for (const event of events) {
      if (!isEvent(event)) {
        this.droppedEvents += 1;
        continue;
      }
      if (this.#cursor !== undefined && event.seq <= this.#cursor) continue;
      this.#cursor = event.seq;
      this.#applyEvent(event);
    }
    if (Number.isSafeInteger(answer.next) && (this.#cursor === undefined || answer.next > this.#cursor)) this.#cursor = answer.next;
  }

  #applyEvent(event: WireEvent): void {
    const id = `${this.#streamId ?? ''}:${event.seq}`;
    if (event.type === 'OperationFailed') {
      const data = event.data;
      const request = typeof data.requestId === 'string' ? this.#requests.get(data.requestId) : undefined;
      const error = noeticaError(typeof data.code === 'string' && data.code !== '' ? data.code : 'UNKNOWN', data.message, request ?? {});
      this.emit({ type: 'error', error: error.toJSON() }, id);
      return;
    }
    const folded = foldEvent(this.#view, event, (kind) => event.seq <= this.#asOf[kind]);
    this.#view = folded.view;
    this.#publish();
    folded.notices.forEach((notice, i) => this.emit({ type: 'error', error: notice }, `${id}:${i}`));
  }

  #onStatus(status: TransportStatus): void {
    if (this.disconnected || this.connecting) return;
    // After any failed poll the next answer is the whole truth again.
    if (status !== 'connected') this.#resync = true;
    if (status === 'offline' && this.#unauthorized) {
      // Stopped: the session shows why and connects again (a fresh token from getToken()).
      this.setStatus('offline', { error: new CtiError({ ...this.#unauthorized.toJSON(), message: `${this.#unauthorized.message} Live call state has stopped.` }) });
      return;
    }
    this.setStatus(status);
  }

  /** Emits what changed between what the session has and the current view (the kit's differ). */
  #publish(): void {
    const calls = callsOf(this.#view);
    for (const id of [...this.#wrapUpCodes.keys()]) if (!calls.some((c) => c.id === id)) this.#wrapUpCodes.delete(id);
    const removed = Object.fromEntries(this.#wrapUpCodes);
    const events: CanonicalEvent[] = this.#differ.diff({
      agent: agentOf(this.#view, this.#reasons, this.#agentId),
      calls,
      lists: { reasons: this.#reasons, dispositions: this.#dispositions },
      capabilities: null,
      dispositions: removed,
    });
    for (const event of events) this.emit(event);
  }

  /** Break reasons and dispositions: calls still work without them (shown, not fatal), a refused token is. */
  async #loadLists(): Promise<void> {
    const read = async <T>(what: string, load: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await load();
      } catch (error) {
        const failure = CtiError.from(error);
        if (failure.code === ErrorCode.Unauthorized) throw failure;
        this.emit({ type: 'error', error: { ...failure.toJSON(), message: `Noetica's ${what} could not be read: ${failure.message}` } });
        return undefined;
      }
    };
    const reasons = await read('break reasons', () => this.#client.get<{ reasons?: WireReason[] }>('GetBreakReason'));
    if (reasons) this.#reasons = listOf(reasons.reasons);
    const dispositions = await read('dispositions', () => this.#client.get<{ dispositions?: WireDisposition[] }>('GetAvailableDispositions'));
    if (dispositions) this.#dispositions = listOf(dispositions.dispositions);
  }
}

function listOf(items: unknown): { code: string; label: string }[] {
  if (!Array.isArray(items)) return [];
  return items
    .filter((i): i is { code: string; label?: unknown } => !!i && typeof i === 'object' && typeof (i as { code?: unknown }).code === 'string' && (i as { code: string }).code !== '')
    .map((i) => ({ code: i.code, label: vendorText(i.label) || i.code }));
}

/** A poll whose answer cannot be used counts as failed (backoff, the truth read again after it). */
function unreadable(what: string): Response {
  return json(200, { ok: false, failure: { code: ErrorCode.Protocol, message: `Noetica sent ${what} that could not be read.` } });
}

function isPollAnswer(value: unknown): value is PollAnswer {
  const a = value as PollAnswer | null;
  return !!a && typeof a === 'object' && typeof a.streamId === 'string' && Number.isSafeInteger(a.next) && (a.events === undefined || Array.isArray(a.events));
}

function isEvent(value: unknown): value is WireEvent {
  const e = value as WireEvent | null;
  return !!e && typeof e === 'object' && Number.isSafeInteger(e.seq) && (EVENT_TYPES as readonly string[]).includes(e.type) && !!e.data && typeof e.data === 'object';
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : -1;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

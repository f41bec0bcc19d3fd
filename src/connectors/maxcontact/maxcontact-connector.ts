/**
 * The `maxcontact` connector (docs/connectors/maxcontact.md §5–§7): remote control of one agent
 * who is already logged in to MaxContact's web agent; the agent id is the MaxContact user id.
 * MaxContact sends no events, so the call state comes from polling `getcalls` through the polling
 * transport (fast while a call is up, slower when idle, backoff on errors) and from the known
 * result of each command MaxContact accepted; the kit's `PollDiffer` turns the view into the
 * fewest canonical events, so nothing is emitted twice and after a failure the next good answer
 * is the truth.
 *
 * A poll that started before a command's known result was applied is dropped (its answer may
 * predate the change) and another is made at once — so a control never flickers back.
 */
import type { Command } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type { AgentState, Destination, Disposition } from '../../core/model.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { PollingTransport, type FetchLike } from '../../transports/polling-transport.ts';
import { TransportError, TransportErrorCode } from '../../transports/errors.ts';
import type { BackoffOptions } from '../../transports/backoff.ts';
import type { TransportMessage, TransportStatus } from '../../transports/transport.ts';
import { ConnectorBase } from '../kit/connector-base.ts';
import { PollDiffer } from '../kit/poll-differ.ts';
import { HttpError } from '../kit/http-client.ts';
import { MaxContactClient } from './maxcontact-client.ts';
import { DEFAULT_IDLE_POLL_INTERVAL_MS, DEFAULT_POLL_INTERVAL_MS, checkMaxContactConfig, type MaxContactConfig } from './maxcontact-config.ts';
import { resolveEnums, type EnumTable } from './enums.ts';
import { foldCalls, isLive, isWrapup, livePair, maxcontactFlags, stamp, toCalls, type ConsultPair, type TrackedCall } from './maxcontact-mapping.ts';
import { MAXCONTACT_SUPPORTS, destinationsOf, dispositionsOf, leadIdOf, phoneOf, transferCodes } from './maxcontact-requests.ts';
import type { AcdQueueSummary, AgentNameIdPair, MaxCall, ResultCode } from './protocol.ts';

export interface MaxContactConnectorOptions {
  agentId: string;
  endpoint: string;
  config: MaxContactConfig;
  /** Test seams. */
  fetch?: FetchLike;
  backoff?: BackoffOptions;
}

/** A failed read of the result codes is tried again this long after, ms. */
const RESULT_CODES_RETRY_MS = 5000;
/** How many of our own dials are remembered (to tell outbound calls from inbound ones). */
const OUR_DIALS = 64;

export class MaxContactConnector extends ConnectorBase {
  readonly #agentId: string;
  readonly #config: MaxContactConfig;
  readonly #client: MaxContactClient;
  readonly #transport: PollingTransport;
  readonly #enums: EnumTable;
  readonly #differ = new PollDiffer();
  #calls: TrackedCall[] = [];
  #consult: ConsultPair | undefined;
  /** MaxContact reports no agent state: what the last accepted command (or an inbound call) says. */
  #agentState: AgentState = 'notReady';
  #ourDials: string[] = [];
  #leads = new Map<string, string>();
  #resultCodes: ResultCode[] = [];
  /** When the result codes could not be read: asked again after a good poll, at most this often. */
  #resultCodesRetryAt: number | undefined;
  #dispositions: Disposition[] = [];
  #destinations: Destination[];
  /** Bumped whenever a command's known result changed the view: older polls are stale. */
  #epoch = 0;
  #lastPollError: string | undefined;
  #unauthorized: CtiError | undefined;
  /** Call fields with values outside the enum table (read as connected / active), for diagnostics. */
  unknownValues = 0;

  constructor(options: MaxContactConnectorOptions) {
    super({ name: 'maxcontact', supports: MAXCONTACT_SUPPORTS, loginFields: [] });
    if (!/^[0-9]{1,10}$/.test(options.agentId)) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: `MaxContact connector: the agent id is the MaxContact user id (digits), not "${options.agentId.slice(0, 20)}".` });
    }
    this.#agentId = options.agentId;
    this.#config = options.config;
    const problem = checkMaxContactConfig(options.config);
    if (problem) throw new CtiError({ code: ErrorCode.InvalidArgument, message: `The maxcontact connector's config is not valid: ${problem}.` });
    this.#enums = resolveEnums(options.config.enums);
    this.#destinations = destinationsOf(options.config);
    const pollTimeoutMs = options.config.pollTimeoutMs ?? 5000;
    this.#client = new MaxContactClient({
      endpoint: options.endpoint,
      userId: options.agentId,
      format: options.config.format ?? 'xml',
      timeoutMs: options.config.commandTimeoutMs ?? 10_000,
      ...(options.config.tokenKey !== undefined ? { tokenKey: options.config.tokenKey } : {}),
      ...(options.config.apiLogin !== undefined ? { apiLogin: options.config.apiLogin, apiPassword: options.config.apiPassword! } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const busyMs = options.config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const idleMs = options.config.idlePollIntervalMs ?? DEFAULT_IDLE_POLL_INTERVAL_MS;
    const self = this;
    this.#transport = new PollingTransport({
      mode: 'interval',
      // Read by the transport before every pause: fast while a call is up, slower when idle.
      get intervalMs() {
        return self.#calls.length > 0 ? busyMs : idleMs;
      },
      // The transport's HTTP goes through `#poll` (the client builds the request and reads XML or
      // JSON); the URL is only checked, never fetched.
      pollUrl: () => this.#client.url('getcalls'),
      requestUrl: () => this.#client.url('getcalls'),
      pollTimeoutMs,
      checkPoll: (body) => this.#checkPoll(body),
      backoff: options.backoff ?? (options.config.backoff as BackoffOptions | undefined) ?? { initialMs: 500, maxMs: 15_000 },
      fetch: (_url, init) => this.#poll(init.signal ?? undefined, pollTimeoutMs),
    });
  }

  /** For tests: polls answered so far. */
  get pollCount(): number {
    return this.#transport.pollCount;
  }

  protected async open(): Promise<void> {
    this.#transport.onStatus((status) => this.#onStatus(status));
    // One or two lost polls: still connected (commands go through), shown as a degraded link.
    this.#transport.onDegraded((degraded) => {
      if (!this.disconnected && this.#transport.status === 'connected') this.setStatus('connected', { degraded });
    });
    this.#transport.onMessage((body) => this.#onCalls(body));
    await this.#client.ensureToken();
    await this.#loadResultCodes();
    await this.#loadDestinations();
    this.#publish();
    try {
      await this.#transport.connect();
    } catch (error) {
      if (this.#unauthorized) throw this.#unauthorized;
      if (error instanceof TransportError && error.code === TransportErrorCode.Unauthorized) {
        throw new CtiError({ code: ErrorCode.Unauthorized, severity: 'critical', message: 'MaxContact refused the token.' });
      }
      throw new CtiError({ code: ErrorCode.NotConnected, message: 'MaxContact could not be reached.' });
    }
  }

  protected close(): void {
    this.#transport.destroy();
  }

  // ---- commands --------------------------------------------------------------------------------

  protected async send(command: Command, signal: AbortSignal): Promise<void> {
    const operation = command.operation;
    const base = { operation, signal };
    switch (command.operation) {
      case 'ready':
        await this.#client.call('goready', base);
        this.#agentState = 'ready';
        break;
      case 'dial': {
        const phone = phoneOf(command.args.number, operation);
        const leadId = leadIdOf(command.args.recordId);
        const call = await this.#client.call<MaxCall | null>('dial', { ...base, segments: [['phone', phone]], query: { leadid: leadId } });
        this.#adoptDialled(call, leadId);
        break;
      }
      case 'hangup': {
        const call = this.#target(command.args.callId, operation, isLive);
        await this.#client.call('hangup', { ...base, segments: [['call', call.id]] });
        this.#change(call, { line: 'disconnected', status: 'awaitingDisposition' });
        break;
      }
      case 'hold':
      case 'retrieve': {
        const call = this.#target(command.args.callId, operation, isLive);
        await this.#client.call(command.operation, { ...base, segments: [['call', call.id]] });
        this.#change(call, { line: command.operation === 'hold' ? 'held' : 'connected' });
        break;
      }
      case 'startRecording':
      case 'stopRecording': {
        const call = this.#target(command.args.callId, operation, isLive);
        await this.#client.call(command.operation === 'startRecording' ? 'startrecord' : 'stoprecord', { ...base, segments: [['call', call.id]] });
        this.#change(call, { recording: command.operation === 'startRecording' });
        break;
      }
      case 'wrapUp': {
        const call = this.#target(command.args.callId, operation, isWrapup);
        const code = command.args.code;
        await this.#client.call('dispose', { ...base, segments: [['call', call.id]], query: { resultcode: code } });
        this.#remove([call.id]);
        this.#settle();
        this.#publish({ [call.id]: code });
        this.#afterCommand();
        return;
      }
      case 'consult':
        await this.#startConsult(command.args.destination, command.args.callId, signal);
        break;
      case 'completeTransfer': {
        const pair = this.#pair(operation);
        const codes = transferCodes(this.#config.transferResultCodes, this.#resultCodes, operation);
        await this.#client.call('connectcalls', {
          ...base,
          query: { call1: pair.customer.id, call2: pair.consult.id, resultcode1: codes.customer, resultcode2: codes.consult },
        });
        this.#consult = undefined;
        this.#remove([pair.customer.id, pair.consult.id]);
        this.#settle();
        this.#publish({ [pair.customer.id]: codes.customer });
        this.#afterCommand();
        return;
      }
      case 'cancelConsult': {
        const pair = this.#pair(operation);
        const codes = transferCodes(this.#config.transferResultCodes, this.#resultCodes, operation);
        // MaxContact has no cancel: the consult call is disposed (which hangs it up), then the customer retrieved.
        await this.#client.call('dispose', { ...base, segments: [['call', pair.consult.id]], query: { resultcode: codes.cancelled } });
        this.#consult = undefined;
        this.#remove([pair.consult.id]);
        this.#epoch++;
        await this.#client.call('retrieve', { ...base, segments: [['call', pair.customer.id]] });
        this.#change(pair.customer, { line: 'connected' });
        break;
      }
      case 'setCustomerField': {
        const call = this.#target(command.args.callId, operation, () => true);
        const { key, value } = command.args;
        if (key === 'leadPhone') {
          if (!/^[0-9]{1,18}$/.test(value)) throw invalid(operation, 'A lead phone id is a number.');
          await this.#client.call('changelead', { ...base, segments: [['call', call.id], ['leadphone', value]] });
        } else if (key === 'newLead') {
          await this.#client.call('createnewlead', { ...base, segments: [['call', call.id], ['phone', phoneOf(value, operation)]] });
        } else {
          throw invalid(operation, 'MaxContact can change a call\'s lead ("leadPhone": a lead phone id) or give it a new lead ("newLead": a phone number), nothing else.');
        }
        break;
      }
      default:
        throw new CtiError({ code: ErrorCode.Unsupported, operation, message: `MaxContact cannot ${operation}.` });
    }
    this.#publish();
    this.#afterCommand();
  }

  async #startConsult(destination: Destination, callId: string | undefined, signal: AbortSignal): Promise<void> {
    const operation = 'consult' as const;
    const customer = this.#target(callId, operation, (c) => c.line === 'connected' || c.line === 'held');
    const phone = phoneOf(destination?.number ?? destination?.id ?? '', operation);
    let heldHere = false;
    if (customer.line !== 'held') {
      await this.#client.call('hold', { operation, signal, segments: [['call', customer.id]] });
      this.#change(customer, { line: 'held' });
      heldHere = true;
    }
    let second: MaxCall | null;
    try {
      second = await this.#client.call<MaxCall | null>('dial', { operation, signal, segments: [['phone', phone]] });
    } catch (error) {
      // The consult never started: give the customer back the agent (best effort; the poll shows the truth).
      if (heldHere) {
        await this.#client.call('retrieve', { operation, signal, segments: [['call', customer.id]] }).then(
          () => this.#change(customer, { line: 'connected' }),
          () => undefined,
        );
        this.#publish();
        this.#afterCommand();
      }
      throw error;
    }
    const consultId = this.#adoptDialled(second, undefined);
    if (consultId) this.#consult = { customerId: customer.id, consultId, destination: { ...destination, number: phone } };
  }

  /** The call a command is for: the one named, else the current one that fits. */
  #target(callId: string | undefined, operation: Command['operation'], fits: (call: TrackedCall) => boolean): TrackedCall {
    if (typeof callId === 'string' && callId !== '') {
      const named = this.#calls.find((c) => c.id === callId);
      if (!named) throw new CtiError({ code: ErrorCode.InvalidArgument, operation, message: 'There is no such call on MaxContact.', severity: 'minor' });
      return named;
    }
    const call = this.#calls.find(fits);
    if (!call) throw new CtiError({ code: ErrorCode.NotAllowed, operation, message: 'There is no call for this.', severity: 'minor' });
    return call;
  }

  #pair(operation: Command['operation']): { customer: TrackedCall; consult: TrackedCall } {
    const pair = this.#consult ? livePair(this.#calls, this.#consult) : undefined;
    if (!pair) throw new CtiError({ code: ErrorCode.NotAllowed, operation, message: 'There is no consult call to connect or cancel.', severity: 'minor' });
    return pair;
  }

  /** A call `/dial` returned joins the view at once (it is ours: outbound). */
  #adoptDialled(call: MaxCall | null, leadId: string | undefined): string | undefined {
    if (!call || !Number.isSafeInteger(call.CallId)) return undefined;
    const id = String(call.CallId);
    this.#ourDials.push(id);
    if (this.#ourDials.length > OUR_DIALS) this.#ourDials.shift();
    if (leadId) this.#leads.set(id, leadId);
    const known = this.#calls.filter((c) => c.id !== id);
    const folded = foldCalls(this.#calls, [call], this.#foldContext());
    this.#calls = [...known, ...folded.calls.map((c) => this.#withLead(c))];
    this.#epoch++;
    return id;
  }

  #change(call: TrackedCall, patch: Partial<TrackedCall>): void {
    this.#calls = this.#calls.map((c) => {
      if (c.id !== call.id) return c;
      const next = { ...c, ...patch };
      stamp(next, Date.now());
      return next;
    });
    this.#epoch++;
  }

  #remove(ids: string[]): void {
    this.#calls = this.#calls.filter((c) => !ids.includes(c.id));
    for (const id of ids) this.#leads.delete(id);
    this.#epoch++;
  }

  /** Once a call is dispositioned and none is left, MaxContact's dialler makes the agent ready again. */
  #settle(): void {
    if (this.#calls.length === 0) this.#agentState = 'ready';
  }

  #afterCommand(): void {
    // The view moved: an answer equal to the last one must still be read (it may undo a guess).
    this.#client.forgetCalls();
    this.#transport.pollNow();
  }

  // ---- polling ---------------------------------------------------------------------------------

  /** One getcalls exchange as the polling transport's HTTP: a JSON body the transport can read. */
  async #poll(signal: AbortSignal | undefined, timeoutMs: number): Promise<Response> {
    const epoch = this.#epoch;
    try {
      const answer = await this.#client.getCalls({ ...(signal ? { signal } : {}), timeoutMs });
      return json(200, answer.unchanged ? { ok: true, unchanged: true, epoch } : { ok: true, calls: answer.calls, epoch });
    } catch (error) {
      // No answer at all (network, timeout, cancelled): the transport's own failure path.
      if (error instanceof HttpError || signal?.aborted) throw error;
      const failure = CtiError.from(error);
      if (failure.code === ErrorCode.Unauthorized) {
        this.#unauthorized = failure;
        return json(401, { ok: false });
      }
      return json(200, { ok: false, failure: failure.toJSON() });
    }
  }

  #checkPoll(body: TransportMessage): void {
    if (body.ok === true) return;
    const failure = (body.failure ?? { code: ErrorCode.Protocol, message: 'MaxContact\'s answer could not be read.' }) as CtiError['toJSON'] extends () => infer R ? R : never;
    // Shown once per distinct failure, not on every retry.
    if (this.#lastPollError !== failure.message) {
      this.#lastPollError = failure.message;
      this.emit({ type: 'error', error: failure });
    }
    throw new TransportError(TransportErrorCode.Protocol, failure.message);
  }

  #onCalls(body: TransportMessage): void {
    // Started before a command's known result was applied: it may predate the change (another poll follows).
    if (body.epoch !== this.#epoch) {
      this.#client.forgetCalls();
      this.#transport.pollNow();
      return;
    }
    this.#lastPollError = undefined;
    if (this.#resultCodesRetryAt !== undefined && Date.now() >= this.#resultCodesRetryAt) {
      // Not again until this one is answered.
      this.#resultCodesRetryAt = Infinity;
      void this.#loadResultCodes().then(() => this.#publish(), () => undefined);
    }
    // The same answer as last time, and our view has not moved since: nothing can have changed.
    if (body.unchanged === true) return;
    const folded = foldCalls(this.#calls, (body.calls as MaxCall[] | undefined) ?? [], this.#foldContext());
    this.unknownValues += folded.unknownValues;
    const before = new Set(this.#calls.map((c) => c.id));
    this.#calls = folded.calls.map((c) => this.#withLead(c));
    for (const id of [...this.#leads.keys()]) if (!this.#calls.some((c) => c.id === id)) this.#leads.delete(id);
    // MaxContact only delivers a call to a ready agent.
    if (this.#calls.some((c) => c.inbound && !before.has(c.id))) this.#agentState = 'ready';
    this.#publish();
  }

  #onStatus(status: TransportStatus): void {
    if (this.disconnected) return;
    this.setStatus(status);
    if (status === 'offline' && this.#unauthorized) {
      this.emit({
        type: 'error',
        error: { ...this.#unauthorized.toJSON(), message: `${this.#unauthorized.message} Live call state has stopped.` },
      });
    }
  }

  #foldContext() {
    return { now: Date.now(), enums: this.#enums, isOurDial: (id: string) => this.#ourDials.includes(id) };
  }

  #withLead(call: TrackedCall): TrackedCall {
    const lead = this.#leads.get(call.id);
    return lead && call.leadId !== lead ? { ...call, leadId: lead } : call;
  }

  async #loadResultCodes(): Promise<void> {
    try {
      this.#resultCodes = await this.#client.call<ResultCode[]>('resultcodes');
      this.#dispositions = dispositionsOf(this.#resultCodes);
      this.#resultCodesRetryAt = undefined;
    } catch (error) {
      const failure = CtiError.from(error);
      if (failure.code === ErrorCode.Unauthorized) throw failure;
      // Calls still work; the result codes are asked for again after a good poll (a call may
      // need them). Said once, not at every retry.
      if (this.#resultCodesRetryAt === undefined) {
        this.emit({ type: 'error', error: { ...failure.toJSON(), message: `MaxContact's result codes could not be read: ${failure.message}` } });
      }
      this.#resultCodesRetryAt = Date.now() + RESULT_CODES_RETRY_MS;
    }
  }

  /** Users and ACD queues, when the deployment gave some of them numbers (their names are MaxContact's). */
  async #loadDestinations(): Promise<void> {
    const c = this.#config;
    const wantUsers = Object.keys(c.userNumbers ?? {}).length > 0;
    const wantQueues = Object.keys(c.queueNumbers ?? {}).length > 0;
    if (!wantUsers && !wantQueues) return;
    try {
      const users = wantUsers ? await this.#client.call<AgentNameIdPair[]>('users') : [];
      const queues = wantQueues ? await this.#client.call<AcdQueueSummary[]>('acdqueues') : [];
      this.#destinations = destinationsOf(c, { users, queues, self: this.#agentId });
    } catch (error) {
      const failure = CtiError.from(error);
      if (failure.code === ErrorCode.Unauthorized) throw failure;
      // The configured external destinations still work.
      this.emit({ type: 'error', error: { ...failure.toJSON(), severity: 'minor', message: `MaxContact's users and queues could not be read: ${failure.message}` } });
    }
  }

  /** Emits what changed between what the session has and the current view (the kit's differ). */
  #publish(dispositions?: Record<string, string>): void {
    if (this.#consult && !this.#calls.some((c) => c.id === this.#consult!.customerId)) this.#consult = undefined;
    const calls = toCalls(this.#calls, this.#consult);
    const events: CanonicalEvent[] = this.#differ.diff({
      agent: { state: this.#agentState, agentId: this.#agentId },
      calls,
      lists: { dispositions: this.#dispositions, destinations: this.#destinations },
      capabilities: maxcontactFlags(this.#agentState, calls[0]),
      ...(dispositions ? { dispositions } : {}),
    });
    for (const event of events) this.emit(event);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function invalid(operation: Command['operation'], message: string): CtiError {
  return new CtiError({ code: ErrorCode.InvalidArgument, operation, message, severity: 'minor' });
}

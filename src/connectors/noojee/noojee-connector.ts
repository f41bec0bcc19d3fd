/**
 * The `noojee` connector (docs/connectors/noojee.md §5–§7): one agent = one extension. Live state
 * comes from `subscribe`, long-polled through the polling transport (POST, the sequence number
 * carried forward; after a start, an error or Noojee's Code 1 the answer is the current state);
 * commands are single HTTP requests whose answers are checked (`Code`, HTTP status, JSON) and
 * turned into readable errors with the vendor code kept.
 *
 * Noojee reports no agent state and no recording state: the agent is `ready` from the start, a
 * call shows as recording once Noojee accepted `start`, and wrap-up (campaign calls for a CRM
 * record) exists only here. The API key goes into request URLs and nowhere else.
 */
import type { Connector, EventSink } from '../../core/connector.ts';
import type { Command } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type { Call, Disposition } from '../../core/model.ts';
import type { Operation } from '../../core/operations.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { PollingTransport, type FetchLike } from '../../transports/polling-transport.ts';
import { TransportError, TransportErrorCode } from '../../transports/errors.ts';
import type { BackoffOptions } from '../../transports/backoff.ts';
import type { TransportMessage, TransportStatus } from '../../transports/transport.ts';
import { readCallAnswer, readDialAnswer, readEntities, readLeadAnswer, readSubscribeAnswer, requestHeaders, requestUrl, type NoojeeRequest } from './codec.ts';
import { callCodeError, httpError } from './noojee-errors.ts';
import { EMPTY_LINE, diffCalls, foldSubscribe, noojeeFlags, toCalls, type NoojeeLine, type TrackedCall } from './noojee-mapping.ts';
import { NOOJEE_SUPPORTS, campaignListRequest, dispositionListRequest, subscribeRequest, toNoojeeRequest, type RequestContext } from './noojee-requests.ts';
import { resolveAgent, type NoojeeConfig, type ResolvedAgent } from './noojee-config.ts';
import { SEQUENCE_RESET, SUBSCRIBE_MAX_TIMEOUT_S } from './protocol.ts';

export interface NoojeeConnectorOptions {
  agentId: string;
  endpoint: string;
  config: NoojeeConfig;
  /** Test seams. */
  fetch?: FetchLike;
  backoff?: BackoffOptions;
  commandTimeoutMs?: number;
}

/** A dial waiting to meet its call on subscribe (to attach the CRM record id). */
interface PendingDial {
  number: string;
  sessionId?: string;
  recordId: string;
  at: number;
}

const DEFAULT_POLL_TIMEOUT_S = 25;
const PENDING_DIAL_TTL_MS = 60_000;

export class NoojeeConnector implements Connector {
  readonly name = 'noojee';
  readonly supports: ReadonlySet<Operation> = new Set(NOOJEE_SUPPORTS);
  readonly loginFields = [] as const;

  #agentId: string;
  #endpoint: string;
  #apiKey: string;
  #config: NoojeeConfig;
  #agent: ResolvedAgent;
  #fetch: FetchLike;
  #commandTimeoutMs: number;
  #pollTimeoutS: number;
  #transport: PollingTransport;
  #sink: EventSink | undefined;
  #line: NoojeeLine = EMPTY_LINE;
  #calls: Call[] = [];
  #seq = 0;
  /** Next poll asks for the current state (start, after an error, after Code 1). */
  #resync = true;
  #pendingDials: PendingDial[] = [];
  #dispositions: Disposition[] = [];
  #campaignName: string | undefined;
  #inFlight = new Set<AbortController>();
  #closed = false;
  #lastPollError: string | undefined;
  /** Subscribe events that were not well-formed (dropped), for diagnostics. */
  droppedEvents = 0;

  constructor(options: NoojeeConnectorOptions) {
    this.#agentId = options.agentId;
    this.#config = options.config;
    if (typeof options.config?.apiKey !== 'string' || options.config.apiKey === '') {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'Noojee connector: config "apiKey" is required.' });
    }
    this.#apiKey = options.config.apiKey;
    this.#endpoint = checkedEndpoint(options.endpoint);
    this.#agent = resolveAgent(options.agentId, options.config);
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
    const wanted = options.config.pollTimeoutS ?? DEFAULT_POLL_TIMEOUT_S;
    this.#pollTimeoutS = Math.max(1, Math.min(SUBSCRIBE_MAX_TIMEOUT_S, Math.floor(wanted)));
    const poll = (): NoojeeRequest => subscribeRequest([this.#agent.extension], this.#resync ? 0 : this.#seq, this.#pollTimeoutS);
    this.#transport = new PollingTransport({
      mode: 'long',
      pollMethod: 'POST',
      pollUrl: () => requestUrl(this.#endpoint, poll(), this.#apiKey),
      // Commands do not go through the transport (each is its own Noojee request).
      requestUrl: () => requestUrl(this.#endpoint, poll(), this.#apiKey),
      headers: () => requestHeaders(poll()),
      pollTimeoutMs: (this.#pollTimeoutS + 10) * 1000,
      hasNews: (body) => hasEvents(body),
      checkPoll: (body) => this.#checkPoll(body),
      backoff: options.backoff ?? { initialMs: 500, maxMs: 15_000 },
      fetch: this.#fetch,
    });
  }

  async connect(sink: EventSink): Promise<void> {
    if (this.#closed) throw new CtiError({ code: ErrorCode.Destroyed, message: 'The connector was closed.' });
    this.#sink = sink;
    // Noojee has no agent state: an extension is always able to take and make calls.
    this.#emit({ type: 'agentState', state: 'ready', agentId: this.#agentId });
    this.#transport.onStatus((status) => this.#onStatus(status));
    this.#transport.onMessage((body) => this.#onSubscribe(body));
    if (this.#agent.campaign) await this.#loadCampaign();
    try {
      await this.#transport.connect();
    } catch (error) {
      throw this.#transportFailure(error, undefined);
    }
  }

  async execute(command: Command): Promise<void> {
    if (this.#closed) throw new CtiError({ code: ErrorCode.Destroyed, operation: command.operation, commandId: command.id, message: 'The connector was closed.' });
    const request = toNoojeeRequest(command, this.#context());
    const op = command.operation;
    try {
      const { status, text } = await this.#http(request, op);
      switch (op) {
        case 'dial': {
          const answer = readDialAnswer(status, text);
          const recordId = (command.args as { recordId?: unknown }).recordId;
          if (typeof recordId === 'string' && recordId !== '') {
            const number = request.params.find(([k]) => k === 'number')![1];
            this.#pendingDials.push({ number, recordId, at: Date.now(), ...(answer.SessionID ? { sessionId: answer.SessionID } : {}) });
            this.#attachPendingDials();
          }
          return;
        }
        case 'wrapUp': {
          readLeadAnswer(op, status, text);
          const target = this.#targetOf(command);
          this.#line = { calls: this.#line.calls.filter((c) => c.id !== target?.id) };
          this.#publish(false, (command.args as { code: string }).code);
          return;
        }
        case 'startRecording':
        case 'stopRecording': {
          readCallAnswer(op, status, text);
          const target = this.#targetOf(command);
          if (target) this.#setRecording(target.id, op === 'startRecording');
          return;
        }
        default:
          readCallAnswer(op, status, text);
      }
    } catch (error) {
      const failure = CtiError.from(error, { operation: op });
      throw new CtiError({ ...failure.toJSON(), operation: op, commandId: command.id });
    }
  }

  disconnect(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
    this.#transport.destroy();
    this.#sink = undefined;
  }

  // ---- subscribe -------------------------------------------------------------------------------

  #checkPoll(body: TransportMessage): void {
    const code = body.Code;
    if (typeof code === 'number' && code < 0) {
      const error = callCodeError(undefined, code, body.Message);
      // Shown once per distinct failure, not on every retry.
      if (this.#lastPollError !== error.message) {
        this.#lastPollError = error.message;
        this.#emit({ type: 'error', error: error.toJSON() });
      }
      throw new TransportError(TransportErrorCode.Protocol, error.message, code);
    }
  }

  #onSubscribe(body: TransportMessage): void {
    let read;
    try {
      read = readSubscribeAnswer(200, JSON.stringify(body));
    } catch {
      this.#resync = true;
      return;
    }
    this.#lastPollError = undefined;
    const { answer, dropped } = read;
    this.droppedEvents += dropped;
    const full = this.#resync || answer.Code === SEQUENCE_RESET;
    const events = answer.Data?.[this.#agent.extension] ?? [];
    const result = foldSubscribe(this.#line, events, full, {
      now: Date.now(),
      wrapUpAfter: (call) => this.#agent.campaign !== undefined && call.recordId !== undefined,
      claim: (call) => this.#claim(call),
    });
    this.#line = result.line;
    this.#seq = answer.seq;
    this.#resync = false;
    for (const notice of result.notices) this.#emit({ type: 'error', error: notice });
    this.#publish(full);
  }

  #onStatus(status: TransportStatus): void {
    if (this.#closed) return;
    // After any failed poll the next answer is read as the whole truth again.
    if (status !== 'connected') this.#resync = true;
    this.#emit({ type: 'connection', status });
    if (status === 'offline') {
      this.#emit({
        type: 'error',
        error: { code: ErrorCode.Unauthorized, severity: 'critical', vendorCode: 'HTTP 401', message: 'Noojee refused the API key: live call state has stopped (HTTP 401).' },
      });
    }
  }

  /** A record id for a new outbound call: the dial whose SessionID it is, else one to its number. */
  #claim(call: TrackedCall): string | undefined {
    const now = Date.now();
    this.#pendingDials = this.#pendingDials.filter((d) => now - d.at < PENDING_DIAL_TTL_MS);
    let index = this.#pendingDials.findIndex((d) => d.sessionId === call.id);
    if (index < 0) index = this.#pendingDials.findIndex((d) => digits(d.number) === digits(call.remote));
    if (index < 0) return undefined;
    return this.#pendingDials.splice(index, 1)[0]!.recordId;
  }

  /** The dial's answer may arrive after subscribe already showed its call. */
  #attachPendingDials(): void {
    let changed = false;
    const calls = this.#line.calls.map((call) => {
      if (call.inbound || call.recordId !== undefined || call.wrapupAt !== undefined) return call;
      const recordId = this.#claim(call);
      if (!recordId) return call;
      changed = true;
      return { ...call, recordId };
    });
    if (changed) {
      this.#line = { calls };
      this.#publish(false);
    }
  }

  #setRecording(callId: string, recording: boolean): void {
    this.#line = { calls: this.#line.calls.map((c) => (c.id === callId ? { ...c, recording } : c)) };
    this.#publish(false);
  }

  /** Emits the difference between what the session has and the current view. */
  #publish(full: boolean, dispositionCode?: string): void {
    const next = toCalls(this.#line, this.#campaignName ? { campaign: this.#campaignName } : {});
    const events = diffCalls(this.#calls, next, full);
    const flagsBefore = JSON.stringify(noojeeFlags(this.#calls[0]));
    this.#calls = next;
    for (const event of events) {
      if (event.type === 'callRemoved' && dispositionCode !== undefined) this.#emit({ ...event, dispositionCode });
      else this.#emit(event);
    }
    const flags = noojeeFlags(next[0]);
    if (full || JSON.stringify(flags) !== flagsBefore) this.#emit({ type: 'capabilities', flags });
  }

  // ---- campaign --------------------------------------------------------------------------------

  async #loadCampaign(): Promise<void> {
    const campaign = this.#agent.campaign!;
    try {
      const list = await this.#http(dispositionListRequest(campaign.templateId), undefined);
      this.#dispositions = readEntities(undefined, list.status, list.text).map((d) => ({ code: d.name, label: d.name }));
      const campaigns = await this.#http(campaignListRequest(campaign.templateId), undefined);
      this.#campaignName = readEntities(undefined, campaigns.status, campaigns.text).find((c) => c.id === campaign.campaignId)?.name;
    } catch (error) {
      // The bar still works for calls; dispositions are missing until the next start.
      const failure = CtiError.from(error);
      this.#emit({ type: 'error', error: { ...failure.toJSON(), message: `The campaign's dispositions could not be read: ${failure.message}` } });
    }
    this.#emit({ type: 'lists', dispositions: this.#dispositions });
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  /** One request with a timeout; read-only ones are tried once more after a network failure. */
  async #http(request: NoojeeRequest, op: Operation | undefined): Promise<{ status: number; text: string }> {
    const attempts = request.readOnly ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(request, op);
      } catch (error) {
        const retry = attempt < attempts && error instanceof CtiError && (error.code === ErrorCode.NotConnected || error.code === ErrorCode.Timeout);
        if (!retry) throw error;
      }
    }
  }

  async #once(request: NoojeeRequest, op: Operation | undefined): Promise<{ status: number; text: string }> {
    const controller = new AbortController();
    this.#inFlight.add(controller);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#commandTimeoutMs);
    try {
      const init: RequestInit = { method: request.http, headers: requestHeaders(request), signal: controller.signal, cache: 'no-store' };
      if (request.http === 'POST') init.body = request.body ?? '';
      const response = await this.#fetch(requestUrl(this.#endpoint, request, this.#apiKey), init);
      return { status: response.status, text: await response.text() };
    } catch {
      // The fetch error may quote the URL, and the URL holds the key: never pass it on.
      if (this.#closed) throw new CtiError({ code: ErrorCode.Destroyed, message: 'The connector was closed.', ...(op ? { operation: op } : {}) });
      if (timedOut) {
        throw new CtiError({
          code: ErrorCode.Timeout,
          message: `Noojee did not answer within ${Math.round(this.#commandTimeoutMs / 1000)} s; check the call before trying again.`,
          ...(op ? { operation: op } : {}),
        });
      }
      throw new CtiError({ code: ErrorCode.NotConnected, message: 'Noojee could not be reached.', ...(op ? { operation: op } : {}) });
    } finally {
      clearTimeout(timer);
      this.#inFlight.delete(controller);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  #context(): RequestContext {
    const c = this.#config;
    const ctx: RequestContext = { extension: this.#agent.extension, tech: this.#agent.tech, calls: this.#line.calls, dispositions: this.#dispositions };
    if (this.#agent.answerString) ctx.answerString = this.#agent.answerString;
    if (c.callerId) ctx.callerId = c.callerId;
    if (c.phoneCaption) ctx.phoneCaption = c.phoneCaption;
    if (c.agentLoginName) ctx.agentLoginName = c.agentLoginName;
    if (c.recordOnDial) ctx.recordOnDial = true;
    if (this.#agent.campaign) ctx.campaign = this.#agent.campaign;
    return ctx;
  }

  #targetOf(command: Command): TrackedCall | undefined {
    const id = (command.args as { callId?: unknown }).callId;
    const calls = this.#line.calls;
    return typeof id === 'string' && id !== '' ? calls.find((c) => c.id === id) : (calls.find((c) => c.wrapupAt === undefined) ?? calls[0]);
  }

  #transportFailure(error: unknown, op: Operation | undefined): CtiError {
    if (error instanceof TransportError && error.code === TransportErrorCode.Unauthorized) {
      return httpError(op, 401, '');
    }
    if (error instanceof CtiError) return error;
    return new CtiError({ code: ErrorCode.NotConnected, message: 'Noojee could not be reached.', ...(op ? { operation: op } : {}) });
  }

  #emit(event: CanonicalEvent): void {
    this.#sink?.(event);
  }
}

function hasEvents(body: TransportMessage): boolean {
  const data = body.Data;
  return !!data && typeof data === 'object' && Object.values(data as Record<string, unknown>).some((v) => Array.isArray(v) && v.length > 0);
}

function digits(value: string): string {
  return value.replace(/\D/g, '').replace(/^0+/, '');
}

function checkedEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'Noojee connector: the endpoint must be the Noojee server\'s URL (https://host).' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'Noojee connector: the endpoint must start with https:// (or http:// for a local emulator).' });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

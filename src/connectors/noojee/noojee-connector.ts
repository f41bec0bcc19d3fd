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
 *
 * Built on the connector kit: `ConnectorBase` (connect timeout, connection events, refusals while
 * not connected, numbering), `HttpClient` (timeouts; campaign reads retried, commands never),
 * `PollDiffer` (the view → the fewest canonical events) and `vendorErrorTable` (noojee-errors.ts).
 */
import type { Command } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type { Disposition } from '../../core/model.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { PollingTransport, type FetchLike } from '../../transports/polling-transport.ts';
import { TransportError, TransportErrorCode } from '../../transports/errors.ts';
import type { BackoffOptions } from '../../transports/backoff.ts';
import type { TransportMessage, TransportStatus } from '../../transports/transport.ts';
import { ConnectorBase } from '../kit/connector-base.ts';
import { HttpClient } from '../kit/http-client.ts';
import { PollDiffer } from '../kit/poll-differ.ts';
import { readCallAnswer, readDialAnswer, readEntities, readLeadAnswer, readRecordingLegs, readSubscribeAnswer, requestHeaders, requestUrl, type NoojeeRequest } from './codec.ts';
import { callCodeError, httpError } from './noojee-errors.ts';
import { EMPTY_LINE, foldSubscribe, noojeeFlags, toCalls, type NoojeeLine, type TrackedCall } from './noojee-mapping.ts';
import { NOOJEE_SUPPORTS, campaignListRequest, dispositionListRequest, recordingLegsRequest, subscribeRequest, toNoojeeRequest, type RequestContext } from './noojee-requests.ts';
import { resolveAgent, type NoojeeConfig, type ResolvedAgent } from './noojee-config.ts';
import { API_KEY_PARAM, CALL_API, CAMPAIGN_API, NOOJEE_CODES, RECORDING_API, SEQUENCE_RESET, SUBSCRIBE_MAX_TIMEOUT_S } from './protocol.ts';

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
const PREFIX = { call: CALL_API, campaign: CAMPAIGN_API, recording: RECORDING_API } as const;
/**
 * Subscribe codes that no retry can change: the key is refused, or Noojee does not know the
 * extension (-3, a wrong agent id or technology). Noojee says so at once; waiting for the connect
 * timeout would only hide its words behind "could not reach Noojee".
 */
const PERMANENT_POLL_CODES: ReadonlySet<number> = new Set([NOOJEE_CODES.AUTH_FAILED, NOOJEE_CODES.UNKNOWN_EXTENSION]);

export class NoojeeConnector extends ConnectorBase {
  #agentId: string;
  #endpoint: string;
  #apiKey: string;
  #config: NoojeeConfig;
  #agent: ResolvedAgent;
  #http: HttpClient;
  #pollTimeoutS: number;
  #transport: PollingTransport | undefined;
  readonly #newTransport: () => PollingTransport;
  #differ = new PollDiffer();
  #line: NoojeeLine = EMPTY_LINE;
  #seq = 0;
  /** Next poll asks for the current state (start, after an error, after Code 1). */
  #resync = true;
  #pendingDials: PendingDial[] = [];
  #dispositions: Disposition[] = [];
  #campaignName: string | undefined;
  #lastPollError: string | undefined;
  /** While open() waits for the first answer: fails it at once with Noojee's own refusal. */
  #refuseConnect: ((error: CtiError) => void) | undefined;
  /**
   * Per call, bumped by every accepted start/stop: a RecordingAPI answer read before the agent's
   * own command must not undo it.
   */
  #recordingEpoch = new Map<string, number>();
  #lastRecordingReadError: string | undefined;
  /** Subscribe events that were not well-formed (dropped), for diagnostics. */
  droppedEvents = 0;

  constructor(options: NoojeeConnectorOptions) {
    super({ name: 'noojee', supports: NOOJEE_SUPPORTS, loginFields: [], peer: 'Noojee', reopen: true });
    this.#agentId = options.agentId;
    this.#config = options.config;
    if (typeof options.config?.apiKey !== 'string' || options.config.apiKey === '') {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'Noojee connector: config "apiKey" is required.' });
    }
    this.#apiKey = options.config.apiKey;
    this.#endpoint = checkedEndpoint(options.endpoint);
    this.#agent = resolveAgent(options.agentId, options.config);
    const fetch = options.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init));
    this.#http = new HttpClient({ baseUrl: this.#endpoint, timeoutMs: options.commandTimeoutMs ?? 10_000, fetch });
    const wanted = options.config.pollTimeoutS ?? DEFAULT_POLL_TIMEOUT_S;
    this.#pollTimeoutS = Math.max(1, Math.min(SUBSCRIBE_MAX_TIMEOUT_S, Math.floor(wanted)));
    const poll = (): NoojeeRequest => subscribeRequest([this.#agent.extension], this.#resync ? 0 : this.#seq, this.#pollTimeoutS);
    // A new poller for every open(): after a failed connect the session calls connect() again.
    this.#newTransport = () => new PollingTransport({
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
      fetch,
    });
  }

  protected async open(): Promise<void> {
    const transport = this.#newTransport();
    this.#transport = transport;
    this.#resync = true;
    // A transport that close() let go (a failed connect, a reopen) has nothing more to say.
    transport.onStatus((status) => {
      if (transport === this.#transport) this.#onStatus(status);
    });
    // A failed poll within the transport's grace leaves it `connected` (degraded): resync all the same.
    transport.onDegraded((degraded) => {
      if (degraded) this.#resync = true;
    });
    transport.onMessage((body) => this.#onSubscribe(body));
    if (this.#agent.campaign) await this.#loadCampaign();
    // Noojee has no agent state: an extension is always able to take and make calls.
    this.#publish();
    const refused = new Promise<never>((_, reject) => {
      this.#refuseConnect = reject;
    });
    try {
      await Promise.race([transport.connect(), refused]);
    } catch (error) {
      if (error instanceof CtiError) throw error;
      if (error instanceof TransportError && error.code === TransportErrorCode.Unauthorized) throw httpError(undefined, 401, '');
      throw new CtiError({ code: ErrorCode.NotConnected, message: 'Noojee could not be reached.' });
    } finally {
      this.#refuseConnect = undefined;
    }
  }

  protected async send(command: Command, signal: AbortSignal): Promise<void> {
    const request = toNoojeeRequest(command, this.#context());
    const op = command.operation;
    const { status, text } = await this.#request(request, signal);
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
        if (!target) return;
        this.#line = { calls: this.#line.calls.filter((c) => c.id !== target.id) };
        this.#publish({ [target.id]: (command.args as { code: string }).code });
        return;
      }
      case 'startRecording':
      case 'stopRecording': {
        readCallAnswer(op, status, text);
        const target = this.#targetOf(command);
        if (target) {
          this.#recordingEpoch.set(target.id, (this.#recordingEpoch.get(target.id) ?? 0) + 1);
          this.#setRecording(target.id, op === 'startRecording');
        }
        return;
      }
      default:
        readCallAnswer(op, status, text);
    }
  }

  protected close(): void {
    const transport = this.#transport;
    this.#transport = undefined;
    transport?.destroy();
  }

  // ---- subscribe -------------------------------------------------------------------------------

  #checkPoll(body: TransportMessage): void {
    const code = body.Code;
    if (typeof code === 'number' && code < 0) {
      const error = callCodeError(undefined, code, body.Message);
      if (this.#refuseConnect && PERMANENT_POLL_CODES.has(code)) {
        // Connecting: the connect fails now with Noojee's words (the session shows them and may retry later).
        this.#refuseConnect(error);
        throw new TransportError(TransportErrorCode.Protocol, error.message, code);
      }
      // Shown once per distinct failure, not on every retry.
      if (this.#lastPollError !== error.message) {
        this.#lastPollError = error.message;
        this.#emitEvent({ type: 'error', error: error.toJSON() });
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
    const connectedBefore = new Set(this.#line.calls.filter((c) => c.connectedAt !== undefined).map((c) => c.id));
    const result = foldSubscribe(this.#line, events, full, {
      now: Date.now(),
      wrapUpAfter: (call) => this.#agent.campaign !== undefined && call.recordId !== undefined,
      claim: (call) => this.#claim(call),
    });
    this.#line = result.line;
    this.#seq = answer.seq;
    this.#resync = false;
    for (const notice of result.notices) this.#emitEvent({ type: 'error', error: notice });
    if (full) this.#differ.resync();
    this.#publish();
    this.#recordingEpoch = new Map([...this.#recordingEpoch].filter(([id]) => this.#line.calls.some((c) => c.id === id)));
    // Subscribe says nothing of recording. Noojee's recording legs do: after a start or a gap
    // (a gateway restart must not forget a recording) and when a call connects (dial record=true
    // records from connect), the call's legs are read and an open leg means "recording".
    for (const call of this.#line.calls) {
      if (call.wrapupAt !== undefined || call.connectedAt === undefined) continue;
      if (full || !connectedBefore.has(call.id)) void this.#readRecording(call.id);
    }
  }

  /** Whether Noojee is recording the call now: one of its legs is still open (empty `Duration`). */
  async #readRecording(callId: string): Promise<void> {
    const epoch = this.#recordingEpoch.get(callId) ?? 0;
    let recording: boolean;
    try {
      const { status, text } = await this.#request(recordingLegsRequest(callId));
      recording = readRecordingLegs(status, text).some((leg) => leg.UniqueId === callId && leg.Duration === '');
      this.#lastRecordingReadError = undefined;
    } catch (error) {
      // The call still works; only the recording light may be wrong. Said once, not per call.
      const failure = CtiError.from(error);
      const message = `Whether the call is being recorded could not be read: ${failure.message}`;
      if (!this.disconnected && this.#lastRecordingReadError !== message) {
        this.#lastRecordingReadError = message;
        this.#emitEvent({ type: 'error', error: { ...failure.toJSON(), severity: 'minor', message } });
      }
      return;
    }
    if (this.disconnected || (this.#recordingEpoch.get(callId) ?? 0) !== epoch) return;
    const call = this.#line.calls.find((c) => c.id === callId);
    if (!call || call.wrapupAt !== undefined || call.recording === recording) return;
    this.#setRecording(callId, recording);
  }

  #onStatus(status: TransportStatus): void {
    if (this.disconnected) return;
    // After any failed poll the next answer is read as the whole truth again.
    if (status !== 'connected') this.#resync = true;
    this.setStatus(status);
    if (status === 'offline') {
      this.#emitEvent({
        type: 'error',
        error: { code: ErrorCode.Unauthorized, severity: 'critical', vendorCode: 'HTTP 401', message: 'Noojee refused the API key: live call state has stopped (Noojee code HTTP 401).' },
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
      this.#publish();
    }
  }

  #setRecording(callId: string, recording: boolean): void {
    this.#line = { calls: this.#line.calls.map((c) => (c.id === callId ? { ...c, recording } : c)) };
    this.#publish();
  }

  /** Emits what changed between what the session has and the current view (the kit's differ). */
  #publish(dispositions?: Record<string, string>): void {
    const calls = toCalls(this.#line, this.#campaignName ? { campaign: this.#campaignName } : {});
    const events = this.#differ.diff({
      agent: { state: 'ready', agentId: this.#agentId },
      calls,
      lists: { dispositions: this.#dispositions },
      capabilities: noojeeFlags(calls[0]),
      ...(dispositions ? { dispositions } : {}),
    });
    for (const event of events) this.#emitEvent(event);
  }

  #emitEvent(event: CanonicalEvent): void {
    this.emit(event);
  }

  // ---- campaign --------------------------------------------------------------------------------

  async #loadCampaign(): Promise<void> {
    const campaign = this.#agent.campaign!;
    try {
      const list = await this.#request(dispositionListRequest(campaign.templateId));
      this.#dispositions = readEntities(undefined, list.status, list.text).map((d) => ({ code: d.name, label: d.name }));
      const campaigns = await this.#request(campaignListRequest(campaign.templateId));
      this.#campaignName = readEntities(undefined, campaigns.status, campaigns.text).find((c) => c.id === campaign.campaignId)?.name;
    } catch (error) {
      if (error instanceof CtiError && error.code === ErrorCode.Unauthorized) throw error;
      // The bar still works for calls; dispositions are missing until the next start.
      const failure = CtiError.from(error);
      this.#emitEvent({ type: 'error', error: { ...failure.toJSON(), message: `The campaign's dispositions could not be read: ${failure.message}` } });
    }
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  /** One request through the kit's client: the key first in the query, reads retried, commands never. */
  async #request(request: NoojeeRequest, signal?: AbortSignal): Promise<{ status: number; text: string }> {
    const query: Record<string, string> = { [API_KEY_PARAM]: this.#apiKey };
    for (const [key, value] of request.params) query[key] = value;
    const response = await this.#http.send({
      method: request.http,
      path: `${PREFIX[request.api]}/${request.method}`,
      query,
      headers: requestHeaders(request),
      body: request.http === 'POST' ? (request.body ?? '') : undefined,
      ...(request.readOnly ? { idempotent: true } : {}),
      ...(signal ? { signal } : {}),
    });
    return { status: response.status, text: response.text };
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

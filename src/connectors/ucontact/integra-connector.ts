/**
 * uContact through the Integra REST API (docs/connectors/ucontact.md §5–§7), meant for the gateway:
 * every method a form POST under `Integra/resources/`, the session token in `Authorization: Basic
 * <token>` — the SuperUser's (`auth/getUserToken`, at connect) or, without one, the agent's own
 * (`auth/AgentLogin`'s `md5secret`, at login) — and `auth/EndSession` when the bar goes.
 *
 * The REST API has no event source: nothing tells the bar that a call rings, is answered or that
 * the customer hung up. So the bar shows only what its own requests made known — the agent's state
 * after login, pause and break; a call from `AgentCall`'s GUID until the agent hangs it up and
 * dispositions it — and never a state uContact did not report.
 */
import type { Command, CommandArgs } from '../../core/commands.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { AgentState, Reason } from '../../core/model.ts';
import type { Operation } from '../../core/operations.ts';
import { ConnectorBase } from '../kit/connector-base.ts';
import { HttpClient } from '../kit/http-client.ts';
import { PollDiffer } from '../kit/poll-differ.ts';
import type { FetchLike } from '../../transports/polling-transport.ts';
import { CallLine, lineFlags, ucontactDate, type LineCall } from './call-line.ts';
import { CALLBACK_TARGETS, FORM_CONTENT_TYPE, REST_FAILED, REST_PREFIX, type RestMethod } from './protocol.ts';
import { dispositionList, hasDispositions, levelsOf, reasonList, tagOf, type UcontactConfig, type UcontactReason } from './ucontact-config.ts';
import { UCONTACT_ERRORS, httpStatusError, zeroAnswer } from './ucontact-errors.ts';
import { readAgentLogin, readGuid, readToken } from './integra-answers.ts';

export const REST_SUPPORTS: readonly Operation[] = ['login', 'logout', 'ready', 'notReady', 'dial', 'hangup', 'wrapUp', 'createCallback'];

export interface IntegraConnectorOptions {
  agentId: string;
  endpoint: string;
  config: UcontactConfig;
  fetch?: FetchLike;
}

interface AgentLine {
  /** The agent's phone as uContact knows it (AgentCall phone, HangupPhone, interface). */
  phone: string;
  context: string;
}

export class IntegraConnector extends ConnectorBase {
  readonly #agentId: string;
  readonly #agent: string;
  readonly #config: UcontactConfig;
  readonly #http: HttpClient;
  readonly #line = new CallLine();
  readonly #differ = new PollDiffer();
  readonly #reasons: readonly UcontactReason[];
  /** The session token (never logged, never in an event). */
  #token: string | undefined;
  /** Whose token it is, for `auth/EndSession`. */
  #tokenUser: string | undefined;
  #state: AgentState = 'loggedOut';
  #reason: UcontactReason | undefined;
  #agentLine: AgentLine | undefined;
  /** uContact refused the SuperUser's token (expired): get a new one before the next request. */
  #renew = false;

  constructor(options: IntegraConnectorOptions) {
    super({ name: 'ucontact', supports: REST_SUPPORTS });
    this.#agentId = options.agentId;
    this.#agent = options.config.agent ?? options.agentId;
    this.#config = options.config;
    this.#reasons = reasonList(options.config);
    const base = options.endpoint.replace(/\/+$/, '').replace(/\/Integra\/resources$/i, '');
    this.#http = new HttpClient({ baseUrl: base, timeoutMs: options.config.commandTimeoutMs ?? 10_000, ...(options.fetch ? { fetch: options.fetch } : {}) });
  }

  protected async open(): Promise<void> {
    await this.#userToken();
    this.#publish();
  }

  /** The SuperUser's session (`auth/getUserToken`), when one is configured. */
  async #userToken(signal?: AbortSignal): Promise<void> {
    const { user, password } = this.#config;
    if (user === undefined || password === undefined) return;
    const text = await this.#call('auth/getUserToken', { user, password }, signal, { noToken: true });
    const token = readToken(text);
    if (!token) throw UCONTACT_ERRORS.toError('token 0');
    this.#token = token;
    this.#tokenUser = user;
    this.#renew = false;
  }

  protected async send(command: Command, signal: AbortSignal): Promise<void> {
    switch (command.operation) {
      case 'login':
        return this.#login(command.args, signal);
      case 'logout':
        return this.#logout(signal);
      case 'notReady':
        return this.#notReady(command.args, signal);
      case 'ready':
        return this.#ready(signal);
      case 'dial':
        return this.#dial(command.args, signal);
      case 'hangup':
        return this.#hangup(command.args, signal);
      case 'wrapUp':
        return this.#wrapUp(command.args, signal);
      case 'createCallback':
        return this.#callback(command.args, signal);
      default:
        throw new CtiError({ code: ErrorCode.Unsupported, message: `uContact's REST API cannot ${command.operation}.` });
    }
  }

  protected close(): void {
    void this.#endSession();
  }

  // ---- agent -------------------------------------------------------------------------------------

  async #login(args: CommandArgs['login'], signal: AbortSignal): Promise<void> {
    const password = typeof args.password === 'string' && args.password !== '' ? args.password : this.#config.agentPassword;
    if (!password) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'login', message: 'Type your uContact password to log in.' });
    const form: Record<string, string> = { agent: this.#agent, password };
    if (args.force === true) form.force = '1';
    const text = await this.#call('auth/AgentLogin', form, signal, { noToken: this.#token === undefined, operation: 'login' });
    const peer = readAgentLogin(text);
    if (!peer) throw UCONTACT_ERRORS.toError('login 0', { operation: 'login' });
    if (this.#token === undefined) {
      if (!peer.token) throw new CtiError({ code: ErrorCode.Protocol, operation: 'login', message: 'uContact logged the agent in but gave no session token.' });
      this.#token = peer.token;
      this.#tokenUser = this.#agent;
    }
    this.#agentLine = {
      phone: this.#config.phone ?? peer.phone ?? this.#agentId,
      context: this.#config.context ?? peer.context ?? '',
    };
    this.#setState('ready');
  }

  async #logout(signal: AbortSignal): Promise<void> {
    await this.#expectText('api/AgentLogoff', { agent: this.#agent, interface: this.#interface('logout') }, signal, 'logout');
    this.#setState('loggedOut');
    // The agent's own token ends with the agent's session; the SuperUser's lives on.
    if (this.#tokenUser === this.#agent && this.#config.user === undefined) await this.#endSession();
  }

  async #notReady(args: CommandArgs['notReady'], signal: AbortSignal): Promise<void> {
    const reason = this.#reasons.find((r) => r.code === args.reasonCode);
    if (!reason) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'notReady', message: 'There is no such not-ready reason.' });
    if (reason.break) {
      await this.#expectText('api/AgentBreak', { agent: this.#agent, interface: this.#interface('notReady'), motive: reason.code }, signal, 'notReady');
    } else {
      await this.#expectText('api/AgentPause', { agent: this.#agent, interface: this.#interface('notReady'), message: reason.label }, signal, 'notReady');
    }
    this.#setState('notReady', reason);
  }

  async #ready(signal: AbortSignal): Promise<void> {
    const reason = this.#reason;
    if (reason?.break) {
      await this.#expectText('api/AgentUnBreak', { agent: this.#agent, interface: this.#interface('ready'), motive: reason.code }, signal, 'ready');
    } else {
      await this.#expectText('api/AgentUnPause', { agent: this.#agent, interface: this.#interface('ready') }, signal, 'ready');
    }
    this.#setState('ready');
  }

  // ---- calls -------------------------------------------------------------------------------------

  async #dial(args: CommandArgs['dial'], signal: AbortSignal): Promise<void> {
    const campaign = this.#config.campaign;
    if (!campaign) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'dial', message: 'uContact connector: set config.campaign (the outbound campaign, e.g. "Sales->") to dial.' });
    const line = this.#requireLine('dial');
    const text = await this.#call(
      'Agents/AgentCall',
      {
        callerid: this.#config.callerid ?? '',
        agent: this.#agent,
        phone: line.phone,
        tech: this.#tech(),
        context: line.context,
        outqueue: campaign,
        destination: args.number,
      },
      signal,
      { operation: 'dial' },
    );
    const guid = readGuid(text);
    if (!guid) throw zeroAnswer('dial');
    this.#line.add({ id: guid, direction: 'outbound', state: 'dialing', number: args.number, campaign, fields: [], notes: [], offeredAt: Date.now() });
    this.#publish();
  }

  async #hangup(args: CommandArgs['hangup'], signal: AbortSignal): Promise<void> {
    const call = this.#line.current(args.callId);
    if (!call) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'hangup', message: 'There is no such call.' });
    await this.#expectText('Agents/HangupPhone', { phone: this.#requireLine('hangup').phone }, signal, 'hangup');
    this.#line.finish(call.id, hasDispositions(this.#config), Date.now());
    this.#publish();
  }

  async #wrapUp(args: CommandArgs['wrapUp'], signal: AbortSignal): Promise<void> {
    const call = this.#line.current(args.callId);
    if (!call) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'wrapUp', message: 'There is no such call.' });
    const c = this.#config;
    const form: Record<string, string> = { campaign: call.campaign ?? c.campaign ?? '', agent: this.#agent };
    if (c.callerid) form.callerid = c.callerid;
    form.guid = call.id;
    Object.assign(form, levelsOf(c, args.code));
    if (args.notes) form.comment = args.notes;
    // A disposition configured with a tag tags the call's recording ("Tag Record").
    const tag = tagOf(c, args.code);
    if (tag) form.tag = tag;
    if (call.callbackAt) {
      form.schedule = call.callbackAt;
      form.camptoreschedule = c.rescheduleCampaign ?? form.campaign!;
    }
    await this.#expectText('api/DispositionCall', form, signal, 'wrapUp');
    this.#line.remove(call.id);
    this.#publish({ [call.id]: args.code });
  }

  async #callback(args: CommandArgs['createCallback'], signal: AbortSignal): Promise<void> {
    const calldate = ucontactDate(args.time);
    if (!calldate) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'createCallback', message: 'The callback time is not a date.' });
    const call = this.#line.current(args.callId);
    const target = args.target ?? CALLBACK_TARGETS.campaign;
    if (target !== CALLBACK_TARGETS.campaign && target !== CALLBACK_TARGETS.me) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'createCallback', message: `"${String(target).slice(0, 40)}" is not a callback target uContact offers.` });
    }
    if (target === CALLBACK_TARGETS.me) return this.#ownCallback(calldate, call, args.number, signal);
    if (call) {
      // Sent with the call's disposition (`schedule` + `camptoreschedule`): uContact reschedules the contact.
      this.#line.update(call.id, { callbackAt: calldate, notes: [...call.notes, `Callback ${calldate}`] });
      this.#publish();
      return;
    }
    if (!args.number) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'createCallback', message: 'A callback needs a number when there is no call.' });
    const callschedule = JSON.stringify({ calldate, campaign: this.#config.rescheduleCampaign ?? this.#config.campaign ?? '', destination: args.number });
    await this.#expectText('Dialers/ScheduleDialerCall', { callschedule }, signal, 'createCallback');
  }

  /**
   * A callback for this agent: `Dialers/DialerTask` ("Create a manual call") with the agent's phone,
   * sent at once (a disposition's `schedule` cannot name an agent). The typed number wins over the
   * call's; every key of the task is sent (uContact refuses a task missing one).
   */
  async #ownCallback(calldate: string, call: LineCall | undefined, number: string | undefined, signal: AbortSignal): Promise<void> {
    const destination = number || call?.number;
    if (!destination) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'createCallback', message: 'A callback needs a number when there is no call.' });
    const c = this.#config;
    const task = {
      calldate,
      campaign: c.rescheduleCampaign ?? call?.campaign ?? c.campaign ?? '',
      destination,
      alternatives: '',
      agent: this.#requireLine('createCallback').phone,
      data: '',
      source: 'agent-bar',
      bulk: false,
      automatic: true,
    };
    await this.#expectText('Dialers/DialerTask', { call: JSON.stringify(task) }, signal, 'createCallback');
    if (call) {
      this.#line.update(call.id, { notes: [...call.notes, `Callback ${calldate} (mine)`] });
      this.#publish();
    }
  }

  // ---- the wire ----------------------------------------------------------------------------------

  /** One form POST; the answer's text. HTTP errors are readable errors with the status kept. */
  async #call(method: RestMethod, form: Record<string, string>, signal?: AbortSignal, options: { noToken?: boolean; operation?: Operation } = {}): Promise<string> {
    const headers: Record<string, string> = { 'content-type': FORM_CONTENT_TYPE };
    if (!options.noToken && this.#renew) await this.#userToken(signal);
    if (!options.noToken) {
      if (this.#token === undefined) throw new CtiError({ code: ErrorCode.NotAllowed, message: 'Log in to uContact first.', ...(options.operation ? { operation: options.operation } : {}) });
      headers.authorization = `Basic ${this.#token}`;
    }
    const response = await this.#http.send({
      method: 'POST',
      path: `${REST_PREFIX}/${method}`,
      headers,
      body: new URLSearchParams(form).toString(),
      ...(signal ? { signal } : {}),
    });
    if (response.status < 200 || response.status > 299) {
      if (response.status === 401 && !options.noToken && this.#config.user !== undefined) this.#renew = true;
      throw httpStatusError(response.status, options.operation);
    }
    return response.text;
  }

  /** A method whose answer is text, `0` meaning failed. */
  async #expectText(method: RestMethod, form: Record<string, string>, signal: AbortSignal, operation: Operation): Promise<void> {
    const text = await this.#call(method, form, signal, { operation });
    if (text.trim() === REST_FAILED) throw zeroAnswer(operation);
  }

  async #endSession(): Promise<void> {
    const token = this.#token;
    const user = this.#tokenUser;
    this.#token = undefined;
    if (token === undefined || user === undefined) return;
    try {
      await this.#http.send({
        method: 'POST',
        path: `${REST_PREFIX}/auth/EndSession`,
        headers: { 'content-type': FORM_CONTENT_TYPE, authorization: `Basic ${token}` },
        body: new URLSearchParams({ user, token }).toString(),
        timeoutMs: 3000,
      });
    } catch {
      // The session times out at uContact anyway; nothing to tell anyone.
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  #tech(): string {
    return this.#config.tech ?? 'SIP';
  }

  #interface(operation: Operation): string {
    return `${this.#tech()}/${this.#requireLine(operation).phone}`;
  }

  #requireLine(operation: Operation): AgentLine {
    if (!this.#agentLine) throw new CtiError({ code: ErrorCode.NotAllowed, operation, message: 'Log in to uContact first.' });
    return this.#agentLine;
  }

  #setState(state: AgentState, reason?: UcontactReason): void {
    this.#state = state;
    this.#reason = reason;
    if (state === 'loggedOut') {
      this.#agentLine = undefined;
      this.#line.clear();
    }
    this.#publish();
  }

  #publish(dispositions?: Record<string, string>): void {
    const reason: Reason | undefined = this.#reason ? { code: this.#reason.code, label: this.#reason.label } : undefined;
    const events = this.#differ.diff({
      agent: { state: this.#state, agentId: this.#agentId, ...(reason ? { reason } : {}) },
      calls: this.#line.toCalls(),
      lists: {
        dispositions: dispositionList(this.#config),
        reasons: this.#reasons.map((r) => ({ code: r.code, label: r.label })),
        callbackTargets: [
          { id: CALLBACK_TARGETS.campaign, label: 'Any agent of the campaign' },
          { id: CALLBACK_TARGETS.me, label: 'Myself' },
        ],
      },
      capabilities: lineFlags(this.#line.current(), {
        hangup: true,
        dispose: true,
        callback: true,
        ready: this.#state === 'notReady',
        notReady: this.#state === 'ready',
      }),
      ...(dispositions ? { dispositions } : {}),
    });
    for (const event of events) this.emit(event);
  }
}

/**
 * uContact through the portal's window proxy (docs/connectors/ucontact.md §2–§4, §6), both flavours:
 *  - `porthole`: the CRM page (with the bar) runs in a frame of the uContact portal and talks to
 *    its parent through Porthole 1.0 envelopes (our PostMessageTransport, wire-compatible with the
 *    real porthole.js); dial, hang up, disposition and callbacks are actions, the call's GUID
 *    comes back as `{guid}`;
 *  - `uphone`: the CRM page frames uPhone v6 and posts `{action:'makeCall', params}` into it;
 *    uPhone's events (`gettingCall`, `makeCall`, `finishedCall`, `sentDispositions`,
 *    `agentLogin`) come back out. uPhone documents no hang-up or disposition action: the agent
 *    does those in uPhone and the bar follows its events.
 * The agent is logged in to the portal already, so the bar starts `ready` and Dial works at once.
 * Every message is read only from the portal's exact origin and window (the transports' rules);
 * whatever does not fit the shapes in proxy-messages.ts is dropped and changes nothing.
 */
import type { Command, CommandArgs } from '../../core/commands.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import { PostMessageTransport, type MessageSource, type PostTarget } from '../../transports/postmessage-transport.ts';
import { normalizeOrigin } from '../../transports/porthole-envelope.ts';
import type { Transport, TransportMessage, TransportStatus } from '../../transports/transport.ts';
import { ConnectorBase } from '../kit/connector-base.ts';
import { PollDiffer } from '../kit/poll-differ.ts';
import { CallLine, lineFlags, screenPop, ucontactDate, type LineCall } from './call-line.ts';
import { PORTHOLE_ACTIONS, type ProxyFlavour } from './protocol.ts';
import {
  portholeDial,
  portholeDisposition,
  portholeHangup,
  portholeSchedule,
  portholeCloseForm,
  portholeTagRecord,
  readInbound,
  uphoneMakeCall,
  type Params,
  type ProxyInbound,
} from './proxy-messages.ts';
import { dispositionList, hasDispositions, levelsOf, tagOf, type UcontactConfig } from './ucontact-config.ts';
import { proxyRefusal, zeroAnswer } from './ucontact-errors.ts';
import { UphoneChannel, type ObjectPostTarget } from './uphone-channel.ts';

export const PORTHOLE_SUPPORTS: readonly Operation[] = ['dial', 'hangup', 'wrapUp', 'createCallback'];
export const UPHONE_SUPPORTS: readonly Operation[] = ['dial'];

export interface PortalConnectorOptions {
  agentId: string;
  flavour: ProxyFlavour;
  /** The portal's (or uPhone's) origin: the `endpoint` attribute. */
  endpoint: string;
  allowedOrigins?: readonly string[];
  config: UcontactConfig;
  /** Test seams: our window, and the peer window. */
  self?: MessageSource;
  peer?: () => unknown;
}

interface Waiter {
  resolve(reply: ProxyInbound): void;
  reject(error: CtiError): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class PortalConnector extends ConnectorBase {
  readonly #flavour: ProxyFlavour;
  readonly #agentId: string;
  readonly #config: UcontactConfig;
  readonly #transport: Transport;
  readonly #peer: () => unknown;
  readonly #origin: string;
  readonly #timeoutMs: number;
  readonly #line = new CallLine();
  readonly #differ = new PollDiffer();
  /** Replies awaited, per action (the portal answers in order; `dial` for `{guid}`). */
  readonly #waiting = new Map<string, Waiter[]>();
  /**
   * Per action, until when the answer to a request that timed out may still come. The portal
   * answers in order, so the next answer is that late one, not the answer to a newer request.
   */
  readonly #late = new Map<string, number[]>();
  #localIds = 0;

  constructor(options: PortalConnectorOptions) {
    super({ name: 'ucontact', supports: options.flavour === 'porthole' ? PORTHOLE_SUPPORTS : UPHONE_SUPPORTS, loginFields: [] });
    this.#flavour = options.flavour;
    this.#agentId = options.agentId;
    this.#config = options.config;
    this.#timeoutMs = options.config.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const origin = normalizeOrigin(options.endpoint);
    if (!origin) throw configError('the endpoint must be the uContact portal\'s origin (https://instance.ucontactcloud.com).');
    this.#origin = origin;
    const allowed = options.allowedOrigins && options.allowedOrigins.length > 0 ? options.allowedOrigins.map((o) => normalizeOrigin(o)) : [origin];
    const allowedOrigins = allowed.filter((o): o is string => o !== undefined);
    // `*`, `null` or a path-less typo is refused, not skipped: the list is a security setting.
    if (allowedOrigins.length !== allowed.length) throw configError('allowed-origins must be exact http(s) origins (no *).');
    if (!allowedOrigins.includes(origin)) throw configError(`allowed-origins must include the portal's origin ${origin}.`);
    this.#peer = options.peer ?? (options.flavour === 'porthole' ? parentWindow : () => uphoneWindow(options.config, origin));
    const self = options.self ? { self: options.self } : {};
    this.#transport =
      options.flavour === 'porthole'
        ? new PostMessageTransport({ target: () => this.#peer() as PostTarget | undefined, allowedOrigins, targetOrigin: origin, targetWindowName: '', ...self })
        : new UphoneChannel({ target: () => this.#peer() as ObjectPostTarget | undefined, allowedOrigins, targetOrigin: origin, ...self });
  }

  /** The transport's diagnostics: messages read and dropped. */
  get counters(): { accepted: number; dropped: number } {
    const t = this.#transport as unknown as { acceptedCount: number; droppedCount: number };
    return { accepted: t.acceptedCount, dropped: t.droppedCount };
  }

  protected async open(): Promise<void> {
    if (!this.#peer()) {
      throw new CtiError({
        code: ErrorCode.NotConnected,
        message: this.#flavour === 'porthole' ? 'This page is not inside the uContact portal (it has no parent frame).' : 'The uPhone frame was not found on this page.',
      });
    }
    // A hidden ancestor ('null', under a no-referrer policy) proves nothing: only a real origin is compared.
    const parent = this.#flavour === 'porthole' ? normalizeOrigin(parentOrigin() ?? '') : undefined;
    if (parent !== undefined && parent !== this.#origin) {
      // Nothing would reach that page anyway (every post names the portal's origin): say why now.
      throw new CtiError({ code: ErrorCode.NotConnected, message: `This page is framed by ${parent.slice(0, 100)}, not by the uContact portal ${this.#origin}.` });
    }
    this.#transport.onMessage((message) => this.#receive(message));
    this.#transport.onStatus((status) => this.#onStatus(status));
    await this.#transport.connect();
    this.#publish();
  }

  protected async send(command: Command, signal: AbortSignal): Promise<void> {
    switch (command.operation) {
      case 'dial':
        return this.#dial(command.args, signal);
      case 'hangup':
        return this.#hangup(command.args, signal);
      case 'wrapUp':
        return this.#wrapUp(command.args, signal);
      case 'createCallback':
        return this.#callback(command.args, signal);
      default:
        throw new CtiError({ code: ErrorCode.Unsupported, message: `uContact's portal cannot ${command.operation}.` });
    }
  }

  protected close(): void {
    const closed = new CtiError({ code: ErrorCode.Destroyed, message: 'The connection was closed.' });
    for (const queue of this.#waiting.values()) for (const waiter of queue) waiter.reject(closed);
    this.#waiting.clear();
    this.#transport.destroy();
  }

  // ---- commands ----------------------------------------------------------------------------------

  async #dial(args: CommandArgs['dial'], signal: AbortSignal): Promise<void> {
    const campaign = this.#config.campaign;
    if (!campaign) throw configError('set config.campaign (the outbound campaign, e.g. "Sales->") to dial through uContact.');
    if (this.#flavour === 'uphone') {
      // uPhone answers nothing: its `makeCall` event shows the call.
      this.#post(uphoneMakeCall(args.number, campaign));
      return;
    }
    const action = this.#config.dialAction ?? PORTHOLE_ACTIONS.call;
    const fields = { destination: args.number, campaign, ...(this.#config.callerid !== undefined ? { callerid: this.#config.callerid } : {}) };
    const reply = await this.#ask('dial', portholeDial(action, fields), signal);
    if (reply.kind !== 'guid') throw proxyRefusal('dial');
    if (reply.guid === undefined) throw zeroAnswer('dial');
    const known = this.#line.find(reply.guid);
    if (!known) {
      this.#line.add({ id: reply.guid, direction: 'outbound', state: 'dialing', number: args.number, campaign, fields: [], notes: [], offeredAt: Date.now() });
    }
    this.#publish();
  }

  async #hangup(args: CommandArgs['hangup'], signal: AbortSignal): Promise<void> {
    const call = this.#target(args.callId);
    const reply = await this.#ask(PORTHOLE_ACTIONS.hangup, portholeHangup(call.id), signal);
    this.#checkResult(reply, 'hangup');
    this.#line.finish(call.id, this.#wrapsUp(), Date.now());
    this.#publish();
  }

  async #wrapUp(args: CommandArgs['wrapUp'], signal: AbortSignal): Promise<void> {
    const call = this.#target(args.callId);
    const c = this.#config;
    const fields = {
      guid: call.id,
      campaign: call.campaign ?? c.campaign ?? '',
      ...levelsOf(c, args.code),
      ...(c.agent ? { agent: c.agent } : {}),
      ...(c.callerid ? { callerid: c.callerid } : {}),
      ...(args.notes ? { comment: args.notes } : {}),
      ...(call.callbackAt ? { schedule: call.callbackAt, camptoreschedule: c.rescheduleCampaign ?? call.campaign ?? c.campaign ?? '' } : {}),
    };
    // A disposition that tags the recording: the tag first, while the call's record is open; a
    // refused tag stops here (nothing dispositioned, the agent can try again).
    const tag = tagOf(c, args.code);
    if (tag) this.#checkResult(await this.#ask(PORTHOLE_ACTIONS.tagRecord, portholeTagRecord(call.id, tag), signal), 'wrapUp', 'tag the call\'s recording');
    const reply = await this.#ask(PORTHOLE_ACTIONS.disposition, portholeDisposition(tag ? { ...fields, tag } : fields), signal);
    this.#checkResult(reply, 'wrapUp');
    this.#line.remove(call.id);
    this.#publish({ [call.id]: args.code });
    if (c.closeForm) {
      // The disposition is done either way: a form the portal did not close is only told.
      try {
        this.#checkResult(await this.#ask(PORTHOLE_ACTIONS.closeForm, portholeCloseForm(), signal), 'wrapUp', 'close the call\'s form');
      } catch (error) {
        this.emit({ type: 'error', error: CtiError.from(error, { operation: 'wrapUp' }).toJSON() });
      }
    }
  }

  async #callback(args: CommandArgs['createCallback'], signal: AbortSignal): Promise<void> {
    const calldate = ucontactDate(args.time);
    if (!calldate) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'createCallback', message: 'The callback time is not a date.' });
    const call = this.#line.current(args.callId);
    if (call) {
      // Sent with the call's disposition (`schedule`), as uContact reschedules a dispositioned contact.
      this.#line.update(call.id, { callbackAt: calldate, notes: [...call.notes, `Callback ${calldate}`] });
      this.#publish();
      return;
    }
    if (!args.number) throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'createCallback', message: 'A callback needs a number when there is no call.' });
    const campaign = this.#config.rescheduleCampaign ?? this.#config.campaign ?? '';
    const reply = await this.#ask(PORTHOLE_ACTIONS.schedule, portholeSchedule({ calldate, campaign, destination: args.number }), signal);
    this.#checkResult(reply, 'createCallback');
  }

  #target(callId: string | undefined): LineCall {
    const call = this.#line.current(callId);
    if (!call) throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'There is no such call.' });
    return call;
  }

  #checkResult(reply: ProxyInbound, operation: Operation, what?: string): void {
    if (reply.kind !== 'result') throw proxyRefusal(operation);
    if (!reply.ok) throw zeroAnswer(operation, reply.message ? `(${reply.message})` : undefined, what);
  }

  /** Posts one action and waits for its reply (in order per action), the command timeout, or disconnect. */
  #ask(key: string, message: TransportMessage, signal: AbortSignal): Promise<ProxyInbound> {
    return new Promise<ProxyInbound>((resolve, reject) => {
      const queue = this.#waiting.get(key) ?? [];
      this.#waiting.set(key, queue);
      const timer = globalThis.setTimeout(() => {
        drop();
        this.#late.set(key, [...(this.#late.get(key) ?? []), Date.now() + this.#timeoutMs]);
        reject(new CtiError({ code: ErrorCode.Timeout, message: `The uContact portal did not answer within ${Math.round(this.#timeoutMs / 1000)} s.` }));
      }, this.#timeoutMs);
      const waiter: Waiter = {
        resolve: (reply) => {
          globalThis.clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          globalThis.clearTimeout(timer);
          reject(error);
        },
      };
      const drop = (): void => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
      };
      signal.addEventListener('abort', () => {
        drop();
        waiter.reject(new CtiError({ code: ErrorCode.Destroyed, message: 'The connection was closed.' }));
      });
      queue.push(waiter);
      try {
        this.#post(message);
      } catch (error) {
        drop();
        waiter.reject(CtiError.from(error, { code: ErrorCode.NotConnected }));
      }
    });
  }

  #post(message: TransportMessage): void {
    try {
      this.#transport.send(message);
    } catch (error) {
      throw new CtiError({ code: ErrorCode.NotConnected, message: `The uContact portal could not be reached: ${(error as Error).message}` });
    }
  }

  // ---- what the portal says ----------------------------------------------------------------------

  #receive(data: TransportMessage): void {
    const message = readInbound(data, this.#flavour);
    if (!message) return;
    if (message.kind === 'guid') return this.#answer('dial', message);
    if (message.kind === 'result') return this.#answer(message.action, message);
    if (message.kind === 'interaction') return this.#onInteraction(message.event, message.data);
    this.#onEvent(message.event, message.params);
  }

  /** A reply nobody waits for (late, or forged by the portal itself) changes nothing. */
  #answer(key: string, reply: ProxyInbound): void {
    const now = Date.now();
    const late = (this.#late.get(key) ?? []).filter((until) => until > now);
    if (late.length > 0) {
      late.shift(); // the late answer of a request that already failed: it decides nothing
      this.#late.set(key, late);
      return;
    }
    this.#late.delete(key);
    this.#waiting.get(key)?.shift()?.resolve(reply);
  }

  #onEvent(event: string, params: Params): void {
    const now = Date.now();
    const guid = params.guid ?? params.uniqueid;
    switch (event) {
      case 'gettingCall':
      case 'makeCall': {
        const inbound = event === 'gettingCall';
        const number = params.number ?? params.callerid ?? params.phone ?? '';
        if (!inbound && guid === undefined && this.#line.live()?.number === number) return; // our own dial, echoed
        const id = guid ?? `uc-${++this.#localIds}`;
        if (this.#line.find(id)) return;
        const call: LineCall = {
          id,
          direction: inbound ? 'inbound' : 'outbound',
          state: inbound ? 'ringing' : 'dialing',
          number,
          // The screen pop is for an offered call (the CRM page already shows the record it dials from).
          fields: [...(inbound ? screenPop(this.#config.screenPopUrl, { number, guid: id, ...(params.campaign ? { campaign: params.campaign } : {}) }) : []), ...displayFields(params)],
          notes: [],
          offeredAt: now,
        };
        if (params.campaign) call.campaign = params.campaign;
        if (params.name) call.name = params.name;
        this.#line.add(call);
        break;
      }
      case 'finishedCall': {
        const call = guid !== undefined ? this.#line.find(guid) : this.#line.live();
        if (!call) return;
        this.#line.finish(call.id, this.#wrapsUp(), now);
        break;
      }
      case 'sentDispositions': {
        const call = guid !== undefined ? this.#line.find(guid) : this.#line.calls.find((c) => c.state === 'wrapup');
        if (!call) return;
        this.#line.remove(call.id);
        break;
      }
      case 'agentLogin':
        // The portal's agent is (still) logged in: what the bar shows from the start.
        this.#differ.resync();
        break;
      default:
        return; // finishedSms: not a call
    }
    this.#publish();
  }

  /**
   * uContact v6's Events API (docs/connectors/ucontact.md §3.1). It names no number and no
   * direction: an interaction the bar did not know is an offered call (the agent takes it in
   * uContact); one it knows (from uPhone's own events) only gains its campaign and client id. A
   * GUID the bar does not know, while its live call has only a local id (a GUID-less uPhone
   * event), is that call's.
   */
  #onInteraction(event: string, data: Params): void {
    const now = Date.now();
    const guid = data.guid;
    const live = this.#line.live();
    const known = this.#line.find(guid) ?? (live && live.id.startsWith('uc-') ? live : undefined);
    switch (event) {
      case 'assignedInteraction': {
        if (known) {
          const extra = displayFields(data).filter((f) => f.key !== 'channel' && !known.fields.some((k) => k.key === f.key));
          this.#line.update(known.id, { ...(data.campaign && !known.campaign ? { campaign: data.campaign } : {}), fields: [...known.fields, ...extra] });
          break;
        }
        if (guid === undefined || guid === '' || live) return; // nothing to show, or a second live call uContact did not describe
        const call: LineCall = {
          id: guid,
          direction: 'inbound',
          state: 'ringing',
          number: '',
          fields: [...screenPop(this.#config.screenPopUrl, { number: '', guid, ...(data.campaign ? { campaign: data.campaign } : {}) }), ...displayFields(data).filter((f) => f.key !== 'channel')],
          notes: [],
          offeredAt: now,
        };
        if (data.campaign) call.campaign = data.campaign;
        this.#line.add(call);
        break;
      }
      case 'finishedInteraction':
        if (!known) return;
        this.#line.finish(known.id, this.#wrapsUp(), now);
        break;
      case 'sentDisposition': {
        const call = this.#line.find(guid) ?? this.#line.calls.find((c) => c.state === 'wrapup' && (guid === undefined || c.id.startsWith('uc-')));
        if (!call) return;
        this.#line.remove(call.id);
        break;
      }
      default:
        return; // changedTheme, changedLanguage: not about calls
    }
    this.#publish();
  }

  #onStatus(status: TransportStatus): void {
    if (this.disconnected || status === 'connecting') return;
    this.setStatus(status);
  }

  /** A finished call waits for its disposition when the bar has dispositions to offer. */
  #wrapsUp(): boolean {
    return hasDispositions(this.#config);
  }

  #publish(dispositions?: Record<string, string>): void {
    const calls = this.#line.toCalls();
    const porthole = this.#flavour === 'porthole';
    const events = this.#differ.diff({
      agent: { state: 'ready', agentId: this.#agentId },
      calls,
      lists: { dispositions: dispositionList(this.#config) },
      capabilities: lineFlags(this.#line.current(), { hangup: porthole, dispose: porthole, callback: porthole }),
      ...(dispositions ? { dispositions } : {}),
    });
    for (const event of events) this.emit(event);
  }
}

const SKIP = new Set(['guid', 'uniqueid', 'number', 'callerid', 'phone', 'name', 'campaign', 'url']);

/** The rest of an event's params, shown read-only as text (never markup, never a link). */
function displayFields(params: Params): LineCall['fields'] {
  return Object.entries(params)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => ({ key, label: key, value, type: 'readOnly' as const }));
}

function configError(problem: string): CtiError {
  return new CtiError({ code: ErrorCode.InvalidArgument, message: `uContact connector: ${problem}` });
}

/** The parent page's origin where the browser tells it (`location.ancestorOrigins`, Chromium and Safari). */
function parentOrigin(): string | undefined {
  const ancestors = (globalThis as unknown as { location?: { ancestorOrigins?: ArrayLike<string> } }).location?.ancestorOrigins;
  return ancestors && ancestors.length > 0 ? ancestors[0] : undefined;
}

function parentWindow(): unknown {
  const g = globalThis as unknown as { window?: unknown; parent?: unknown };
  return g.parent !== undefined && g.parent !== g.window ? g.parent : undefined;
}

/** uPhone's window: `config.uphoneFrame()`, else the first iframe of this page loaded from uPhone's origin. */
function uphoneWindow(config: UcontactConfig, origin: string): unknown {
  if (config.uphoneFrame) {
    const found = config.uphoneFrame() as { contentWindow?: unknown } | null | undefined;
    return found && typeof found === 'object' && 'contentWindow' in found ? found.contentWindow : found;
  }
  const doc = (globalThis as unknown as { document?: { querySelectorAll(s: string): ArrayLike<{ src: string; contentWindow: unknown }> } }).document;
  if (!doc) return undefined;
  const frames = doc.querySelectorAll('iframe');
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    if (normalizeOrigin(frame.src) === origin) return frame.contentWindow ?? undefined;
  }
  return undefined;
}

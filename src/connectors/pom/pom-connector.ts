/**
 * The `pom` connector: the bar as an Avaya POM agent desktop, over the POM bridge protocol
 * (docs/connectors/pom.md). It sends POM's own commands, folds POM's responses and notifications
 * into its view of POM (`foldPom`) and hands the session the canonical difference
 * (`diffCanonical`). It also does what the document leaves to the desktop: the nailing handshake,
 * fetching customer details, completion codes and consult destinations, answering
 * GetAgentStatus, sequencing a blind transfer, and walk-away detection.
 *
 * POM's capabilities are passed through as server-sent flags: the bar enables nothing POM did not.
 * After a reconnect (or POMAvailable) the bridge's status record replaces the view, so what the
 * agent sees is POM's truth, not what was last heard before the drop.
 */
import type { Connector, EventSink } from '../../core/connector.ts';
import type { Command } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type { ConnectionStatus, Reason } from '../../core/model.ts';
import { CtiError, ErrorCode, type CtiErrorInit } from '../../core/errors.ts';
import { isOperation, type Operation } from '../../core/operations.ts';
import { TransportError, TransportErrorCode } from '../../transports/errors.ts';
import type { TransportMessage, TransportStatus } from '../../transports/transport.ts';
import { WebSocketTransport, type WebSocketLike } from '../../transports/websocket-transport.ts';
import type { BackoffOptions } from '../../transports/backoff.ts';
import { pomError } from './error-codes.ts';
import { commandFrame, helloFrame, parseBridgeFrame, FrameError, type BridgeMessage } from './codec.ts';
import { foldPom, initialView, type Duty, type PomInput, type PomView, type SentCommand } from './pom-view.ts';
import { diffCanonical, toCanonical, type CanonicalPicture } from './pom-mapping.ts';
import { POM_SUPPORTS, toPomCommands, WALK_AWAY_REASON } from './pom-commands.ts';
import { ANSWER_MACHINE, EXTERNAL_NUMBER, type PomCommandName } from './protocol.ts';
import { withConnectTimeout } from '../kit/connect-timeout.ts';
import type { LoginField } from '../kit/define-connector.ts';
import { withTimeZones } from './login-fields.ts';

export interface PomConnectorConfig {
  /** Not-ready reasons the desktop offers (POM has no list of its own). */
  reasons?: Reason[];
  /** A command without its RESP within this long fails with TIMEOUT. Default 10 s. */
  commandTimeoutMs?: number;
  /** `connect()` rejects when the bridge did not welcome us within this long. Default 15 s. */
  connectTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Blind transfer: how long to wait for the consult to connect before giving up. Default 20 s. */
  blindTransferWaitMs?: number;
  /** Callback type for `createCallback`. Default `Agent` (the agent's own callback). */
  callbackType?: 'Standard' | 'Agent' | 'Campaign';
  /** Walk-away detection (two consecutive calls with no click → NotReady, walked away). Default on. */
  walkAway?: boolean;
  /** Node (gateway): a `ws` WebSocket factory; the browser's WebSocket is used otherwise. */
  createSocket?: (url: string) => WebSocketLike;
  /** Diagnostics: every bridge frame the connector could not use (never thrown). */
  onIgnored?: (info: { reason: string; frame: unknown }) => void;
  now?: () => number;
}

export interface PomConnectorOptions {
  agentId: string;
  endpoint: string;
  config?: PomConnectorConfig;
}

/** The not-ready reasons a POM desktop offers when the site configures none. */
export const POM_DEFAULT_REASONS: Reason[] = [
  { code: 'BREAK', label: 'Break' },
  { code: 'LUNCH', label: 'Lunch' },
  { code: 'TRAINING', label: 'Training' },
  { code: 'MEETING', label: 'Meeting' },
];

export class PomConnector implements Connector {
  readonly name = 'pom';
  readonly supports: ReadonlySet<Operation> = POM_SUPPORTS;
  readonly agentId: string;
  readonly endpoint: string;

  readonly #config: PomConnectorConfig;
  readonly #reasons: Reason[];
  readonly #now: () => number;
  #transport: WebSocketTransport | undefined;
  #unsubscribe: Array<() => void> = [];
  #sink: EventSink | undefined;
  #seq = 0;
  #view: PomView;
  #picture: CanonicalPicture | undefined;
  #lastConnection: ConnectionStatus | undefined;
  #welcomed = false;
  #refusal: CtiError | undefined;
  #disconnected = false;
  #nextId = 1;
  readonly #pending = new Map<string, { step: SentCommand; operation?: Operation; settle: (error?: CtiError, args?: Record<string, unknown>) => void }>();
  /** Walk-away: did the agent click anything during the current call; calls in a row without. */
  #clickedThisCall = false;
  #silentCalls = 0;
  #lastCallId: string | undefined;
  /** False for an answering machine wrapped up at once: it does not count as a call. */
  #callCounts = true;
  /** POM's time zones (AGTGetTimezones), asked once after the first welcome while logged out. */
  #zones: Array<{ key: string; value: string }> | undefined;
  #askingZones = false;

  constructor(options: PomConnectorOptions) {
    if (typeof options.agentId !== 'string' || options.agentId === '') {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'An agent id is required.' });
    }
    if (typeof options.endpoint !== 'string' || !/^wss?:\/\//.test(options.endpoint)) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'The POM connector needs the bridge endpoint as a ws:// or wss:// URL.' });
    }
    this.agentId = options.agentId;
    this.endpoint = options.endpoint;
    this.#config = options.config ?? {};
    this.#reasons = this.#config.reasons?.length ? [...this.#config.reasons] : POM_DEFAULT_REASONS;
    this.#now = this.#config.now ?? (() => Date.now());
    this.#view = initialView(options.agentId);
  }

  /** The log-in form: `Time zone` lists POM's zones once POM gave them, a text box before. */
  get loginFields(): readonly LoginField[] {
    return withTimeZones(this.#zones ?? []);
  }

  /** The connector's view of POM (for diagnostics and tests). */
  get view(): PomView {
    return this.#view;
  }

  async connect(sink: EventSink): Promise<void> {
    if (this.#disconnected) throw new CtiError({ code: ErrorCode.Destroyed, message: 'The POM connector was disconnected.' });
    if (this.#transport && this.#transport.status !== 'offline') throw new CtiError({ code: ErrorCode.Protocol, message: 'Already connected.' });
    // After a failed connect() the session tries again: a fresh socket, the same view of POM.
    this.#dropTransport();
    this.#refusal = undefined;
    this.#sink = sink;
    const config = this.#config;
    const transport = new WebSocketTransport({
      url: this.endpoint,
      createSocket: config.createSocket,
      backoff: config.backoff,
      heartbeat: {
        intervalMs: config.heartbeatIntervalMs ?? 15_000,
        timeoutMs: config.heartbeatTimeoutMs ?? 5_000,
        ping: (id) => ({ type: 'ping', id }),
      },
      handshake: () => helloFrame(this.agentId),
      acceptHandshake: (reply) => {
        if (reply.type === 'welcome') return true;
        const reason = typeof reply.reason === 'string' ? reply.reason : 'The POM bridge did not welcome us.';
        this.#refusal = new CtiError({ code: ErrorCode.Unauthorized, severity: 'critical', message: `The POM bridge refused the connection: ${reason}` });
        return new TransportError(TransportErrorCode.Unauthorized, reason);
      },
    });
    this.#transport = transport;
    this.#unsubscribe.push(
      transport.onStatus((status) => this.#onStatus(status)),
      transport.onMessage((message) => this.#onMessage(message)),
    );
    this.#emitConnection();
    this.#emit({ type: 'lists', reasons: this.#reasons });

    try {
      await withConnectTimeout(transport.connect(), config.connectTimeoutMs ?? 15_000, 'the POM bridge');
    } catch (error) {
      const failure = this.#refusal ?? toCtiError(error);
      this.#dropTransport();
      this.#emitConnection();
      throw failure;
    }
  }

  async execute(command: Command): Promise<void> {
    if (!command || typeof command.id !== 'string' || command.id === '' || !isOperation(command.operation)) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'Not a command (need an id and a known operation).' });
    }
    const operation = command.operation;
    const context = { operation, commandId: command.id };
    if (!this.#connected()) {
      throw new CtiError({ ...context, code: ErrorCode.NotConnected, message: this.#notConnectedMessage() });
    }
    if (!this.supports.has(operation)) {
      throw new CtiError({ ...context, code: ErrorCode.Unsupported, message: 'Avaya POM has no such command.' });
    }
    let plan: SentCommand[];
    try {
      plan = toPomCommands(command, this.#view, { reasons: this.#reasons, callbackType: this.#config.callbackType });
    } catch (error) {
      throw CtiError.from(error, context);
    }
    this.#noteClick(command);
    if (operation === 'login') await this.#checkTimeZone(plan[0]!, command);
    await this.#checkDnc(plan, operation, command.id);
    for (const step of plan) await this.#send(step, operation, command.id);
    if (operation === 'blindTransfer') {
      await this.#whenConsultConnected(operation, command.id);
      await this.#send({ name: 'AGTCompleteTransfer', args: { sessionID: this.#view.call!.sessionID } }, operation, command.id);
    }
  }

  disconnect(): void {
    this.#rejectPending(new CtiError({ code: ErrorCode.Destroyed, message: 'The connection was closed.' }));
    this.#disconnected = true;
    this.#dropTransport();
    this.#sink = undefined;
  }

  #dropTransport(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#transport?.destroy();
    this.#transport = undefined;
  }

  // ── Sending ───────────────────────────────────────────────────────────────────────────────

  /**
   * Sends one POM command and folds its RESP; a result ≠ 0 rejects with POM's error. RESPs are
   * matched here, in `#onMessage`, rather than by the transport's request(): a RESP must be folded
   * in arrival order with the notifications around it (they can arrive in the same socket read).
   */
  #send(step: SentCommand, operation: Operation | undefined, commandId?: string): Promise<Record<string, unknown>> {
    const transport = this.#transport;
    const context: Partial<CtiErrorInit> = { ...(operation ? { operation } : {}), ...(commandId ? { commandId } : {}) };
    if (!transport || transport.status !== 'connected') {
      return Promise.reject(new CtiError({ ...context, code: ErrorCode.NotConnected, message: this.#notConnectedMessage() }));
    }
    const id = `p${this.#nextId++}`;
    const frame = commandFrame(id, step.name, step.args);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timeoutMs = this.#config.commandTimeoutMs ?? 10_000;
      const timer = globalThis.setTimeout(() => {
        this.#pending.delete(id);
        reject(new CtiError({ ...context, code: ErrorCode.Timeout, message: 'POM did not answer in time; check the call before trying again.' }));
      }, timeoutMs);
      this.#pending.set(id, {
        step,
        operation,
        settle: (error, args) => {
          globalThis.clearTimeout(timer);
          this.#pending.delete(id);
          if (error) reject(new CtiError({ ...error.toJSON(), ...context }));
          else resolve(args ?? {});
        },
      });
      this.#apply({ type: 'sent', command: step });
      try {
        transport.send(frame as unknown as TransportMessage);
      } catch (error) {
        this.#pending.get(id)?.settle(toCtiError(error, context));
      }
    });
  }

  /** A RESP arrived: fold it (in order) and settle its command. */
  #answer(message: Extract<BridgeMessage, { type: 'response' }>): void {
    const pending = message.id ? this.#pending.get(message.id) : undefined;
    if (!pending) {
      // A RESP nobody waits for (its command timed out): ignored, the notifications carry the state.
      this.#config.onIgnored?.({ reason: `unexpected ${message.name}RESP`, frame: message });
      return;
    }
    this.#apply({ type: 'answered', command: pending.step, result: message.result, args: message.args });
    if (message.result === 0) return pending.settle(undefined, message.args);
    const error = pomError(message.result, pending.operation);
    // POM: "force login possible" for 2 and 7. Say how, and what it costs.
    if (pending.step.name === 'AGTLogon' && (message.result === 2 || message.result === 7) && pending.step.args.isForce !== true) {
      pending.settle(new CtiError({ ...error.toJSON(), message: `${error.message} To take over, log in again with "Force log on" set to yes (a call in progress there is dropped).` }));
      return;
    }
    pending.settle(error);
  }

  #rejectPending(error: CtiError): void {
    for (const pending of [...this.#pending.values()]) pending.settle(error);
  }

  /** A duty: sent in the background; its failure is shown only when it matters to the agent. */
  #runDuty(duty: Duty & { reason?: Reason }): void {
    void this.#send(duty, undefined).catch((error: unknown) => {
      if (!QUIET_DUTIES.has(duty.name)) this.#emit({ type: 'error', error: CtiError.from(error).toJSON() });
    });
  }

  /**
   * The logon's time zone as one of POM's (AGTGetTimezones, allowed before logon). POM takes any
   * string, so a typo would go unnoticed until a callback is due: a zone POM does not list is
   * refused, with POM's choices, and nothing is logged on; one spelt in another case becomes POM's
   * spelling. When POM lists none (or cannot answer) the zone is sent as typed.
   */
  async #checkTimeZone(logon: SentCommand, command: Command): Promise<void> {
    // None typed: the default (UTC) is sent, as POM documents no list to check it against first.
    const asked = (command.args as Record<string, unknown>).timeZone;
    if (typeof asked !== 'string' || asked.trim() === '') return;
    const typed = String(logon.args.timeZone);
    let zones = this.#zones;
    if (!zones) {
      try {
        zones = this.#zones = readZones((await this.#send({ name: 'AGTGetTimezones', args: {} }, 'login', command.id)).timezones);
      } catch {
        return;
      }
    }
    if (zones.length === 0) return;
    const match = zones.find((z) => z.key === typed) ?? zones.find((z) => z.key.toLowerCase() === typed.toLowerCase());
    if (match) {
      logon.args.timeZone = match.key;
      return;
    }
    const choices = zones.slice(0, 12).map((z) => z.key).join(', ');
    throw new CtiError({
      operation: 'login',
      commandId: command.id,
      code: ErrorCode.InvalidArgument,
      severity: 'minor',
      message: `POM does not know the time zone "${typed.slice(0, 60)}". Use one of: ${choices}${zones.length > 12 ? ', …' : ''}.`,
    });
  }

  /**
   * The document leaves the do-not-call check to the desktop (AGTIsInDNC): before a number the
   * agent typed (not one of the contact's; sent as ExternalNumber) is dialled or called back, POM
   * is asked, and a listed number is refused with nothing sent.
   */
  async #checkDnc(plan: SentCommand[], operation: Operation, commandId: string): Promise<void> {
    const sessionID = this.#view.call?.sessionID;
    for (const step of plan) {
      if (!DIALLING.has(step.name) || !sessionID) continue;
      const number = step.args.contactNumber as { Name?: string; Number?: string } | undefined;
      if (number?.Name !== EXTERNAL_NUMBER || typeof number.Number !== 'string') continue;
      const answer = await this.#send({ name: 'AGTIsInDNC', args: { addressValue: number.Number, sessionID } }, operation, commandId);
      if (answer.present === true) {
        throw new CtiError({
          operation,
          commandId,
          code: ErrorCode.NotAllowed,
          severity: 'minor',
          vendorCode: 'AGTIsInDNC',
          message: `${number.Number} is on the do-not-call list: it was not dialled. Choose another number.`,
        });
      }
    }
  }

  async #whenConsultConnected(operation: Operation, commandId: string): Promise<void> {
    const deadline = this.#now() + (this.#config.blindTransferWaitMs ?? 20_000);
    while (this.#now() < deadline) {
      const call = this.#view.call;
      if (!call?.consult) {
        throw new CtiError({ operation, commandId, code: ErrorCode.Rejected, message: 'The transfer target could not be reached; you are still with the customer.' });
      }
      if (call.consult.connected && this.#view.callState === 'Consult') return;
      await new Promise((resolve) => globalThis.setTimeout(resolve, 50));
    }
    throw new CtiError({ operation, commandId, code: ErrorCode.Timeout, message: 'The transfer target did not answer in time; cancel the consult or try again.' });
  }

  // ── Receiving ─────────────────────────────────────────────────────────────────────────────

  #onMessage(raw: TransportMessage): void {
    let message: BridgeMessage;
    try {
      message = parseBridgeFrame(raw);
    } catch (error) {
      this.#config.onIgnored?.({ reason: error instanceof FrameError ? error.message : String(error), frame: raw });
      return;
    }
    if (message.type === 'unknownNotification') {
      // A newer POM or bridge: logged and ignored, never thrown.
      this.#config.onIgnored?.({ reason: `unknown notification ${message.name}`, frame: raw });
      return;
    }
    if (message.type === 'pong' || message.type === 'refused') return;
    if (message.type === 'response') {
      this.#answer(message);
      return;
    }
    if (message.type === 'welcome') this.#welcomed = true;
    this.#apply(message);
    if (message.type !== 'welcome') return;
    if (!this.#view.loggedOn && this.#zones === undefined && this.#view.pomAvailable) this.#askZones();
    this.#emitConnection();
  }

  /**
   * The time zones for the log-in form, asked before the bar shows itself connected (one round
   * trip): the form it then renders offers POM's zones instead of a text box. A failure leaves
   * the text box (the zone is still checked at logon) and is asked again at the next welcome.
   */
  #askZones(): void {
    this.#askingZones = true;
    void this.#send({ name: 'AGTGetTimezones', args: {} }, undefined)
      .then((answer) => {
        this.#zones = readZones(answer.timezones);
      })
      .catch(() => undefined)
      .finally(() => {
        this.#askingZones = false;
        this.#emitConnection();
      });
  }

  #apply(input: PomInput): void {
    const result = foldPom(this.#view, input, this.#now());
    this.#view = result.view;
    if (result.pomAvailable === false) {
      this.#emitConnection();
      this.#emit({ type: 'error', error: pomError(9999).toJSON() });
    }
    if (result.pomAvailable === true) {
      this.#emitConnection();
      // POM came back: read its truth again through the bridge's status record.
      void this.#transport
        ?.request({ type: 'getStatus' }, { timeoutMs: this.#config.commandTimeoutMs ?? 10_000 })
        .then((reply) => this.#onMessage(reply))
        .catch(() => undefined);
    }
    this.#publish();
    // After the current task: an unsolicited failure that arrives with a command's RESP (e.g. the
    // consult dial failing) must outlive that command's success, which clears the last error.
    if (result.problems.length > 0) {
      globalThis.setTimeout(() => {
        for (const problem of result.problems) this.#emit({ type: 'error', error: problem });
      }, 0);
    }
    for (const duty of result.duties) this.#runDuty(duty);
  }

  /** Hands the session what changed since the last picture. */
  #publish(): void {
    const next = toCanonical(this.#view, this.#config.callbackType);
    const events = diffCanonical(this.#picture, next);
    const previousCall = this.#picture?.call;
    this.#picture = next;
    for (const event of events) this.#emit(event);
    this.#watchWalkAway(previousCall?.id, next);
  }

  // ── Walk-away ─────────────────────────────────────────────────────────────────────────────

  /**
   * The document: if the agent clicks nothing during two consecutive calls, the desktop sends
   * NotReady with the walk-away flag. A wrap-up sent by the bar itself at the deadline with the
   * default code, or a timed preview dialled at zero, is not a click; an answering machine
   * wrapped up at once does not count as a call.
   */
  #noteClick(command: Command): void {
    const call = this.#view.call;
    const now = this.#now();
    if (command.operation === 'wrapUp' && call?.wrapup) {
      const w = call.wrapup;
      if (command.args.code === w.defaultCompCode) {
        if (w.acwMaxTime === 0 && w.defaultCompCode === ANSWER_MACHINE) {
          this.#callCounts = false;
          return;
        }
        if (w.acwMaxTime > 0 && now >= w.at + w.acwMaxTime * 1000 - 500) return;
      }
    }
    if (command.operation === 'previewDial' && call) {
      const t = Number(call.contact.previewTimeout ?? 0);
      if ((t === 0 && call.contact.contactType === 'Callback') || (t > 0 && now >= call.offeredAt + t * 1000 - 500)) return;
    }
    this.#clickedThisCall = true;
  }

  #watchWalkAway(previousCallId: string | undefined, next: CanonicalPicture): void {
    if (next.call && next.call.id !== this.#lastCallId) {
      this.#lastCallId = next.call.id;
      this.#clickedThisCall = false;
      this.#callCounts = true;
    }
    if (!previousCallId || next.call) return;
    // A call just ended.
    if (this.#clickedThisCall) this.#silentCalls = 0;
    else if (this.#callCounts) this.#silentCalls += 1;
    this.#clickedThisCall = false;
    this.#callCounts = true;
    if (this.#config.walkAway !== false && this.#silentCalls >= 2 && next.agentState === 'ready') {
      this.#silentCalls = 0;
      this.#runDuty({
        name: 'AGTStateChange',
        args: { agentState: 'NotReady', reasonCode: WALK_AWAY_REASON.code, reasonName: WALK_AWAY_REASON.label, hasWalkedAway: true },
        reason: WALK_AWAY_REASON,
      });
    }
  }

  // ── Connection ────────────────────────────────────────────────────────────────────────────

  #connected(): boolean {
    return this.#transport?.status === 'connected' && this.#welcomed && this.#view.pomAvailable;
  }

  #onStatus(status: TransportStatus): void {
    if (status !== 'connected') {
      this.#welcomed = false;
      // Never re-sent after a reconnect: call control must not happen twice.
      this.#rejectPending(
        new CtiError({ code: ErrorCode.NotConnected, vendorCode: 9999, message: 'The connection to POM dropped before it answered; check the call before trying again.' }),
      );
    }
    this.#emitConnection();
  }

  #emitConnection(): void {
    const transportStatus = this.#transport?.status ?? 'offline';
    let status: ConnectionStatus = transportStatus;
    if (transportStatus === 'connected') status = !this.#welcomed || this.#askingZones ? 'connecting' : this.#view.pomAvailable ? 'connected' : 'reconnecting';
    if (status === this.#lastConnection) return;
    this.#lastConnection = status;
    this.#emit({ type: 'connection', status });
  }

  #notConnectedMessage(): string {
    if (!this.#view.pomAvailable) return pomError(9999).message;
    const status = this.#transport?.status;
    if (status === 'reconnecting') return 'Not connected to the POM bridge: reconnecting. Try again in a moment.';
    if (status === 'connecting' || (status === 'connected' && !this.#welcomed)) return 'Not connected to the POM bridge yet.';
    return 'Not connected to the POM bridge.';
  }

  #emit(event: CanonicalEvent): void {
    const sink = this.#sink;
    if (!sink) return;
    this.#seq += 1;
    sink({ ...event, seq: this.#seq, at: event.at ?? this.#now() } as CanonicalEvent);
  }
}

/** `AGTGetTimezonesRESP.timezones`: POMKeyValuePairs; anything else in the list is left out. */
function readZones(value: unknown): Array<{ key: string; value: string }> {
  if (!Array.isArray(value)) return [];
  return value
    .filter((z): z is { key: string; value?: unknown } => !!z && typeof (z as { key?: unknown }).key === 'string' && (z as { key: string }).key !== '')
    .map((z) => ({ key: z.key, value: typeof z.value === 'string' ? z.value : '' }));
}

/** Commands that dial (or schedule a dial of) a contact number. */
const DIALLING = new Set<PomCommandName>(['AGTRedial', 'AGTPreviewDial', 'AGTCreateCallback']);

/** Duties whose failure means nothing to the agent (e.g. no destinations, already nailed). */
const QUIET_DUTIES = new Set<PomCommandName>(['AGTGetConsultTypes', 'AGTGetConsultDestsForType', 'AGTGetCallbackTypes', 'AGTGetCallbackDestsForType', 'AGTAvailableForNailup', 'GetAgentStatusResponse']);

export function toCtiError(error: unknown, context: Partial<CtiErrorInit> = {}): CtiError {
  if (error instanceof CtiError) return error;
  if (error instanceof TransportError) {
    switch (error.code) {
      case TransportErrorCode.NotConnected:
        return new CtiError({ ...context, code: ErrorCode.NotConnected, message: 'Not connected to the POM bridge.' });
      case TransportErrorCode.ConnectionLost:
        return new CtiError({ ...context, code: ErrorCode.NotConnected, vendorCode: 9999, message: 'The connection to POM dropped before it answered; check the call before trying again.' });
      case TransportErrorCode.Timeout:
        return new CtiError({ ...context, code: ErrorCode.Timeout, message: 'POM did not answer in time; check the call before trying again.' });
      case TransportErrorCode.Destroyed:
        return new CtiError({ ...context, code: ErrorCode.Destroyed, message: 'The connection was closed.' });
      case TransportErrorCode.Unauthorized:
        return new CtiError({ ...context, code: ErrorCode.Unauthorized, severity: 'critical', message: error.message });
      default:
        return new CtiError({ ...context, code: ErrorCode.Protocol, message: error.message });
    }
  }
  return CtiError.from(error, context);
}

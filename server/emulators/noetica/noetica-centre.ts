/**
 * The Noetica emulator's model (docs/connectors/noetica.md §9): users with their telephony state
 * and calls, the dialler (one list, records held per user, dispositions), the system status, and
 * one event stream per user that *Poll Event* reads (numbered, kept for a window, long-polled).
 *
 * A POST is checked at once (a refusal changes nothing and is answered with its code); what it
 * does happens a moment later (`latencyMs`), after the 202 went out, and shows only as events —
 * as on the real SDK, where a failure reported later is an *Operation Failed*.
 */
import { randomBytes } from 'node:crypto';
import type { SdkCommand } from '../../../src/connectors/noetica/binding.ts';
import {
  PHONE,
  POLL_MAX_WAIT_S,
  type CommandBodies,
  type DiallerState,
  type DiallerStatusAnswer,
  type EventData,
  type EventType,
  type PollAnswer,
  type SyncErrorCode,
  type SystemState,
  type SystemStatusAnswer,
  type TelephonyState,
  type TelephonyStatusAnswer,
  type WireCall,
  type WireEvent,
  type WireReason,
  type WireRecord,
} from '../../../src/connectors/noetica/wire.ts';
import { BREAK_REASONS, CAMPAIGN, DEFAULT_AGENT_PASSWORD, DIRECTORY, DISPOSITIONS, LIST, RECORDS, TRANSFERRED, USER_IDS, type ListRecord } from './noetica-data.ts';

/** A refusal answered at once: nothing changed. */
export class Refusal extends Error {
  constructor(readonly code: SyncErrorCode, message: string) {
    super(message);
  }
}

export interface CentreOptions {
  /** The agents' password for Request Login (default `noetica-agent`; '' = none asked). */
  agentPassword?: string;
  /** Outbound calls: ms until the customer answers; -1 waits for `customer-answer`. Default 1500. */
  answerDelayMs?: number;
  /** Consultations: ms until the consulted party answers; -1 waits for `consult-answer`. Default 800. */
  consultAnswerMs?: number;
  /** Between a POST's 202 and its effect, ms. Default 20. */
  latencyMs?: number;
}

interface User {
  id: string;
  status: TelephonyState;
  extension?: string;
  breakReason?: WireReason;
  pendingBreak?: WireReason;
  calls: WireCall[];
  dialler: { status: DiallerState; record: WireRecord | null };
  events: WireEvent[];
  seq: number;
  waiters: Set<() => void>;
}

export interface DispositionDone {
  userId: string;
  callId: string;
  recordId?: string;
  code: string;
  notes?: string;
}

/** Events kept per user for Poll Event (older cursors get `reset`). */
const EVENTS_KEPT = 500;

export class NoeticaCentre {
  readonly #options: Required<CentreOptions>;
  #users = new Map<string, User>();
  #system: { status: SystemState; detail?: string } = { status: 'Online' };
  #streamId = randomBytes(6).toString('hex');
  #nextCall = 1;
  #nextRequest = 1;
  #list: ListRecord[] = [...RECORDS];
  #done: DispositionDone[] = [];
  /** Injected telephony failures: the next accepted POST of `method` fails by Operation Failed. */
  #failing: { method: string; code: string; message?: string }[] = [];
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #requests: { userId: string; method: string; requestId: string }[] = [];

  constructor(options: CentreOptions = {}) {
    this.#options = {
      agentPassword: options.agentPassword ?? process.env.NOETICA_AGENT_PASSWORD ?? DEFAULT_AGENT_PASSWORD,
      answerDelayMs: options.answerDelayMs ?? 1500,
      consultAnswerMs: options.consultAnswerMs ?? 800,
      latencyMs: options.latencyMs ?? 20,
    };
    this.reset();
  }

  reset(): void {
    for (const user of this.#users.values()) for (const wake of user.waiters) wake();
    this.close();
    this.#users = new Map(USER_IDS.map((id) => [id, newUser(id)]));
    this.#system = { status: 'Online' };
    this.#streamId = randomBytes(6).toString('hex');
    this.#nextCall = 1;
    this.#list = [...RECORDS];
    this.#done = [];
    this.#failing = [];
    this.#requests = [];
  }

  configure(body: Record<string, unknown>): void {
    for (const key of ['answerDelayMs', 'consultAnswerMs', 'latencyMs'] as const) {
      const value = body[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -1) throw new Refusal('BAD_REQUEST', `"${key}" must be an integer ≥ -1.`);
      this.#options[key] = value;
    }
    if (body.agentPassword !== undefined) {
      if (typeof body.agentPassword !== 'string') throw new Refusal('BAD_REQUEST', '"agentPassword" must be text.');
      this.#options.agentPassword = body.agentPassword;
    }
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  // ---- GET methods -------------------------------------------------------------------------------

  telephony(userId: string): TelephonyStatusAnswer {
    const user = this.#user(userId);
    return { asOf: user.seq, ...telephonyOf(user) };
  }

  dialler(userId: string): DiallerStatusAnswer {
    const user = this.#user(userId);
    return { asOf: user.seq, ...diallerOf(user) };
  }

  system(userId?: string): SystemStatusAnswer {
    const asOf = userId !== undefined && this.#users.has(userId) ? this.#users.get(userId)!.seq : 0;
    return { asOf, ...this.#system };
  }

  breakReasons(): { reasons: WireReason[] } {
    return { reasons: BREAK_REASONS };
  }

  dispositions(userId: string): { campaign: string; dispositions: typeof DISPOSITIONS } {
    this.#user(userId);
    return { campaign: CAMPAIGN, dispositions: DISPOSITIONS };
  }

  /** Get Next Record: the record held for the user, else the next one of the list (held from now). */
  nextRecord(userId: string): { record: WireRecord | null } {
    const user = this.#user(userId);
    this.#loggedOn(user);
    if (user.dialler.record) return { record: user.dialler.record };
    if (user.calls.some((c) => c.state !== 'WrapUp')) throw new Refusal('ON_CALL', 'A call is in progress.');
    if (user.status === 'OnBreak') throw new Refusal('ON_BREAK', 'The user is on a break.');
    const next = this.#list.shift();
    if (!next) {
      this.#setDialler(user, { status: 'Exhausted', record: null });
      return { record: null };
    }
    const record: WireRecord = { recordId: next.recordId, name: next.name, phones: [...next.phones], campaign: CAMPAIGN, list: LIST, fields: { ...next.fields }, reservedAt: new Date().toISOString() };
    this.#setDialler(user, { status: 'Preview', record });
    return { record };
  }

  /** Poll Event: the events after `after`, waiting up to `waitS` for one when there are none yet. */
  async poll(userId: string, after: number | undefined, waitS: number, signal: AbortSignal): Promise<PollAnswer> {
    const user = this.#user(userId);
    const answer = (): PollAnswer | undefined => {
      if (after === undefined) return { streamId: this.#streamId, next: user.seq, events: [] };
      const oldest = user.events[0]?.seq ?? user.seq + 1;
      if (after > user.seq || after < oldest - 1) return { streamId: this.#streamId, next: user.seq, reset: true, events: [] };
      const events = user.events.filter((e) => e.seq > after);
      return events.length > 0 ? { streamId: this.#streamId, next: user.seq, events } : undefined;
    };
    const now = answer();
    if (now || waitS <= 0) return now ?? { streamId: this.#streamId, next: user.seq, events: [] };
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        user.waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(waitS, POLL_MAX_WAIT_S) * 1000);
      user.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
    const user2 = this.#users.get(userId);
    if (!user2 || user2 !== user) return { streamId: this.#streamId, next: 0, reset: true, events: [] };
    return answer() ?? { streamId: this.#streamId, next: user.seq, events: [] };
  }

  // ---- POST methods ------------------------------------------------------------------------------

  /** Checks a command (throws a `Refusal`), then accepts it: its effect follows after `latencyMs`. */
  command<M extends SdkCommand>(userId: string, method: M, body: CommandBodies[M]): { requestId: string } {
    const user = this.#user(userId);
    if (this.#system.status === 'Offline') throw new Refusal('SYSTEM_OFFLINE', 'The system is offline.');
    const effect = this.#check(user, method, body as never);
    const requestId = `REQ-${this.#nextRequest++}`;
    this.#requests.push({ userId, method, requestId });
    if (this.#requests.length > 200) this.#requests.shift();
    const failing = this.#failing.findIndex((f) => f.method === method);
    const failure = failing >= 0 ? this.#failing.splice(failing, 1)[0] : undefined;
    this.#later(this.#options.latencyMs, () => {
      if (failure) {
        this.#emit(user, 'OperationFailed', { requestId, method, code: failure.code, ...(failure.message ? { message: failure.message } : {}) });
        return;
      }
      effect(requestId);
    });
    return { requestId };
  }

  /** Every check of one command; returns what it does once accepted. */
  #check(user: User, method: SdkCommand, body: Record<string, unknown>): (requestId: string) => void {
    const str = (key: string, required = true): string | undefined => {
      const value = body[key];
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'string' || value.trim() === '' || value.length > 200) throw new Refusal('BAD_REQUEST', `"${key}" is required (text).`);
      return value;
    };
    const callOf = (): WireCall => {
      const id = str('callId')!;
      const call = user.calls.find((c) => c.callId === id);
      if (!call) throw new Refusal('NO_SUCH_CALL', `No call ${id.slice(0, 40)} for this user.`);
      return call;
    };
    const number = (key: string): string => {
      const value = str(key)!;
      if (!PHONE.test(value)) throw new Refusal('INVALID_NUMBER', 'Not a telephone number.');
      return value;
    };
    const live = (): boolean => user.calls.some((c) => c.state !== 'WrapUp');
    const wrongState = (): never => {
      throw new Refusal('INVALID_CALL_STATE', 'The call is not in a state that allows this.');
    };
    switch (method) {
      case 'RequestLogin': {
        if (user.status !== 'LoggedOff') throw new Refusal('ALREADY_LOGGED_ON', 'The user is already logged on.');
        const extension = str('extension')!;
        const password = str('password', false);
        return (requestId) => {
          if (this.#options.agentPassword !== '' && password !== this.#options.agentPassword) {
            this.#emit(user, 'OperationFailed', { requestId, method, code: 'LOGIN_REFUSED', message: 'Invalid extension or password' });
            return;
          }
          this.logOn(user.id, extension);
        };
      }
      case 'RequestLogout':
        this.#loggedOn(user);
        if (user.calls.length > 0) throw new Refusal('ON_CALL', 'The user has a call.');
        return () => {
          this.#telephony(user, () => {
            user.status = 'LoggedOff';
            delete user.breakReason;
            delete user.pendingBreak;
            delete user.extension;
          });
          this.#releaseRecord(user);
          this.#setDialler(user, { status: 'Inactive', record: null });
        };
      case 'RequestBreak': {
        this.#loggedOn(user);
        const code = str('reasonCode')!;
        const reason = BREAK_REASONS.find((r) => r.code === code);
        if (!reason) throw new Refusal('UNKNOWN_BREAK_REASON', 'No such break reason.');
        return () =>
          this.#telephony(user, () => {
            if (user.calls.length > 0) {
              user.pendingBreak = reason;
            } else {
              user.status = 'OnBreak';
              user.breakReason = reason;
            }
          });
      }
      case 'CancelBreak':
        this.#loggedOn(user);
        if (user.status !== 'OnBreak' && !user.pendingBreak) throw new Refusal('NOT_ON_BREAK', 'The user is not on a break.');
        return () =>
          this.#telephony(user, () => {
            if (user.status === 'OnBreak') user.status = 'Available';
            delete user.breakReason;
            delete user.pendingBreak;
          });
      case 'SetUserBusy':
        this.#loggedOn(user);
        if (user.status === 'OnBreak') throw new Refusal('ON_BREAK', 'The user is on a break.');
        if (live()) throw new Refusal('ON_CALL', 'A call is in progress.');
        return () => this.#telephony(user, () => (user.status = 'Busy'));
      case 'SetUserFree':
        this.#loggedOn(user);
        if (user.status !== 'Busy') throw new Refusal('NOT_BUSY', 'The user is not busy.');
        return () => this.#telephony(user, () => (user.status = 'Available'));
      case 'Dial': {
        this.#loggedOn(user);
        const to = number('number');
        const recordId = str('recordId', false);
        if (live()) throw new Refusal('ON_CALL', 'A call is in progress.');
        if (user.status === 'OnBreak') throw new Refusal('ON_BREAK', 'The user is on a break.');
        if (recordId !== undefined && user.dialler.record?.recordId !== recordId) throw new Refusal('NO_RECORD', 'That record is not held for this user.');
        return () => this.#dial(user, to, recordId);
      }
      case 'Answer': {
        const call = callOf();
        if (call.state !== 'Ringing') wrongState();
        return () => this.#connect(user, call.callId, 'CallConnected');
      }
      case 'HangUp': {
        const call = callOf();
        if (call.state === 'WrapUp') wrongState();
        return () => this.#disconnect(user, call.callId, 'Agent');
      }
      case 'HoldCall': {
        const call = callOf();
        if (call.state !== 'Connected' || call.consultation) wrongState();
        return () => this.#changeCall(user, call.callId, (c) => ({ ...c, state: 'Held', heldAt: new Date().toISOString() }));
      }
      case 'RetrieveHeldCall': {
        const call = callOf();
        if (call.state !== 'Held' || call.consultation) wrongState();
        return () => this.#changeCall(user, call.callId, (c) => withoutHold({ ...c, state: 'Connected' }));
      }
      case 'InitiateCallTransfer': {
        const call = callOf();
        const destination = number('destination');
        if ((call.state !== 'Connected' && call.state !== 'Held') || call.consultation) wrongState();
        return () => this.#consult(user, call.callId, destination);
      }
      case 'AlternateLine': {
        const call = callOf();
        if (!call.consultation) throw new Refusal('NO_CONSULTATION', 'There is no consultation call.');
        if (call.consultation.state !== 'Connected') wrongState();
        return () =>
          this.#changeCall(user, call.callId, (c) => {
            if (!c.consultation) return c;
            const toCustomer = c.consultation.active === 'Consultation';
            return { ...c, state: toCustomer ? 'Connected' : 'Held', consultation: { ...c.consultation, active: toCustomer ? 'Customer' : 'Consultation' } };
          });
      }
      case 'CompleteTransfer': {
        const call = callOf();
        if (!call.consultation) throw new Refusal('NO_CONSULTATION', 'There is no consultation call.');
        if (call.consultation.state !== 'Connected') wrongState();
        return () => this.#completeTransfer(user, call.callId);
      }
      case 'AbandonTransfer': {
        const call = callOf();
        if (!call.consultation) throw new Refusal('NO_CONSULTATION', 'There is no consultation call.');
        return () => this.#dropConsultation(user, call.callId, 'Agent', true);
      }
      case 'DispositionRecord': {
        const call = callOf();
        if (call.state !== 'WrapUp') wrongState();
        const code = str('dispositionCode')!;
        if (!DISPOSITIONS.some((d) => d.code === code)) throw new Refusal('UNKNOWN_DISPOSITION', 'No such disposition for this campaign.');
        const recordId = str('recordId', false);
        if (recordId !== undefined && recordId !== call.recordId) throw new Refusal('BAD_REQUEST', 'The record is not the call\'s.');
        const notes = body.notes === undefined ? undefined : str('notes');
        return () => this.#dispose(user, call.callId, code, notes);
      }
    }
  }

  // ---- what happens --------------------------------------------------------------------------------

  /** Log a user on (Request Login's effect; also a control verb for tests). */
  logOn(userId: string, extension: string): void {
    const user = this.#user(userId);
    if (user.status !== 'LoggedOff') return;
    this.#telephony(user, () => {
      user.status = 'Available';
      user.extension = extension;
    });
    this.#setDialler(user, { status: this.#list.length > 0 ? 'Active' : 'Exhausted', record: null });
  }

  offerInbound(userId: string, from: string, name: string | undefined, fields?: Record<string, unknown>): string {
    const user = this.#user(userId);
    if (user.status !== 'Available') throw new Refusal('INVALID_CALL_STATE', `User ${userId} is not available (${user.status}).`);
    if (user.calls.some((c) => c.state !== 'WrapUp')) throw new Refusal('ON_CALL', `User ${userId} has a call.`);
    const call: WireCall = {
      callId: this.#callId(),
      direction: 'Inbound',
      state: 'Ringing',
      number: from,
      ...(name ?? DIRECTORY[from] ? { name: name ?? DIRECTORY[from]! } : {}),
      ...(fields ? { fields: textFields(fields) } : {}),
      offeredAt: new Date().toISOString(),
    };
    this.#telephony(user, () => user.calls.push(call), () => this.#emit(user, 'CallOffered', { call }));
    return call.callId;
  }

  /** A colleague's completed transfer: the customer arrives connected (Connected Incoming Transfer). */
  offerTransfer(userId: string, from: string, name: string | undefined, by: string): string {
    const user = this.#user(userId);
    if (user.status !== 'Available' || user.calls.some((c) => c.state !== 'WrapUp')) throw new Refusal('INVALID_CALL_STATE', `User ${userId} cannot take a transfer now.`);
    const now = new Date().toISOString();
    const call: WireCall = {
      callId: this.#callId(),
      direction: 'Inbound',
      state: 'Connected',
      number: from,
      ...(name ?? DIRECTORY[from] ? { name: name ?? DIRECTORY[from]! } : {}),
      transferredBy: by,
      offeredAt: now,
      connectedAt: now,
    };
    this.#telephony(user, () => user.calls.push(call), () => this.#emit(user, 'ConnectedIncomingTransfer', { call }));
    return call.callId;
  }

  customerAnswer(callId: string): void {
    const { user, call } = this.#find(callId);
    if (call.state !== 'Dialling') throw new Refusal('INVALID_CALL_STATE', 'The call is not dialling.');
    this.#connect(user, callId, 'CallConnected');
  }

  customerHangup(callId: string): void {
    const { user, call } = this.#find(callId);
    if (call.state === 'WrapUp') throw new Refusal('INVALID_CALL_STATE', 'The call has ended already.');
    this.#disconnect(user, callId, 'Customer');
  }

  consultAnswer(callId: string): void {
    const { user, call } = this.#find(callId);
    if (call.consultation?.state !== 'Dialling') throw new Refusal('NO_CONSULTATION', 'No consultation is ringing on that call.');
    this.#changeCall(user, callId, (c) => (c.consultation ? { ...c, consultation: { ...c.consultation, state: 'Connected' } } : c), (c) => this.#emit(user, 'ConnectedConsultation', { call: c }));
  }

  consultHangup(callId: string): void {
    const { user, call } = this.#find(callId);
    if (!call.consultation) throw new Refusal('NO_CONSULTATION', 'No consultation on that call.');
    this.#dropConsultation(user, callId, 'Consultation', false);
  }

  message(userId: string, text: string, from?: string): void {
    this.#emit(this.#user(userId), 'Message', { text, ...(from ? { from } : {}) });
  }

  setSystem(status: SystemState, detail?: string): void {
    const previous = this.#system.status;
    this.#system = { status, ...(detail ? { detail } : {}) };
    for (const user of this.#users.values()) this.#emit(user, 'StatusChange', { kind: 'System', status: { ...this.#system }, previous });
  }

  setDiallerStatus(userId: string, status: DiallerState): void {
    const user = this.#user(userId);
    this.#setDialler(user, { status, record: status === 'Preview' ? user.dialler.record : null });
  }

  failNextOperation(method: string, code: string, message?: string): void {
    this.#failing.push({ method, code, ...(message ? { message } : {}) });
  }

  state(): unknown {
    return {
      streamId: this.#streamId,
      system: this.#system,
      users: [...this.#users.values()]
        .filter((u) => u.status !== 'LoggedOff' || u.seq > 0)
        .map((u) => ({ id: u.id, ...telephonyOf(u), dialler: diallerOf(u), seq: u.seq })),
      list: this.#list.map((r) => r.recordId),
      dispositions: this.#done,
      requests: this.#requests,
    };
  }

  #dial(user: User, to: string, recordId: string | undefined): void {
    const record = recordId !== undefined ? user.dialler.record : null;
    const name = record?.name ?? DIRECTORY[to];
    const call: WireCall = {
      callId: this.#callId(),
      direction: 'Outbound',
      state: 'Dialling',
      number: to,
      ...(name ? { name } : {}),
      ...(record ? { recordId: record.recordId, campaign: CAMPAIGN, fields: { ...record.fields } } : {}),
      offeredAt: new Date().toISOString(),
    };
    this.#telephony(user, () => user.calls.push(call));
    if (this.#options.answerDelayMs >= 0) {
      this.#later(this.#options.answerDelayMs, () => {
        if (user.calls.find((c) => c.callId === call.callId)?.state === 'Dialling') this.#connect(user, call.callId, 'CallConnected');
      });
    }
  }

  #connect(user: User, callId: string, event: 'CallConnected'): void {
    this.#changeCall(user, callId, (c) => ({ ...c, state: 'Connected', connectedAt: new Date().toISOString() }), (c) => this.#emit(user, event, { call: c }));
  }

  #disconnect(user: User, callId: string, by: 'Agent' | 'Customer'): void {
    const call = user.calls.find((c) => c.callId === callId);
    if (!call) return;
    if (call.consultation) this.#dropConsultation(user, callId, 'Agent', false);
    const current = user.calls.find((c) => c.callId === callId)!;
    if (current.state === 'Ringing') {
      // Rejected or abandoned before it was answered: nothing to disposition.
      this.#telephony(user, () => (user.calls = user.calls.filter((c) => c.callId !== callId)), () => this.#emit(user, 'CallDisconnected', { call: current, by }));
      this.#afterLastCall(user);
      return;
    }
    this.#changeCall(user, callId, (c) => withoutHold({ ...c, state: 'WrapUp', wrapUpAt: new Date().toISOString() }), (c) => this.#emit(user, 'CallDisconnected', { call: c, by }));
  }

  #consult(user: User, callId: string, destination: string): void {
    const now = new Date().toISOString();
    const name = DIRECTORY[destination];
    this.#changeCall(user, callId, (c) => ({
      ...c,
      state: 'Held',
      heldAt: c.heldAt ?? now,
      consultation: { number: destination, ...(name ? { name } : {}), state: 'Dialling', active: 'Consultation', startedAt: now },
    }));
    if (this.#options.consultAnswerMs >= 0) {
      this.#later(this.#options.consultAnswerMs, () => {
        if (user.calls.find((c) => c.callId === callId)?.consultation?.state === 'Dialling') this.consultAnswer(callId);
      });
    }
  }

  #dropConsultation(user: User, callId: string, by: 'Agent' | 'Consultation', reconnect: boolean): void {
    this.#changeCall(
      user,
      callId,
      (c) => {
        const { consultation: _gone, ...rest } = c;
        // Abandon Transfer takes the agent back to the customer; otherwise the customer stays on hold.
        return reconnect ? withoutHold({ ...rest, state: 'Connected' }) : ({ ...rest, state: 'Held' } as WireCall);
      },
      (c) => this.#emit(user, 'ConsultationCallDisconnected', { call: c, by }),
    );
  }

  #completeTransfer(user: User, callId: string): void {
    const call = user.calls.find((c) => c.callId === callId);
    if (!call) return;
    const { consultation: _gone, ...rest } = call;
    this.#telephony(
      user,
      () => (user.calls = user.calls.filter((c) => c.callId !== callId)),
      () => {
        this.#emit(user, 'ConsultationCallDisconnected', { call: rest as WireCall, by: 'Transfer' });
        this.#emit(user, 'CallDisconnected', { call: rest as WireCall, by: 'Transfer' });
      },
    );
    // The dialler records the transfer itself: the agent has nothing to disposition.
    if (call.recordId) this.#done.push({ userId: user.id, callId, recordId: call.recordId, code: TRANSFERRED });
    this.#releaseRecord(user, call.recordId);
    this.#afterLastCall(user);
  }

  #dispose(user: User, callId: string, code: string, notes: string | undefined): void {
    const call = user.calls.find((c) => c.callId === callId);
    if (!call) return;
    this.#done.push({ userId: user.id, callId, code, ...(call.recordId ? { recordId: call.recordId } : {}), ...(notes ? { notes } : {}) });
    this.#telephony(user, () => (user.calls = user.calls.filter((c) => c.callId !== callId)));
    this.#releaseRecord(user, call.recordId);
    this.#afterLastCall(user);
  }

  /** A break asked for during a call starts when the last call is done. */
  #afterLastCall(user: User): void {
    if (user.calls.length > 0 || !user.pendingBreak) return;
    this.#telephony(user, () => {
      user.status = 'OnBreak';
      user.breakReason = user.pendingBreak;
      delete user.pendingBreak;
    });
  }

  #releaseRecord(user: User, recordId?: string): void {
    const held = user.dialler.record;
    if (!held || (recordId !== undefined && held.recordId !== recordId)) return;
    this.#setDialler(user, { status: user.status === 'LoggedOff' ? 'Inactive' : this.#list.length > 0 ? 'Active' : 'Exhausted', record: null });
  }

  #changeCall(user: User, callId: string, change: (call: WireCall) => WireCall, then?: (call: WireCall) => void): void {
    let changed: WireCall | undefined;
    this.#telephony(
      user,
      () => {
        user.calls = user.calls.map((c) => (c.callId === callId ? (changed = change(c)) : c));
      },
      () => {
        if (changed && then) then(changed);
      },
    );
  }

  /**
   * A change of the user's telephony state: the call events first (`then`), then one Status
   * Change carrying the whole new Telephony Status when anything in it changed.
   */
  #telephony(user: User, change: () => void, then?: () => void): void {
    const before = JSON.stringify(telephonyOf(user));
    const previous = user.status;
    change();
    then?.();
    const now = telephonyOf(user);
    if (JSON.stringify(now) !== before) this.#emit(user, 'StatusChange', { kind: 'Telephony', status: now, previous });
  }

  #setDialler(user: User, next: { status: DiallerState; record: WireRecord | null }): void {
    const previous = user.dialler.status;
    const before = JSON.stringify(user.dialler);
    user.dialler = next;
    if (JSON.stringify(next) !== before) this.#emit(user, 'StatusChange', { kind: 'Dialler', status: diallerOf(user), previous });
  }

  #emit<T extends EventType>(user: User, type: T, data: EventData[T]): void {
    user.seq += 1;
    user.events.push({ seq: user.seq, type, at: new Date().toISOString(), data } as WireEvent);
    if (user.events.length > EVENTS_KEPT) user.events.splice(0, user.events.length - EVENTS_KEPT);
    for (const wake of [...user.waiters]) wake();
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, Math.max(0, ms));
    this.#timers.add(timer);
  }

  #user(userId: string): User {
    const user = this.#users.get(userId);
    if (!user) throw new Refusal('USER_NOT_FOUND', 'No such user.');
    return user;
  }

  #loggedOn(user: User): void {
    if (user.status === 'LoggedOff') throw new Refusal('NOT_LOGGED_ON', 'The user is not logged on.');
  }

  #find(callId: string): { user: User; call: WireCall } {
    for (const user of this.#users.values()) {
      const call = user.calls.find((c) => c.callId === callId);
      if (call) return { user, call };
    }
    throw new Refusal('NO_SUCH_CALL', `No call ${callId.slice(0, 40)}.`);
  }

  #callId(): string {
    return `NC-${String(this.#nextCall++).padStart(5, '0')}`;
  }
}

function newUser(id: string): User {
  return { id, status: 'LoggedOff', calls: [], dialler: { status: 'Inactive', record: null }, events: [], seq: 0, waiters: new Set() };
}

function telephonyOf(user: User): Omit<TelephonyStatusAnswer, 'asOf'> {
  return {
    status: user.status,
    ...(user.breakReason ? { breakReason: user.breakReason } : {}),
    ...(user.pendingBreak ? { pendingBreak: user.pendingBreak } : {}),
    ...(user.extension ? { extension: user.extension } : {}),
    calls: user.calls.map((c) => ({ ...c })),
  };
}

function diallerOf(user: User): Omit<DiallerStatusAnswer, 'asOf'> {
  return { status: user.dialler.status, campaign: CAMPAIGN, record: user.dialler.record };
}

function withoutHold(call: WireCall): WireCall {
  const { heldAt: _held, ...rest } = call;
  return rest as WireCall;
}

function textFields(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
}

/**
 * The PBX behind the Noojee emulator: extensions, their calls and the numbered event stream that
 * `subscribe` serves. Calls move as Noojee reports them (docs/connectors/noojee.md §3): a
 * click-to-dial rings the agent's handset (answered at once with an auto-answer header, after
 * `handsetAnswerMs` without), is `Dialing Out` to the customer, `Connected` after `connectDelayMs`
 * (or when the test says the customer answered), `Hungup` at the end; an inbound call is `Ringing`
 * with `canAnswer` until answered. Only monitored calls (inbound, or dialled with `monitored=yes`)
 * reach subscribe. No HTTP here: index.ts parses requests and calls these methods.
 */
import {
  NOOJEE_CODES,
  SEQUENCE_RESET,
  SUBSCRIBE_MAX_TIMEOUT_S,
  type CallData,
  type CallStatus,
  type RecordingLeg,
  type SubscribeAnswer,
  type SubscribeEvent,
  type Technology,
} from '../../../src/connectors/noojee/protocol.ts';
import { defaultExtensions, type ExtensionSeed } from './noojee-data.ts';

/** A refusal in Noojee's terms: the `Code` and `Message` the API answers with. */
export class NoojeeRefusal extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface PbxOptions {
  /** Customer answers this long after `Dialing Out`; < 0: only when told (`customer-answer`). */
  connectDelayMs?: number;
  /** Without an auto-answer header the agent's handset picks up after this long. */
  handsetAnswerMs?: number;
  /** How many events subscribe can replay; an older sequence number gets the current state. */
  retainEvents?: number;
  extensions?: Map<string, ExtensionSeed>;
}

interface PbxCall {
  uniqueId: string;
  callId: number;
  exten: string;
  inbound: boolean;
  clickToDial: boolean;
  monitored: boolean;
  status: CallStatus;
  /** The customer's number. */
  remote: string;
  /** The CLI shown to the other side (outbound) or the customer's (inbound). */
  callerId: string;
  name?: string;
  canAnswer: boolean;
  connectedAt?: Date;
  /** Recording wanted from connect (dial `record=true`) and its tag. */
  recordOnConnect?: { tag: string };
  recording?: RecordingLeg & { startedAt: number };
  timers: Set<ReturnType<typeof setTimeout>>;
}

interface Waiter {
  extens: Set<string>;
  last: number;
  answer: (answer: SubscribeAnswer) => void;
  /** Ends the poll without an answer (the connection is cut). */
  drop: () => void;
  timer: ReturnType<typeof setTimeout>;
}

const MAX_CALLS_PER_EXTENSION = 4;

export class NoojeePbx {
  readonly options: Required<Omit<PbxOptions, 'extensions'>>;
  #extensions: Map<string, ExtensionSeed>;
  #calls = new Map<string, PbxCall>();
  #events: Array<{ seq: number; exten: string; event: SubscribeEvent }> = [];
  /** Starts at 1, so 0 ("send me the current state") is never a position in the stream. */
  #seq = 1;
  #nextCallId = 1;
  #nextUnique = 1;
  #waiters = new Set<Waiter>();
  #legs: Array<RecordingLeg & { startedAt: number; open: boolean }> = [];
  #nextRecordId = 5001;
  #epoch = Math.floor(Date.now() / 1000);

  constructor(options: PbxOptions = {}) {
    this.options = {
      connectDelayMs: options.connectDelayMs ?? 1500,
      handsetAnswerMs: options.handsetAnswerMs ?? 1000,
      retainEvents: options.retainEvents ?? 1000,
    };
    this.#extensions = options.extensions ?? defaultExtensions();
  }

  configure(patch: { connectDelayMs?: number; handsetAnswerMs?: number; retainEvents?: number }): void {
    for (const key of ['connectDelayMs', 'handsetAnswerMs', 'retainEvents'] as const) {
      const value = patch[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || (key !== 'connectDelayMs' && value < 0)) {
        throw new NoojeeRefusal(NOOJEE_CODES.BAD_PARAMETER, `${key} must be a number.`);
      }
      this.options[key] = value;
    }
  }

  // ---- identity ------------------------------------------------------------------------------

  /** `SIP/100` or `100` → `100` when that endpoint exists with that technology. */
  endpoint(value: string): string {
    const slash = value.indexOf('/');
    const tech = slash >= 0 ? value.slice(0, slash) : 'SIP';
    const exten = slash >= 0 ? value.slice(slash + 1) : value;
    const seed = this.#extensions.get(exten);
    if (!seed || seed.tech !== (tech as Technology)) throw new NoojeeRefusal(NOOJEE_CODES.UNKNOWN_EXTENSION, `Unknown endpoint ${tech}/${exten}`);
    return exten;
  }

  /** A bare extension (subscribe, hangup by extension, answer's `exten` also takes `SIP/100`). */
  extension(value: string): string {
    const exten = value.includes('/') ? value.slice(value.indexOf('/') + 1) : value;
    if (!this.#extensions.has(exten)) throw new NoojeeRefusal(NOOJEE_CODES.UNKNOWN_EXTENSION, `Unknown extension ${exten}`);
    return exten;
  }

  login(exten: string): string {
    return this.#extensions.get(exten)?.login ?? '';
  }

  /** A call by unique id, or the extension's current call. */
  find(extenOrUniqueId: string): PbxCall {
    const byId = this.#calls.get(extenOrUniqueId);
    if (byId) return byId;
    if (/^[0-9]+\.[0-9]+$/.test(extenOrUniqueId)) throw new NoojeeRefusal(NOOJEE_CODES.NO_SUCH_CALL, `No call with unique id ${extenOrUniqueId}`);
    const exten = this.extension(extenOrUniqueId.split('-')[0]!);
    const call = [...this.#calls.values()].find((c) => c.exten === exten);
    if (!call) throw new NoojeeRefusal(NOOJEE_CODES.NO_SUCH_CALL, `No call on extension ${exten}`);
    return call;
  }

  // ---- call control --------------------------------------------------------------------------

  dial(args: { endpoint: string; number: string; callerId?: string; autoAnswer?: string; monitored: boolean; record: boolean; tag?: string }): string {
    const exten = this.endpoint(args.endpoint);
    if (this.#callsOn(exten).length >= MAX_CALLS_PER_EXTENSION) throw new NoojeeRefusal(NOOJEE_CODES.EXTENSION_BUSY, `Extension ${exten} has no free line`);
    const call = this.#newCall(exten, {
      inbound: false,
      clickToDial: true,
      monitored: args.monitored,
      remote: args.number,
      callerId: args.callerId ?? exten,
      status: args.autoAnswer ? 'Dialing Out' : 'Ringing',
    });
    if (args.record) call.recordOnConnect = { tag: args.tag ?? '' };
    if (args.autoAnswer) this.#dialOut(call);
    else {
      this.#emit(call);
      this.#later(call, this.options.handsetAnswerMs, () => this.#dialOut(call));
    }
    return call.uniqueId;
  }

  answer(uniqueId: string, exten: string): void {
    const call = this.#calls.get(uniqueId);
    if (!call) throw new NoojeeRefusal(NOOJEE_CODES.NO_SUCH_CALL, `No call with unique id ${uniqueId}`);
    if (call.exten !== this.extension(exten)) throw new NoojeeRefusal(NOOJEE_CODES.NOT_RINGING, `Call ${uniqueId} is not ringing on extension ${exten}`);
    if (!call.canAnswer || call.status !== 'Ringing') throw new NoojeeRefusal(NOOJEE_CODES.NOT_RINGING, `Call ${uniqueId} is not ringing`);
    this.#connect(call);
  }

  hangup(extenOrUniqueId: string): void {
    this.#end(this.find(extenOrUniqueId), 'Hungup');
  }

  startRecording(extenOrUniqueId: string, agentLoginName: string | undefined, tag: string | undefined): void {
    const call = this.find(extenOrUniqueId);
    if (call.status !== 'Connected') throw new NoojeeRefusal(NOOJEE_CODES.NOT_CONNECTED, `Call ${call.uniqueId} is not connected`);
    if (call.recording) throw new NoojeeRefusal(NOOJEE_CODES.ALREADY_RECORDING, `Call ${call.uniqueId} is already recording`);
    this.#openLeg(call, agentLoginName ?? this.login(call.exten), tag ?? '');
  }

  stopRecording(extenOrUniqueId: string): void {
    const call = this.find(extenOrUniqueId);
    if (!call.recording) throw new NoojeeRefusal(NOOJEE_CODES.NOT_RECORDING, `Call ${call.uniqueId} is not recording`);
    this.#closeLeg(call);
  }

  // ---- the test's side of the call -----------------------------------------------------------

  offerInbound(to: string, from: string, name?: string): string {
    const exten = this.extension(to);
    if (this.#callsOn(exten).length >= MAX_CALLS_PER_EXTENSION) throw new NoojeeRefusal(NOOJEE_CODES.EXTENSION_BUSY, `Extension ${exten} has no free line`);
    const call = this.#newCall(exten, { inbound: true, clickToDial: false, monitored: true, remote: from, callerId: from, status: 'Ringing', name });
    call.canAnswer = true;
    this.#emit(call);
    return call.uniqueId;
  }

  /** The customer answers an outbound call, or the agent picks up a ringing handset. */
  customerAnswer(uniqueId: string): void {
    const call = this.#calls.get(uniqueId);
    if (!call) throw new NoojeeRefusal(NOOJEE_CODES.NO_SUCH_CALL, `No call with unique id ${uniqueId}`);
    if (call.status === 'Connected') return;
    if (call.status === 'Ringing' && !call.inbound) this.#dialOut(call);
    this.#connect(call);
  }

  customerHangup(uniqueId: string): void {
    const call = this.#calls.get(uniqueId);
    if (!call) throw new NoojeeRefusal(NOOJEE_CODES.NO_SUCH_CALL, `No call with unique id ${uniqueId}`);
    this.#end(call, 'Hungup');
  }

  /** The far end is busy or does not answer: that status, then `Hungup`. */
  customerFails(uniqueId: string, status: 'Busy' | 'No Answer'): void {
    const call = this.#calls.get(uniqueId);
    if (!call) throw new NoojeeRefusal(NOOJEE_CODES.NO_SUCH_CALL, `No call with unique id ${uniqueId}`);
    if (call.status === 'Connected') throw new NoojeeRefusal(NOOJEE_CODES.BAD_PARAMETER, `Call ${uniqueId} is connected already`);
    call.status = status;
    this.#emit(call);
    this.#end(call, 'Hungup');
  }

  /** The server restarted: the event history and the sequence are gone, calls stay. */
  restartSequence(): void {
    this.#events = [];
    this.#seq = 1;
    // A restarting server drops the connections of the polls it held.
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.drop();
    }
    this.#waiters.clear();
  }

  // ---- subscribe -----------------------------------------------------------------------------

  /**
   * The subscribe answer for `extens` after `last`: the current state for 0 (or, with Code 1, for a
   * number the server cannot continue from), else the events since `last`, waiting up to
   * `timeOutS` for one. `onAbandon` is how the caller cancels a held poll (its client went away).
   */
  subscribe(extens: string[], last: number, timeOutS: number): { answer: Promise<SubscribeAnswer>; cancel(): void } {
    const set = new Set(extens.map((e) => this.extension(e)));
    const oldest = this.#events[0]?.seq ?? this.#seq + 1;
    if (last === 0) return settled(this.#snapshot(set, NOOJEE_CODES.OK));
    if (last > this.#seq || last < oldest - 1) return settled(this.#snapshot(set, SEQUENCE_RESET));
    const ready = this.#since(set, last);
    if (ready || timeOutS <= 0) return settled(ready ?? { Data: {}, seq: this.#seq, Code: 0 });
    let waiter: Waiter | undefined;
    const answer = new Promise<SubscribeAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter!);
        resolve({ Data: {}, seq: this.#seq, Code: 0 });
      }, Math.min(timeOutS, SUBSCRIBE_MAX_TIMEOUT_S) * 1000);
      waiter = { extens: set, last, answer: resolve, drop: () => reject(new Error('dropped')), timer };
      this.#waiters.add(waiter);
    });
    return {
      answer,
      cancel: () => {
        if (!waiter) return;
        clearTimeout(waiter.timer);
        this.#waiters.delete(waiter);
      },
    };
  }

  get heldPolls(): number {
    return this.#waiters.size;
  }

  /** The deprecated checkState's per-extension view. */
  checkState(extenOrUniqueIds: string[]): Record<string, { uniqueCallId?: string; Message?: string; Code: number }> {
    const out: Record<string, { uniqueCallId?: string; Message?: string; Code: number }> = {};
    for (const key of extenOrUniqueIds) {
      const call = this.#calls.get(key) ?? [...this.#calls.values()].find((c) => c.exten === key);
      if (!call) {
        out[key] = { Code: 0 };
        continue;
      }
      const message = call.status === 'Connected' ? 'On Call' : call.inbound || call.status === 'Ringing' ? 'Ringing Agent' : 'Ringing Client';
      out[key] = { uniqueCallId: call.uniqueId, Message: message, Code: 0 };
    }
    return out;
  }

  legs(filter: { tag?: string; uniqueId?: string }): RecordingLeg[] {
    return this.#legs
      .filter((leg) => (filter.tag === undefined || leg.Tag === filter.tag) && (filter.uniqueId === undefined || leg.UniqueId === filter.uniqueId))
      .map(({ startedAt: _s, open: _o, ...leg }) => ({ ...leg }));
  }

  // ---- state, reset --------------------------------------------------------------------------

  state(): unknown {
    return {
      seq: this.#seq,
      heldPolls: this.#waiters.size,
      calls: [...this.#calls.values()].map((c) => ({
        uniqueId: c.uniqueId,
        exten: c.exten,
        status: c.status,
        inbound: c.inbound,
        monitored: c.monitored,
        remote: c.remote,
        callerId: c.callerId,
        recording: c.recording ? { tag: c.recording.Tag, username: c.recording.Username } : null,
      })),
      recordings: this.legs({}),
    };
  }

  reset(): void {
    for (const call of this.#calls.values()) this.#clearTimers(call);
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.answer({ Data: {}, seq: this.#seq, Code: 0 });
    }
    this.#waiters.clear();
    this.#calls.clear();
    // The sequence stays monotonic: a client's old number now means "history gone" (Code 1).
    this.#events = [];
    this.#legs = [];
  }

  close(): void {
    this.reset();
  }

  // ---- internals -----------------------------------------------------------------------------

  #callsOn(exten: string): PbxCall[] {
    return [...this.#calls.values()].filter((c) => c.exten === exten);
  }

  #newCall(exten: string, init: Pick<PbxCall, 'inbound' | 'clickToDial' | 'monitored' | 'remote' | 'callerId' | 'status'> & { name?: string }): PbxCall {
    const call: PbxCall = { ...init, uniqueId: `${this.#epoch}.${this.#nextUnique++}`, callId: this.#nextCallId++, exten, canAnswer: false, timers: new Set() };
    if (init.name === undefined) delete call.name;
    this.#calls.set(call.uniqueId, call);
    return call;
  }

  #dialOut(call: PbxCall): void {
    if (!this.#calls.has(call.uniqueId)) return;
    call.status = 'Dialing Out';
    this.#emit(call);
    if (this.options.connectDelayMs >= 0) this.#later(call, this.options.connectDelayMs, () => this.#connect(call));
  }

  #connect(call: PbxCall): void {
    if (!this.#calls.has(call.uniqueId) || call.status === 'Connected') return;
    this.#clearTimers(call);
    call.status = 'Connected';
    call.canAnswer = false;
    call.connectedAt = new Date();
    this.#emit(call);
    if (call.recordOnConnect) this.#openLeg(call, this.login(call.exten), call.recordOnConnect.tag);
  }

  #end(call: PbxCall, status: 'Hungup'): void {
    this.#clearTimers(call);
    if (call.recording) this.#closeLeg(call);
    call.status = status;
    call.canAnswer = false;
    this.#emit(call);
    this.#calls.delete(call.uniqueId);
  }

  #openLeg(call: PbxCall, username: string, tag: string): void {
    const leg = {
      Source: `${this.#extensions.get(call.exten)?.tech ?? 'SIP'}/${call.exten}`,
      Leg: String(this.#legs.filter((l) => l.UniqueId === call.uniqueId).length + 1),
      Start: recordingTime(new Date()),
      Tag: tag,
      Duration: '',
      Username: username,
      CallRecordId: String(this.#nextRecordId++),
      UniqueId: call.uniqueId,
      DID: call.inbound ? call.callerId : call.remote,
      Direction: call.inbound ? 'Inbound' : 'Outbound',
      startedAt: Date.now(),
      open: true,
    };
    this.#legs.push(leg);
    if (this.#legs.length > 500) this.#legs.splice(0, this.#legs.length - 500);
    call.recording = leg;
  }

  #closeLeg(call: PbxCall): void {
    const leg = this.#legs.find((l) => l === call.recording);
    if (leg) {
      leg.open = false;
      leg.Duration = String(Math.round((Date.now() - leg.startedAt) / 1000));
    }
    delete call.recording;
  }

  #emit(call: PbxCall): void {
    if (!call.monitored) return;
    const seq = ++this.#seq;
    this.#events.push({ seq, exten: call.exten, event: eventOf(call) });
    if (this.#events.length > this.options.retainEvents) this.#events.splice(0, this.#events.length - this.options.retainEvents);
    for (const waiter of [...this.#waiters]) {
      if (!waiter.extens.has(call.exten)) continue;
      const ready = this.#since(waiter.extens, waiter.last);
      if (!ready) continue;
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
      waiter.answer(ready);
    }
  }

  #since(extens: Set<string>, last: number): SubscribeAnswer | undefined {
    const data: Record<string, SubscribeEvent[]> = {};
    let any = false;
    for (const entry of this.#events) {
      if (entry.seq <= last || !extens.has(entry.exten)) continue;
      (data[entry.exten] ??= []).push(entry.event);
      any = true;
    }
    return any ? { Data: data, seq: this.#seq, Code: 0 } : undefined;
  }

  #snapshot(extens: Set<string>, code: number): SubscribeAnswer {
    const data: Record<string, SubscribeEvent[]> = {};
    for (const exten of extens) {
      data[exten] = this.#callsOn(exten)
        .filter((c) => c.monitored)
        .map(eventOf);
    }
    const answer: SubscribeAnswer = { Data: data, seq: this.#seq, Code: code };
    if (code === SEQUENCE_RESET) answer.Message = 'Unknown sequence number: current state follows';
    return answer;
  }

  #later(call: PbxCall, ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      call.timers.delete(timer);
      fn();
    }, ms);
    call.timers.add(timer);
  }

  #clearTimers(call: PbxCall): void {
    for (const timer of call.timers) clearTimeout(timer);
    call.timers.clear();
  }
}

function eventOf(call: PbxCall): SubscribeEvent {
  const data: CallData = {
    canAnswer: call.canAnswer,
    callerId: call.inbound ? call.callerId : call.exten,
    uniqueCallId: call.uniqueId,
    callStartTime: call.connectedAt ? noojeeTime(call.connectedAt) : '',
    isQueueCall: false,
    isClickToDialCall: call.clickToDial,
    inbound: call.inbound,
    status: call.status,
    otherPartyCallerId: call.inbound ? call.callerId : call.remote,
    connectedCallerIdNum: call.status === 'Connected' ? call.remote : '',
    outboundDestination: call.inbound ? '' : call.remote,
  };
  return { CallData: data, CallID: call.callId, Code: 0 };
}

function settled(answer: SubscribeAnswer): { answer: Promise<SubscribeAnswer>; cancel(): void } {
  return { answer: Promise.resolve(answer), cancel: () => {} };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026/12/02 13:52:32` in UTC: subscribe's callStartTime. */
export function noojeeTime(d: Date): string {
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2026-12-02 13:52:32.0`: recording metadata's Start. */
function recordingTime(d: Date): string {
  return `${noojeeTime(d).replaceAll('/', '-')}.0`;
}

/**
 * The contact centre behind the MaxContact emulator: users logged in to the web agent (or not),
 * their state (not ready, ready, on a call, wrapping), their calls, the lead store, and what a
 * warm transfer leaves behind. Calls move as docs/connectors/maxcontact.md §9 says: a manual dial
 * is Dialling, then Connected after `connectDelayMs` (or when the test says the customer
 * answered); an inbound call rings the agent for `ringMs`, then is Connected (MaxContact delivers
 * calls to the agent's phone); a hang-up from either side leaves it Disconnected and awaiting its
 * result code; `dispose` ends it. No HTTP here: index.ts parses requests and calls these methods.
 */
import { RESPONSE_CODES as R, PHONE, type MaxCall } from '../../../src/connectors/maxcontact/protocol.ts';
import { valueOf, type LineMeaning, type RecordingMeaning, type StatusMeaning } from '../../../src/connectors/maxcontact/enums.ts';
import { RESULT_CODES, defaultLeads, defaultUsers, type Lead, type UserSeed } from './maxcontact-data.ts';

/** A refusal in MaxContact's terms: the `ResponseCode` and `ResponseDetail` of a `Success:false`. */
export class MaxRefusal extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface CentreOptions {
  /** The customer answers a manual dial this long after it starts; < 0: only when told. */
  connectDelayMs?: number;
  /** An inbound call rings the agent this long before it is connected; < 0: only when told. */
  ringMs?: number;
}

type AgentState = 'notReady' | 'ready' | 'onCall' | 'wrapping';

interface CentreCall {
  id: number;
  userId: number;
  inbound: boolean;
  line: LineMeaning;
  status: StatusMeaning;
  recording: RecordingMeaning;
  phone: string;
  leadId: number;
  startedAt: Date;
  timer?: ReturnType<typeof setTimeout>;
}

interface Agent extends UserSeed {
  state: AgentState;
}

export interface Bridge {
  userId: number;
  call1: number;
  call2: number;
  resultCode1: string;
  resultCode2: string;
  notes1?: string;
  notes2?: string;
  numSales1?: number;
  numSales2?: number;
}

const MAX_CALLS_PER_USER = 4;

export class MaxContactCentre {
  readonly options: Required<CentreOptions>;
  #agents = new Map<number, Agent>();
  #calls = new Map<number, CentreCall>();
  #leads: Lead[] = [];
  #dispositions: Array<{ callId: number; resultCode: string }> = [];
  #bridges: Bridge[] = [];
  /** Call ids are in-memory ints from 1000 after each restart (as MaxContact's are). */
  #nextCallId = 1000;
  #nextLeadId = 6001;
  #nextLeadPhoneId = 9101;
  /** Bumped on every change: the benchmark measures from it. */
  changes = 0;

  constructor(options: CentreOptions = {}) {
    this.options = { connectDelayMs: options.connectDelayMs ?? 1500, ringMs: options.ringMs ?? 800 };
    this.reset();
  }

  reset(): void {
    for (const call of this.#calls.values()) clearTimeout(call.timer);
    this.#calls.clear();
    this.#agents = new Map(defaultUsers().map((u) => [u.id, { ...u, state: 'notReady' as AgentState }]));
    this.#leads = defaultLeads();
    this.#dispositions = [];
    this.#bridges = [];
    this.#nextCallId = 1000;
    this.changes++;
  }

  configure(patch: Record<string, unknown>): void {
    for (const key of ['connectDelayMs', 'ringMs'] as const) {
      const value = patch[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new MaxRefusal(R.BAD_PARAMETER, `${key} must be a number.`);
      this.options[key] = value;
    }
  }

  /** Adds users 1001…(1000 + count) logged in (the benchmark's 1,000 agents). */
  ensureUsers(count: number): void {
    for (let i = 1; i <= count; i++) {
      const id = 1000 + i;
      const agent = this.#agents.get(id);
      if (agent) agent.loggedIn = true;
      else this.#agents.set(id, { id, name: `Agent ${id}`, loggedIn: true, state: 'notReady' });
    }
  }

  setLoggedIn(userId: number, loggedIn: boolean): void {
    const agent = this.#agents.get(userId);
    if (!agent) throw new MaxRefusal(R.USER_NOT_LOGGED_IN, `Unknown user ${userId}`);
    agent.loggedIn = loggedIn;
    agent.state = 'notReady';
    this.changes++;
  }

  // ---- the API ---------------------------------------------------------------------------------

  getCalls(userId: number): MaxCall[] {
    this.#agent(userId);
    return [...this.#calls.values()].filter((c) => c.userId === userId).map((c) => this.#entity(c));
  }

  goReady(userId: number): void {
    const agent = this.#agent(userId);
    const calls = this.#callsOf(userId);
    if (calls.some((c) => c.status === 'awaitingDisposition')) throw new MaxRefusal(R.AWAITING_DISPOSITION, 'A call is awaiting disposition');
    if (calls.length > 0) throw new MaxRefusal(R.AGENT_BUSY, 'The agent is on a call');
    agent.state = 'ready';
    this.changes++;
  }

  dial(userId: number, phone: string, leadId: number | undefined): MaxCall {
    const agent = this.#agent(userId);
    if (!PHONE.test(phone)) throw new MaxRefusal(R.INVALID_PHONE, `Invalid phone number ${phone.slice(0, 24)}`);
    const calls = this.#callsOf(userId);
    if (calls.some((c) => c.status === 'awaitingDisposition')) throw new MaxRefusal(R.AWAITING_DISPOSITION, 'A call is awaiting disposition');
    // A second call only while every other one is on hold (the consult of a warm transfer).
    if (calls.some((c) => c.line !== 'held') || calls.length >= MAX_CALLS_PER_USER) throw new MaxRefusal(R.AGENT_BUSY, 'The agent is on a call');
    let lead: Lead;
    if (leadId !== undefined) {
      const found = this.#leads.find((l) => l.id === leadId);
      if (!found) throw new MaxRefusal(R.UNKNOWN_LEAD, `Unknown lead ${leadId}`);
      lead = found;
    } else {
      // The newest lead with this number, else a new lead (as the document says).
      lead = [...this.#leads].reverse().find((l) => l.phones.some((p) => p.number === phone)) ?? this.#newLead(phone);
    }
    const call = this.#newCall(userId, false, phone, lead.id, 'dialing');
    agent.state = 'onCall';
    if (this.options.connectDelayMs >= 0) call.timer = setTimeout(() => this.#connect(call), this.options.connectDelayMs);
    return this.#entity(call);
  }

  hangup(userId: number, callId: number): void {
    const call = this.#call(userId, callId);
    if (call.line === 'disconnected') throw new MaxRefusal(R.WRONG_CALL_STATE, `Call ${callId} is not live`);
    this.#end(call);
  }

  dispose(userId: number, callId: number, resultCode: string): void {
    const call = this.#call(userId, callId);
    if (!RESULT_CODES.some((c) => c.Code === resultCode)) throw new MaxRefusal(R.UNKNOWN_RESULT_CODE, `Unknown result code ${resultCode.slice(0, 24)}`);
    // "The call will also be hung up if it has not already."
    clearTimeout(call.timer);
    this.#calls.delete(call.id);
    this.#dispositions.push({ callId: call.id, resultCode });
    this.#afterCall(userId);
  }

  hold(userId: number, callId: number): void {
    const call = this.#call(userId, callId);
    if (call.line !== 'connected') throw new MaxRefusal(R.WRONG_CALL_STATE, `Call ${callId} is not connected`);
    call.line = 'held';
    this.changes++;
  }

  retrieve(userId: number, callId: number): void {
    const call = this.#call(userId, callId);
    if (call.line !== 'held') throw new MaxRefusal(R.WRONG_CALL_STATE, `Call ${callId} is not on hold`);
    call.line = 'connected';
    this.changes++;
  }

  record(userId: number, callId: number, on: boolean): void {
    const call = this.#call(userId, callId);
    if (call.line !== 'connected' && call.line !== 'held') throw new MaxRefusal(R.WRONG_CALL_STATE, `Call ${callId} is not connected`);
    call.recording = on ? 'recording' : 'stopped';
    this.changes++;
  }

  leadPhones(userId: number, leadId: number): Array<Record<string, unknown>> {
    this.#agent(userId);
    const lead = this.#leads.find((l) => l.id === leadId);
    if (!lead) throw new MaxRefusal(R.UNKNOWN_LEAD, `Unknown lead ${leadId}`);
    return lead.phones.map((p) => ({ LeadId: lead.id, LeadPhoneID: p.id, PhoneNumber: p.number, RecordType: p.type, RecordTypeId: p.typeId }));
  }

  changeLead(userId: number, callId: number, leadPhoneId: number): void {
    const call = this.#call(userId, callId);
    const lead = this.#leads.find((l) => l.phones.some((p) => p.id === leadPhoneId));
    if (!lead) throw new MaxRefusal(R.UNKNOWN_LEAD, `Unknown lead phone ${leadPhoneId}`);
    call.leadId = lead.id;
    this.changes++;
  }

  createNewLead(userId: number, callId: number, phone: string): void {
    const call = this.#call(userId, callId);
    if (!PHONE.test(phone)) throw new MaxRefusal(R.INVALID_PHONE, `Invalid phone number ${phone.slice(0, 24)}`);
    call.leadId = this.#newLead(phone).id;
    this.changes++;
  }

  connectCalls(userId: number, bridge: Omit<Bridge, 'userId'>): void {
    const one = this.#call(userId, bridge.call1);
    const two = this.#call(userId, bridge.call2);
    if (one === two) throw new MaxRefusal(R.BAD_PARAMETER, 'call1 and call2 must differ');
    for (const call of [one, two]) if (call.line === 'disconnected') throw new MaxRefusal(R.WRONG_CALL_STATE, `Call ${call.id} is not live`);
    for (const code of [bridge.resultCode1, bridge.resultCode2]) {
      if (!RESULT_CODES.some((c) => c.Code === code)) throw new MaxRefusal(R.UNKNOWN_RESULT_CODE, `Unknown result code ${code.slice(0, 24)}`);
    }
    // Bridged: the two parties talk to each other and both calls leave the agent, dispositioned.
    for (const call of [one, two]) {
      clearTimeout(call.timer);
      this.#calls.delete(call.id);
    }
    this.#dispositions.push({ callId: one.id, resultCode: bridge.resultCode1 }, { callId: two.id, resultCode: bridge.resultCode2 });
    this.#bridges.push({ userId, ...bridge });
    this.#afterCall(userId);
  }

  // ---- the test's side (control API) -----------------------------------------------------------

  offerInbound(userId: number, from: string, name?: string): number {
    const agent = this.#agents.get(userId);
    if (!agent || !agent.loggedIn) throw new MaxRefusal(R.USER_NOT_LOGGED_IN, `User ${userId} is not logged in`);
    if (agent.state !== 'ready') throw new MaxRefusal(R.AGENT_BUSY, `User ${userId} is not ready`);
    const lead = [...this.#leads].reverse().find((l) => l.phones.some((p) => p.number === from)) ?? this.#newLead(from, name);
    const call = this.#newCall(userId, true, from, lead.id, 'ringing');
    agent.state = 'onCall';
    if (this.options.ringMs >= 0) call.timer = setTimeout(() => this.#connect(call), this.options.ringMs);
    return call.id;
  }

  customerAnswer(callId: number): void {
    const call = this.#calls.get(callId);
    if (!call) throw new MaxRefusal(R.NO_SUCH_CALL, `No call ${callId}`);
    if (call.line !== 'dialing' && call.line !== 'ringing') throw new MaxRefusal(R.WRONG_CALL_STATE, `Call ${callId} is not being set up`);
    this.#connect(call);
  }

  customerHangup(callId: number): void {
    const call = this.#calls.get(callId);
    if (!call) throw new MaxRefusal(R.NO_SUCH_CALL, `No call ${callId}`);
    if (call.line === 'disconnected') throw new MaxRefusal(R.WRONG_CALL_STATE, `Call ${callId} has ended`);
    this.#end(call);
  }

  state(): unknown {
    return {
      options: this.options,
      agents: [...this.#agents.values()].filter((a) => a.id <= 1011 || a.state !== 'notReady').map(({ id, name, loggedIn, state }) => ({ id, name, loggedIn, state })),
      calls: [...this.#calls.values()].map((c) => ({ ...this.#entity(c), userId: c.userId, inbound: c.inbound, leadId: c.leadId, line: c.line, status: c.status, recording: c.recording })),
      dispositions: this.#dispositions,
      bridges: this.#bridges,
      leads: this.#leads,
    };
  }

  users(): Array<{ FullName: string; ID: number }> {
    return [...this.#agents.values()].slice(0, 200).map((a) => ({ FullName: a.name, ID: a.id }));
  }

  /** The user id of an API request: a known, logged-in agent, or the refusal MaxContact gives. */
  checkUser(userId: number): void {
    this.#agent(userId);
  }

  close(): void {
    for (const call of this.#calls.values()) clearTimeout(call.timer);
  }

  // ---- internals -------------------------------------------------------------------------------

  #agent(userId: number): Agent {
    const agent = this.#agents.get(userId);
    if (!agent || !agent.loggedIn) throw new MaxRefusal(R.USER_NOT_LOGGED_IN, `User ${userId} is not logged in`);
    return agent;
  }

  #callsOf(userId: number): CentreCall[] {
    return [...this.#calls.values()].filter((c) => c.userId === userId);
  }

  #call(userId: number, callId: number): CentreCall {
    this.#agent(userId);
    const call = this.#calls.get(callId);
    if (!call || call.userId !== userId) throw new MaxRefusal(R.NO_SUCH_CALL, `No call ${callId} for user ${userId}`);
    return call;
  }

  #newCall(userId: number, inbound: boolean, phone: string, leadId: number, line: LineMeaning): CentreCall {
    const call: CentreCall = { id: this.#nextCallId++, userId, inbound, line, status: 'active', recording: 'off', phone, leadId, startedAt: new Date() };
    this.#calls.set(call.id, call);
    this.changes++;
    return call;
  }

  #newLead(phone: string, name = ''): Lead {
    const lead: Lead = { id: this.#nextLeadId++, name, phones: [{ id: this.#nextLeadPhoneId++, number: phone, type: 'Unknown', typeId: 0 }] };
    this.#leads.push(lead);
    return lead;
  }

  #connect(call: CentreCall): void {
    clearTimeout(call.timer);
    if (!this.#calls.has(call.id) || (call.line !== 'dialing' && call.line !== 'ringing')) return;
    call.line = 'connected';
    this.changes++;
  }

  /** Either side hung up: the call waits for its result code, the agent is wrapping. */
  #end(call: CentreCall): void {
    clearTimeout(call.timer);
    call.line = 'disconnected';
    call.status = 'awaitingDisposition';
    if (call.recording === 'recording') call.recording = 'stopped';
    const agent = this.#agents.get(call.userId);
    if (agent) agent.state = 'wrapping';
    this.changes++;
  }

  #afterCall(userId: number): void {
    const agent = this.#agents.get(userId);
    const left = this.#callsOf(userId);
    // MaxContact's dialler makes an agent ready again once the last call is dispositioned.
    if (agent) agent.state = left.length === 0 ? 'ready' : left.some((c) => c.status === 'awaitingDisposition') ? 'wrapping' : 'onCall';
    this.changes++;
  }

  #entity(call: CentreCall): MaxCall {
    const lead = this.#leads.find((l) => l.id === call.leadId);
    return {
      CallId: call.id,
      CallStartTime: call.startedAt.toISOString(),
      CallState: valueOf('callState', call.line),
      CallStatus: valueOf('callStatus', call.status),
      CustomerName: lead?.name ?? '',
      CustomerName2: '',
      PhoneNumber: call.phone,
      RecordingState: valueOf('recordingState', call.recording),
    };
  }
}

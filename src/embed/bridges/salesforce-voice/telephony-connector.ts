/**
 * The SDK's `TelephonyConnector` on the bar's session: every call control Salesforce's softphone
 * sends (accept, end, mute, hold, dial, digits, transfer, swap, conference, recording, wrap-up)
 * becomes a canonical command of whatever backend the bar is on, and answers with the SDK's
 * result classes built from the session's snapshot. A refused command rejects with the bar's
 * readable message (the SDK reports it to Salesforce as its error type).
 */
import {
  ActiveCallsResult,
  AgentConfigResult,
  CallResult,
  Constants,
  Contact,
  GenericResult,
  HangupResult,
  type HoldToggleResult,
  MuteToggleResult,
  ParticipantResult,
  Phone,
  PhoneContactsResult,
  RecordingToggleResult,
  SignedRecordingUrlResult,
  TelephonyConnector,
  VoiceCapabilitiesResult,
  type DialOptions,
  type PhoneCall,
} from 'scv-connector-base';
import type { Session } from '../../../core/session.ts';
import type { Call, Destination } from '../../../core/model.ts';
import type { Operation } from '../../../core/operations.ts';
import { activeCalls, consultCallId, holdToggleOf, phoneCallOf } from './phone-call.ts';
import { until } from './session-wait.ts';

const CONTACT_TYPES: Record<Destination['type'], 'Agent' | 'Queue' | 'PhoneNumber'> = { agent: 'Agent', queue: 'Queue', external: 'PhoneNumber' };
const PHONE_TYPE = (Constants as unknown as { PHONE_TYPE: { SOFT_PHONE: string } }).PHONE_TYPE;

/** What the SDK will publish itself for a command Salesforce sent (the bar must not publish it twice). */
export type Expectation = 'connected' | 'hangup' | 'held' | 'retrieved' | 'started' | 'muted' | 'recording' | 'participant';

export class AgentBarTelephonyConnector extends TelephonyConnector {
  readonly #session: Session;
  readonly #timeoutMs: number;
  readonly #expect: (callId: string, what: Expectation) => void;

  constructor(session: Session, options: { timeoutMs: number; expect: (callId: string, what: Expectation) => void }) {
    super();
    this.#session = session;
    this.#timeoutMs = options.timeoutMs;
    this.#expect = options.expect;
  }

  override async getActiveCalls(): Promise<ActiveCallsResult> {
    return new ActiveCallsResult({ activeCalls: activeCalls(this.#session.snapshot.calls).map((c) => phoneCallOf(c)) });
  }

  override async acceptCall(call: PhoneCall): Promise<CallResult> {
    this.#expect(call.callId, 'connected');
    await this.#run('answer', { callId: call.callId });
    const answered = await this.#until(call.callId, (c) => c.state !== 'ringing', 'Answer');
    return new CallResult({ call: phoneCallOf(answered) });
  }

  override async declineCall(call: PhoneCall): Promise<CallResult> {
    // No canonical decline: a backend that lets the agent hang up a ringing call declines it.
    const current = this.#call(call.callId);
    this.#expect(call.callId, 'hangup');
    await this.#run('hangup', { callId: call.callId });
    return new CallResult({ call: phoneCallOf(current, { ended: true }) });
  }

  override async endCall(call: PhoneCall): Promise<HangupResult> {
    const current = this.#call(call.callId);
    this.#expect(call.callId, 'hangup');
    await this.#run('hangup', { callId: call.callId });
    await this.#until(call.callId, (c) => c.state === 'wrapup', 'Hang up', true);
    return new HangupResult({ calls: [phoneCallOf(current, { ended: true })] });
  }

  override async mute(call: PhoneCall): Promise<MuteToggleResult> {
    return this.#mute(call, true);
  }

  override async unmute(call: PhoneCall): Promise<MuteToggleResult> {
    return this.#mute(call, false);
  }

  override async hold(call: PhoneCall): Promise<HoldToggleResult> {
    this.#expect(call.callId, 'held');
    await this.#run('hold', { callId: call.callId });
    await this.#until(call.callId, (c) => c.state === 'held', 'Hold');
    return holdToggleOf(this.#session.snapshot.calls);
  }

  override async resume(call: PhoneCall): Promise<HoldToggleResult> {
    this.#expect(call.callId, 'retrieved');
    await this.#run('retrieve', { callId: call.callId });
    await this.#until(call.callId, (c) => c.state !== 'held', 'Resume');
    return holdToggleOf(this.#session.snapshot.calls);
  }

  override async dial(contact: Contact, options: DialOptions): Promise<CallResult> {
    const number = contact.phoneNumber ?? '';
    if (options?.isConsultCall) {
      await this.#run('consult', { destination: this.#destination(contact) });
      const call = this.#session.snapshot.calls[0]!;
      return new CallResult({ call: phoneCallOf(call) });
    }
    const before = new Set(this.#session.snapshot.calls.map((c) => c.id));
    // The SDK publishes CALL_STARTED for this call itself.
    this.#expect('*dial', 'started');
    await this.#run('dial', contact.recordId ? { number, recordId: contact.recordId } : { number });
    const call = await until(this.#session, (s) => s.calls.find((c) => !before.has(c.id)), this.#timeoutMs, 'Dial');
    return new CallResult({ call: phoneCallOf(call) });
  }

  override async sendDigits(digits: string): Promise<void> {
    for (const digit of String(digits)) await this.#run('sendDtmf', { digit });
  }

  override async getPhoneContacts(): Promise<PhoneContactsResult> {
    const contacts = this.#session.snapshot.destinations.map(
      (d) => new Contact({ id: d.id, type: CONTACT_TYPES[d.type], name: d.label, phoneNumber: d.number ?? d.id }),
    );
    return new PhoneContactsResult({ contacts, contactTypes: [...new Set(contacts.map((c) => c.type))] } as ConstructorParameters<typeof PhoneContactsResult>[0]);
  }

  override async swap(): Promise<HoldToggleResult> {
    await this.#run('alternate', {});
    return holdToggleOf(this.#session.snapshot.calls);
  }

  override async conference(): Promise<HoldToggleResult> {
    await this.#run('conference', {});
    return holdToggleOf(this.#session.snapshot.calls);
  }

  override async addParticipant(contact: Contact, parentCall: PhoneCall, isBlindTransfer: boolean): Promise<ParticipantResult> {
    const destination = this.#destination(contact);
    const parent = this.#call(parentCall?.callId ?? this.#session.snapshot.calls[0]?.id ?? '');
    this.#expect(parent.id, isBlindTransfer ? 'hangup' : 'participant');
    await this.#run(isBlindTransfer ? 'blindTransfer' : 'consult', { destination, callId: parent.id });
    // After a blind transfer the call has left the bar: its last state stands for it.
    const call = this.#session.snapshot.calls.find((c) => c.id === parent.id) ?? parent;
    const callId = parent.id;
    return new ParticipantResult({
      initialCallHasEnded: isBlindTransfer,
      callInfo: phoneCallOf(call).callInfo,
      phoneNumber: contact.phoneNumber ?? destination.number ?? destination.id,
      callId: consultCallId(callId),
      contact,
    } as ConstructorParameters<typeof ParticipantResult>[0]);
  }

  override async pauseRecording(): Promise<RecordingToggleResult> {
    this.#expect(this.#session.snapshot.calls[0]?.id ?? '', 'recording');
    await this.#run('stopRecording', {});
    return new RecordingToggleResult({ isRecordingPaused: true } as ConstructorParameters<typeof RecordingToggleResult>[0]);
  }

  override async resumeRecording(): Promise<RecordingToggleResult> {
    this.#expect(this.#session.snapshot.calls[0]?.id ?? '', 'recording');
    await this.#run('startRecording', {});
    return new RecordingToggleResult({ isRecordingPaused: false } as ConstructorParameters<typeof RecordingToggleResult>[0]);
  }

  override async getAgentConfig(): Promise<AgentConfigResult> {
    const phone = new Phone({ type: PHONE_TYPE.SOFT_PHONE } as ConstructorParameters<typeof Phone>[0]);
    return new AgentConfigResult({ phones: [phone], selectedPhone: phone } as unknown as ConstructorParameters<typeof AgentConfigResult>[0]);
  }

  override async setAgentConfig(): Promise<GenericResult> {
    return new GenericResult({ success: true });
  }

  /** What the backend can do at all (the capability engine's operations), not what is allowed now. */
  override async getVoiceCapabilities(): Promise<VoiceCapabilitiesResult> {
    const can = (op: Operation) => this.#session.connector.supports.has(op);
    return new VoiceCapabilitiesResult({
      hasMute: can('mute') && can('unmute'),
      hasRecord: can('startRecording') && can('stopRecording'),
      hasMerge: can('conference'),
      hasSwap: can('alternate'),
      hasBlindTransfer: can('blindTransfer'),
      hasSignedRecordingUrl: false,
      supportsMos: false,
      hasSupervisorListenIn: false,
      hasSupervisorBargeIn: false,
      hasPhoneBook: this.#session.snapshot.destinations.length > 0 || can('consult'),
      canConsult: can('consult'),
      isDialPadDisabled: !can('dial'),
    } as ConstructorParameters<typeof VoiceCapabilitiesResult>[0]);
  }

  override async wrapUpCall(call: PhoneCall): Promise<void> {
    const current = this.#session.snapshot.calls.find((c) => c.id === call?.callId && c.state === 'wrapup');
    const code = this.#session.snapshot.dispositions[0]?.code;
    // Salesforce ends after-call work without a disposition: the backend's first one closes it.
    if (current && code) await this.#run('wrapUp', { callId: current.id, code });
  }

  override async getSignedRecordingUrl(): Promise<SignedRecordingUrlResult> {
    return new SignedRecordingUrlResult({ success: false } as ConstructorParameters<typeof SignedRecordingUrlResult>[0]);
  }

  async #mute(call: PhoneCall, muted: boolean): Promise<MuteToggleResult> {
    this.#expect(call?.callId ?? '', 'muted');
    await this.#run(muted ? 'mute' : 'unmute', call?.callId ? { callId: call.callId } : {});
    const current = await this.#until(call?.callId ?? this.#session.snapshot.calls[0]?.id ?? '', (c) => (c.muted ?? false) === muted, muted ? 'Mute' : 'Unmute');
    return new MuteToggleResult({ isMuted: muted, call: phoneCallOf(current) } as ConstructorParameters<typeof MuteToggleResult>[0]);
  }

  /** A contact from Salesforce's phone book (our destinations) or any number, as a canonical destination. */
  #destination(contact: Contact): Destination {
    const known = this.#session.snapshot.destinations.find((d) => d.id === contact.id || (contact.phoneNumber && d.number === contact.phoneNumber));
    if (known) return known;
    const number = contact.phoneNumber ?? contact.id ?? '';
    return { id: number, type: 'external', label: contact.name ?? number, number };
  }

  #call(callId: string): Call {
    const call = this.#session.snapshot.calls.find((c) => c.id === callId);
    if (!call) throw new Error(`No call ${callId} in the agent bar.`);
    return call;
  }

  /** The call once `test` holds (or, with `gone`, once it holds or the call left the snapshot). */
  #until(callId: string, test: (call: Call) => boolean, what: string, gone = false): Promise<Call> {
    let last = this.#session.snapshot.calls.find((c) => c.id === callId);
    return until(
      this.#session,
      (s) => {
        const call = s.calls.find((c) => c.id === callId);
        if (call) last = call;
        return call && test(call) ? call : !call && gone && last ? last : undefined;
      },
      this.#timeoutMs,
      what,
    );
  }

  #run(operation: Operation, args: Record<string, unknown>): Promise<void> {
    return (this.#session.command as (op: Operation, a: Record<string, unknown>) => Promise<void>)(operation, args);
  }
}

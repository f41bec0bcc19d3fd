/**
 * What happens in the bar (the customer calls, answers, hangs up; the agent acts in the bar) told
 * to Salesforce with the SDK's `publishEvent`, built from the session's host events and snapshot
 * changes. What Salesforce itself asked for is published by the SDK after the command: those are
 * skipped once (`expect`), so Salesforce hears every change exactly once.
 */
import { CallResult, Constants, HangupResult, MuteToggleResult, ParticipantResult, PhoneCall, RecordingToggleResult, publishEvent } from 'scv-connector-base';
import type { Session } from '../../../core/session.ts';
import type { Call } from '../../../core/model.ts';
import { consultCallId, holdToggleOf, phoneCallOf } from './phone-call.ts';
import type { Expectation } from './telephony-connector.ts';

const EVENT = (Constants as unknown as { VOICE_EVENT_TYPE: Record<string, string> }).VOICE_EVENT_TYPE;

type Publish = (eventType: string, payload: object) => void;

export class EventPublisher {
  readonly #session: Session;
  readonly #expected = new Set<string>();
  readonly #off: (() => void)[];
  readonly #publish: Publish;
  /** Per call: muted, recording and the consulted party's leg as last told to Salesforce. */
  readonly #told = new Map<string, { muted: boolean; recording: boolean; consult: 'dialing' | 'connected' | undefined }>();

  constructor(session: Session, publish: Publish = (eventType, payload) => void publishEvent({ eventType, payload } as Parameters<typeof publishEvent>[0])) {
    this.#session = session;
    this.#publish = publish;
    this.#off = [
      session.onHostEvent((e) => {
        switch (e.type) {
          case 'call-offered':
            return this.#offered(e.detail.call);
          case 'call-connected':
            return this.#unless(e.detail.call.id, 'connected', () => this.#publish(EVENT.CALL_CONNECTED!, new CallResult({ call: phoneCallOf(e.detail.call) })));
          case 'call-held':
            return this.#unless(e.detail.call.id, 'held', () => this.#publish(EVENT.HOLD_TOGGLE!, holdToggleOf(this.#session.snapshot.calls)));
          case 'call-retrieved':
            return this.#unless(e.detail.call.id, 'retrieved', () => this.#publish(EVENT.HOLD_TOGGLE!, holdToggleOf(this.#session.snapshot.calls)));
          case 'call-disconnected':
            return this.#unless(e.detail.call.id, 'hangup', () => this.#publish(EVENT.HANGUP!, new HangupResult({ calls: [phoneCallOf(e.detail.call, { ended: true })] })));
          default:
            return undefined;
        }
      }),
      session.subscribe((s) => this.#toggles(s.calls)),
    ];
  }

  /** Salesforce asked for `what` on `callId`: the SDK publishes it, the bar stays quiet once. */
  expect(callId: string, what: Expectation): void {
    this.#expected.add(`${callId}|${what}`);
  }

  dispose(): void {
    for (const off of this.#off) off();
  }

  #offered(call: Call): void {
    // A call Salesforce dialled is announced by the SDK (CALL_STARTED) with the dial's answer.
    if (call.direction === 'outbound' && this.#expected.delete('*dial|started')) return;
    this.#publish(EVENT.CALL_STARTED!, new CallResult({ call: phoneCallOf(call) }));
  }

  /** The consulted party: added (by the agent in the bar), connected, gone (the call goes on with the customer). */
  #consultChanged(call: Call, before: string | undefined, now: string | undefined): void {
    const leg = call.consult;
    const participant = () =>
      new ParticipantResult({
        initialCallHasEnded: false,
        callInfo: phoneCallOf(call).callInfo,
        phoneNumber: leg?.destination.number ?? leg?.destination.id ?? '',
        callId: consultCallId(call.id),
      } as ConstructorParameters<typeof ParticipantResult>[0]);
    if (!before && now) this.#unless(call.id, 'participant', () => this.#publish(EVENT.PARTICIPANT_ADDED!, participant()));
    if (now === 'connected') this.#publish(EVENT.PARTICIPANT_CONNECTED!, participant());
    // Gone while the customer's call goes on alone (not merged into a conference, not ended).
    if (before && !now && (call.state === 'talking' || call.state === 'held')) {
      const ended = new PhoneCall({ callId: consultCallId(call.id), callType: 'AddParticipant', state: 'ended' } as ConstructorParameters<typeof PhoneCall>[0]);
      this.#publish(EVENT.PARTICIPANT_REMOVED!, new CallResult({ call: ended }));
    }
  }

  #unless(callId: string, what: Expectation, publish: () => void): void {
    if (!this.#expected.delete(`${callId}|${what}`)) publish();
  }

  /** Mute, recording and the consulted party have no host event: told when the snapshot changes. */
  #toggles(calls: readonly Call[]): void {
    for (const call of calls) {
      const now = { muted: call.muted ?? false, recording: call.recording, consult: call.consult?.state };
      const told = this.#told.get(call.id);
      this.#told.set(call.id, now);
      if (!told) continue;
      if (told.muted !== now.muted) {
        this.#unless(call.id, 'muted', () => this.#publish(EVENT.MUTE_TOGGLE!, new MuteToggleResult({ isMuted: now.muted, call: phoneCallOf(call) } as ConstructorParameters<typeof MuteToggleResult>[0])));
      }
      if (told.recording !== now.recording) {
        this.#unless(call.id, 'recording', () =>
          this.#publish(EVENT.RECORDING_TOGGLE!, new RecordingToggleResult({ isRecordingPaused: !now.recording } as ConstructorParameters<typeof RecordingToggleResult>[0])),
        );
      }
      if (told.consult !== now.consult) this.#consultChanged(call, told.consult, now.consult);
    }
    for (const id of [...this.#told.keys()]) if (!calls.some((c) => c.id === id)) this.#told.delete(id);
  }
}

/**
 * The bar's phone next to a contact-centre connector (docs/phone.md, "With a contact-centre
 * connector"): the agent's SIP phone lives in the bar while another backend (uContact, Noojee,
 * POM …) runs the calls. The backend rings this phone first (a two-step dial, a nailing call)
 * with an auto-answer marker, and the phone answers by itself; the call card stays the backend's
 * call, so the phone's own calls never become canonical calls. What it adds: the audio, its
 * quality, and a ring the agent answers here when a call comes without a marker.
 *
 * One tab of the browser owns the phone: it registers only while it holds the Web Lock
 * `agent-bar:phone:<uri>` (released the moment the tab goes; the next tab waiting takes it and
 * registers). A refused or failed registration is tried again with capped backoff, asking
 * `getCredentials()` again each time.
 */
import { CtiError, ErrorCode } from '../core/errors.ts';
import { ConnectRetry } from '../core/connect-retry.ts';
import type { AudioQuality } from '../core/model.ts';
import type { SipPhone, RegistrationState } from './sip-phone.ts';
import type { PhoneCall } from './phone-call.ts';
import type { PhoneConfig } from './phone-config.ts';
import { AUTO_ANSWER_POLICIES } from './auto-answer.ts';
import { mediaConstraints, pcConfig } from './phone-media.ts';

/** `bar.phone`: the phone's options; `endpoint` is the SIP server's WebSocket URL. Everything else as the `sip` connector's config. */
export interface CompanionOptions extends Omit<PhoneConfig, 'server'> {
  endpoint: string;
}

/**
 * `waiting`: another tab of this browser owns the phone; `registering`, `registered`,
 * `reconnecting` (the link is being restored by itself), `failed` (see `error`; tried again
 * later), `stopped`.
 */
export type CompanionState = 'waiting' | 'registering' | 'registered' | 'reconnecting' | 'failed' | 'stopped';

/** How long the last call's quality is kept for the backend's `cti-call-disconnected`, ms. */
const LAST_QUALITY_KEEP_MS = 60_000;

/** Checks `bar.phone`; a readable message for what is wrong, undefined when it can start. */
export function checkCompanionOptions(options: unknown): string | undefined {
  if (!options || typeof options !== 'object') return 'The phone options must be an object: { endpoint, uri, getCredentials }.';
  const o = options as Partial<CompanionOptions>;
  if (typeof o.endpoint !== 'string' || !/^wss?:\/\/\S+$/i.test(o.endpoint)) return 'The phone\'s "endpoint" must be the SIP server\'s WebSocket URL (ws:// or wss://).';
  if (typeof o.uri !== 'string' || !/^sips?:[^@\s]+@[^@\s]+$/i.test(o.uri)) return 'The phone\'s "uri" must be a SIP address like sip:1001@pbx.example.com.';
  if (typeof o.getCredentials !== 'function') return 'The phone needs "getCredentials": a function returning { username?, password }.';
  if (o.autoAnswer !== undefined && !AUTO_ANSWER_POLICIES.includes(o.autoAnswer)) return `The phone's "autoAnswer" must be one of ${AUTO_ANSWER_POLICIES.join(', ')}.`;
  return undefined;
}

export class PhoneCompanion {
  readonly #options: CompanionOptions;
  #phone: SipPhone | undefined;
  #state: CompanionState = 'waiting';
  #error: CtiError | undefined;
  #listeners = new Set<() => void>();
  #abort = new AbortController();
  #retry = new ConnectRetry(() => void this.#register());
  #autoAnswered = new Set<string>();
  #last: { quality: AudioQuality; at: number } | undefined;

  constructor(options: CompanionOptions) {
    const problem = checkCompanionOptions(options);
    if (problem) throw new CtiError({ code: ErrorCode.InvalidArgument, message: problem });
    this.#options = { autoAnswer: 'header', ...options };
  }

  get state(): CompanionState {
    return this.#state;
  }

  /** Why the last registration failed (shown by the phone panel). */
  get error(): CtiError | undefined {
    return this.#error;
  }

  get calls(): PhoneCall[] {
    return (this.#phone?.calls ?? []).filter((c) => c.state !== 'ended');
  }

  /** The quality of the call now, else of the one that ended in the last minute. */
  get lastQuality(): AudioQuality | undefined {
    const now = this.calls.find((c) => c.quality)?.quality;
    if (now) return now;
    return this.#last && Date.now() - this.#last.at < LAST_QUALITY_KEEP_MS ? this.#last.quality : undefined;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes this browser's phone lock (or registers at once where there are no Web Locks). */
  start(): void {
    const locks = globalThis.navigator?.locks;
    if (!locks) {
      void this.#register();
      return;
    }
    this.#set('waiting');
    locks
      .request(`agent-bar:phone:${this.#options.uri}`, { signal: this.#abort.signal }, () => {
        if (this.#abort.signal.aborted) return undefined;
        void this.#register();
        // Held until stop(): the tab that owns the phone keeps it while it lives.
        return new Promise<void>((release) => this.#abort.signal.addEventListener('abort', () => release(), { once: true }));
      })
      .catch(() => undefined);
  }

  /** Unregisters, hangs up and lets the next tab take the phone. Final. */
  stop(): void {
    this.#abort.abort();
    this.#retry.cancel();
    this.#phone?.stop();
    this.#phone = undefined;
    this.#set('stopped');
  }

  async answer(callId: string): Promise<void> {
    const call = this.#call(callId);
    call.answer(await mediaConstraints(this.#options), pcConfig(this.#options));
  }

  hangup(callId: string): void {
    this.#call(callId).hangup();
  }

  async #register(): Promise<void> {
    if (this.#abort.signal.aborted || this.#phone) return;
    this.#set('registering');
    // The SIP stack (JsSIP) is fetched when a phone registers, not with the panel that shows it.
    let SipPhoneClass: typeof SipPhone;
    try {
      ({ SipPhone: SipPhoneClass } = await import('./sip-phone.ts'));
    } catch (error) {
      this.#fail(CtiError.from(error, { code: ErrorCode.NotConnected, message: 'The phone module did not load.' }));
      return;
    }
    if (this.#abort.signal.aborted || this.#phone) return;
    const phone: SipPhone = new SipPhoneClass(
      { ...this.#options, server: this.#options.endpoint },
      {
        registration: (state, error) => {
          if (phone === this.#phone) this.#onRegistration(phone, state, error);
        },
        call: (call) => {
          if (phone !== this.#phone) return;
          this.#maybeAutoAnswer(call);
          this.#emit();
        },
        callEnded: (call) => {
          if (phone !== this.#phone) return;
          this.#autoAnswered.delete(call.id);
          if (call.quality) this.#last = { quality: call.quality, at: Date.now() };
          this.#emit();
        },
      },
    );
    this.#phone = phone;
    try {
      await phone.start();
    } catch (error) {
      if (phone !== this.#phone) return;
      this.#fail(CtiError.from(error));
    }
  }

  #onRegistration(phone: SipPhone, state: RegistrationState, error?: CtiError): void {
    if (state === 'registered') {
      this.#error = undefined;
      this.#retry.reset();
      this.#set('registered');
    } else if (state === 'reconnecting') {
      this.#set('reconnecting');
    } else if (state === 'failed') {
      phone.stop();
      this.#fail(error);
    }
  }

  #fail(error: CtiError | undefined): void {
    this.#phone?.stop();
    this.#phone = undefined;
    this.#error = error;
    this.#set('failed');
    if (!this.#abort.signal.aborted) this.#retry.schedule();
  }

  /** A call the backend marked for auto-answer is answered after its delay (once). */
  #maybeAutoAnswer(call: PhoneCall): void {
    if (call.state !== 'ringing' || call.autoAnswerAfterS === undefined || this.#autoAnswered.has(call.id)) return;
    this.#autoAnswered.add(call.id);
    setTimeout(async () => {
      try {
        const constraints = await mediaConstraints(this.#options);
        if (call.state === 'ringing') call.answer(constraints, pcConfig(this.#options));
      } catch (error) {
        this.#error = CtiError.from(error);
        this.#emit();
      }
    }, call.autoAnswerAfterS * 1000);
  }

  #call(callId: string): PhoneCall {
    const call = this.calls.find((c) => c.id === callId);
    if (!call) throw new CtiError({ code: ErrorCode.NotAllowed, message: 'There is no such call on the phone.' });
    return call;
  }

  #set(state: CompanionState): void {
    if (this.#state === 'stopped') return;
    this.#state = state;
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

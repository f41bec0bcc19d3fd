/**
 * The browser phone: one JsSIP user agent registered over WebSocket (docs/phone.md). JsSIP does
 * the SIP: digest authentication, re-registering before the registration expires, reconnecting a
 * lost WebSocket with random exponential backoff and registering again once it is back. This
 * class turns that into a registration state and a set of `PhoneCall`s for its owner.
 */
import * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import { CtiError, ErrorCode } from '../core/errors.ts';
import { PhoneCall } from './phone-call.ts';
import { registrationFailure, type SipFailure } from './sip-errors.ts';
import { targetUri, type PhoneConfig } from './phone-config.ts';
import { autoAnswerDelay } from './auto-answer.ts';
import { DEVICE_CHOICE_EVENT, loadDeviceChoice, type DeviceChoice } from './device-choice.ts';
import { mediaConstraints, outputDevice } from './phone-media.ts';

/** `registered`: calls can be made and taken. `reconnecting`: the link or registration is being restored by itself. `failed`: the server refused (see the error). */
export type RegistrationState = 'registering' | 'registered' | 'reconnecting' | 'failed';

export interface SipPhoneListener {
  registration(state: RegistrationState, error?: CtiError): void;
  /** A call appeared or changed (state, mute). */
  call(call: PhoneCall): void;
  /** A call is over; `error` when it failed after the dial was accepted (e.g. 486 after ringing). */
  callEnded(call: PhoneCall, error?: CtiError): void;
}

export class SipPhone {
  readonly #config: PhoneConfig;
  readonly #listener: SipPhoneListener;
  #ua: JsSIP.UA | undefined;
  #calls = new Map<string, PhoneCall>();
  #stopped = false;
  /** The devices last announced (only a changed one is switched). */
  #devices: DeviceChoice = loadDeviceChoice();

  constructor(config: PhoneConfig, listener: SipPhoneListener) {
    this.#config = config;
    this.#listener = listener;
  }

  get calls(): PhoneCall[] {
    return [...this.#calls.values()];
  }

  /**
   * Asks for the credentials, connects and registers. Resolves once registered; rejects with the
   * readable reason (refused credentials, server unreachable) and leaves nothing running.
   */
  async start(): Promise<void> {
    if (typeof RTCPeerConnection === 'undefined' || typeof WebSocket === 'undefined') {
      throw new CtiError({ code: ErrorCode.Unsupported, message: 'The browser phone needs a browser with WebRTC and WebSocket.' });
    }
    const credentials = await this.#config.getCredentials();
    if (!credentials || typeof credentials.password !== 'string' || credentials.password === '') {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'getCredentials() must return { password } (and optionally username).' });
    }
    if (this.#stopped) throw stoppedError();
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(this.#config.server)],
      uri: this.#config.uri,
      password: credentials.password,
      ...(credentials.username ? { authorization_user: credentials.username } : {}),
      ...(this.#config.displayName ? { display_name: this.#config.displayName } : {}),
      register: true,
      register_expires: this.#config.registerExpiresS ?? 600,
      connection_recovery_min_interval: this.#config.reconnectMinS ?? 2,
      connection_recovery_max_interval: this.#config.reconnectMaxS ?? 30,
      session_timers: false,
      user_agent: 'agent-bar',
    });
    this.#ua = ua;
    globalThis.addEventListener?.(DEVICE_CHOICE_EVENT, this.#onDevices);
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: CtiError) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      // A stopped agent's last words (its unregister, its socket closing) are nobody's business.
      const live = () => ua === this.#ua;
      ua.on('registered', () => {
        if (!live()) return;
        settle();
        this.#listener.registration('registered');
      });
      ua.on('registrationFailed', (event) => {
        if (!live()) return;
        const error = registrationFailure({ cause: event.cause, response: event.response as SipFailure['response'] });
        if (!settled) settle(error);
        else if (error.code !== ErrorCode.NotConnected) this.#listener.registration('failed', error);
        // A lost link is JsSIP's to restore: it reconnects and registers again by itself.
      });
      ua.on('disconnected', () => {
        if (!live()) return;
        // Before the first registration an unreachable server is a failed start (the session retries).
        if (!settled) settle(new CtiError({ code: ErrorCode.NotConnected, message: `The phone could not reach the SIP server at ${safeUrl(this.#config.server)}.` }));
        else this.#listener.registration('reconnecting');
      });
      ua.on('unregistered', () => {
        if (live() && settled) this.#listener.registration('reconnecting');
      });
      ua.on('newRTCSession', (event: { session: RTCSession; originator: string; request?: { getHeaders(name: string): string[] } }) =>
        this.#track(event.session, event.originator === 'remote' ? event.request : undefined),
      );
      ua.start();
    }).catch((error: unknown) => {
      this.#stopUa();
      throw error;
    });
  }

  /** Places a call; resolves once the far end rings or answers, rejects with the readable failure. */
  async call(number: string, mediaConstraints: MediaStreamConstraints, pcConfig: RTCConfiguration): Promise<PhoneCall> {
    const ua = this.#ua;
    if (!ua || !ua.isRegistered()) throw new CtiError({ code: ErrorCode.NotConnected, operation: 'dial', message: 'The phone is not registered: the call was not placed.' });
    const session = ua.call(targetUri(number, this.#config.uri), { mediaConstraints, pcConfig });
    const call = this.#calls.get(session.id) ?? this.#track(session);
    await call.dialled();
    return call;
  }

  /** Unregisters, hangs up every call and closes the WebSocket. Final. */
  stop(): void {
    this.#stopped = true;
    globalThis.removeEventListener?.(DEVICE_CHOICE_EVENT, this.#onDevices);
    for (const call of this.#calls.values()) call.hangup();
    this.#stopUa();
  }

  /** The agent chose another microphone or speaker (the phone panel): the calls in progress switch now. */
  readonly #onDevices = (event: Event): void => {
    const choice = (event as CustomEvent<DeviceChoice>).detail ?? {};
    const before = this.#devices;
    this.#devices = choice;
    for (const call of this.#calls.values()) {
      if (choice.outputDeviceId && choice.outputDeviceId !== before.outputDeviceId) void call.setOutputDevice(choice.outputDeviceId).catch(() => undefined);
      if (choice.inputDeviceId && choice.inputDeviceId !== before.inputDeviceId) void mediaConstraints(this.#config).then((constraints) => call.setInputDevice(constraints)).catch(() => undefined);
    }
  };

  #stopUa(): void {
    const ua = this.#ua;
    this.#ua = undefined;
    if (!ua) return;
    ua.stop();
  }

  /** `invite`: an incoming call's INVITE (its headers may ask for auto-answer). */
  #track(session: RTCSession, invite?: { getHeaders(name: string): string[] }): PhoneCall {
    const existing = this.#calls.get(session.id);
    if (existing) return existing;
    const autoAnswerAfterS = invite ? autoAnswerDelay(this.#config.autoAnswer ?? 'off', (name) => invite.getHeaders(name) ?? []) : undefined;
    const call = new PhoneCall(session, {
      ...(autoAnswerAfterS !== undefined ? { autoAnswerAfterS } : {}),
      dtmf: this.#config.dtmf ?? 'rfc4733',
      ringTimeoutMs: (this.#config.ringTimeoutS ?? 60) * 1000,
      iceGatheringTimeoutMs: this.#config.iceGatheringTimeoutMs ?? 1500,
      ...(outputDevice(this.#config) ? { outputDeviceId: outputDevice(this.#config) } : {}),
      onChange: (c) => this.#listener.call(c),
      onEnd: (c, error) => {
        this.#calls.delete(c.id);
        this.#listener.callEnded(c, error);
      },
    });
    this.#calls.set(call.id, call);
    this.#listener.call(call);
    return call;
  }
}

function stoppedError(): CtiError {
  return new CtiError({ code: ErrorCode.Destroyed, message: 'The phone was stopped.' });
}

/** The server URL without user info (never echo credentials someone put in a URL). */
function safeUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

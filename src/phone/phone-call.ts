/**
 * One call of the browser phone: a JsSIP `RTCSession` seen as the few things the bar needs
 * (state, muted, who, when, why it ended) and the commands it takes. The remote audio plays
 * through an `Audio` object of its own, on the chosen speaker where the browser has `setSinkId`.
 */
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { DTMF_TRANSPORT } from 'jssip/lib/Constants';
import { CtiError, ErrorCode } from '../core/errors.ts';
import { callFailure, type SipFailure } from './sip-errors.ts';
import { measureQuality, type CallQuality } from './call-quality.ts';
import { uriUser, type DtmfMode } from './phone-config.ts';

export type PhoneCallState = 'ringing' | 'dialing' | 'talking' | 'held' | 'ended';

export interface PhoneCallOptions {
  dtmf: DtmfMode;
  /** Outbound: given up (CANCEL) when not answered within this, ms. */
  ringTimeoutMs: number;
  iceGatheringTimeoutMs: number;
  outputDeviceId?: string;
  /** An incoming call that asked to be answered by itself: after this many seconds (auto-answer.ts). */
  autoAnswerAfterS?: number;
  /** The far end's BYE, a failure, our own hang-up: the call is over (`error` when it failed). */
  onEnd: (call: PhoneCall, error?: CtiError) => void;
  onChange: (call: PhoneCall) => void;
}

/** How often the quality is sampled during a call, ms (the last sample is the call's at its end). */
const QUALITY_EVERY_MS = 2000;

export class PhoneCall {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly remote: { number: string; name?: string };
  readonly offeredAt = Date.now();
  /** Set when the INVITE asked for auto-answer (a backend ringing the agent's phone): after this many seconds. */
  readonly autoAnswerAfterS: number | undefined;
  connectedAt: number | undefined;
  /** When the agent put the call on hold (undefined while not held). */
  heldAt: number | undefined;
  #state: PhoneCallState;
  #muted = false;
  #session: RTCSession;
  #options: PhoneCallOptions;
  #audio: HTMLAudioElement | undefined;
  #ringTimer: ReturnType<typeof setTimeout> | undefined;
  #qualityTimer: ReturnType<typeof setInterval> | undefined;
  #quality: CallQuality | undefined;
  #timedOut = false;
  /** The microphone track while on hold (detached from the sender). */
  #heldTrack: MediaStreamTrack | undefined;
  /** Settles the outbound dial: the far end rings or answers (resolve), or the call fails first (reject). */
  #dialOutcome: { resolve: () => void; reject: (error: CtiError) => void } | undefined;

  /**
   * @internal Made by the phone for each JsSIP session; left out of the published types so they
   * carry no JsSIP types (JsSIP's own declarations need Node's `events` types, which a browser
   * project using the package does not have).
   */
  constructor(session: RTCSession, options: PhoneCallOptions) {
    this.#session = session;
    this.#options = options;
    this.id = session.id;
    this.direction = session.direction === 'incoming' ? 'inbound' : 'outbound';
    this.#state = this.direction === 'inbound' ? 'ringing' : 'dialing';
    this.autoAnswerAfterS = options.autoAnswerAfterS;
    const identity = session.remote_identity;
    const name = identity?.display_name;
    this.remote = { number: identity?.uri ? uriUser(identity.uri.toString()) : '', ...(name ? { name: String(name).slice(0, 80) } : {}) };
    this.#listen();
    if (this.direction === 'outbound') {
      this.#ringTimer = setTimeout(() => {
        this.#timedOut = true;
        if (!this.#session.isEnded()) this.#session.terminate();
      }, options.ringTimeoutMs);
    }
    const connection = session.connection;
    if (connection) this.#attachMedia(connection);
  }

  get state(): PhoneCallState {
    return this.#state;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** The last quality sample (undefined before media flowed). */
  get quality(): CallQuality | undefined {
    return this.#quality;
  }

  /** The peer connection (tests and the quality indicator read its stats). */
  get connection(): RTCPeerConnection | undefined {
    return this.#session.connection ?? undefined;
  }

  /** Resolves once the far end rings or answers; rejects with the readable failure. */
  dialled(): Promise<void> {
    if (this.#state !== 'dialing') return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#dialOutcome = { resolve, reject };
    });
  }

  answer(mediaConstraints: MediaStreamConstraints, pcConfig: RTCConfiguration): void {
    if (this.#state !== 'ringing') throw this.#notNow('answer');
    this.#session.answer({ mediaConstraints, pcConfig });
  }

  /** Hangs up; a ringing inbound call is declined (603), a ringing outbound one cancelled. */
  hangup(): void {
    if (this.#session.isEnded()) return;
    if (this.#state === 'ringing') this.#session.terminate({ status_code: 603, reason_phrase: 'Decline' });
    else this.#session.terminate();
  }

  hold(): void {
    if (this.#state !== 'talking') throw this.#notNow('hold');
    if (!this.#session.hold()) throw this.#busy('hold');
  }

  retrieve(): void {
    if (this.#state !== 'held') throw this.#notNow('retrieve');
    if (!this.#session.unhold()) throw this.#busy('retrieve');
  }

  mute(): void {
    this.#session.mute({ audio: true });
  }

  unmute(): void {
    this.#session.unmute({ audio: true });
  }

  sendDtmf(digit: string): void {
    if (this.#state !== 'talking') throw this.#notNow('sendDtmf');
    this.#session.sendDTMF(digit, { transportType: (this.#options.dtmf === 'info' ? 'INFO' : 'RFC2833') as DTMF_TRANSPORT });
  }

  /** Blind transfer (REFER): resolves when the far end accepted it; our leg then hangs up. */
  transfer(target: string): Promise<void> {
    if (this.#state !== 'talking' && this.#state !== 'held') throw this.#notNow('blindTransfer');
    return new Promise((resolve, reject) => {
      const fail = (event: SipFailure | undefined) => reject(transferFailure(event));
      this.#session.refer(target, {
        eventHandlers: {
          // 202 Accepted: the far end takes the transfer; our part is done.
          requestSucceeded: () => {
            resolve();
            if (!this.#session.isEnded()) this.#session.terminate();
          },
          requestFailed: (event: { response?: SipFailure['response']; cause?: string }) => fail({ response: event?.response ?? null, ...(event?.cause ? { cause: event.cause } : {}) }),
        },
      });
    });
  }

  /** Switches the speaker during the call (browsers with `setSinkId`). */
  async setOutputDevice(deviceId: string): Promise<void> {
    this.#options.outputDeviceId = deviceId;
    const audio = this.#audio as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | undefined;
    if (audio?.setSinkId) await audio.setSinkId(deviceId);
  }

  /**
   * Switches the microphone during the call: a new track from `constraints` replaces the one
   * being sent (on hold it waits for Retrieve); the old one is stopped so the browser's
   * microphone light follows the choice.
   */
  async setInputDevice(constraints: MediaStreamConstraints): Promise<void> {
    const connection = this.#session.connection;
    if (!connection || this.#state === 'ended') return;
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    const track = stream.getAudioTracks()[0];
    if (!track) return;
    track.enabled = !this.#muted;
    if (this.#heldTrack) {
      this.#heldTrack.stop();
      this.#heldTrack = track;
      return;
    }
    for (const sender of connection.getSenders()) {
      if (sender.track?.kind !== 'audio') continue;
      const old = sender.track;
      await sender.replaceTrack(track);
      old.stop();
    }
  }

  #listen(): void {
    const s = this.#session;
    s.on('peerconnection', (event) => this.#attachMedia(event.peerconnection));
    s.on('icecandidate', (event) => {
      // Gathering waits for every interface and server; a call goes out with what it has by then.
      setTimeout(event.ready, this.#options.iceGatheringTimeoutMs);
    });
    s.on('progress', () => this.#settleDial());
    s.on('accepted', () => this.#settleDial());
    s.on('confirmed', () => {
      this.#settleDial();
      this.#clearRing();
      this.connectedAt ??= Date.now();
      this.#set('talking');
      this.#qualityTimer ??= setInterval(() => void this.#sample(), QUALITY_EVERY_MS);
    });
    s.on('hold', (event) => {
      if (event.originator !== 'local') return;
      this.heldAt = Date.now();
      this.#stopSending();
      this.#set('held');
    });
    s.on('unhold', (event) => {
      if (event.originator !== 'local') return;
      this.heldAt = undefined;
      this.#resumeSending();
      this.#set('talking');
    });
    s.on('muted', () => {
      this.#muted = true;
      this.#options.onChange(this);
    });
    s.on('unmuted', () => {
      this.#muted = false;
      this.#options.onChange(this);
    });
    s.on('ended', () => this.#finish());
    s.on('failed', (event) => {
      const failure: SipFailure = { cause: this.#timedOut ? 'No Answer' : event.cause, response: event.originator === 'remote' ? (event.message as SipFailure['response']) : null };
      // Hanging up ourselves is not a failure; anything else is, with its SIP code.
      const ours = event.originator === 'local' && !this.#timedOut;
      this.#finish(ours ? undefined : callFailure(failure, this.direction === 'outbound' ? 'dial' : undefined));
    });
  }

  #attachMedia(connection: RTCPeerConnection): void {
    if (this.#audio) return;
    const audio = new Audio();
    audio.autoplay = true;
    this.#audio = audio;
    const sink = this.#options.outputDeviceId;
    const withSink = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (sink && withSink.setSinkId) void withSink.setSinkId(sink).catch(() => undefined);
    connection.addEventListener('track', (event) => {
      audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      void audio.play().catch(() => undefined);
    });
  }

  /**
   * JsSIP's hold changes the direction it signals, not what the browser sends: the microphone
   * track would go on sending (silent) packets to the held party. The held customer must hear
   * nothing of the agent's room, so the sender is detached until the call is retrieved.
   */
  #stopSending(): void {
    for (const sender of this.#session.connection?.getSenders() ?? []) {
      if (sender.track?.kind !== 'audio') continue;
      this.#heldTrack = sender.track;
      void sender.replaceTrack(null).catch(() => undefined);
    }
  }

  #resumeSending(): void {
    const track = this.#heldTrack;
    this.#heldTrack = undefined;
    if (!track) return;
    for (const sender of this.#session.connection?.getSenders() ?? []) {
      if (sender.track === null) void sender.replaceTrack(track).catch(() => undefined);
    }
  }

  async #sample(): Promise<void> {
    const connection = this.#session.connection;
    if (!connection || connection.connectionState === 'closed') return;
    try {
      this.#quality = (await measureQuality(connection)) ?? this.#quality;
    } catch {
      // A connection closed between the check and getStats: keep the last sample.
      return;
    }
    // The quality indicator and the canonical call follow each sample.
    if (this.#state !== 'ended') this.#options.onChange(this);
  }

  #settleDial(): void {
    const outcome = this.#dialOutcome;
    this.#dialOutcome = undefined;
    outcome?.resolve();
  }

  #set(state: PhoneCallState): void {
    if (this.#state === state || this.#state === 'ended') return;
    this.#state = state;
    this.#options.onChange(this);
  }

  #clearRing(): void {
    if (this.#ringTimer !== undefined) clearTimeout(this.#ringTimer);
    this.#ringTimer = undefined;
  }

  #finish(error?: CtiError): void {
    if (this.#state === 'ended') return;
    this.#clearRing();
    if (this.#qualityTimer !== undefined) clearInterval(this.#qualityTimer);
    this.#state = 'ended';
    if (this.#audio) {
      this.#audio.pause();
      this.#audio.srcObject = null;
    }
    const outcome = this.#dialOutcome;
    this.#dialOutcome = undefined;
    if (outcome && error) outcome.reject(error);
    else outcome?.resolve();
    // A failed dial is reported by the dial command itself; later failures as the call's end.
    this.#options.onEnd(this, outcome ? undefined : error);
  }

  #notNow(operation: 'answer' | 'hold' | 'retrieve' | 'sendDtmf' | 'blindTransfer'): CtiError {
    return new CtiError({ code: ErrorCode.NotAllowed, operation, message: `The call is ${this.#state}: it cannot ${operation === 'sendDtmf' ? 'send tones' : operation === 'blindTransfer' ? 'be transferred' : operation} now.` });
  }

  #busy(operation: 'hold' | 'retrieve'): CtiError {
    return new CtiError({ code: ErrorCode.InFlight, operation, message: 'The call is being renegotiated: try again in a moment.' });
  }
}

function transferFailure(event: SipFailure | undefined): CtiError {
  const error = callFailure(event ?? {}, 'blindTransfer');
  return new CtiError({ ...error.toJSON(), message: error.message.replace(/^Call failed/, 'Transfer failed') });
}

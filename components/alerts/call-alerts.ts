import type { Session } from '../../src/core/session.ts';
import type { Call, Snapshot } from '../../src/core/model.ts';
import { RingTone } from './ring-tone.ts';
import { TitleFlasher } from './title-flasher.ts';
import { DesktopNotifier } from './desktop-notifier.ts';
import type { AlertKind, CallAlertOptions } from './alert-options.ts';

/**
 * Loaded lazily (`agent-bar-alerts.js` in the build, with the ring tone) once the agent logs in:
 * no call can ring before, so a page that never logs in never fetches it.
 *
 * Alerts the agent to a ringing call (`calls[0].state === 'ringing'`): a ring tone always, and
 * while the page is in the background (tab hidden, or window not focused) a desktop notification
 * that answers when clicked and a flashing title. Everything stops when the call stops ringing —
 * answered, abandoned, taken elsewhere — or after the ring timeout, and when the bar goes away.
 * Plain behaviour: `CallAlertController` (in the main bundle) hands over the session and options.
 */
export class CallAlerts {
  readonly #options: () => CallAlertOptions;
  readonly #title = new TitleFlasher();
  readonly #notifier = new DesktopNotifier();
  #ring: RingTone | undefined;
  #session: Session | undefined;
  #unsubscribe: (() => void) | undefined;
  #connected = false;
  /** The ringing call being alerted (kept after a timeout, so the same call does not alert again). */
  #call: Call | undefined;
  #silenced = false;
  #timeout: ReturnType<typeof setTimeout> | undefined;
  readonly #onPageChange = (): void => this.#backgroundAlerts();

  constructor(options: () => CallAlertOptions) {
    this.#options = options;
  }

  /** Which alerts are running now (for hosts and tests). */
  get active(): AlertKind[] {
    const active: AlertKind[] = [];
    if (this.#ring?.playing) active.push('ring');
    if (this.#notifier.showing) active.push('notification');
    if (this.#title.flashing) active.push('title');
    return active;
  }

  /** Follows another session (or none). */
  attach(session: Session | undefined): void {
    if (session === this.#session) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#stop();
    this.#session = session;
    this.#follow();
  }

  /**
   * Call from a user gesture (the agent's `Log in` click): asks for notification permission if the
   * agent has not decided yet, and unlocks audio so that a later ring can sound in the background.
   */
  async prepare(): Promise<void> {
    const { kinds } = this.#options();
    const asked = kinds.has('notification') ? this.#notifier.requestPermission() : Promise.resolve();
    if (kinds.has('ring')) await this.#ringTone()?.unlock();
    await asked;
  }

  /** Options changed (`alerts`, timeout, volume): running alerts follow at once. */
  refresh(): void {
    if (this.#ring) this.#ring.volume = this.#options().ringVolume;
    if (!this.#call || this.#silenced) return;
    const { kinds } = this.#options();
    if (!kinds.has('ring')) this.#ring?.stop();
    else this.#startRing();
    this.#backgroundAlerts();
  }

  connect(): void {
    this.#connected = true;
    document.addEventListener('visibilitychange', this.#onPageChange);
    globalThis.addEventListener('focus', this.#onPageChange);
    globalThis.addEventListener('blur', this.#onPageChange);
    this.#follow();
  }

  disconnect(): void {
    this.#connected = false;
    document.removeEventListener('visibilitychange', this.#onPageChange);
    globalThis.removeEventListener('focus', this.#onPageChange);
    globalThis.removeEventListener('blur', this.#onPageChange);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#stop();
    this.#ring?.close();
    this.#ring = undefined;
  }

  #follow(): void {
    const session = this.#session;
    if (!session || !this.#connected || this.#unsubscribe) return;
    this.#unsubscribe = session.subscribe((snapshot) => this.#update(snapshot));
    this.#update(session.snapshot);
  }

  #update(snapshot: Snapshot): void {
    const call = snapshot.calls[0];
    if (call?.state !== 'ringing') {
      this.#stop();
      return;
    }
    if (call.id === this.#call?.id) {
      this.#call = call;
      return;
    }
    this.#stop();
    this.#call = call;
    this.#timeout = setTimeout(() => this.#silence(), this.#options().ringTimeoutMs);
    if (this.#options().kinds.has('ring')) this.#startRing();
    this.#backgroundAlerts();
  }

  #startRing(): void {
    this.#ringTone()?.start();
  }

  #ringTone(): RingTone | undefined {
    if (this.#ring) return this.#ring;
    if (!RingTone.supported()) return undefined;
    this.#ring ??= new RingTone();
    this.#ring.volume = this.#options().ringVolume;
    return this.#ring;
  }

  /** Notification and title only while the agent is elsewhere; both go when the page is back. */
  #backgroundAlerts(): void {
    const call = this.#call;
    const { kinds, texts } = this.#options();
    if (!call || this.#silenced || !inBackground()) {
      this.#title.stop();
      this.#notifier.close();
      return;
    }
    if (kinds.has('title')) this.#title.start(texts.title);
    else this.#title.stop();
    if (kinds.has('notification') && !this.#notifier.showing) {
      this.#notifier.show({
        title: texts.incomingCall,
        body: `${[call.remote.name, call.remote.number].filter(Boolean).join(' · ')}\n${texts.clickToAnswer}`,
        tag: `agent-bar-call-${call.id}`,
        onAnswer: () => this.#answer(call.id),
      });
    } else if (!kinds.has('notification')) this.#notifier.close();
  }

  #answer(callId: string): void {
    const session = this.#session;
    if (!session || session.snapshot.calls[0]?.id !== callId || !session.snapshot.capabilities.answer) return;
    // A failure shows in the bar's alert region like any other command.
    session.command('answer', { callId }).catch(() => {});
  }

  /** Stops every alert but remembers the call (ring timeout). */
  #silence(): void {
    this.#silenced = true;
    clearTimeout(this.#timeout);
    this.#timeout = undefined;
    this.#ring?.stop();
    this.#title.stop();
    this.#notifier.close();
  }

  #stop(): void {
    this.#silence();
    this.#silenced = false;
    this.#call = undefined;
  }
}

/** The agent is not looking at this page: its tab is hidden, or (top-level page) its window lost focus. */
function inBackground(): boolean {
  if (document.visibilityState === 'hidden') return true;
  // In an iframe, focus belongs to the host page most of the time; only visibility counts there.
  return globalThis.top === globalThis.self && !document.hasFocus();
}

import { html, css, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { state } from 'lit/decorators.js';
import { CtiElement } from '../cti-element.ts';
import { defineElement } from '../define.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { errorText } from '../locale/localization.ts';
import { loadDeviceChoice, microphoneProblem, saveDeviceChoice, type DeviceChoice, type MicrophoneProblem } from '../../src/phone/device-choice.ts';

/** How long a microphone check runs by itself, ms. */
const CHECK_MS = 8000;
/** How often the level meter reads the microphone, ms. */
const LEVEL_EVERY_MS = 100;

/** What the agent can do when the microphone cannot be used, in the bar's language (looked up at render time). */
function guidance(problem: MicrophoneProblem): string {
  const say: Record<MicrophoneProblem, string> = {
    blocked: msg('The browser blocks the microphone for this site: allow it in the site settings (the icon left of the address), then try again.'),
    missing: msg('No microphone was found: plug one in (or choose another), then try again.'),
    busy: msg('The microphone is in use by another program or could not start: close that program, then try again.'),
    failed: msg("The microphone could not be used: check it in the system's sound settings, then try again."),
  };
  return say[problem];
}

/** The browser's `getUserMedia` error as the problem it means. */
const problemOf = (error: unknown): MicrophoneProblem => microphoneProblem((error as { name?: string } | null)?.name ?? '');

interface Option {
  id: string;
  label: string;
}

/**
 * The phone's microphone and speaker (part of dist/agent-bar-softphone.js): chosen before or
 * during a call, remembered by this browser (device ids only, src/phone/device-choice.ts), a
 * microphone check with a level meter, and what to do when the browser blocks the microphone or
 * has none. The phones of the page switch the calls in progress when the choice changes.
 *
 * @csspart button - Audio devices, Check microphone
 * @tagname phone-devices
 */
export class PhoneDevices extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      .devices {
        display: grid;
        gap: var(--_cti-space-1);
      }
      label {
        display: grid;
        gap: 2px;
      }
      meter {
        width: 100%;
      }
    `,
  ];

  @state() private open = false;
  @state() private inputs: Option[] = [];
  @state() private outputs: Option[] = [];
  @state() private choice: DeviceChoice = {};
  /** What is wrong, kept as what it is (not as text) so that a change of language re-words it. */
  @state() private problem: MicrophoneProblem | 'insecure' | Error | undefined;
  @state() private level: number | undefined;

  #check: { stream: MediaStream; context: AudioContext; timer: ReturnType<typeof setInterval>; stop: ReturnType<typeof setTimeout> } | undefined;
  readonly #onDeviceChange = () => void this.#list();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopCheck();
    globalThis.navigator?.mediaDevices?.removeEventListener('devicechange', this.#onDeviceChange);
  }

  async #toggle(): Promise<void> {
    this.open = !this.open;
    const devices = globalThis.navigator?.mediaDevices;
    if (!this.open) {
      this.#stopCheck();
      devices?.removeEventListener('devicechange', this.#onDeviceChange);
      return;
    }
    this.choice = loadDeviceChoice();
    devices?.addEventListener('devicechange', this.#onDeviceChange);
    await this.#list(true);
  }

  /** Lists the devices; the first time, asks for the microphone so the browser names them. */
  async #list(ask = false): Promise<void> {
    const devices = globalThis.navigator?.mediaDevices;
    if (!devices) {
      this.problem = 'insecure';
      return;
    }
    let all = await devices.enumerateDevices();
    if (ask && all.some((d) => d.kind === 'audioinput' && d.label === '')) {
      try {
        const stream = await devices.getUserMedia({ audio: true });
        for (const track of stream.getTracks()) track.stop();
        all = await devices.enumerateDevices();
      } catch (error) {
        this.problem = problemOf(error);
        return;
      }
    }
    const named = (kind: MediaDeviceKind, noun: (n: number) => string) =>
      all.filter((d) => d.kind === kind).map((d, i) => ({ id: d.deviceId, label: d.label || noun(i + 1) }));
    this.inputs = named('audioinput', (n) => msg(str`Microphone ${n}`));
    this.outputs = 'setSinkId' in HTMLMediaElement.prototype ? named('audiooutput', (n) => msg(str`Speaker ${n}`)) : [];
    this.problem = this.inputs.length === 0 ? 'missing' : undefined;
  }

  #choose(kind: keyof DeviceChoice, id: string): void {
    try {
      this.choice = saveDeviceChoice({ [kind]: id });
    } catch (error) {
      this.problem = error instanceof Error ? error : new Error(String(error));
    }
    // A check in progress follows the new microphone.
    if (kind === 'inputDeviceId' && this.#check) void this.#startCheck();
  }

  /** Opens the chosen microphone (no processing, so the meter shows what it hears) and meters it. */
  async #startCheck(): Promise<void> {
    this.#stopCheck();
    const id = this.choice.inputDeviceId;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { ...(id ? { deviceId: { exact: id } } : {}), echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
    } catch (error) {
      this.problem = problemOf(error);
      return;
    }
    this.problem = undefined;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      // RMS of a full-scale sine is ≈ 0.71: scaled so that ordinary speech fills most of the bar.
      this.level = Math.min(1, Math.sqrt(sum / samples.length) * 2);
    }, LEVEL_EVERY_MS);
    const stop = setTimeout(() => this.#stopCheck(), CHECK_MS);
    this.#check = { stream, context, timer, stop };
    this.level = 0;
  }

  #stopCheck(): void {
    const check = this.#check;
    this.#check = undefined;
    this.level = undefined;
    if (!check) return;
    clearInterval(check.timer);
    clearTimeout(check.stop);
    for (const track of check.stream.getTracks()) track.stop();
    void check.context.close().catch(() => undefined);
  }

  override render() {
    return html`
      <button part="button" aria-expanded=${this.open ? 'true' : 'false'} @click=${() => void this.#toggle()}>${msg('Audio devices')}</button>
      ${this.open
        ? html`<div class="devices" role="group" aria-label=${msg('Audio devices')}>
            ${this.problem ? html`<p role="alert">${this.#problemText(this.problem)}</p>` : nothing}
            ${this.inputs.length > 0 ? this.#select(msg('Microphone'), 'inputDeviceId', this.inputs) : nothing}
            ${this.outputs.length > 0
              ? this.#select(msg('Speaker'), 'outputDeviceId', this.outputs)
              : this.inputs.length > 0
                ? html`<p>${msg("The speaker is the system's default: this browser cannot choose one.")}</p>`
                : nothing}
            ${this.inputs.length > 0
              ? html`<button part="button" @click=${() => (this.#check ? this.#stopCheck() : void this.#startCheck())}>
                  ${this.level === undefined ? msg('Check microphone') : msg('Stop check')}
                </button>`
              : nothing}
            ${this.level !== undefined ? html`<meter aria-label=${msg('Microphone level')} min="0" max="1" low="0.05" .value=${this.level}></meter>` : nothing}
          </div>`
        : nothing}
    `;
  }

  #problemText(problem: MicrophoneProblem | 'insecure' | Error): string {
    if (problem instanceof Error) return errorText(problem);
    return problem === 'insecure' ? msg('This page cannot use a microphone: it must be served over https (or from this computer).') : guidance(problem);
  }

  #select(label: string, kind: keyof DeviceChoice, options: Option[]) {
    const chosen = this.choice[kind] ?? options[0]?.id;
    return html`<label>
      ${label}
      <select @change=${(e: Event) => this.#choose(kind, (e.target as HTMLSelectElement).value)}>
        ${options.map((o) => html`<option value=${o.id} ?selected=${o.id === chosen}>${o.label}</option>`)}
      </select>
    </label>`;
  }
}

defineElement('phone-devices', PhoneDevices);

declare global {
  interface HTMLElementTagNameMap {
    'phone-devices': PhoneDevices;
  }
}

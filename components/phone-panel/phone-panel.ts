import { html, css, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { property } from 'lit/decorators.js';
import type { AudioQuality, Snapshot } from '../../src/core/model.ts';
import { PhoneCompanion, checkCompanionOptions, type CompanionOptions, type CompanionState } from '../../src/phone/phone-companion.ts';
import { CtiElement } from '../cti-element.ts';
import { defineElement } from '../define.ts';
import { errorText } from '../locale/localization.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { PhoneDevices } from './phone-devices.ts';

/** "Phone …" for each state of the phone, in the bar's locale (looked up at render time). */
function stateLabel(state: CompanionState): string {
  const labels: Record<CompanionState, string> = {
    waiting: msg('Phone in another tab'),
    registering: msg('Phone connecting…'),
    registered: msg('Phone ready'),
    reconnecting: msg('Phone reconnecting…'),
    failed: msg('Phone not connected'),
    stopped: msg('Phone off'),
  };
  return labels[state];
}

/**
 * The bar's phone (docs/phone.md), a lazy module (dist/agent-bar-softphone.js): with `options`
 * (the bar's `phone` property, next to a contact-centre connector) it runs the agent's SIP phone
 * (`PhoneCompanion`): its state, a call that rings without an auto-answer marker (Answer /
 * Decline), and the audio quality during a call. Without `options` (`connector="sip"`, the phone
 * is the connector) it shows the quality the current call carries. Both have `<phone-devices>`.
 * The phone's own messages (src/phone writes English) are shown through `errorText`, which says
 * them in the bar's language (components/locale/phone-error-messages.ts).
 *
 * @csspart panel - the phone section
 * @csspart button - Answer / Decline
 * @tagname phone-panel
 */
export class PhonePanel extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      section {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--_cti-space-1);
      }
      .quality[data-rating='poor'] {
        color: var(--_cti-danger);
        font-weight: 600;
      }
      .muted {
        color: var(--_cti-muted);
      }
    `,
  ];

  /** The phone's options (`bar.phone`: endpoint, uri, getCredentials …); absent when the phone is the connector. */
  @property({ attribute: false }) options?: CompanionOptions;

  #companion: PhoneCompanion | undefined;
  #started: CompanionOptions | undefined;
  #off: (() => void) | undefined;
  #problem: string | undefined;

  /** The phone's quality of the call now or of the last one (the bar adds it to `cti-call-disconnected`). */
  get lastQuality(): AudioQuality | undefined {
    return this.#companion?.lastQuality;
  }

  /** The phone next to the connector (tests read its calls). */
  get companion(): PhoneCompanion | undefined {
    return this.#companion;
  }

  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.calls[0]?.quality];
  }

  protected override willUpdate(): void {
    if (this.isConnected && this.options !== this.#started) this.#restart();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.options !== this.#started) this.#restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
    this.#started = undefined;
  }

  #restart(): void {
    this.#stop();
    this.#started = this.options;
    this.#problem = undefined;
    if (!this.options) return;
    // Bad options: say why and start nothing.
    this.#problem = checkCompanionOptions(this.options);
    if (this.#problem) return;
    const companion = new PhoneCompanion(this.options);
    this.#companion = companion;
    this.#off = companion.subscribe(() => this.requestUpdate());
    companion.start();
  }

  #stop(): void {
    this.#off?.();
    this.#off = undefined;
    this.#companion?.stop();
    this.#companion = undefined;
  }

  override render() {
    const companion = this.#companion;
    if (!companion) {
      if (this.#problem) return html`<section part="panel" aria-label=${this.landmark(msg('Phone'))}><span role="alert">${errorText({ message: this.#problem })}</span></section>`;
      const quality = this.snapshot?.calls[0]?.quality;
      return html`<section part="panel" aria-label=${this.landmark(msg('Phone'))}>${quality ? this.#quality(quality) : nothing}<phone-devices exportparts="button"></phone-devices></section>`;
    }
    const call = companion.calls[0];
    const ringing = call && call.state === 'ringing' && call.direction === 'inbound' && call.autoAnswerAfterS === undefined;
    return html`<section part="panel" aria-label=${this.landmark(msg('Phone'))}>
      <span role="status" class="state" data-state=${companion.state}>${stateLabel(companion.state)}</span>
      ${companion.state === 'failed' && companion.error ? html`<span class="muted">${errorText(companion.error)}</span>` : nothing}
      ${this.#problem ? html`<span role="alert">${errorText({ message: this.#problem })}</span>` : nothing}
      ${ringing
        ? html`<span>${msg(str`Phone call from ${call.remote.name ?? call.remote.number}`)}</span>
            <button part="button" @click=${() => void this.#act(() => companion.answer(call.id))}>${msg('Answer phone')}</button>
            <button part="button" @click=${() => void this.#act(() => companion.hangup(call.id))}>${msg('Decline phone')}</button>`
        : nothing}
      ${call && call.state !== 'ringing' && call.quality ? this.#quality(call.quality) : nothing}
      <phone-devices exportparts="button"></phone-devices>
    </section>`;
  }

  #quality(q: AudioQuality) {
    const detail = msg(str`loss ${q.lossPct} %, jitter ${q.jitterMs} ms`) + (q.rttMs !== undefined ? msg(str`, round trip ${q.rttMs} ms`) : '');
    return html`<span class="quality" role="status" aria-label=${msg('Audio quality')} data-rating=${q.rating} title=${detail}
      >${q.rating === 'poor' ? msg('Audio poor') : msg('Audio good')}</span
    >`;
  }

  async #act(action: () => void | Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.#problem = error instanceof Error ? error.message : String(error);
    }
    this.requestUpdate();
  }
}

defineElement('phone-panel', PhonePanel);
// Registered here as well, by name: a bare `import './phone-devices.ts'` is dropped by the build
// (package.json `sideEffects` does not list the element files), and dist/agent-bar-softphone.js
// then rendered an unknown, empty <phone-devices>.
defineElement('phone-devices', PhoneDevices);

declare global {
  interface HTMLElementTagNameMap {
    'phone-panel': PhonePanel;
  }
}

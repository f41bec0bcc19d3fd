import { html, css, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { state } from 'lit/decorators.js';
import type { Call, Snapshot } from '../../src/core/model.ts';
import { CtiElement } from '../cti-element.ts';
import { defineElement } from '../define.ts';
import { clockText } from '../directives/clock-text.ts';
import { isoFromLocalInput } from '../format.ts';
import { formatDuration } from '../locale/duration.ts';
import { elementStyles } from '../../styles/tokens.ts';

function previewCall(snapshot: Snapshot | undefined): Call | undefined {
  const call = snapshot?.calls[0];
  // A callback record before dialling is a preview too (POM: Preview of a Callback contact).
  return call?.state === 'preview' || call?.state === 'callback' ? call : undefined;
}

/**
 * A preview record (outbound campaign): who, campaign, the number to dial (a choice when the
 * record has several), the auto-dial countdown for a timed preview, and `Dial`, `Skip`,
 * `Next record`; a callback record also `Callback time`, a `Callback for` choice when the backend
 * offers callback targets, and `Reschedule`. The backend dials at
 * zero; this only shows the countdown.
 * Outside a preview it shows only `Next record`, while the agent is logged in with no call.
 *
 * @csspart panel - the preview section
 * @csspart button - every button
 * @csspart timer - the countdown
 * @cssprop --cti-color-primary - the Dial button
 * @tagname preview-card
 */
export class PreviewCard extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      section {
        display: grid;
        gap: var(--_cti-space-2);
      }
      .name {
        font-weight: 600;
      }
    `,
  ];

  /** The chosen number when the record offers several; empty = the record's default. */
  @state() private number = '';
  /** A callback record's new time (POM: AGTCreateCallback again reschedules it). */
  @state() private callbackTime = '';
  @state() private hint = '';
  /** The chosen callback target's id; '' = the first on offer (the backend's default). */
  @state() private target = '';
  #callId: string | undefined;


  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.capabilities, s.calls[0], s.agent.state, s.callbackTargets];
  }

  protected override willUpdate(): void {
    const id = previewCall(this.snapshot)?.id;
    if (id !== this.#callId) {
      this.#callId = id;
      this.number = '';
      this.callbackTime = '';
      this.target = '';
      this.hint = '';
    }
  }

  /**
   * Between calls a logged-in agent asks the dialler for the next record (POM "Get Next Record");
   * `nextRecord` is only allowed with no call, so the button must live outside the preview itself.
   */
  #renderBetweenCalls() {
    const snap = this.snapshot;
    if (!snap || snap.calls.length > 0 || snap.agent.state === 'loggedOut') return nothing;
    return html`<div class="row" part="panel">
      <button part="button" ?disabled=${!this.can('nextRecord')} @click=${() => this.run('nextRecord', {})}>${msg('Next record')}</button>
    </div>`;
  }

  #renderReschedule(call: Call) {
    const targets = this.snapshot?.callbackTargets ?? [];
    return html`<div class="row">
        <label
          >${msg('Callback time')}
          <input
            part="input"
            type="datetime-local"
            .value=${this.callbackTime}
            @input=${(e: InputEvent) => (this.callbackTime = (e.target as HTMLInputElement).value)}
        /></label>
        ${targets.length > 0
          ? html`<label
              >${msg('Callback for')}
              <select part="input" @change=${(e: Event) => (this.target = (e.target as HTMLSelectElement).value)}>
                ${targets.map((t) => html`<option value=${t.id} ?selected=${t.id === this.target}>${t.label}</option>`)}
              </select></label
            >`
          : nothing}
        <button part="button" ?disabled=${!this.can('createCallback')} @click=${() => this.#reschedule(call)}>${msg('Reschedule')}</button>
      </div>
      <p role="status" class="muted">${this.hint}</p>`;
  }

  async #reschedule(call: Call): Promise<void> {
    const time = isoFromLocalInput(this.callbackTime);
    if (!time) this.hint = msg('Enter a callback time first.');
    else {
      // For whom (the backend's default first), and on the number chosen to dial, if any.
      const target = this.target || this.snapshot?.callbackTargets?.[0]?.id;
      const extra = { ...(target ? { target } : {}), ...(this.number ? { number: this.number } : {}) };
      if (await this.run('createCallback', { time, callId: call.id, ...extra })) this.hint = msg('Callback rescheduled.');
    }
  }

  override render() {
    const call = previewCall(this.snapshot);
    if (!call) return this.#renderBetweenCalls();
    const numbers = call.preview?.numbers ?? [call.remote.number];
    const deadline = call.preview?.deadline;
    return html`
      <section part="panel" aria-label=${this.landmark(msg('Preview'))}>
        <div class="row">
          <strong>${call.preview?.isCallback ? msg('Callback') : msg('Preview')}</strong>
          <span class="name">${call.remote.name ?? call.remote.number}</span>
          ${call.campaign ? html`<span class="muted">${call.campaign}</span>` : nothing}
          ${deadline !== undefined
            ? html`<span class="timer" part="timer" role="timer" aria-label=${msg('Auto-dial in')}
                >${clockText((now) => msg(str`Auto-dial in ${formatDuration(deadline - now)}`))}</span
              >`
            : nothing}
        </div>
        ${numbers.length > 1
          ? html`<label
              >${msg('Number to dial')}
              <select part="input" @change=${(e: Event) => (this.number = (e.target as HTMLSelectElement).value)}>
                ${numbers.map((n) => html`<option .value=${n} ?selected=${n === (this.number || numbers[0])}>${n}</option>`)}
              </select></label
            >`
          : html`<span>${numbers[0] ?? call.remote.number}</span>`}
        <div class="row">
          <button
            part="button"
            class="primary"
            ?disabled=${!this.can('previewDial')}
            @click=${() => this.run('previewDial', { callId: call.id, ...(this.number ? { number: this.number } : {}) })}
          >
            ${msg('Dial')}
          </button>
          <button part="button" ?disabled=${!this.can('previewSkip')} @click=${() => this.run('previewSkip', { callId: call.id })}>
            ${msg('Skip')}
          </button>
          <button part="button" ?disabled=${!this.can('nextRecord')} @click=${() => this.run('nextRecord', {})}>${msg('Next record')}</button>
        </div>
        ${call.state === 'callback' || call.preview?.isCallback ? this.#renderReschedule(call) : nothing}
      </section>
    `;
  }
}

// A lazy module (dist/agent-bar-preview.js, components/lazy/load-element.ts): it registers itself.
defineElement('preview-card', PreviewCard);

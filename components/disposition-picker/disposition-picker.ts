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
import { radioGroupName } from '../directives/radio-group-name.ts';

function wrapupCall(snapshot: Snapshot | undefined): Call | undefined {
  return snapshot?.calls.find((c) => c.state === 'wrapup');
}

/**
 * Wrap-up of the call in `wrapup` state: dispositions as radio buttons named by their label, a
 * `Notes` text box, `Wrap up`, `Extend wrap-up`, `Redial` (the call dropped by accident), a
 * `Number` choice among the contact's numbers when it has several, an `Other number` box (for
 * Redial and Schedule callback; it wins over the choice; both empty = the contact's default),
 * `Schedule callback` with a `Callback time` date-time input (and a `Callback for` choice when
 * the backend offers callback targets), and `Add to do-not-call` (the customer's number, where
 * the backend has a DNC list). Shows the wrap-up countdown when the backend set a deadline (it
 * auto-wraps with the default code at zero), else the time spent in wrap-up. Renders nothing
 * outside wrap-up.
 *
 * @csspart panel - the wrap-up section
 * @csspart input - the notes and callback-time inputs
 * @csspart button - every button
 * @csspart timer - the wrap-up timer
 * @cssprop --cti-color-primary - the Wrap up button
 * @tagname disposition-picker
 */
export class DispositionPicker extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      section {
        display: grid;
        gap: var(--_cti-space-2);
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--_cti-space-1) var(--_cti-space-3);
      }
      legend {
        padding: 0;
        margin-bottom: var(--_cti-space-1);
        font-weight: 600;
      }
      textarea {
        width: 100%;
        min-height: 3em;
      }
      .notes {
        display: grid;
      }
    `,
  ];

  @state() private code = '';
  @state() private notes = '';
  @state() private callbackTime = '';
  /** Another number for Redial and Schedule callback; '' = the contact's own. */
  @state() private otherNumber = '';
  /** One of the contact's numbers for Redial and Schedule callback; '' = its default. */
  @state() private chosen = '';
  /** The chosen callback target's id; '' = the first on offer (the backend's default). */
  @state() private target = '';
  /** A local hint for input that cannot be sent (no disposition, no callback time). */
  @state() private hint = '';
  #callId: string | undefined;


  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.capabilities, wrapupCall(s), s.dispositions, s.callbackTargets];
  }

  protected override willUpdate(): void {
    // The form belongs to one contact: a new wrap-up starts empty.
    const id = wrapupCall(this.snapshot)?.id;
    if (id !== this.#callId) {
      this.#callId = id;
      this.code = '';
      this.notes = '';
      this.callbackTime = '';
      this.otherNumber = '';
      this.chosen = '';
      this.target = '';
      this.hint = '';
    }
  }

  override render() {
    const call = wrapupCall(this.snapshot);
    if (!call) return nothing;
    const dispositions = this.snapshot?.dispositions ?? [];
    const targets = this.snapshot?.callbackTargets ?? [];
    return html`
      <section part="panel" aria-label=${this.landmark(msg('Wrap-up'))}>
        <div class="row">
          <strong>${msg('Wrap-up')}</strong>
          ${this.#renderTimer(call)}
        </div>
        <fieldset>
          <legend>${msg('Disposition')}</legend>
          ${dispositions.map(
            (d) =>
              html`<label
                ><input
                  type="radio"
                  name=${radioGroupName('disposition')}
                  .checked=${this.code === d.code}
                  @change=${() => {
                    this.code = d.code;
                    this.hint = '';
                  }}
                />${d.label}</label
              >`,
          )}
        </fieldset>
        <label class="notes">
          ${msg('Notes')}
          <textarea part="input" .value=${this.notes} @input=${(e: InputEvent) => (this.notes = (e.target as HTMLTextAreaElement).value)}></textarea>
        </label>
        <div class="row">
          <button part="button" class="primary" ?disabled=${!this.can('wrapUp')} @click=${() => this.#wrapUp(call)}>${msg('Wrap up')}</button>
          <button part="button" ?disabled=${!this.can('extendWrapUp')} @click=${() => this.run('extendWrapUp', { callId: call.id })}>
            ${msg('Extend wrap-up')}
          </button>
          <button part="button" ?disabled=${!this.can('redial')} @click=${() => this.run('redial', { callId: call.id, ...this.#number() })}>
            ${msg('Redial')}
          </button>
        </div>
        ${(call.wrapup?.numbers?.length ?? 0) > 1 && (this.can('redial') || this.can('createCallback'))
          ? html`<label
              >${msg('Number')}
              <select part="input" @change=${(e: Event) => (this.chosen = (e.target as HTMLSelectElement).value)}>
                ${call.wrapup!.numbers!.map((n) => html`<option value=${n} ?selected=${n === this.chosen}>${n}</option>`)}
              </select></label
            >`
          : nothing}
        ${this.can('redial') || this.can('createCallback')
          ? html`<label
              >${msg('Other number')}
              <input part="input" type="tel" .value=${this.otherNumber} @input=${(e: InputEvent) => (this.otherNumber = (e.target as HTMLInputElement).value)}
            /></label>`
          : nothing}
        <div class="row">
          <label>
            ${msg('Callback time')}
            <input
              part="input"
              type="datetime-local"
              .value=${this.callbackTime}
              @input=${(e: InputEvent) => (this.callbackTime = (e.target as HTMLInputElement).value)}
            />
          </label>
          ${targets.length > 0
            ? html`<label
                >${msg('Callback for')}
                <select part="input" @change=${(e: Event) => (this.target = (e.target as HTMLSelectElement).value)}>
                  ${targets.map((t) => html`<option value=${t.id} ?selected=${t.id === this.target}>${t.label}</option>`)}
                </select></label
              >`
            : nothing}
          <button part="button" ?disabled=${!this.can('createCallback')} @click=${() => this.#scheduleCallback(call)}>
            ${msg('Schedule callback')}
          </button>
          <button part="button" ?disabled=${!this.can('addToDnc')} @click=${() => this.#addToDnc(call)}>${msg('Add to do-not-call')}</button>
        </div>
        <p role="status" class="muted">${this.hint}</p>
      </section>
    `;
  }

  #renderTimer(call: Call) {
    const deadline = call.wrapup?.deadline;
    if (deadline !== undefined) {
      return html`<span class="timer" part="timer" role="timer" aria-label=${msg('Wrap-up time left')}
        >${clockText((now) => msg(str`${formatDuration(deadline - now)} left`))}</span
      >`;
    }
    const since = call.timestamps.wrapupAt ?? Date.now();
    return html`<span class="timer" part="timer" role="timer" aria-label=${msg('Wrap-up time')}>${clockText((now) => formatDuration(now - since))}</span>`;
  }

  async #wrapUp(call: Call): Promise<void> {
    if (!this.code) {
      this.hint = msg('Choose a disposition first.');
      this.renderRoot.querySelector<HTMLInputElement>('input[name="disposition"]')?.focus();
      return;
    }
    const notes = this.notes.trim();
    await this.run('wrapUp', { code: this.code, callId: call.id, ...(notes ? { notes } : {}) });
  }

  /** The typed other number, if any (Redial and Schedule callback; never DNC: that is the contact's). */
  #number(): { number?: string } {
    const number = this.otherNumber.trim() || this.chosen;
    return number ? { number } : {};
  }

  async #addToDnc(call: Call): Promise<void> {
    if (await this.run('addToDnc', { callId: call.id })) this.hint = msg('Number added to the do-not-call list.');
  }

  async #scheduleCallback(call: Call): Promise<void> {
    const time = isoFromLocalInput(this.callbackTime);
    if (!time) {
      this.hint = msg('Enter a callback time first.');
      this.renderRoot.querySelector<HTMLInputElement>('input[type="datetime-local"]')?.focus();
      return;
    }
    const notes = this.notes.trim();
    const target = this.target || this.snapshot?.callbackTargets?.[0]?.id;
    const extra = { ...(notes ? { notes } : {}), ...(target ? { target } : {}), ...this.#number() };
    if (await this.run('createCallback', { time, callId: call.id, ...extra })) {
      this.hint = msg('Callback scheduled.');
    }
  }
}

// A lazy module (dist/agent-bar-wrapup.js, components/lazy/load-element.ts): it registers itself.
defineElement('disposition-picker', DispositionPicker);

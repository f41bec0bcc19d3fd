import { html, css, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { property, state } from 'lit/decorators.js';
import type { Call, Destination, Snapshot } from '../../src/core/model.ts';
import { CtiElement } from '../cti-element.ts';
import { defineElement } from '../define.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { radioGroupName } from '../directives/radio-group-name.ts';

/** States in which the dialog stays open by itself: a consult or a conference is in progress. */
function inProgress(call: Call | undefined): boolean {
  return !!call && (!!call.consult || call.state === 'consult' || call.state === 'conferenceOwner' || call.state === 'conferencePassive');
}

/**
 * Transfer and conference: a `Destination` text box and the list of configured destinations
 * (radio buttons named by label), then `Blind transfer`, `Consult`, `Alternate`,
 * `Complete transfer`, `Cancel consult`, `Conference`, `Leave conference`, `End conference`,
 * `Change owner` (POM: hand the conference to the other agent).
 * A non-modal dialog: the call controls stay usable. Opened by `open` (the call panel's
 * `Transfer` button); it stays open by itself while a consult or conference is in progress,
 * because that is where the agent finishes it. Typed text that matches no configured destination
 * is an external number (the session validates it).
 *
 * @fires dialog-close - the agent closed the dialog (not composed; for the opener)
 * @csspart panel - the dialog
 * @csspart input - the destination text box
 * @csspart button - every button
 * @cssprop --cti-color-surface-alt - the dialog background
 * @tagname transfer-dialog
 */
export class TransferDialog extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      section {
        display: grid;
        gap: var(--_cti-space-2);
        padding: var(--_cti-space-3);
        border: 1px solid var(--_cti-border);
        border-radius: var(--_cti-radius);
        background: var(--_cti-surface-alt);
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--_cti-space-2);
      }
      legend {
        padding: 0;
        margin-bottom: var(--_cti-space-1);
      }
    `,
  ];

  /** Shown when set (or while a consult/conference is in progress). */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private destination = '';

  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.capabilities, s.calls[0], s.destinations];
  }

  override render() {
    const call = this.snapshot?.calls[0];
    const pinned = inProgress(call);
    if (!call || !(this.open || pinned)) return nothing;
    const destinations = this.snapshot?.destinations ?? [];
    const consult = call.consult;
    return html`
      <section part="panel" role="dialog" aria-label=${msg('Transfer')} @keydown=${this.#onKey}>
        <strong class="title">${msg('Transfer')}</strong>
        ${consult
          ? html`<p role="status">
              ${consult.state === 'connected' ? msg(str`Consult with ${consult.destination.label}: connected`) : msg(str`Consult with ${consult.destination.label}: dialing`)};
              ${consult.activeParty === 'consult' ? msg(str`talking to ${consult.destination.label}`) : msg('talking to the customer')}
            </p>`
          : nothing}
        <label>
          ${msg('Destination')}
          <input
            part="input"
            type="text"
            id="destination"
            autocomplete="off"
            .value=${this.destination}
            @input=${(e: InputEvent) => (this.destination = (e.target as HTMLInputElement).value)}
          />
        </label>
        ${destinations.length
          ? html`<fieldset>
              <legend>${msg('Destinations')}</legend>
              ${destinations.map(
                (d) =>
                  html`<label
                    ><input
                      type="radio"
                      name=${radioGroupName('destination')}
                      .checked=${this.#matches(d)}
                      @change=${() => (this.destination = d.label)}
                    />${d.label}</label
                  >`,
              )}
            </fieldset>`
          : nothing}
        <div class="row">
          <button part="button" ?disabled=${!this.can('blindTransfer')} @click=${() => this.#toDestination('blindTransfer')}>
            ${msg('Blind transfer')}
          </button>
          <button part="button" ?disabled=${!this.can('consult')} @click=${() => this.#toDestination('consult')}>${msg('Consult')}</button>
          <button part="button" ?disabled=${!this.can('alternate')} @click=${() => this.run('alternate', { callId: call.id })}>
            ${msg('Alternate')}
          </button>
          <button
            part="button"
            class="primary"
            ?disabled=${!this.can('completeTransfer')}
            @click=${() => this.#finish('completeTransfer', call.id)}
          >
            ${msg('Complete transfer')}
          </button>
          <button part="button" ?disabled=${!this.can('cancelConsult')} @click=${() => this.run('cancelConsult', { callId: call.id })}>
            ${msg('Cancel consult')}
          </button>
          <button part="button" ?disabled=${!this.can('conference')} @click=${() => this.run('conference', { callId: call.id })}>
            ${msg('Conference')}
          </button>
          <button part="button" ?disabled=${!this.can('leaveConference')} @click=${() => this.#finish('leaveConference', call.id)}>
            ${msg('Leave conference')}
          </button>
          <button part="button" ?disabled=${!this.can('endConference')} @click=${() => this.#finish('endConference', call.id)}>
            ${msg('End conference')}
          </button>
          <button
            part="button"
            ?disabled=${!this.can('changeConferenceOwner')}
            @click=${() => this.run('changeConferenceOwner', { callId: call.id })}
          >
            ${msg('Change owner')}
          </button>
          ${pinned ? nothing : html`<button part="button" @click=${this.#close}>${msg('Close')}</button>`}
        </div>
      </section>
    `;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    // Opening by the agent puts the cursor where the next keystroke belongs.
    if (changed.has('open') && this.open) {
      this.renderRoot.querySelector<HTMLInputElement>('#destination')?.focus();
    }
  }

  #matches(d: Destination): boolean {
    const text = this.destination.trim();
    return text !== '' && (d.label === text || d.id === text || d.number === text);
  }

  /** A configured destination when the text names one; else an external number. */
  #resolve(): Destination | undefined {
    const text = this.destination.trim();
    if (!text) return undefined;
    const known = (this.snapshot?.destinations ?? []).find((d) => this.#matches(d));
    return known ?? { id: text, type: 'external', label: text, number: text };
  }

  async #toDestination(operation: 'blindTransfer' | 'consult'): Promise<void> {
    const call = this.snapshot?.calls[0];
    const destination = this.#resolve();
    if (!destination) {
      this.renderRoot.querySelector<HTMLInputElement>('#destination')?.focus();
      return;
    }
    const ok = await this.run(operation, { destination, callId: call?.id });
    if (ok && operation === 'blindTransfer') this.#close();
  }

  /** Operations after which the call is no longer ours to transfer: the dialog closes. */
  async #finish(operation: 'completeTransfer' | 'leaveConference' | 'endConference', callId: string): Promise<void> {
    if (await this.run(operation, { callId })) this.#close();
  }

  #close = (): void => {
    this.destination = '';
    this.open = false;
    this.dispatchEvent(new Event('dialog-close'));
  };

  #onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && !inProgress(this.snapshot?.calls[0])) {
      e.stopPropagation();
      this.#close();
    }
  };
}

// A lazy module (dist/agent-bar-transfer.js, components/lazy/load-element.ts): it registers itself.
defineElement('transfer-dialog', TransferDialog);

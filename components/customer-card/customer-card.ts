import { html, css, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { Call, CustomerField, Snapshot } from '../../src/core/model.ts';
import { CtiElement } from '../cti-element.ts';
import { defineElement } from '../define.ts';
import { safeHttpUrl } from '../format.ts';
import { withoutCredentials } from '../display-url.ts';
import { MASKED_VALUE } from '../../src/core/masking.ts';
import { elementStyles } from '../../styles/tokens.ts';

/** What a masked value shows (the session already replaced the value itself with it). */
const MASK = MASKED_VALUE;

/**
 * The customer data of the current call, honouring POM's attribute types: `readOnly` as text,
 * `write` as an editable text box (saved with `setCustomerField` on change), `maskedWrite` as a
 * mask with a password box to replace the value (the value itself is never rendered), and
 * `screenPop` as a link only when it is an absolute http(s) URL (else as text), opened in a new
 * tab with `rel="noopener noreferrer"`. Every value is rendered as text, never as HTML, and a URL
 * is shown without the credentials it may carry (`user:password@`, `?token=…`).
 *
 * @csspart panel - the customer section
 * @csspart input - editable field inputs
 * @csspart link - screen-pop links
 * @cssprop --cti-color-muted - field labels
 * @tagname customer-card
 */
export class CustomerCard extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--_cti-space-1) var(--_cti-space-3);
        margin: 0;
      }
      dt {
        color: var(--_cti-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      a {
        color: var(--_cti-primary);
      }
    `,
  ];

  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.capabilities.setCustomerField, s.calls[0]];
  }

  override render() {
    const call = this.snapshot?.calls[0];
    if (!call || (call.fields.length === 0 && !call.campaign)) return nothing;
    return html`
      <section part="panel" aria-label=${this.landmark(msg('Customer'))}>
        <dl>
          ${call.campaign ? html`<dt>${msg('Campaign')}</dt><dd>${call.campaign}</dd>` : nothing}
          ${call.fields.map((f, i) => html`<dt id=${`field-${i}`}>${f.label}</dt><dd>${this.#renderValue(call, f, `field-${i}`)}</dd>`)}
        </dl>
      </section>
    `;
  }

  #renderValue(call: Call, field: CustomerField, labelId: string) {
    switch (field.type) {
      case 'screenPop': {
        const url = safeHttpUrl(field.value);
        return url
          ? html`<a part="link" href=${url} target="_blank" rel="noopener noreferrer">${withoutCredentials(field.value)}</a>`
          : html`${withoutCredentials(field.value)}`;
      }
      case 'write':
        return html`<input
          part="input"
          type="text"
          aria-labelledby=${labelId}
          .value=${field.value}
          ?disabled=${!this.can('setCustomerField')}
          @change=${(e: Event) => this.#save(call, field, e.target as HTMLInputElement)}
        />`;
      case 'maskedWrite':
        return html`<span>${MASK}<span class="visually-hidden"> ${msg('(hidden)')}</span></span>
          <input
            part="input"
            type="password"
            autocomplete="off"
            aria-labelledby=${labelId}
            ?disabled=${!this.can('setCustomerField')}
            @change=${(e: Event) => this.#save(call, field, e.target as HTMLInputElement)}
          />`;
      default:
        return html`${withoutCredentials(field.value)}`;
    }
  }

  async #save(call: Call, field: CustomerField, input: HTMLInputElement): Promise<void> {
    const ok = await this.run('setCustomerField', { key: field.key, value: input.value, callId: call.id });
    // A masked value never stays in the DOM; a refused edit goes back to what the backend holds.
    if (field.type === 'maskedWrite') input.value = '';
    else if (!ok) input.value = field.value;
  }
}

// A lazy module (dist/agent-bar-customer.js, components/lazy/load-element.ts): it registers itself.
defineElement('customer-card', CustomerCard);

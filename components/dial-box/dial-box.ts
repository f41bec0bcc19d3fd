import { html, css, nothing } from 'lit';
import { msg } from '@lit/localize';
import { state } from 'lit/decorators.js';
import type { Snapshot } from '../../src/core/model.ts';
import { CtiElement } from '../cti-element.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { icon } from '../icons.ts';

/**
 * Manual dial: a `Phone number` text box and a `Dial` button (Enter dials too). The session
 * validates the number (libphonenumber-js) before anything is sent; a bad one shows in the bar's
 * alert and the typed text stays for correction. Hidden while a preview record is shown, whose
 * own `Dial` button is then the only one.
 *
 * @csspart panel - the form
 * @csspart input - the phone-number text box
 * @csspart button - the Dial button
 * @cssprop --cti-color-primary - the Dial button
 * @tagname dial-box
 */
export class DialBox extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      input {
        min-width: 12em;
      }
    `,
  ];

  @state() private number = '';

  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.capabilities.dial, s.calls[0]?.state];
  }

  override render() {
    if (this.snapshot?.calls[0]?.state === 'preview') return nothing;
    return html`
      <form class="row" part="panel" @submit=${this.#submit} aria-label=${this.landmark(msg('Dial'))}>
        <label>
          <span class="visually-hidden">${msg('Phone number')}</span>
          <input
            part="input"
            type="tel"
            name="number"
            autocomplete="off"
            placeholder=${msg('Phone number')}
            .value=${this.number}
            @input=${(e: InputEvent) => (this.number = (e.target as HTMLInputElement).value)}
          />
        </label>
        <button part="button" class="primary" type="submit" ?disabled=${!this.can('dial')}>${icon('phone')}${msg('Dial')}</button>
      </form>
    `;
  }

  /** Focuses the phone-number text box (the bar's shortcut); nothing while a preview hides it. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector('input')?.focus(options);
  }

  #submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (!this.can('dial')) return;
    if (await this.run('dial', { number: this.number.trim() })) this.number = '';
  };
}

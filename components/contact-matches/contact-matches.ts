import { html, css, nothing } from 'lit';
import { msg } from '@lit/localize';
import { property } from 'lit/decorators.js';
import type { Snapshot } from '../../src/core/model.ts';
import type { HostHookRunner } from '../../src/embed/hook-runner.ts';
import { CtiElement } from '../cti-element.ts';
import { defineElement } from '../define.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { radioGroupName } from '../directives/radio-group-name.ts';

/**
 * The CRM contacts the host's `searchContacts` hook found for the current call: "Searching…",
 * the one match, a choice when there are several (picking one screen-pops it), or why the search
 * failed. Everything the CRM returned is rendered as text; a link only for an http(s) URL.
 * Renders nothing when the host has no search hook.
 *
 * @csspart panel - the contacts section
 * @csspart link - a contact's CRM link
 * @tagname contact-matches
 */
export class ContactMatches extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--_cti-space-1);
      }
      .detail {
        color: var(--_cti-muted);
      }
      a {
        color: var(--_cti-primary);
      }
    `,
  ];

  /** The bar's hook runner (set by `<agent-bar>`). */
  @property({ attribute: false }) runner?: HostHookRunner;

  #off: (() => void) | undefined;
  #subscribed: HostHookRunner | undefined;

  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.calls[0]?.id];
  }

  protected override willUpdate(): void {
    if (this.runner === this.#subscribed) return;
    this.#off?.();
    this.#subscribed = this.runner;
    this.#off = this.runner?.subscribe(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#off?.();
    this.#off = this.#subscribed = undefined;
  }

  override render() {
    const callId = this.snapshot?.calls[0]?.id;
    const lookup = callId ? this.runner?.lookup(callId) : undefined;
    if (!lookup) return nothing;
    let body;
    switch (lookup.status) {
      case 'searching':
        body = html`<p role="status">${msg('Searching contacts…')}</p>`;
        break;
      case 'none':
        body = html`<p role="status">${msg('No contact found.')}</p>`;
        break;
      case 'failed':
        body = html`<p role="status">${lookup.message}</p>`;
        break;
      case 'matched':
        body = lookup.picked ? this.#renderMatch(lookup.picked) : nothing;
        break;
      case 'choose':
        body = html`<fieldset>
          <legend>${msg('Choose the contact')}</legend>
          ${lookup.matches.map(
            (m) => html`<label
              ><input type="radio" name=${radioGroupName('contact')} value=${m.id} @change=${() => this.runner?.pick(lookup.callId, m.id)} />
              ${m.name}${m.detail ? html` <span class="detail">${m.detail}</span>` : nothing}</label
            >`,
          )}
        </fieldset>`;
    }
    return html`<section part="panel" aria-label=${this.landmark(msg('Contact'))}>${body}</section>`;
  }

  #renderMatch(m: { name: string; detail?: string; url?: string }) {
    return html`<p>
      ${msg('Contact:')}
      ${m.url ? html`<a part="link" href=${m.url} target="_blank" rel="noopener noreferrer">${m.name}</a>` : html`<span>${m.name}</span>`}
      ${m.detail ? html`<span class="detail">${m.detail}</span>` : nothing}
    </p>`;
  }
}

// A lazy module (dist/agent-bar-contacts.js, components/lazy/load-element.ts): it registers itself.
defineElement('contact-matches', ContactMatches);

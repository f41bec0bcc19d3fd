import { html, css, nothing } from 'lit';
import { msg } from '@lit/localize';
import { state } from 'lit/decorators.js';
import type { Snapshot } from '../../src/core/model.ts';
import type { LoginFieldInfo } from '../../src/core/connector.ts';
import type { Operation } from '../../src/core/operations.ts';
import { CtiElement } from '../cti-element.ts';
import { elementStyles } from '../../styles/tokens.ts';

/**
 * The agent's state controls: `Log in`, `Log out`, `Ready`, and `Not ready`, which opens a menu
 * of the not-ready reasons (menu items named by the reason's label). While logged out, the
 * connector's declared login fields (text boxes named by their labels; password boxes for
 * secrets; a list for a field with choices, e.g. POM's time zones) come before `Log in`, which sends them; none for a backend without login fields. Each button is disabled
 * while its capability is false or its command is in flight.
 *
 * @csspart panel - the group of buttons
 * @csspart button - every button, menu items included
 * @csspart menu - the reasons menu
 * @csspart input - each login field
 * @csspart label - each login field's label
 * @cssprop --cti-color-primary - the `Ready` button
 * @cssprop --cti-color-surface - the menu background
 * @tagname status-menu
 */
export class StatusMenu extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      .anchor {
        position: relative;
      }
      [role='menu'] {
        position: absolute;
        z-index: 10;
        top: calc(100% + var(--_cti-space-1));
        left: 0;
        min-width: 12em;
        display: flex;
        flex-direction: column;
        padding: var(--_cti-space-1);
        margin: 0;
        background: var(--_cti-surface);
        border: 1px solid var(--_cti-border);
        border-radius: var(--_cti-radius);
        box-shadow: 0 4px 12px rgb(0 0 0 / 0.15);
      }
      [role='menuitem'] {
        text-align: start;
        border: none;
        background: transparent;
      }
      [role='menuitem']:hover,
      [role='menuitem']:focus-visible {
        background: var(--_cti-surface-alt);
      }
    `,
  ];

  @state() private menuOpen = false;

  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.capabilities, s.reasons, s.agent.state];
  }

  /** The connector's declared login fields (none for the simulator or a backend without login). */
  #loginFields(): readonly LoginFieldInfo[] {
    return this.snapshots.session?.connector.loginFields ?? [];
  }

  /**
   * The login form: one labelled box per declared field, shown while logged out. Values live in
   * the inputs only (UI state); secret ones are password boxes, cleared once sent.
   */
  #renderLoginFields() {
    const fields = this.#loginFields();
    if (fields.length === 0 || this.snapshot?.agent.state !== 'loggedOut') return nothing;
    return html`<div class="row login" part="panel" role="group" aria-label=${msg('Log in details')}>
      ${fields.map((field) =>
        field.options?.length
          ? html`<label part="label"
              >${field.label}
              <select part="input" name=${field.name}>
                ${field.options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
              </select></label
            >`
          : html`<label part="label"
          >${field.label}${field.required ? html`<span aria-hidden="true"> *</span>` : nothing}
          <input
            part="input"
            name=${field.name}
            type=${field.secret ? 'password' : 'text'}
            autocomplete=${field.secret ? 'off' : 'on'}
            ?required=${field.required === true}
            aria-required=${field.required ? 'true' : 'false'}
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Enter') void this.#login();
            }}
        /></label>`,
      )}
    </div>`;
  }

  /**
   * Sends `login` with the typed fields. First fires `login-intent` (not bubbling): `<agent-bar>`
   * hears that the agent is logging in inside the click or Enter, the one moment a page may ask
   * for notification permission and unlock audio.
   */
  async #login(): Promise<void> {
    if (!this.can('login')) return;
    this.dispatchEvent(new Event('login-intent'));
    const args: Record<string, string> = {};
    const inputs = [...this.renderRoot.querySelectorAll<HTMLInputElement | HTMLSelectElement>('.login input, .login select')];
    for (const input of inputs) if (input.value !== '') args[input.name] = input.value;
    const sending = this.run('login', args);
    // A secret is in the command now; it does not stay in the page.
    for (const input of inputs) if (input.type === 'password') input.value = '';
    await sending;
  }

  override render() {
    const reasons = this.snapshot?.reasons ?? [];
    const canNotReady = this.can('notReady');
    // A menu must not stay open over a button that has just become disabled.
    const open = this.menuOpen && canNotReady;
    return html`
      <div class="row" part="panel" role="group" aria-label=${msg('Agent state')}>
        ${this.#renderLoginFields()}
        ${this.#show('login')
          ? html`<button part="button" ?disabled=${!this.can('login')} @click=${() => this.#login()}>${msg('Log in')}</button>`
          : nothing}
        ${this.#show('logout')
          ? html`<button part="button" ?disabled=${!this.can('logout')} @click=${() => this.run('logout', {})}>${msg('Log out')}</button>`
          : nothing}
        <button part="button" class="success" ?disabled=${!this.can('ready')} @click=${() => this.run('ready', {})}>
          ${msg('Ready')}
        </button>
        ${this.#supports('busy')
          ? html`<button part="button" ?disabled=${!this.can('busy')} @click=${() => this.run('busy', {})}>${msg('Busy')}</button>`
          : nothing}
        <span class="anchor" @keydown=${this.#onMenuKey} @focusout=${this.#onFocusOut}>
          <button
            part="button"
            id="not-ready"
            aria-haspopup="menu"
            aria-expanded=${open ? 'true' : 'false'}
            aria-controls="reasons"
            ?disabled=${!canNotReady}
            @click=${this.#toggleMenu}
          >
            ${msg('Not ready')}
          </button>
          ${open
            ? html`<div role="menu" id="reasons" part="menu" aria-label=${msg('Not ready reasons')}>
                ${reasons.length === 0
                  ? html`<button part="button" role="menuitem" aria-disabled="true">${msg('No reasons available')}</button>`
                  : reasons.map(
                      (r) =>
                        html`<button part="button" role="menuitem" tabindex="-1" @click=${() => this.#choose(r.code)}>
                          ${r.label}
                        </button>`,
                    )}
              </div>`
            : nothing}
        </span>
      </div>
    `;
  }

  /** Opens the not-ready reasons with the first one focused, as a click on `Not ready` does (the bar's shortcut). */
  async openReasons(): Promise<void> {
    if (!this.can('notReady') || this.menuOpen) return;
    await this.#toggleMenu();
  }

  /**
   * Log in and Log out are shown for a backend that has them (not for Noojee or MaxContact), in
   * every state, disabled when not allowed. Showing each only while it applies put Log out exactly
   * where Log in had been the moment the login worked, so an impatient second click on Log in
   * logged the agent straight out again (seen in the impatient-clicks e2e).
   */
  #show(operation: Operation): boolean {
    return this.can(operation) || this.#supports(operation);
  }

  /** Shown only for a backend that has the state at all (Noetica's busy flag), not greyed out for the rest. */
  #supports(operation: Operation): boolean {
    return this.snapshots.session?.connector.supports.has(operation) ?? false;
  }

  #toggleMenu = async (): Promise<void> => {
    this.menuOpen = !this.menuOpen;
    if (this.menuOpen) {
      await this.updateComplete;
      this.#items()[0]?.focus();
    }
  };

  async #choose(reasonCode: string): Promise<void> {
    this.#close(true);
    await this.run('notReady', { reasonCode });
  }

  #close(restoreFocus: boolean): void {
    this.menuOpen = false;
    if (restoreFocus) this.renderRoot.querySelector<HTMLButtonElement>('#not-ready')?.focus();
  }

  #items(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  }

  /** WAI-ARIA menu keys: arrows and Home/End move, Escape closes back to the button. */
  #onMenuKey = (e: KeyboardEvent): void => {
    if (!this.menuOpen) return;
    const items = this.#items();
    const current = items.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = (current + 1) % items.length;
    else if (e.key === 'ArrowUp') next = (current - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Escape') {
      e.preventDefault();
      this.#close(true);
      return;
    }
    if (next !== undefined && items.length > 0) {
      e.preventDefault();
      items[next]?.focus();
    }
  };

  /** Tabbing or clicking away closes the menu, as a native menu would. */
  #onFocusOut = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    if (this.menuOpen && to && !this.renderRoot.contains(to)) this.#close(false);
  };
}

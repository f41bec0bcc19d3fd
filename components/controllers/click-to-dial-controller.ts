import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a `tel:` click asks for, once checked: a number to confirm, or why it cannot be dialled. */
export type TelRequest = { number: string; shown: string } | { error: string };

/**
 * Click-to-dial from the host page (opt-in, `<agent-bar click-to-dial>`): a click on any
 * `<a href="tel:…">` of the document (shadow roots included, via the composed path) is taken
 * over — the browser's own handling is prevented — and its number is validated, then offered to
 * the agent to confirm; nothing is dialled without that confirmation. Clicks with a modifier key,
 * other buttons and clicks the page already handled are left alone.
 */
export class ClickToDialController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #enabled: () => boolean;
  readonly #onRequest: (request: TelRequest) => void;
  #listening = false;

  constructor(host: ReactiveControllerHost, enabled: () => boolean, onRequest: (request: TelRequest) => void) {
    this.#host = host;
    this.#enabled = enabled;
    this.#onRequest = onRequest;
    host.addController(this);
  }

  hostConnected(): void {
    this.hostUpdated();
  }

  /** Follows the attribute: listens only while it is on and the bar is in the page. */
  hostUpdated(): void {
    const on = this.#enabled();
    if (on === this.#listening) return;
    this.#listening = on;
    if (on) document.addEventListener('click', this.#onClick);
    else document.removeEventListener('click', this.#onClick);
  }

  hostDisconnected(): void {
    this.#listening = false;
    document.removeEventListener('click', this.#onClick);
  }

  #onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const link = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement && /^tel:/i.test(n.getAttribute('href') ?? ''));
    if (!link) return;
    e.preventDefault();
    // tel:+44-20-7946-0018;phone-context=… → the number part, percent-decoded, bounded.
    let raw = (link.getAttribute('href') ?? '').slice(4).split(';')[0]!.slice(0, 64);
    try {
      raw = decodeURIComponent(raw);
    } catch {
      // keep it as written; validation says what is wrong
    }
    void import('../../src/core/phone-number.ts').then(({ checkPhoneNumber }) => {
      const check = checkPhoneNumber(raw);
      this.#onRequest(check.ok ? { number: check.number, shown: raw } : { error: check.message });
      this.#host.requestUpdate();
    });
  };
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { updateWhenLocaleChanges } from '@lit/localize';
import { useLocale } from '../locale/localization.ts';

/**
 * Follows the language asked of `<agent-bar>`: its own `lang` attribute, else the page's
 * `<html lang>`; either may change at any time (a CRM switching language in place). English
 * unless the tag's primary language is one we have (components/locales/). Also re-renders the
 * host when the locale has switched.
 */
export class LocaleController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #observer = new MutationObserver(() => this.#apply());

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
    updateWhenLocaleChanges(host);
  }

  hostConnected(): void {
    const options = { attributes: true, attributeFilter: ['lang'] };
    this.#observer.observe(this.#host, options);
    this.#observer.observe(document.documentElement, options);
    this.#apply();
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
  }

  #apply(): void {
    void useLocale(this.#host.getAttribute('lang') || document.documentElement.lang);
  }
}

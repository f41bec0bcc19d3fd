/**
 * Idempotent custom-element registration. The bundle may be loaded twice on one page (a CRM
 * that includes the script tag in two widgets, or the bundle plus the dev sources), and
 * `customElements.define` throws on a second definition, so every registration goes through here.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  if (customElements.get(tag)) return;
  customElements.define(tag, ctor);
}

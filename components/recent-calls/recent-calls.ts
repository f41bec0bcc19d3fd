import type { CSSResultGroup, html as litHtml, nothing as litNothing } from 'lit';
import type { msg as litMsg, str as litStr } from '@lit/localize';
import type { CtiElement } from '../cti-element.ts';
import { RecentCallsController } from '../controllers/recent-calls-controller.ts';

/** What the element is built from: the main bundle's own Lit and element base (see below). */
export interface RecentCallsKit {
  Base: typeof CtiElement;
  html: typeof litHtml;
  nothing: typeof litNothing;
  styles: CSSResultGroup;
  /** The main bundle's @lit/localize: its active locale and loaded translations. */
  msg: typeof litMsg;
  str: typeof litStr;
  /** The active locale, for the times of the calls (the source locale means the browser's own). */
  locale: () => string | undefined;
}

/**
 * `<recent-calls>`: the calls of this session that have ended (in memory only; nothing about
 * customers is stored), behind a `Recent calls (N)` button that also counts the missed ones
 * (", M missed"); each with a `Call back` button (named `Call back <name or number>`) that sends
 * `dial`, enabled when the agent can dial. Nothing is shown before the first call has ended.
 *
 * A lazy module (dist/agent-bar-recent.js, loaded with the session by `<agent-bar>`;
 * `loadRecentCalls()` registers it for standalone use). It is handed Lit and `CtiElement` by the
 * main bundle instead of importing them, so it carries no second copy of Lit and costs the main
 * bundle a few bytes only.
 *
 * @csspart panel - the section
 * @csspart button - every button
 */
export function recentCallsElement({ Base, html, nothing, styles, msg, str, locale }: RecentCallsKit): CustomElementConstructor {
  const times = new Map<string | undefined, Intl.DateTimeFormat>();
  const time = (at: number) => {
    const l = locale();
    let format = times.get(l);
    if (!format) times.set(l, (format = new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' })));
    return format.format(at);
  };
  class RecentCalls extends Base {
    static override styles = styles;
    static override properties = { open: { state: true } };
    declare open: boolean;
    readonly #recent = new RecentCallsController(this, () => this.snapshots.session);

    constructor() {
      super();
      this.open = false;
    }

    protected override selectSnapshot(s: { capabilities: { dial: boolean } }): readonly unknown[] {
      return [s.capabilities.dial];
    }

    override render() {
      const calls = this.#recent.calls;
      if (calls.length === 0) return nothing;
      const missed = this.#recent.missed;
      return html`<style>
          ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--_cti-space-1); }
          li { display: flex; flex-wrap: wrap; gap: var(--_cti-space-2); align-items: center; }
          .missed { color: var(--_cti-danger); font-weight: 600; }
        </style>
        <section part="panel" aria-label=${this.landmark(msg('Recent calls'))}>
          <button part="button" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="recent" @click=${() => (this.open = !this.open)}>
            ${msg(str`Recent calls (${calls.length})`)}${missed ? html`, <span class="missed">${msg(str`${missed} missed`)}</span>` : nothing}
          </button>
          ${this.open
            ? html`<ul id="recent">
                ${calls.map(
                  (c) => html`<li>
                    <span class=${c.missed ? 'missed' : ''}>${c.missed ? msg('Missed') : c.direction === 'inbound' ? msg('In') : msg('Out')}</span>
                    <span>${c.name ?? c.number}</span>
                    ${c.name ? html`<span class="muted">${c.number}</span>` : nothing}
                    <span class="muted">${time(c.offeredAt)}</span>
                    <button
                      part="button"
                      aria-label=${msg(str`Call back ${c.name ?? c.number}`)}
                      ?disabled=${!this.can('dial')}
                      @click=${() => void this.run('dial', { number: c.number })}
                    >
                      ${msg('Call back')}
                    </button>
                  </li>`,
                )}
              </ul>`
            : nothing}
        </section>`;
    }
  }
  return RecentCalls;
}

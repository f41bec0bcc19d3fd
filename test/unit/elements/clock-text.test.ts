import { expect, fixture } from '@open-wc/testing';
import { LitElement, html, nothing } from 'lit';
import { clockText, activeClockCount } from '../../../components/directives/clock-text.ts';
import { defineElement } from '../../../components/define.ts';

/** A host showing one timer, counting its own renders. */
class TimerHost extends LitElement {
  since = Date.now() - 5_000;
  shown = true;
  renders = 0;
  override render() {
    this.renders++;
    return this.shown ? html`<span>${clockText((now) => `${Math.floor((now - this.since) / 1000)} s`)}</span>` : nothing;
  }
}
defineElement('clock-text-host', TimerHost);

const text = (el: TimerHost) => el.shadowRoot!.querySelector('span')?.textContent ?? '';

describe('clockText()', () => {
  it('moves the timer on every second without re-rendering its host', async () => {
    const idle = activeClockCount();
    const el = await fixture<TimerHost>(html`<clock-text-host></clock-text-host>`);
    expect(text(el)).to.equal('5 s');
    expect(activeClockCount()).to.equal(idle + 1);
    const renders = el.renders;
    // Bounded wait: the shared tick comes once a second.
    for (let i = 0; i < 40 && text(el) === '5 s'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(text(el)).to.equal('6 s');
    expect(el.renders).to.equal(renders);
  });

  it('stops ticking when the timer leaves the DOM, and starts again when it comes back', async () => {
    const idle = activeClockCount();
    const el = await fixture<TimerHost>(html`<clock-text-host></clock-text-host>`);
    expect(activeClockCount()).to.equal(idle + 1);
    el.shown = false;
    el.requestUpdate();
    await el.updateComplete;
    expect(activeClockCount()).to.equal(idle);
    el.shown = true;
    el.requestUpdate();
    await el.updateComplete;
    expect(activeClockCount()).to.equal(idle + 1);
    el.remove();
    expect(activeClockCount()).to.equal(idle);
    document.body.append(el);
    expect(activeClockCount()).to.equal(idle + 1);
    el.remove();
  });

  it('belongs in a text position only', async () => {
    class Misplaced extends LitElement {
      override render() {
        return html`<span title=${clockText(() => 'x')}></span>`;
      }
    }
    defineElement('clock-text-misplaced', Misplaced);
    const el = document.createElement('clock-text-misplaced') as Misplaced;
    let error: unknown;
    const onError = (e: ErrorEvent) => { error = e.error; e.preventDefault(); };
    window.addEventListener('error', onError);
    document.body.append(el);
    await el.updateComplete.catch((e: unknown) => (error = e));
    window.removeEventListener('error', onError);
    el.remove();
    expect(String(error)).to.contain('text position');
  });
});

import { expect } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { useLocale } from '../../../components/locale/localization.ts';
import { allByRole, settled, simulatorBar, until } from './fixtures.ts';

let agents = 0;

/** A logged-in, ready bar on the simulator, in `lang` (default: the page's, English). */
async function readyBar(lang?: string): Promise<AgentBar> {
  const el = await simulatorBar(`announce-${++agents}`, lang);
  await el.session!.command('login', {});
  await el.session!.command('ready', {});
  await settled();
  return el;
}

/** The polite live region: role status, always in the DOM. */
const announcer = (el: AgentBar) => el.shadowRoot!.querySelector<HTMLElement>('#announcer')!;
const alertText = (el: AgentBar) => el.shadowRoot!.querySelector('[role="alert"]')!.textContent;

async function ring(el: AgentBar, caller: { number: string; name?: string }): Promise<void> {
  el.simulator!.offerCall(caller);
  await until(() => el.session!.snapshot.capabilities.answer, 'ringing');
  await settled();
}

describe('<agent-bar> screen-reader announcements', () => {
  afterEach(() => useLocale('en'));

  it('announces a ringing call politely ("Incoming call from …") and goes quiet once it stops ringing', async () => {
    const el = await readyBar();
    const region = announcer(el);
    expect(region.getAttribute('role'), 'a polite live region').to.equal('status');
    expect(region.textContent, 'silent before a call').to.equal('');
    await ring(el, { number: '+442079460018', name: 'Pat Doe' });
    expect(announcer(el), 'the same region, so the change is announced').to.equal(region);
    expect(region.textContent).to.equal('Incoming call from Pat Doe, +442079460018');
    await el.session!.command('answer', {});
    await until(() => region.textContent === '', 'quiet once answered');
    await el.session!.command('hangup', {});
    await until(() => el.session!.snapshot.calls[0]?.state === 'wrapup', 'wrap-up');
    await el.session!.command('wrapUp', { code: el.session!.snapshot.dispositions[0]!.code });
    await el.session!.command('ready', {}).catch(() => {});
    // A name is customer data: text, never markup.
    await ring(el, { number: '+442079460555', name: '<img src=x onerror=alert(1)>' });
    expect(region.textContent).to.equal('Incoming call from <img src=x onerror=alert(1)>, +442079460555');
    expect(region.querySelector('img')).to.equal(null);
    el.simulator!.customerHangup();
    await until(() => region.textContent === '', 'quiet once the caller gave up');
    await until(() => el.session!.snapshot.calls.length === 0 || el.session!.snapshot.calls[0]!.state === 'wrapup', 'call over');
    if (el.session!.snapshot.calls[0]) await el.session!.command('wrapUp', { code: el.session!.snapshot.dispositions[0]!.code });
    await el.session!.command('ready', {}).catch(() => {});
    // No name: the number alone.
    await ring(el, { number: '+442079460777' });
    expect(region.textContent).to.equal('Incoming call from +442079460777');
  });

  it('in Spanish: the ringing call and an error (the alert region, assertive) in Spanish', async () => {
    const el = await readyBar('es');
    await until(() => allByRole(el, 'button', 'Disponible').length === 1, 'Spanish');
    await ring(el, { number: '+442079460018', name: 'Pat Doe' });
    expect(announcer(el).textContent).to.equal('Llamada entrante de Pat Doe, +442079460018');
    // A command refused by our own session: its message, translated, in role=alert.
    await el.session!.command('hold', {}).catch(() => {});
    await settled();
    expect(el.session!.snapshot.lastError!.message).to.equal('Hold is not available right now.');
    expect(alertText(el)).to.equal('Retener no está disponible en este momento.');
  });
});

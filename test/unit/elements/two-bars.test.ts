import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { deepAll, settled, until } from './fixtures.ts';

/** The names of every landmark under `root` (named sections are regions, named forms are forms). */
const landmarkNames = (root: ParentNode) => deepAll(root, 'section[aria-label], form[aria-label]').map((el) => el.getAttribute('aria-label')!);

/** axe's landmark-unique rule alone, on `root` (axe is on the page once `accessible()` has run). */
async function landmarkUniqueViolations(root: Element): Promise<number> {
  const axe = (window as unknown as { axe: { run(ctx: Element, opts: object): Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe;
  const result = await axe.run(root, { runOnly: { type: 'rule', values: ['landmark-unique'] } });
  expect(result.violations.length + result.passes.length, 'landmark-unique ran and found the landmarks').to.be.greaterThan(0);
  return result.violations.length;
}

/** Two bars on one page, connected, the first logged in with a call ringing (so its call panel shows). */
async function twoBars(first: string | undefined, second: string | undefined): Promise<[HTMLDivElement, AgentBar[]]> {
  const page = await fixture<HTMLDivElement>(html`<div>
    <agent-bar agent-id="two-1" label=${first ?? ''} .config=${{ latencyMs: 0 }}></agent-bar>
    <agent-bar agent-id="two-2" label=${second ?? ''} .config=${{ latencyMs: 0 }}></agent-bar>
  </div>`);
  const bars = [...page.querySelectorAll<AgentBar>('agent-bar')];
  for (const bar of bars) if (!bar.label) bar.removeAttribute('label');
  for (const bar of bars) await until(() => bar.session?.snapshot.capabilities.login === true, 'connected');
  for (const bar of bars) {
    await bar.session!.command('login', {});
    await bar.session!.command('ready', {});
    bar.simulator!.offerCall({ number: '+442079460018', name: 'Pat Doe' });
    await until(() => bar.session!.snapshot.capabilities.answer === true, 'ringing');
  }
  await settled();
  return [page, bars];
}

describe('two <agent-bar>s on one page', () => {
  it('add no second banner (a bar’s header is not a landmark); without labels they keep the contract’s names, which repeat', async function () {
    this.timeout(60_000); // an axe run: slow on a loaded machine
    const [page, bars] = await twoBars(undefined, undefined);
    expect(bars[0]!.shadowRoot!.querySelector('header')!.textContent).to.contain('Ready');
    // A bar without a label keeps the plain names of the contract (docs/elements.md).
    expect(landmarkNames(bars[0]!)).to.include.members(['Call', 'Dial']);
    expect(landmarkNames(bars[1]!)).to.include.members(['Call', 'Dial']);
    // Every other axe rule holds (landmark-no-duplicate-banner too: two <header>s as banners failed it) …
    await expect(page).to.be.accessible({ ignoredRules: ['landmark-unique'] });
    // … and landmark-unique runs and sees the repeated names: the reason to give bars a label.
    expect(await landmarkUniqueViolations(page)).to.be.greaterThan(0);
  });

  it('with a label each, every landmark name is unique ("Call — <label>") and axe, landmark-unique included, finds nothing', async function () {
    this.timeout(60_000);
    const [page, bars] = await twoBars('Pat', 'Sam');
    const names = landmarkNames(page);
    expect(names).to.include.members(['Call — Pat', 'Dial — Pat', 'Call — Sam', 'Dial — Sam']);
    expect(new Set(names).size, `unique: ${names.join(' | ')}`).to.equal(names.length);
    expect(await landmarkUniqueViolations(page)).to.equal(0);
    await expect(page).to.be.accessible();
    // The label may change at run time; removing it gives the contract's names back.
    bars[1]!.label = 'Sam (sales)';
    await until(() => landmarkNames(bars[1]!).includes('Call — Sam (sales)'), 'the new label');
    bars[1]!.removeAttribute('label');
    bars[1]!.label = '';
    await until(() => landmarkNames(bars[1]!).includes('Call'), 'the plain name back');
    expect(landmarkNames(bars[1]!)).to.include('Dial');
  });

  it('a label in Spanish: "Llamada — <label>"', async () => {
    const [, bars] = await twoBars('Pat', 'Sam');
    bars[0]!.setAttribute('lang', 'es');
    await until(() => landmarkNames(bars[0]!).includes('Llamada — Pat'), 'the Spanish landmark name');
    expect(landmarkNames(bars[0]!)).to.include('Marcar — Pat');
    bars[0]!.setAttribute('lang', 'en');
    await until(() => landmarkNames(bars[0]!).includes('Call — Pat'), 'back in English');
  });
});

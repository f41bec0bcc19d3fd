import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { allByRole, byRole, deepAll, settled, until } from './fixtures.ts';

let agents = 0;

/** A bar (its own agent) in a box of `width` px (its layout follows its container), logged in and ready. */
async function barIn(width: number, theme?: string): Promise<AgentBar> {
  const box = await fixture<HTMLDivElement>(html`<div style="width:${width}px">
    <agent-bar agent-id=${`theme-${++agents}`} theme=${theme ?? 'light'} .config=${{ latencyMs: 0 }}></agent-bar>
  </div>`);
  const bar = box.querySelector('agent-bar')!;
  await until(() => bar.session?.snapshot.capabilities.login === true, 'connected, logged out');
  await bar.session!.command('login', {});
  await bar.session!.command('ready', {});
  await settled();
  return bar;
}

async function ringing(bar: AgentBar): Promise<void> {
  bar.simulator!.offerCall({ number: '+442079460018', name: 'Pat Doe' });
  await until(() => bar.session!.snapshot.capabilities.answer, 'offered');
  await settled();
}

const barBox = (bar: AgentBar) => bar.shadowRoot!.querySelector<HTMLElement>('.bar')!;

describe('<agent-bar> layouts and themes', () => {
  it('a panel (one column) in a narrow container, a strip (sections side by side) in a wide one', async () => {
    const panel = await barIn(320);
    expect(getComputedStyle(barBox(panel)).display).to.equal('grid');
    const strip = await barIn(900);
    expect(getComputedStyle(barBox(strip)).display).to.equal('flex');
    const header = strip.shadowRoot!.querySelector('header')!.getBoundingClientRect();
    const status = strip.shadowRoot!.querySelector('status-menu')!.getBoundingClientRect();
    expect(status.top, 'the state controls sit beside the header, not under it').to.be.below(header.bottom);
  });

  it('a ringing call shows one large Answer; every control is at least 44 px high', async () => {
    const bar = await barIn(320);
    await ringing(bar);
    const answer = byRole(bar, 'button', 'Answer');
    expect(answer.getBoundingClientRect().height).to.be.at.least(52);
    for (const button of allByRole(bar, 'button')) {
      expect(button.getBoundingClientRect().height, button.textContent!.trim()).to.be.at.least(44);
    }
    // Its icon is decorative: the name is the label alone.
    expect(answer.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('the Answer pulse stops when the agent asks for reduced motion', async () => {
    const bar = await barIn(320);
    await ringing(bar);
    const answer = byRole(bar, 'button', 'Answer');
    expect(getComputedStyle(answer).animationName).to.equal('cti-ring');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(answer).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('the agent-state pill takes the state colour and shows the time in state', async () => {
    const bar = await barIn(320);
    const pill = bar.shadowRoot!.querySelector<HTMLElement>('[part="state"]')!;
    expect(pill.dataset['state']).to.equal('ready');
    expect(getComputedStyle(pill).backgroundColor).to.equal('rgb(29, 115, 51)');
    expect(pill.querySelector('[role="timer"]')!.getAttribute('aria-label')).to.equal('Time in state');
  });

  it('a theme changes the defaults; a --cti-* property set by the host still wins', async () => {
    const light = await barIn(320);
    const dark = await barIn(320, 'dark');
    expect(getComputedStyle(barBox(light)).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(getComputedStyle(barBox(dark)).backgroundColor).to.equal('rgb(31, 35, 41)');
    // The composed elements inherit the theme too.
    const dial = deepAll(dark, 'dial-box')[0]!.shadowRoot!.querySelector('input')!;
    expect(getComputedStyle(dial).color).to.equal('rgb(232, 234, 237)');
    dark.style.setProperty('--cti-color-surface', '#123456');
    expect(getComputedStyle(barBox(dark)).backgroundColor).to.equal('rgb(18, 52, 86)');
    const sf = await barIn(320, 'salesforce');
    expect(getComputedStyle(byRole(sf, 'button', 'Not ready')).borderRadius).to.equal('4px');
  });

  it('theme="auto" follows the system colour scheme', async () => {
    const bar = await barIn(320, 'auto');
    await emulateMedia({ colorScheme: 'dark' });
    try {
      expect(getComputedStyle(barBox(bar)).backgroundColor).to.equal('rgb(31, 35, 41)');
      await emulateMedia({ colorScheme: 'light' });
      expect(getComputedStyle(barBox(bar)).backgroundColor).to.equal('rgb(255, 255, 255)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  for (const theme of ['light', 'dark', 'salesforce', 'dynamics']) {
    it(`theme="${theme}": no axe violations ringing in a panel and talking in a strip`, async function () {
      this.timeout(60_000); // two axe runs: slow on a loaded machine
      const panel = await barIn(320, theme);
      await ringing(panel);
      await expect(panel).to.be.accessible();
      panel.parentElement!.remove(); // one bar per page, as an agent has
      const strip = await barIn(900, theme);
      await ringing(strip);
      await strip.session!.command('answer', {});
      await settled();
      await expect(strip).to.be.accessible();
    });
  }
});

import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { TitleFlasher } from '../../../components/alerts/title-flasher.ts';
import { parseAlertKinds } from '../../../components/alerts/alert-options.ts';
import { collectedAfterGc } from './leak-check.ts';

/** Bounded wait in real time (alerts run on timers, not frames). */
async function within(ms: number, predicate: () => boolean, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function readyBar(attrs: { alerts?: string; ringTimeout?: number; plain?: boolean } = {}): Promise<AgentBar> {
  // `plain`: created by hand (fixture()'s Lit template would keep a reference to the element).
  let bar: AgentBar;
  if (attrs.plain) {
    bar = document.createElement('agent-bar');
    bar.agentId = '1001';
    bar.config = { latencyMs: 0 };
    document.body.append(bar);
  } else {
    bar = await fixture<AgentBar>(html`<agent-bar agent-id="1001" .config=${{ latencyMs: 0 }}></agent-bar>`);
  }
  if (attrs.alerts !== undefined) bar.alerts = attrs.alerts;
  if (attrs.ringTimeout !== undefined) bar.ringTimeout = attrs.ringTimeout;
  await within(5000, () => bar.session?.snapshot.connection === 'connected', 'connected');
  await bar.session!.command('login', {});
  await bar.session!.command('ready', {});
  return bar;
}

describe('ringing-call alerts of <agent-bar>', () => {
  it('parses the alerts attribute (unknown words ignored, none for silence)', () => {
    expect([...parseAlertKinds('ring notification title')]).to.deep.equal(['ring', 'notification', 'title']);
    expect([...parseAlertKinds('Title, bogus')]).to.deep.equal(['title']);
    expect([...parseAlertKinds('none')]).to.deep.equal([]);
    expect([...parseAlertKinds(undefined)]).to.deep.equal([]);
  });

  it('rings while a call rings and stops when it is answered', async () => {
    const bar = await readyBar();
    bar.simulator!.offerCall({ number: '+442079460018', name: 'Pat Doe' });
    await within(5000, () => bar.alerting.includes('ring'), 'ring');
    await bar.session!.command('answer', {});
    expect(bar.alerting).to.deep.equal([]);
  });

  it('stops when the customer gives up before it is answered', async () => {
    const bar = await readyBar();
    bar.simulator!.offerCall({ number: '+442079460018' });
    await within(5000, () => bar.alerting.includes('ring'), 'ring');
    bar.simulator!.customerHangup();
    await within(2000, () => bar.alerting.length === 0, 'silence');
    expect(bar.session!.snapshot.calls).to.have.length(0);
  });

  it('stops after ring-timeout seconds although the call still rings, and does not start again for it', async () => {
    const bar = await readyBar({ ringTimeout: 1 });
    bar.simulator!.offerCall({ number: '+442079460018' });
    await within(5000, () => bar.alerting.includes('ring'), 'ring');
    await within(3000, () => bar.alerting.length === 0, 'silence after the timeout');
    expect(bar.session!.snapshot.calls[0]?.state).to.equal('ringing');
    await new Promise((r) => setTimeout(r, 200));
    expect(bar.alerting).to.deep.equal([]);
  });

  it('alerts="none" stays silent; turning ring on while the call rings starts it', async () => {
    const bar = await readyBar({ alerts: 'none' });
    bar.simulator!.offerCall({ number: '+442079460018' });
    await within(5000, () => bar.session!.snapshot.calls[0]?.state === 'ringing', 'ringing');
    await new Promise((r) => setTimeout(r, 300));
    expect(bar.alerting).to.deep.equal([]);
    bar.alerts = 'ring';
    await within(2000, () => bar.alerting.includes('ring'), 'ring');
  });

  it('a removed bar stops ringing and can be collected', async () => {
    // In its own function, so that no variable of the test still points at the bar.
    const ringThenRemove = async (): Promise<WeakRef<AgentBar>> => {
      const bar = await readyBar({ plain: true });
      bar.simulator!.offerCall({ number: '+442079460018' });
      await within(5000, () => bar.alerting.includes('ring'), 'ring');
      bar.remove();
      expect(bar.alerting).to.deep.equal([]);
      return new WeakRef(bar);
    };
    expect(await collectedAfterGc(await ringThenRemove())).to.equal(true);
  });
});

describe('TitleFlasher', () => {
  const original = document.title;
  afterEach(() => (document.title = original));

  it('alternates the title with the message and restores it', async () => {
    document.title = 'CRM – Accounts';
    const flasher = new TitleFlasher();
    flasher.start('☎ Incoming call');
    expect(document.title).to.equal('☎ Incoming call');
    await within(2500, () => document.title === 'CRM – Accounts', 'title back between flashes');
    flasher.stop();
    expect(document.title).to.equal('CRM – Accounts');
  });

  it('keeps a title the page set meanwhile', async () => {
    document.title = 'Before';
    const flasher = new TitleFlasher();
    flasher.start('☎ Incoming call');
    document.title = 'Case 123';
    await within(2500, () => document.title === '☎ Incoming call', 'flash again');
    flasher.stop();
    expect(document.title).to.equal('Case 123');
  });
});

import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import { loadRecentCalls } from '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { RECENT_CALLS_MAX } from '../../../components/controllers/recent-calls-controller.ts';
import { allByRole, byRole, isDisabled, loginReady, settled, simulatedSession, until, type SimulatedSession } from './fixtures.ts';

const PAT = { number: '+442079460018', name: 'Pat Doe' };
const SAM = { number: '+442079460555' };

/** A call offered and given up by the customer before the agent answered. */
async function missedCall(s: SimulatedSession, input: { number: string; name?: string } = PAT): Promise<void> {
  s.connector.simulator.offerCall(input);
  await until(() => s.session.snapshot.calls[0]?.state === 'ringing', 'ringing');
  s.connector.simulator.customerHangup();
  await until(() => s.session.snapshot.calls.length === 0, 'abandoned');
}

/** A call answered, hung up and wrapped up; the agent ready again. */
async function answeredCall(s: SimulatedSession, input: { number: string; name?: string } = SAM): Promise<void> {
  s.connector.simulator.offerCall(input);
  await until(() => s.session.snapshot.capabilities.answer, 'offered');
  await s.session.command('answer', {});
  await until(() => s.session.snapshot.calls[0]?.state === 'talking', 'talking');
  await s.session.command('hangup', {});
  await until(() => s.session.snapshot.calls[0]?.state === 'wrapup', 'wrap-up');
  await s.session.command('wrapUp', { code: s.session.snapshot.dispositions[0]!.code });
  await until(() => s.session.snapshot.calls.length === 0, 'wrapped up');
  if (s.session.snapshot.agent.state !== 'ready') await s.session.command('ready', {});
  await until(() => s.session.snapshot.agent.state === 'ready', 'ready');
}

describe('<recent-calls>', () => {
  let s: SimulatedSession;
  before(() => loadRecentCalls());
  afterEach(() => s?.session.destroy());

  it('lists ended calls newest first with the missed count; Call back dials the number', async () => {
    s = await simulatedSession();
    await loginReady(s.session);
    const list = await fixture<HTMLElement>(html`<recent-calls .session=${s.session}></recent-calls>`);
    expect(list.shadowRoot!.textContent!.trim()).to.equal('');
    await missedCall(s);
    await answeredCall(s);
    await settled();
    const toggle = byRole(list, 'button', 'Recent calls (2), 1 missed');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(allByRole(list, 'listitem')).to.have.length(0);
    toggle.click();
    await settled();
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const items = [...list.shadowRoot!.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items[0]).to.match(/^In \+442079460555 \d.* Call back$/);
    expect(items[1]).to.match(/^Missed Pat Doe \+442079460018 \d.* Call back$/);
    await expect(list).to.be.accessible();

    const callBack = byRole(list, 'button', 'Call back Pat Doe');
    expect(isDisabled(callBack)).to.equal(false);
    callBack.click();
    await until(() => s.session.snapshot.calls[0]?.direction === 'outbound', 'dialling');
    expect(s.session.snapshot.calls[0]!.remote.number).to.equal(PAT.number);
    await settled();
    // No dialling while on a call: the capability decides, as for the dial box.
    expect(isDisabled(byRole(list, 'button', 'Call back Pat Doe'))).to.equal(true);
  });

  it(`keeps the last ${RECENT_CALLS_MAX} calls while counting every missed one, and stores nothing`, async () => {
    s = await simulatedSession();
    await loginReady(s.session);
    const list = await fixture<HTMLElement>(html`<recent-calls .session=${s.session}></recent-calls>`);
    for (let i = 0; i < RECENT_CALLS_MAX + 3; i++) await missedCall(s, { number: `+4420794600${String(10 + i)}` });
    await settled();
    byRole(list, 'button', `Recent calls (${RECENT_CALLS_MAX}), ${RECENT_CALLS_MAX + 3} missed`).click();
    await settled();
    expect(list.shadowRoot!.querySelectorAll('li')).to.have.length(RECENT_CALLS_MAX);
    // In memory only: nothing about the callers reaches the page's storage.
    const stored = JSON.stringify({ ...localStorage, ...sessionStorage });
    expect(stored).not.to.contain('4420794600');
  });

  it('inside <agent-bar>: appears after the first ended call, starts afresh with a new session', async () => {
    const bar = await fixture<AgentBar>(html`<agent-bar agent-id="1001" .config=${{ latencyMs: 0 }}></agent-bar>`);
    await until(() => bar.session?.snapshot.connection === 'connected', 'connected');
    await loginReady(bar.session!);
    await until(() => !!customElements.get('recent-calls'), 'recent-calls registered');
    const first = bar.session!;
    bar.simulator!.offerCall(PAT);
    await until(() => first.snapshot.calls[0]?.state === 'ringing', 'ringing');
    bar.simulator!.customerHangup();
    await until(() => allByRole(bar, 'button', 'Recent calls (1), 1 missed').length === 1, 'listed in the bar');
    bar.agentId = '1002';
    await until(() => bar.session !== first && bar.session?.snapshot.connection === 'connected', 'new session');
    await settled();
    expect(allByRole(bar, 'button').some((b) => b.textContent!.includes('Recent calls'))).to.equal(false);
  });
});

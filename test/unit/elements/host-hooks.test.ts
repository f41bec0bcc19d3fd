import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import type { HostHooks, CallRecord, ContactMatch } from '../../../src/embed/hooks.ts';
import type { Call } from '../../../src/core/model.ts';
import { allByRole, deepAll, isDisabled, settled, until } from './fixtures.ts';

let agents = 0;

async function readyBar(hooks: HostHooks, timeoutMs = 5000): Promise<AgentBar> {
  // One agent per bar: two bars of one agent in a page share the simulator's saved state.
  const bar = await fixture<AgentBar>(
    html`<agent-bar agent-id=${`h${++agents}`} hook-timeout=${timeoutMs} .config=${{ latencyMs: 0, connectDelayMs: 0 }} .hooks=${hooks}></agent-bar>`,
  );
  await until(() => bar.session?.snapshot.connection === 'connected', 'connected');
  await bar.session!.command('login');
  await bar.session!.command('ready');
  await until(() => bar.session!.snapshot.agent.state === 'ready', 'ready');
  return bar;
}

const contactText = (bar: AgentBar) => deepAll(bar, 'section[aria-label="Contact"]').map((s) => s.textContent!.replace(/\s+/g, ' ').trim()).join(' ');

describe('host service hooks on the script-tag bar', () => {
  it('several matches: the agent picks one, it pops; after wrap-up the call is logged', async () => {
    const pops: [Call, ContactMatch | undefined][] = [];
    const logs: CallRecord[] = [];
    const searched: string[] = [];
    const bar = await readyBar({
      searchContacts: async (number) => {
        searched.push(number);
        return [
          { id: 'c1', name: 'Ada Lovelace', detail: 'Analytical Engines Ltd' },
          { id: 'c2', name: 'Ada Byron' },
        ];
      },
      screenPop: (call, match) => void pops.push([call, match]),
      logCall: (record) => void logs.push(record),
    });
    bar.simulator!.offerCall({ number: '+442079460555', name: 'Ada' });
    await until(() => deepAll(bar, 'input[type="radio"][name="contact"]').length === 2, 'two matches');
    expect(searched).to.deep.equal(['+442079460555']);
    expect(pops, 'no pop before the agent picks').to.have.length(0);
    // The call is not blocked: Answer works while the choice is open.
    await until(() => allByRole(bar, 'button', 'Answer').some((b) => !isDisabled(b)), 'Answer shown and enabled');
    await bar.session!.command('answer');
    const second = deepAll(bar, 'input[type="radio"][name="contact"]')[1] as HTMLInputElement;
    second.click();
    await until(() => pops.length === 1, 'popped');
    expect(pops[0]![0].remote.number).to.equal('+442079460555');
    expect(pops[0]![1]).to.deep.equal({ id: 'c2', name: 'Ada Byron' });
    await settled();
    expect(contactText(bar)).to.contain('Contact: Ada Byron');

    await bar.session!.command('startRecording');
    await until(() => bar.session!.snapshot.calls[0]!.recording, 'recording');
    await bar.session!.command('hangup');
    await until(() => bar.session!.snapshot.calls[0]?.state === 'wrapup', 'wrap-up');
    const code = bar.session!.snapshot.dispositions[0]!.code;
    await bar.session!.command('wrapUp', { code, notes: 'Wants a callback' });
    await until(() => logs.length === 1, 'logged');
    const record = logs[0]!;
    expect(record).to.include({ direction: 'inbound', number: '+442079460555', name: 'Ada', recorded: true });
    expect(record.disposition?.code).to.equal(code);
    expect(record.disposition?.label).to.be.a('string');
    expect(record.notes).to.deep.equal(['Wants a callback']);
    expect(record.contact).to.deep.equal({ id: 'c2', name: 'Ada Byron' });
    expect(record.durationSec).to.be.at.least(0);
    expect(record.talkSec).to.be.at.most(record.durationSec);
    await settled();
    expect(contactText(bar), 'nothing left once the call is gone').to.equal('');
  });

  it('a search slower than the timeout is reported and never blocks the call', async () => {
    // Long enough that the "searching" state is seen on a loaded machine, where frames are slow.
    const bar = await readyBar({ searchContacts: () => new Promise(() => {}) }, 1500);
    bar.simulator!.offerCall({ number: '+442079460556' });
    await until(() => contactText(bar).includes('Searching contacts'), 'searching');
    await until(() => allByRole(bar, 'button', 'Answer').some((b) => !isDisabled(b)), 'Answer shown and enabled while searching');
    await until(() => contactText(bar).includes('Contact search failed'), 'timed out');
    expect(contactText(bar)).to.contain('took longer than 1500 ms');
    await bar.session!.command('answer');
    await until(() => bar.session!.snapshot.calls[0]?.state === 'talking', 'talking');
  });

  it('one match pops at once; what the CRM returned is text, and only an http(s) URL becomes a link', async () => {
    const pops: (ContactMatch | undefined)[] = [];
    const bar = await readyBar({
      searchContacts: () => [{ id: 'x', name: '<img src=x onerror=alert(1)>', url: 'javascript:alert(1)' }],
      screenPop: (_call, match) => void pops.push(match),
    });
    bar.simulator!.offerCall({ number: '+442079460557' });
    await until(() => pops.length === 1, 'popped');
    expect(pops[0]).to.deep.equal({ id: 'x', name: '<img src=x onerror=alert(1)>' });
    await settled();
    expect(deepAll(bar, 'section[aria-label="Contact"] img')).to.have.length(0);
    expect(deepAll(bar, 'section[aria-label="Contact"] a')).to.have.length(0);
    expect(contactText(bar)).to.contain('<img src=x onerror=alert(1)>');
  });

  it('a hook that throws is only reported; with no hooks nothing is shown', async () => {
    const bar = await readyBar({ searchContacts: () => { throw new Error('CRM down'); } });
    bar.simulator!.offerCall({ number: '+442079460558' });
    await until(() => contactText(bar).includes('CRM down'), 'failure shown');
    const plain = await readyBar({});
    plain.simulator!.offerCall({ number: '+442079460559' });
    await until(() => plain.session!.snapshot.calls.length === 1, 'offered');
    await settled();
    expect(deepAll(plain, 'section[aria-label="Contact"]')).to.have.length(0);
  });
  it('hooks set while a call is already ringing still look it up (the runner loads after the offer)', async () => {
    const searched: string[] = [];
    const bar = await readyBar({});
    bar.simulator!.offerCall({ number: '+442079460557', name: 'Grace' });
    await until(() => bar.session!.snapshot.calls[0]?.state === 'ringing', 'ringing');
    bar.hooks = {
      searchContacts: async (number) => {
        searched.push(number);
        return [
          { id: 'g1', name: 'Grace Hopper' },
          { id: 'g2', name: 'Grace Murray' },
        ];
      },
    };
    await until(() => deepAll(bar, 'input[type="radio"][name="contact"]').length === 2, 'two matches');
    expect(searched).to.deep.equal(['+442079460557']);
  });
});

/**
 * `bar.downloadLog()` on the script-tag bar (the simulator): the text a support ticket gets has
 * the call's states and commands, and not the caller's number, name or fields.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { until } from './fixtures.ts';

describe('<agent-bar> downloadLog()', () => {
  it('gives the redacted log of the session', async () => {
    const bar = await fixture<AgentBar>(html`<agent-bar agent-id="log1" .config=${{ latencyMs: 0, connectDelayMs: 0, persist: false }}></agent-bar>`);
    await until(() => bar.session?.snapshot.connection === 'connected', 'connected');
    await bar.session!.command('login');
    await bar.session!.command('ready');
    bar.simulator!.offerCall({ number: '+442079460777', name: 'Grace Hopper', fields: { account: 'ACC-55501234' } });
    await until(() => bar.session!.snapshot.calls[0]?.state === 'ringing', 'ringing');
    await bar.session!.command('answer');
    await until(() => bar.session!.snapshot.calls[0]?.state === 'talking', 'talking');

    const text = await bar.downloadLog({ save: false });
    const log = JSON.parse(text);
    expect(log).to.include({ agentId: 'log1', connector: 'simulator' });
    const states = log.events.filter((e: { kind: string }) => e.kind === 'call').map((e: { state: string }) => e.state);
    expect(states).to.include.members(['ringing', 'talking']);
    expect(log.events.some((e: { kind: string; operation?: string }) => e.kind === 'command' && e.operation === 'answer')).to.equal(true);
    for (const value of ['+442079460777', '2079460777', 'Grace', 'Hopper', 'ACC-55501234']) expect(text, value).to.not.contain(value);
    bar.remove();
  });

  it('refuses when the bar has no session (no agent id)', async () => {
    const bar = await fixture<AgentBar>(html`<agent-bar></agent-bar>`);
    let error: Error | undefined;
    await bar.downloadLog({ save: false }).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/no session/);
  });
});

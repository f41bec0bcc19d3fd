/**
 * Busy is a state only some backends have (Noetica's busy flag): the status menu shows a Busy
 * button for a connector that supports it, and none at all (not a greyed one) for the others.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { registerConnector } from '../../../src/connectors/registry.ts';
import { defineConnector } from '../../../src/connectors/kit/define-connector.ts';
import { OPERATIONS } from '../../../src/core/operations.ts';
import { FakeConnector } from '../core/fixtures.ts';
import { allByRole, byRole, settled, until } from './fixtures.ts';

registerConnector(
  defineConnector({
    name: 'no-busy-test',
    title: 'test',
    configSchema: {},
    loginFields: [],
    supports: OPERATIONS.filter((op) => op !== 'busy' && op !== 'free'),
    load: async () => () => new FakeConnector(OPERATIONS.filter((op) => op !== 'busy' && op !== 'free')),
  }),
);

async function bar(connector: string): Promise<AgentBar> {
  const el = await fixture<AgentBar>(html`<agent-bar connector=${connector} agent-id="2101" .config=${connector === 'simulator' ? { latencyMs: 0 } : undefined}></agent-bar>`);
  await until(() => el.session?.snapshot.connection === 'connected', 'connected');
  await settled();
  return el;
}

describe('status menu: Busy only where the backend has it', () => {
  it('a backend with busy: the button follows the capability and sets the agent busy; Ready frees', async () => {
    const el = await bar('simulator');
    expect(allByRole(el, 'button', 'Busy')).to.have.length(1);
    expect((byRole<HTMLButtonElement>(el, 'button', 'Busy')).disabled, 'logged out: not yet').to.equal(true);
    await el.session!.command('login');
    await until(() => !byRole<HTMLButtonElement>(el, 'button', 'Busy').disabled, 'Busy enabled');
    byRole(el, 'button', 'Busy').click();
    await until(() => el.session!.snapshot.agent.state === 'busy', 'busy');
    await until(() => byRole<HTMLButtonElement>(el, 'button', 'Busy').disabled, 'Busy disabled while busy');
  });

  it('a backend without busy shows no Busy button at all', async () => {
    const el = await bar('no-busy-test');
    expect(allByRole(el, 'button', 'Busy')).to.have.length(0);
    expect(allByRole(el, 'button', 'Ready')).to.have.length(1);
  });
});

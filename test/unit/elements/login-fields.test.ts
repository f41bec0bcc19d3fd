/**
 * The login form comes from the connector's declaration: one labelled box per field (password
 * boxes for secrets), required ones checked before anything is sent, the secret cleared once
 * sent and never in an event; none at all for a backend without login fields.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { registerConnector } from '../../../src/connectors/registry.ts';
import { defineConnector } from '../../../src/connectors/kit/define-connector.ts';
import { OPERATIONS } from '../../../src/core/operations.ts';
import { FakeConnector } from '../core/fixtures.ts';
import { allByRole, byRole, deepAll, settled, type, until } from './fixtures.ts';

let backend: FakeConnector | undefined;
registerConnector(
  defineConnector({
    name: 'login-test',
    title: 'test',
    configSchema: {},
    loginFields: [
      { name: 'extension', label: 'Extension', required: true },
      { name: 'zone', label: 'Zone' },
      { name: 'password', label: 'Password', secret: true, required: true },
    ],
    supports: OPERATIONS,
    load: async () => () => (backend = new FakeConnector()),
  }),
);

registerConnector(
  defineConnector({
    name: 'login-choice-test',
    title: 'test',
    configSchema: {},
    loginFields: [
      { name: 'extension', label: 'Extension', required: true },
      { name: 'timeZone', label: 'Time zone', options: [{ value: '', label: 'UTC (default)' }, { value: 'Europe/Paris', label: '(UTC+01:00) Paris' }] },
    ],
    supports: OPERATIONS,
    load: async () => () => (backend = new FakeConnector()),
  }),
);

async function bar(connector: string): Promise<AgentBar> {
  const el = await fixture<AgentBar>(html`<agent-bar connector=${connector} agent-id="2001" .config=${connector === 'simulator' ? { latencyMs: 0 } : undefined}></agent-bar>`);
  await until(() => el.session?.snapshot.connection === 'connected', 'connected');
  await settled();
  return el;
}

describe('login fields from the connector declaration', () => {
  it('asks for exactly the declared fields, checks required ones, sends them and forgets the secret', async () => {
    const el = await bar('login-test');
    const events: unknown[] = [];
    const record = (e: Event) => events.push((e as CustomEvent).detail);
    for (const name of ['cti-operation-failed', 'cti-agent-state-changed']) document.addEventListener(name, record);
    try {
      const extension = byRole<HTMLInputElement>(el, 'textbox', 'Extension *');
      const zone = byRole<HTMLInputElement>(el, 'textbox', 'Zone');
      const password = deepAll(el, 'input[type="password"]')[0] as HTMLInputElement;
      expect(password.name).to.equal('password');
      expect(password.closest('label')!.textContent).to.contain('Password');

      // Required fields missing: a readable alert, nothing sent. (The direct call settles once
      // the lazily loaded phone module is here, whatever the machine's load; the click's command
      // waits for the same thing.)
      byRole(el, 'button', 'Log in').click();
      const refused = await el.session!.command('login', {}).catch((e: Error) => e);
      expect((refused as Error).message).to.equal('Extension is required.');
      await until(() => !!el.session!.snapshot.lastError, 'alert');
      await settled();
      expect(byRole(el, 'alert').textContent).to.contain('Extension is required.');
      expect(backend!.sent).to.deep.equal([]);

      type(extension, ' 4001 ');
      type(zone, 'North');
      type(password, 's3cret-pw');
      byRole(el, 'button', 'Log in').click();
      await until(() => backend!.sent.length === 1, 'sent');
      expect(backend!.sent[0]!.args).to.deep.equal({ agentId: '2001', extension: '4001', zone: 'North', password: 's3cret-pw' });
      expect(password.value, 'the secret does not stay in the page').to.equal('');
      backend!.resolve(backend!.sent[0]!.id);
      backend!.emit({ type: 'agentState', state: 'notReady' });
      await until(() => el.session!.snapshot.agent.state === 'notReady', 'logged in');
      await settled();
      expect(deepAll(el, '.login input'), 'no login form once logged in').to.have.length(0);
      expect(JSON.stringify(events)).to.not.contain('s3cret-pw');
      expect(JSON.stringify(el.session!.snapshot)).to.not.contain('s3cret-pw');
    } finally {
      for (const name of ['cti-operation-failed', 'cti-agent-state-changed']) document.removeEventListener(name, record);
    }
  });

  it('a field with choices is a list: the first preselected (sent as nothing when its value is empty), the one chosen sent', async () => {
    const el = await bar('login-choice-test');
    const zone = byRole<HTMLSelectElement>(el, 'combobox', 'Time zone');
    expect([...zone.options].map((o) => [o.value, o.textContent])).to.deep.equal([['', 'UTC (default)'], ['Europe/Paris', '(UTC+01:00) Paris']]);
    expect(zone.value).to.equal('');
    type(byRole<HTMLInputElement>(el, 'textbox', 'Extension *'), '4001');
    byRole(el, 'button', 'Log in').click();
    await until(() => backend!.sent.length === 1, 'sent');
    expect(backend!.sent[0]!.args).to.deep.equal({ agentId: '2001', extension: '4001' });
    backend!.reject(backend!.sent[0]!.id, new Error('no'));
    await settled();
    zone.value = 'Europe/Paris';
    zone.dispatchEvent(new Event('change', { bubbles: true }));
    byRole(el, 'button', 'Log in').click();
    await until(() => backend!.sent.length === 2, 'sent again');
    expect(backend!.sent[1]!.args).to.deep.equal({ agentId: '2001', extension: '4001', timeZone: 'Europe/Paris' });
  });

  it('shows no login form for the simulator (it needs only the agent id)', async () => {
    const el = await bar('simulator');
    expect(deepAll(el, '.login')).to.have.length(0);
    expect(allByRole(el, 'textbox').map((t) => t.getAttribute('aria-label') ?? '')).to.not.include('Extension');
    byRole(el, 'button', 'Log in').click();
    await until(() => el.session!.snapshot.agent.state === 'notReady', 'logged in');
  });
});

/**
 * Audit finding 15 through the whole bar: a backend sending a call without timestamps, a call
 * whose fields are not a list, an event type from a newer server, and an agent state this build
 * does not know. Nothing throws in the page, the bad calls never reach the snapshot or the DOM,
 * and the unknown state is shown as such.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { registerConnector } from '../../../src/connectors/registry.ts';
import { FakeConnector, makeCall } from '../core/fixtures.ts';
import { deepAll, settled, until } from './fixtures.ts';

let backend: FakeConnector | undefined;
registerConnector('malformed-test', () => (backend = new FakeConnector()));

describe('agent-bar with a backend that sends malformed data', () => {
  it('drops and counts what does not fit, shows an unknown agent state, never throws', async () => {
    const uncaught: string[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(e.message);
    window.addEventListener('error', onError);
    try {
      const bar = await fixture<AgentBar>(html`<agent-bar connector="malformed-test" agent-id="m1"></agent-bar>`);
      await until(() => bar.session?.snapshot.connection === 'connected', 'connected');
      const fake = backend!;
      fake.emit({ type: 'agentState', state: 'ready' });
      const { timestamps: _t, ...noTimestamps } = makeCall('talking', { id: 'no-ts', remote: { number: '+441632960001', name: 'Broken One' } });
      fake.emit({ type: 'call', call: noTimestamps } as never);
      fake.emit({ type: 'call', call: { ...makeCall('talking', { id: 'bad-fields', remote: { number: '+441632960002', name: 'Broken Two' } }), fields: 'x' } } as never);
      fake.emit({ type: 'hologram', beam: true } as never);
      fake.emit({ type: 'agentState', state: 'onBreak' } as never);
      await settled();
      await until(() => bar.session!.snapshot.agent.state === 'unknown', 'unknown state');
      await settled();

      expect(bar.session!.snapshot.calls).to.deep.equal([]);
      expect(bar.session!.droppedEvents).to.equal(3);
      const header = deepAll(bar, 'header')[0]!;
      expect(header.textContent).to.contain('Unknown state (onBreak)');
      expect(bar.shadowRoot!.textContent + deepAll(bar, '*').map((e) => e.shadowRoot?.textContent ?? '').join('')).to.not.contain('Broken');
      expect(uncaught).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
    }
  });
});

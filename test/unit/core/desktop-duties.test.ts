import { expect } from '@open-wc/testing';
import { Session } from '../../../src/core/session.ts';
import { FakeConnector, makeCall } from './fixtures.ts';

/** Waits for timers with a bounded number of turns. */
async function waitFor(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
}

async function setup(clock: { t: number }) {
  const connector = new FakeConnector();
  const session = new Session(connector, { agentId: '1001', now: () => clock.t });
  await session.connect();
  connector.emit({ type: 'agentState', state: 'ready', seq: 1 });
  return { connector, session };
}

describe('desktop duties', () => {
  it('auto-dials a timed preview once its deadline has passed', async () => {
    const clock = { t: 10_000 };
    const { connector, session } = await setup(clock);
    connector.emit({ type: 'call', call: makeCall('preview', { preview: { timeoutSec: 30, deadline: 40_000, numbers: ['+441632960001'], isCallback: false } }), seq: 2 });
    await new Promise((r) => setTimeout(r, 20));
    expect(connector.sent.length, 'nothing before the deadline').to.equal(0);
    session.destroy();

    const clock2 = { t: 50_000 };
    const late = await setup(clock2);
    late.connector.emit({ type: 'call', call: makeCall('preview', { preview: { timeoutSec: 30, deadline: 40_000, numbers: [], isCallback: false } }), seq: 2 });
    await waitFor(() => late.connector.sent.length > 0);
    expect(late.connector.sent.map((c) => [c.operation, c.args])).to.deep.equal([['previewDial', { callId: 'call-1' }]]);
    late.session.destroy();
  });

  it('dials a callback with timeout 0 at once, and an untimed preview never', async () => {
    const clock = { t: 1 };
    const { connector, session } = await setup(clock);
    connector.emit({ type: 'call', call: makeCall('preview', { preview: { timeoutSec: 0, numbers: [], isCallback: false } }), seq: 2 });
    await new Promise((r) => setTimeout(r, 20));
    expect(connector.sent.length).to.equal(0);
    connector.emit({ type: 'callRemoved', callId: 'call-1', seq: 3 });
    connector.emit({ type: 'call', call: makeCall('callback', { id: 'cb-1', preview: { timeoutSec: 0, numbers: [], isCallback: true } }), seq: 4 });
    await waitFor(() => connector.sent.length > 0);
    expect(connector.sent.map((c) => c.operation)).to.deep.equal(['previewDial']);
    session.destroy();
  });

  it('auto-wraps up with the default code when the wrap-up deadline passes, once', async () => {
    const clock = { t: 100_000 };
    const { connector, session } = await setup(clock);
    const wrap = makeCall('wrapup', { wrapup: { maxTimeSec: 60, extendable: true, defaultCode: 'NO_OUTCOME', deadline: 90_000 } });
    connector.emit({ type: 'call', call: wrap, seq: 2 });
    await waitFor(() => connector.sent.length > 0);
    expect(connector.sent.map((c) => [c.operation, c.args])).to.deep.equal([['wrapUp', { callId: 'call-1', code: 'NO_OUTCOME' }]]);
    // A later unrelated change to the same call does not send it again.
    connector.emit({ type: 'call', call: { ...wrap, notes: ['x'] }, seq: 3 });
    await new Promise((r) => setTimeout(r, 20));
    expect(connector.sent.length).to.equal(1);
    session.destroy();
  });

  it('wraps up at once for an answering machine with no wrap-up time', async () => {
    const clock = { t: 5 };
    const { connector, session } = await setup(clock);
    connector.emit({ type: 'call', call: makeCall('wrapup', { wrapup: { maxTimeSec: 0, extendable: false, defaultCode: 'Answer_Machine' } }), seq: 2 });
    await waitFor(() => connector.sent.length > 0);
    expect(connector.sent[0]!.args).to.deep.include({ code: 'Answer_Machine' });
    session.destroy();
  });

  it('does nothing when the wrap-up has no deadline', async () => {
    const clock = { t: 5 };
    const { connector, session } = await setup(clock);
    connector.emit({ type: 'call', call: makeCall('wrapup', { wrapup: { maxTimeSec: 0, extendable: false, defaultCode: 'NO_OUTCOME' } }), seq: 2 });
    await new Promise((r) => setTimeout(r, 20));
    expect(connector.sent.length).to.equal(0);
    session.destroy();
  });
});

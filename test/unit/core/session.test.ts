import { expect } from '@open-wc/testing';
import { Session } from '../../../src/core/session.ts';
import { CtiError } from '../../../src/core/errors.ts';
import { pomError } from '../../../src/connectors/pom/error-codes.ts';
import type { HostEvent } from '../../../src/core/host-events.ts';
import type { Snapshot } from '../../../src/core/model.ts';
import { CAPABILITY_FLAGS, type CapabilityFlags } from '../../../src/core/capability-flags.ts';
import { FakeConnector, flush, makeCall } from './fixtures.ts';

async function setup(options: Partial<ConstructorParameters<typeof Session>[1]> = {}) {
  const connector = new FakeConnector();
  const session = new Session(connector, { agentId: '1001', desktopDuties: false, ...options });
  const hostEvents: HostEvent[] = [];
  session.onHostEvent((e) => hostEvents.push(e));
  await session.connect();
  connector.emit({ type: 'agentState', state: 'ready', seq: 1 });
  connector.emit({ type: 'lists', reasons: [{ code: 'LUNCH', label: 'Lunch' }], seq: 2 });
  return { connector, session, hostEvents };
}

async function rejection(p: Promise<unknown>): Promise<CtiError> {
  try {
    await p;
  } catch (e) {
    return e as CtiError;
  }
  throw new Error('expected a rejection');
}

describe('Session', () => {
  it('gives subscribers immutable snapshots, synchronously, with the previous one', async () => {
    const { connector, session } = await setup();
    const seen: [Snapshot, Snapshot][] = [];
    session.subscribe((s, p) => seen.push([s, p]));
    connector.emit({ type: 'call', call: makeCall('ringing'), seq: 3 });
    expect(seen.length).to.equal(1);
    expect(seen[0]![0].calls[0]!.state).to.equal('ringing');
    expect(seen[0]![1].calls.length).to.equal(0);
    expect(Object.isFrozen(session.snapshot)).to.equal(true);
    expect(() => (session.snapshot.calls as unknown as unknown[]).push(1)).to.throw();
  });

  it('numbers commands c1, c2 … and defaults callId to the current call', async () => {
    const { connector, session } = await setup();
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const a = session.command('hold');
    connector.resolve('c1');
    await a;
    const b = session.command('sendDtmf', { digit: '5' });
    connector.resolve('c2');
    await b;
    expect(connector.sent.map((c) => [c.id, c.operation, c.args])).to.deep.equal([
      ['c1', 'hold', { callId: 'call-1' }],
      ['c2', 'sendDtmf', { digit: '5', callId: 'call-1' }],
    ]);
  });

  it('disables a command in flight; a double click sends nothing', async () => {
    const { connector, session } = await setup({ settleMs: 0 });
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const first = session.command('hold');
    expect(session.snapshot.pending).to.deep.equal(['hold']);
    expect(session.snapshot.capabilities.hold).to.equal(false);
    const second = await rejection(session.command('hold'));
    expect(second.code).to.equal('IN_FLIGHT');
    expect(connector.sent.length).to.equal(1);
    connector.resolve('c1');
    await first;
    expect(session.snapshot.pending).to.deep.equal([]);
    expect(session.snapshot.capabilities.hold).to.equal(true);
  });

  it('times out a command with no answer (TIMEOUT), re-enabling the control', async () => {
    const { connector, session, hostEvents } = await setup({ commandTimeoutMs: 20 });
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const error = await rejection(session.command('hold'));
    expect(error.code).to.equal('TIMEOUT');
    expect(error.commandId).to.equal('c1');
    expect(session.snapshot.pending).to.deep.equal([]);
    expect(session.snapshot.lastError?.code).to.equal('TIMEOUT');
    expect(hostEvents.some((e) => e.type === 'operation-failed' && e.detail.error.code === 'TIMEOUT')).to.equal(true);
  });

  it('keeps the vendor code of a refused command and changes nothing else', async () => {
    const { connector, session, hostEvents } = await setup();
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const before = session.snapshot;
    const p = session.command('hold');
    connector.reject('c1', pomError(101, 'hold'));
    const error = await rejection(p);
    expect(error.code).to.equal('REJECTED');
    expect(error.vendorCode).to.equal(101);
    const after = session.snapshot;
    expect(after.lastError).to.include({ code: 'REJECTED', vendorCode: 101, operation: 'hold', commandId: 'c1', message: 'Unable to hold.' });
    expect(after.calls).to.equal(before.calls);
    expect(after.agent).to.equal(before.agent);
    expect(after.capabilities).to.deep.equal(before.capabilities);
    const failed = hostEvents.filter((e) => e.type === 'operation-failed');
    expect(failed.length).to.equal(1);
    expect(failed[0]!.detail).to.deep.include({ operation: 'hold' });
  });

  it('clears lastError on the next success, and on dismissError()', async () => {
    const { connector, session } = await setup();
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const p = session.command('hold');
    connector.reject('c1', pomError(101, 'hold'));
    await rejection(p);
    expect(session.snapshot.lastError).to.exist;
    const q = session.command('hold');
    connector.resolve('c2');
    await q;
    expect(session.snapshot.lastError).to.equal(undefined);
    await rejection(session.command('dial', { number: 'abc' }));
    expect(session.snapshot.lastError).to.exist;
    session.dismissError();
    expect(session.snapshot.lastError).to.equal(undefined);
  });

  it('refuses an invalid number before sending, with a readable message', async () => {
    const { connector, session } = await setup();
    for (const number of ['12', '+44 20 79', 'call me', '']) {
      const e = await rejection(session.command('dial', { number }));
      expect(e.code, number).to.equal('INVALID_ARGUMENT');
      expect(session.snapshot.lastError?.message, number).to.match(/phone number/);
    }
    expect(connector.sent.length).to.equal(0);
    expect(session.snapshot.calls.length).to.equal(0);
  });

  it('sends valid numbers normalised: E.164, national for the default country, extensions', async () => {
    const { connector, session } = await setup({ settleMs: 0 });
    for (const [input, sent] of [
      ['+44 20 7946 0958', '+442079460958'],
      ['020 7946 0958', '+442079460958'],
      ['0044 20 7946 0958', '+442079460958'],
      ['1002', '1002'],
    ]) {
      const p = session.command('dial', { number: input! });
      connector.resolve(connector.sent.at(-1)!.id);
      await p;
      expect(connector.sent.at(-1)!.args).to.deep.equal({ number: sent });
    }
  });

  it('uses defaultCountry for national numbers', async () => {
    const { connector, session } = await setup({ defaultCountry: 'US' });
    const p = session.command('dial', { number: '(201) 555-0123' });
    connector.resolve('c1');
    await p;
    expect(connector.sent[0]!.args).to.deep.equal({ number: '+12015550123' });
  });

  it('refuses an unknown not-ready reason and a bad DTMF digit before sending', async () => {
    const { connector, session } = await setup();
    const e = await rejection(session.command('notReady', { reasonCode: 'NAP' }));
    expect(e.code).to.equal('INVALID_ARGUMENT');
    expect(e.message).to.contain('NAP');
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    for (const digit of ['12', 'a', '', '**']) {
      expect((await rejection(session.command('sendDtmf', { digit }))).code, digit).to.equal('INVALID_ARGUMENT');
    }
    expect(connector.sent.length).to.equal(0);
  });

  it('refuses an operation whose capability is false (NOT_ALLOWED) or unsupported', async () => {
    const { connector, session } = await setup();
    const e = await rejection(session.command('hold'));
    expect(e.code).to.equal('NOT_ALLOWED');
    expect(session.snapshot.lastError?.message).to.equal('Hold is not available right now.');
    const other = new FakeConnector(['login']);
    const s2 = new Session(other, { agentId: '1', desktopDuties: false });
    await s2.connect();
    expect((await rejection(s2.command('dial', { number: '1002' }))).code).to.equal('UNSUPPORTED');
    expect(connector.sent.length + other.sent.length).to.equal(0);
  });

  it('refuses every command while not connected (NOT_CONNECTED) and sends nothing', async () => {
    const { connector, session } = await setup();
    connector.emit({ type: 'connection', status: 'reconnecting' });
    const e = await rejection(session.command('logout'));
    expect(e.code).to.equal('NOT_CONNECTED');
    expect(session.snapshot.lastError?.message).to.equal('Log out was not sent: the bar is reconnecting to the contact centre.');
    expect(connector.sent.length).to.equal(0);
  });

  it('derives host events in order from snapshot changes', async () => {
    const { connector, hostEvents } = await setup();
    hostEvents.length = 0;
    const pop = { key: 'crm', label: 'CRM', value: 'https://crm.example/c/1', type: 'screenPop' as const };
    const bad = { key: 'x', label: 'X', value: 'javascript:alert(1)', type: 'screenPop' as const };
    connector.emit({ type: 'call', call: makeCall('ringing', { fields: [bad, pop] }), seq: 3 });
    connector.emit({ type: 'call', call: makeCall('talking', { fields: [bad, pop], timestamps: { offeredAt: 1, connectedAt: 2 } }), seq: 4 });
    connector.emit({ type: 'call', call: makeCall('held', { fields: [bad, pop], timestamps: { offeredAt: 1, connectedAt: 2 } }), seq: 5 });
    connector.emit({ type: 'call', call: makeCall('talking', { fields: [bad, pop], timestamps: { offeredAt: 1, connectedAt: 2 } }), seq: 6 });
    connector.emit({ type: 'call', call: makeCall('wrapup', { fields: [bad, pop], timestamps: { offeredAt: 1, connectedAt: 2 } }), seq: 7 });
    connector.emit({ type: 'callRemoved', callId: 'call-1', dispositionCode: 'SALE', seq: 8 });
    connector.emit({ type: 'agentState', state: 'notReady', reason: { code: 'LUNCH', label: 'Lunch' }, seq: 9 });
    const types = hostEvents.map((e) => e.type).filter((t) => t !== 'capabilities-changed');
    expect(types).to.deep.equal([
      'call-offered',
      'screen-pop',
      'call-connected',
      'call-held',
      'call-retrieved',
      'call-disconnected',
      'wrapup-completed',
      'agent-state-changed',
    ]);
    const popEvent = hostEvents.find((e) => e.type === 'screen-pop');
    expect(popEvent?.detail).to.deep.include({ callId: 'call-1', url: 'https://crm.example/c/1' });
    expect(hostEvents.find((e) => e.type === 'wrapup-completed')?.detail).to.deep.equal({ callId: 'call-1', dispositionCode: 'SALE' });
    expect(hostEvents.find((e) => e.type === 'agent-state-changed')?.detail).to.deep.equal({
      state: 'notReady',
      previous: 'ready',
      reason: { code: 'LUNCH', label: 'Lunch' },
    });
    expect(hostEvents.some((e) => e.type === 'capabilities-changed')).to.equal(true);
  });

  it('drops screen pops whose URL is not http(s)', async () => {
    const { connector, hostEvents } = await setup();
    connector.emit({ type: 'call', call: makeCall('ringing', { fields: [{ key: 'x', label: 'X', value: 'javascript:alert(1)', type: 'screenPop' }] }), seq: 3 });
    expect(hostEvents.some((e) => e.type === 'screen-pop')).to.equal(false);
    expect(hostEvents.some((e) => e.type === 'call-offered')).to.equal(true);
  });

  it('drops screen pops whose URL carries credentials (user:pass@) and pops the next safe one', async () => {
    const { connector, hostEvents } = await setup();
    const fields = [
      { key: 'a', label: 'A', value: 'https://user:pass@crm.example/c/1', type: 'screenPop' as const },
      { key: 'b', label: 'B', value: 'http://token@crm.example/c/1', type: 'screenPop' as const },
      { key: 'c', label: 'C', value: 'https://crm.example/c/2', type: 'screenPop' as const },
    ];
    connector.emit({ type: 'call', call: makeCall('ringing', { fields }), seq: 3 });
    const pops = hostEvents.filter((e) => e.type === 'screen-pop');
    expect(pops.map((e) => (e.detail as { url: string }).url)).to.deep.equal(['https://crm.example/c/2']);
    connector.emit({ type: 'call', call: makeCall('ringing', { id: 'call-2', fields: fields.slice(0, 2) }), seq: 4 });
    expect(hostEvents.filter((e) => e.type === 'screen-pop')).to.have.length(1);
  });

  it('keeps masked customer values out of the snapshot and every host event (only the mask)', async () => {
    const { connector, session, hostEvents } = await setup();
    const seen: Snapshot[] = [];
    session.subscribe((s) => seen.push(s));
    const fields = [
      { key: 'card', label: 'Card', value: '4111111111111111', type: 'maskedWrite' as const },
      { key: 'name', label: 'Name', value: 'Ada', type: 'readOnly' as const },
    ];
    const times = { offeredAt: 1, connectedAt: 2 };
    connector.emit({ type: 'call', call: makeCall('ringing', { fields }), seq: 3 });
    connector.emit({ type: 'call', call: makeCall('talking', { fields, timestamps: times }), seq: 4 });
    connector.emit({ type: 'calls', calls: [makeCall('held', { fields, timestamps: times })], seq: 5 });
    connector.emit({ type: 'call', call: makeCall('wrapup', { fields, timestamps: times }), seq: 6 });
    const everything = JSON.stringify([session.snapshot, seen, hostEvents]);
    expect(everything).to.not.contain('4111');
    expect(hostEvents.map((e) => e.type)).to.include.members(['call-offered', 'call-connected', 'call-held', 'call-disconnected']);
    expect(session.snapshot.calls[0]!.fields).to.deep.equal([
      { key: 'card', label: 'Card', value: '••••••', type: 'maskedWrite' },
      { key: 'name', label: 'Name', value: 'Ada', type: 'readOnly' },
    ]);
  });

  it('keeps an accepted command guarded until the backend state changes (answer before event: no duplicate)', async () => {
    const { connector, session, hostEvents } = await setup();
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const hold = session.command('hold');
    connector.resolve('c1');
    await hold;
    // Accepted, but the held state has not arrived yet (interval polling): still guarded.
    expect(session.snapshot.pending).to.deep.equal(['hold']);
    expect(session.snapshot.capabilities.hold).to.equal(false);
    const again = await rejection(session.command('hold'));
    expect(again.code).to.equal('IN_FLIGHT');
    expect(connector.sent.map((c) => c.operation)).to.deep.equal(['hold']);
    expect(session.snapshot.lastError).to.equal(undefined);
    expect(hostEvents.some((e) => e.type === 'operation-failed')).to.equal(false);
    connector.emit({ type: 'call', call: makeCall('held'), seq: 4 });
    expect(session.snapshot.pending).to.deep.equal([]);
    expect(session.snapshot.capabilities.retrieve).to.equal(true);
  });

  it('releases the guard at once when the state change came before the answer (WebSocket order)', async () => {
    const { connector, session } = await setup();
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const hold = session.command('hold');
    connector.emit({ type: 'call', call: makeCall('held'), seq: 4 });
    connector.resolve('c1');
    await hold;
    expect(session.snapshot.pending).to.deep.equal([]);
  });

  it('keeps the guard while the state still offers the operation (server flags one event behind the call)', async () => {
    const { connector, session } = await setup();
    const flags = (on: string[]) =>
      Object.fromEntries(CAPABILITY_FLAGS.map((f) => [f, on.includes(f)])) as unknown as CapabilityFlags;
    const held = { timestamps: { offeredAt: 1, connectedAt: 2, heldAt: 3 } };
    connector.emit({ type: 'call', call: makeCall('held', held), seq: 3 });
    connector.emit({ type: 'capabilities', flags: flags(['unhold', 'release']), seq: 4 });
    const retrieve = session.command('retrieve');
    connector.resolve('c1');
    await retrieve;
    // The call is talking again, but the server's flags for it have not arrived: Retrieve still looks offered.
    connector.emit({ type: 'call', call: makeCall('talking', { timestamps: { offeredAt: 1, connectedAt: 2 } }), seq: 5 });
    expect(session.snapshot.pending).to.deep.equal(['retrieve']);
    expect((await rejection(session.command('retrieve'))).code).to.equal('IN_FLIGHT');
    connector.emit({ type: 'capabilities', flags: flags(['hold', 'release', 'sendDtmf']), seq: 6 });
    expect(session.snapshot.pending).to.deep.equal([]);
    expect(session.snapshot.capabilities.retrieve).to.equal(false);
    expect(connector.sent.map((c) => c.operation)).to.deep.equal(['retrieve']);
  });

  it('releases the guard after settleMs when the backend reports no change; digits are never held back', async () => {
    const { connector, session } = await setup({ settleMs: 60 });
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const hold = session.command('hold');
    connector.resolve('c1');
    await hold;
    expect(session.snapshot.pending).to.deep.equal(['hold']);
    const dtmf = session.command('sendDtmf', { digit: '1' });
    connector.resolve('c2');
    await dtmf;
    expect(session.snapshot.pending).to.deep.equal(['hold']);
    await new Promise((r) => setTimeout(r, 120));
    expect(session.snapshot.pending).to.deep.equal([]);
    expect(session.snapshot.capabilities.hold).to.equal(true);
  });

  it('destroy rejects pending commands and disconnects', async () => {
    const { connector, session } = await setup();
    connector.emit({ type: 'call', call: makeCall('talking'), seq: 3 });
    const p = session.command('hold');
    session.destroy();
    expect((await rejection(p)).code).to.equal('DESTROYED');
    expect(connector.disconnected).to.equal(true);
    expect((await rejection(session.command('hold'))).code).to.equal('DESTROYED');
    await flush();
  });
});

describe('Session: malformed backend data (audit finding 15)', () => {
  it('drops and counts events that do not fit the protocol; nothing throws, nothing changes', async () => {
    const connector = new FakeConnector();
    const session = new Session(connector, { agentId: '1001', desktopDuties: false });
    await session.connect();
    connector.emit({ type: 'call', call: makeCall('talking', { id: 'good' }) });
    const before = session.snapshot;
    const { timestamps: _t, ...noTimestamps } = makeCall('talking', { id: 'bad1' });
    connector.emit({ type: 'call', call: noTimestamps } as never);
    connector.emit({ type: 'call', call: { ...makeCall('talking', { id: 'bad2' }), fields: 'x' } } as never);
    connector.emit({ type: 'fromTheFuture' } as never);
    expect(session.snapshot).to.equal(before);
    expect(session.snapshot.calls.map((c) => c.id)).to.deep.equal(['good']);
    expect(session.droppedEvents).to.equal(3);
    session.destroy();
  });

  it('an agent state it does not know is kept as "unknown" with the backend\'s name', async () => {
    const connector = new FakeConnector();
    const session = new Session(connector, { agentId: '1001', desktopDuties: false });
    await session.connect();
    connector.emit({ type: 'agentState', state: 'onBreak' } as never);
    expect(session.snapshot.agent.state).to.equal('unknown');
    expect(session.snapshot.agent.rawState).to.equal('onBreak');
    // The agent can still try to leave it; logging in again is not offered.
    expect(session.snapshot.capabilities.ready).to.equal(true);
    expect(session.snapshot.capabilities.login).to.equal(false);
    expect(session.droppedEvents).to.equal(0);
    session.destroy();
  });
});

import { expect } from '@open-wc/testing';
import { initialSnapshot, reduce } from '../../../src/core/reducer.ts';
import { CAPABILITY_MATRIX } from '../../../src/core/capability-matrix.ts';
import type { Snapshot } from '../../../src/core/model.ts';
import { makeCall } from './fixtures.ts';

function loggedIn(): Snapshot {
  const connected = reduce(initialSnapshot('1001'), { type: 'connection', status: 'connected' });
  return reduce(connected, { type: 'agentState', state: 'ready', seq: 1, at: 5 });
}

describe('reducer', () => {
  it('starts logged out and connecting, with every control disabled until connected', () => {
    const s = initialSnapshot('1001');
    expect(s.agent).to.deep.equal({ id: '1001', state: 'loggedOut', since: 0 });
    expect(s.connection).to.equal('connecting');
    expect(s.seq).to.equal(0);
    expect(Object.entries(s.capabilities).filter(([, v]) => v).map(([k]) => k)).to.deep.equal([]);
    const connected = reduce(s, { type: 'connection', status: 'connected' });
    expect(Object.entries(connected.capabilities).filter(([, v]) => v).map(([k]) => k)).to.deep.equal(['login']);
  });

  it('disables every control while reconnecting and restores them when connected again', () => {
    let s = reduce(loggedIn(), { type: 'call', call: makeCall('talking') });
    expect(s.capabilities.hold).to.equal(true);
    s = reduce(s, { type: 'connection', status: 'reconnecting' });
    expect(Object.values(s.capabilities).some(Boolean)).to.equal(false);
    s = reduce(s, { type: 'connection', status: 'connected' });
    expect(s.capabilities.hold).to.equal(true);
  });

  it('applies agent state with its reason and time', () => {
    const s = reduce(initialSnapshot('1001'), {
      type: 'agentState',
      state: 'notReady',
      reason: { code: 'LUNCH', label: 'Lunch' },
      seq: 1,
      at: 42,
    });
    expect(s.agent).to.deep.equal({ id: '1001', state: 'notReady', reason: { code: 'LUNCH', label: 'Lunch' }, since: 42 });
    expect(s.seq).to.equal(1);
  });

  it('keeps the reason when pending not ready becomes not ready', () => {
    let s = reduce(loggedIn(), { type: 'agentState', state: 'pendingNotReady', reason: { code: 'B', label: 'Break' }, seq: 2 });
    s = reduce(s, { type: 'agentState', state: 'notReady', seq: 3 });
    expect(s.agent.reason).to.deep.equal({ code: 'B', label: 'Break' });
    s = reduce(s, { type: 'agentState', state: 'ready', seq: 4 });
    expect(s.agent.reason).to.equal(undefined);
  });

  it('does not mutate its input', () => {
    const before = loggedIn();
    const copy = JSON.parse(JSON.stringify(before));
    reduce(before, { type: 'call', call: makeCall('talking'), seq: 2 });
    reduce(before, { type: 'lists', reasons: [{ code: 'X', label: 'X' }], seq: 3 });
    expect(JSON.parse(JSON.stringify(before))).to.deep.equal(copy);
  });

  it('ignores events with seq <= the last applied (dedupe)', () => {
    const s = reduce(loggedIn(), { type: 'call', call: makeCall('talking'), seq: 5 });
    const again = reduce(s, { type: 'callRemoved', callId: 'call-1', seq: 5 });
    const older = reduce(s, { type: 'agentState', state: 'notReady', seq: 3 });
    expect(again).to.equal(s);
    expect(older).to.equal(s);
    expect(s.calls.length).to.equal(1);
  });

  it('returns the same object when an event changes nothing', () => {
    const s = reduce(loggedIn(), { type: 'call', call: makeCall('talking') });
    expect(reduce(s, { type: 'call', call: makeCall('talking') })).to.equal(s);
    expect(reduce(s, { type: 'agentState', state: 'ready' })).to.equal(s);
    expect(reduce(s, { type: 'callRemoved', callId: 'nope' })).to.equal(s);
    expect(reduce(s, { type: 'connection', status: 'connected' })).to.equal(s);
  });

  it('upserts calls, removes them, and replaces the list on a resync', () => {
    let s = reduce(loggedIn(), { type: 'call', call: makeCall('ringing') });
    s = reduce(s, { type: 'call', call: makeCall('talking') });
    expect(s.calls.map((c) => c.state)).to.deep.equal(['talking']);
    s = reduce(s, { type: 'call', call: makeCall('ringing', { id: 'call-2' }) });
    expect(s.calls.map((c) => c.id)).to.deep.equal(['call-1', 'call-2']);
    s = reduce(s, { type: 'callRemoved', callId: 'call-1' });
    expect(s.calls.map((c) => c.id)).to.deep.equal(['call-2']);
    s = reduce(s, { type: 'calls', calls: [makeCall('held', { id: 'call-9' })] });
    expect(s.calls.map((c) => c.id)).to.deep.equal(['call-9']);
  });

  it('recomputes capabilities from derived flags after every change', () => {
    let s = reduce(loggedIn(), { type: 'call', call: makeCall('talking') });
    expect(s.flagsSource).to.equal('derived');
    expect(s.flags).to.deep.equal(CAPABILITY_MATRIX.talking);
    expect(s.capabilities.hold).to.equal(true);
    s = reduce(s, { type: 'call', call: makeCall('held') });
    expect(s.capabilities.hold).to.equal(false);
    expect(s.capabilities.retrieve).to.equal(true);
  });

  it('uses server-sent flags until told to derive again (null)', () => {
    let s = reduce(loggedIn(), { type: 'call', call: makeCall('talking') });
    s = reduce(s, { type: 'capabilities', flags: { ...CAPABILITY_MATRIX.talking, hold: false } });
    expect(s.flagsSource).to.equal('server');
    expect(s.capabilities.hold).to.equal(false);
    // A state change does not override server flags: the server sends new ones.
    s = reduce(s, { type: 'call', call: makeCall('held') });
    expect(s.capabilities.retrieve).to.equal(false);
    s = reduce(s, { type: 'capabilities', flags: null });
    expect(s.flagsSource).to.equal('derived');
    expect(s.capabilities.retrieve).to.equal(true);
  });

  it('replaces only the lists an event carries', () => {
    let s = reduce(loggedIn(), { type: 'lists', reasons: [{ code: 'L', label: 'Lunch' }], dispositions: [{ code: 'S', label: 'Sale' }] });
    s = reduce(s, { type: 'lists', destinations: [{ id: 'a', type: 'agent', label: 'A' }] });
    expect(s.reasons.map((r) => r.code)).to.deep.equal(['L']);
    expect(s.dispositions.map((d) => d.code)).to.deep.equal(['S']);
    expect(s.destinations.map((d) => d.id)).to.deep.equal(['a']);
    expect(s.callbackTargets).to.equal(undefined);
    s = reduce(s, { type: 'lists', callbackTargets: [{ id: 'Agent', label: 'Myself' }] });
    expect(s.callbackTargets).to.deep.equal([{ id: 'Agent', label: 'Myself' }]);
    expect(s.destinations.map((d) => d.id)).to.deep.equal(['a']);
  });

  it('records unsolicited errors and connection status', () => {
    let s = reduce(loggedIn(), { type: 'error', error: { code: 'REJECTED', message: 'Consult dial failed.', vendorCode: 0 } });
    expect(s.lastError?.message).to.equal('Consult dial failed.');
    s = reduce(s, { type: 'connection', status: 'offline' });
    expect(s.connection).to.equal('offline');
  });

  it('masks capabilities by supports and pending', () => {
    const supports = { supports: new Set(['login', 'hold'] as const) };
    const connected = reduce(initialSnapshot('1', supports.supports), { type: 'connection', status: 'connected' }, supports);
    const s0 = reduce(connected, { type: 'agentState', state: 'ready' }, supports);
    const s = reduce(s0, { type: 'call', call: makeCall('talking') }, supports);
    expect(s.capabilities.hold).to.equal(true);
    expect(s.capabilities.hangup).to.equal(false);
  });
  it('a degraded link stays connected: shown in the snapshot, nothing disabled', () => {
    let s = initialSnapshot('1001');
    s = reduce(s, { type: 'connection', status: 'connected' });
    s = reduce(s, { type: 'agentState', state: 'ready' });
    const before = s.capabilities;
    s = reduce(s, { type: 'connection', status: 'connected', degraded: true });
    expect(s.linkDegraded).to.equal(true);
    expect(s.connection).to.equal('connected');
    expect(s.capabilities).to.deep.equal(before);
    expect(s.capabilities.dial).to.equal(true);
    s = reduce(s, { type: 'connection', status: 'connected' });
    expect(s.linkDegraded).to.equal(undefined);
    s = reduce(s, { type: 'connection', status: 'reconnecting', degraded: true });
    expect(s.linkDegraded).to.equal(undefined);
    expect(s.capabilities.dial).to.equal(false);
  });
});

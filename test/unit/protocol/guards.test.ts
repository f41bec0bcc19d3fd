import { expect } from '@open-wc/testing';
import { readCanonicalEvent } from '../../../src/protocol/event-guards.ts';
import { readPollBody, readServerMessage } from '../../../src/protocol/client-reader.ts';
import { isCall } from '../../../src/protocol/model-guards.ts';
import { makeCall } from '../core/fixtures.ts';

function counted() {
  const reasons: string[] = [];
  return { reasons, onDrop: (reason: string) => reasons.push(reason) };
}

describe('protocol guards', () => {
  it('a complete call passes; the audit\'s malformed ones do not', () => {
    expect(isCall(makeCall('talking'))).to.equal(true);
    const { timestamps: _t, ...noTimestamps } = makeCall('talking');
    expect(isCall(noTimestamps)).to.equal(false);
    expect(isCall({ ...makeCall('talking'), fields: 'x' })).to.equal(false);
    expect(isCall({ ...makeCall('talking'), fields: [{ key: 'k', label: 'K', value: 1, type: 'readOnly' }] })).to.equal(false);
    expect(isCall({ ...makeCall('talking'), state: 'levitating' })).to.equal(false);
    expect(isCall({ ...makeCall('talking'), notes: [1] })).to.equal(false);
    expect(isCall({ ...makeCall('talking'), id: '' })).to.equal(false);
  });

  it('drops and reports an event that does not fit, keeps one that does', () => {
    const { reasons, onDrop } = counted();
    const good = { type: 'call', call: makeCall('held') };
    expect(readCanonicalEvent(good, onDrop)).to.equal(good);
    expect(readCanonicalEvent({ type: 'call', call: { ...makeCall('held'), timestamps: undefined } }, onDrop)).to.equal(undefined);
    expect(readCanonicalEvent({ type: 'somethingNew', x: 1 }, onDrop)).to.equal(undefined);
    expect(readCanonicalEvent({ type: 'connection', status: 'sideways' }, onDrop)).to.equal(undefined);
    expect(readCanonicalEvent({ type: 'callRemoved', callId: 'c1', seq: -1 }, onDrop)).to.equal(undefined);
    expect(readCanonicalEvent('agentState', onDrop)).to.equal(undefined);
    expect(reasons).to.have.length(5);
  });

  it('the phone line carries the job as text; a wrap-up\'s numbers are text', () => {
    const { onDrop } = counted();
    const line = { type: 'phoneLine', state: 'nailedUp', job: 'Renewals' };
    expect(readCanonicalEvent(line, onDrop)).to.equal(line);
    expect(readCanonicalEvent({ type: 'phoneLine', state: 'nailedUp', job: { name: 'x' } }, onDrop)).to.equal(undefined);
    const wrapup = { maxTimeSec: 30, extendable: false, defaultCode: 'X' };
    expect(isCall({ ...makeCall('wrapup'), wrapup: { ...wrapup, numbers: ['+441632960001'] } })).to.equal(true);
    expect(isCall({ ...makeCall('wrapup'), wrapup: { ...wrapup, numbers: [7] } })).to.equal(false);
  });

  it('an agent state it does not know becomes "unknown" with the backend\'s name kept', () => {
    const event = readCanonicalEvent({ type: 'agentState', state: 'onBreak', seq: 4 });
    expect(event).to.deep.equal({ type: 'agentState', state: 'unknown', rawState: 'onBreak', seq: 4 });
    // A forged rawState on a known state is not carried.
    expect(readCanonicalEvent({ type: 'agentState', state: '' })).to.equal(undefined);
  });

  it('a calls list keeps its good calls and reports each one left out', () => {
    const { reasons, onDrop } = counted();
    const event = readCanonicalEvent({ type: 'calls', calls: [makeCall('talking', { id: 'a' }), { id: 'b' }, makeCall('held', { id: 'c' })] }, onDrop);
    expect(event?.type === 'calls' && event.calls.map((c) => c.id)).to.deep.equal(['a', 'c']);
    expect(reasons).to.have.length(1);
  });

  it('lists and errors are checked item by item', () => {
    expect(readCanonicalEvent({ type: 'lists', reasons: [{ code: 'L', label: 'Lunch' }] })).to.not.equal(undefined);
    expect(readCanonicalEvent({ type: 'lists', reasons: [{ code: 'L' }] })).to.equal(undefined);
    expect(readCanonicalEvent({ type: 'lists', destinations: [{ id: 'q', type: 'moon', label: 'Q' }] })).to.equal(undefined);
    expect(readCanonicalEvent({ type: 'lists', callbackTargets: [{ id: 'Agent', label: 'Myself' }] })).to.not.equal(undefined);
    expect(readCanonicalEvent({ type: 'lists', callbackTargets: [{ id: 'Agent' }] })).to.equal(undefined);
    const error = readCanonicalEvent({ type: 'error', error: { code: 'WHATEVER', message: 'No line', vendorCode: 101 } });
    expect(error).to.deep.include({ type: 'error' });
    expect(error?.type === 'error' && error.error).to.deep.equal({ code: 'REJECTED', message: 'No line', vendorCode: 101 });
    expect(readCanonicalEvent({ type: 'error', error: { code: 'REJECTED' } })).to.equal(undefined);
  });

  it('a connection that stopped keeps a readable reason, only with offline', () => {
    const error = { code: 'UNAUTHORIZED', message: 'Token expired: ask for a new one.' };
    expect(readCanonicalEvent({ type: 'connection', status: 'offline', error })).to.deep.equal({ type: 'connection', status: 'offline', error });
    expect(readCanonicalEvent({ type: 'connection', status: 'connected', error })).to.deep.equal({ type: 'connection', status: 'connected' });
    expect(readCanonicalEvent({ type: 'connection', status: 'offline', error: { nonsense: true } })).to.deep.equal({ type: 'connection', status: 'offline' });
  });

  it('wire readers report what they drop and keep the sequence number of an unreadable event', () => {
    const { reasons, onDrop } = counted();
    expect(readServerMessage({ t: 'event', seq: 3, event: { type: 'call', call: { id: 'x' } } }, onDrop)).to.deep.equal({ t: 'event', seq: 3, event: undefined });
    expect(readServerMessage({ t: 'wat' }, onDrop)).to.equal(undefined);
    expect(readPollBody({ seq: 2, events: [{ seq: 'two', event: {} }] }, onDrop)).to.equal(undefined);
    const snapshot = readPollBody({ seq: 9, snapshot: [{ type: 'agentState', state: 'ready' }, { type: 'nope' }] }, onDrop);
    expect(snapshot).to.deep.equal([{ t: 'snapshot', seq: 9, events: [{ type: 'agentState', state: 'ready' }] }]);
    expect(reasons).to.have.length(4);
  });
  it('a welcome\'s login form is read whole or not at all', () => {
    const fields = [
      { name: 'extension', label: 'Extension', required: true },
      { name: 'password', label: 'Password', secret: true, hint: 'Your Noetica password' },
    ];
    const read = (loginFields: unknown) => readServerMessage({ t: 'welcome', agentId: 'a1', seq: 0, loginFields }) as { loginFields?: unknown };
    expect(read(fields).loginFields).to.deep.equal(fields);
    expect(read(undefined).loginFields).to.equal(undefined);
    for (const bad of [
      [{ name: 'bad name', label: 'x' }],
      [{ name: 'a', label: '' }],
      [{ name: 'a', label: 'A' }, { name: 'a', label: 'A again' }],
      Array.from({ length: 9 }, (_, n) => ({ name: `f${n}`, label: `F${n}` })),
      [{ name: 'a', label: 'A' }, 'oops'],
      { name: 'a', label: 'A' },
    ]) {
      expect(read(bad).loginFields, JSON.stringify(bad)).to.equal(undefined);
    }
    // Only the known keys, with their own types, are kept.
    expect(read([{ name: 'pin', label: 'PIN', secret: 'yes', onclick: 'alert(1)' }]).loginFields).to.deep.equal([{ name: 'pin', label: 'PIN' }]);
  });
  it('a login field\'s choices (POM\'s time zones through the gateway) are read whole, bounded, or the form is not read', () => {
    const read = (loginFields: unknown) => readServerMessage({ t: 'welcome', agentId: 'a1', seq: 0, loginFields }) as { loginFields?: unknown };
    const zone = { name: 'timeZone', label: 'Time zone', options: [{ value: 'UTC', label: '(UTC) Coordinated Universal Time' }, { value: 'Europe/Paris', label: 'Paris' }] };
    expect(read([zone]).loginFields).to.deep.equal([zone]);
    expect(read([{ ...zone, options: [{ value: '', label: 'UTC (default)', style: 'x' }] }]).loginFields).to.deep.equal([{ ...zone, options: [{ value: '', label: 'UTC (default)' }] }]);
    for (const options of [
      [],
      [{ value: 'UTC' }],
      [{ value: 3, label: 'Three' }],
      [{ value: 'UTC', label: '' }],
      [{ value: 'x'.repeat(121), label: 'Long' }],
      Array.from({ length: 201 }, (_, n) => ({ value: `z${n}`, label: `Z${n}` })),
      'UTC',
    ]) {
      expect(read([zone, { ...zone, name: 'other', options }]).loginFields, JSON.stringify(options).slice(0, 60)).to.equal(undefined);
    }
  });
});

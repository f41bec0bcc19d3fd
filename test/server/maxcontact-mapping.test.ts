/**
 * MaxContact → canonical, as pure functions: the enum table and its override, getcalls folded into
 * the view (direction, times, disposed and unknown values), a consult's two calls as one canonical
 * call, the capability flags per state, and the answer codec on XML and JSON bodies.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ENUMS, checkEnumOverride, resolveEnums, valueOf } from '../../src/connectors/maxcontact/enums.ts';
import { foldCalls, maxcontactFlags, toCalls, type TrackedCall } from '../../src/connectors/maxcontact/maxcontact-mapping.ts';
import { readEnvelope } from '../../src/connectors/maxcontact/codec.ts';
import { transferCodes, dispositionsOf, phoneOf } from '../../src/connectors/maxcontact/maxcontact-requests.ts';
import { RESULT_CODES } from '../../server/emulators/maxcontact/maxcontact-data.ts';
import type { MaxCall } from '../../src/connectors/maxcontact/protocol.ts';

const raw = (CallId: number, CallState: number, CallStatus = 1, extra: Partial<MaxCall> = {}): MaxCall => ({
  CallId,
  CallStartTime: '2026-12-02T10:00:00.000Z',
  CallState,
  CallStatus,
  CustomerName: 'Alex Morgan',
  CustomerName2: 'Acme Ltd',
  PhoneNumber: '+447911123456',
  RecordingState: 0,
  ...extra,
});
const ctx = (now: number, ours: string[] = []) => ({ now, enums: DEFAULT_ENUMS, isOurDial: (id: string) => ours.includes(id) });

describe('maxcontact mapping', () => {
  it('the enum table: values ↔ meanings, overrides checked and applied over ours', () => {
    assert.equal(valueOf('callState', 'held'), 4);
    assert.equal(valueOf('recordingState', 'recording'), 1);
    assert.equal(checkEnumOverride({ callState: { 7: 'held' } }), undefined);
    assert.match(checkEnumOverride({ callStates: {} })!, /takes callState, callStatus, recordingState/);
    assert.match(checkEnumOverride({ callState: { x: 'held' } })!, /whole numbers/);
    assert.match(checkEnumOverride({ recordingState: { 1: 'held' } })!, /off, recording, stopped/);
    assert.match(checkEnumOverride({ callStatus: 'x' })!, /callStatus/);
    const table = resolveEnums({ callState: { 7: 'held', 4: 'connected' } });
    assert.equal(table.callState[7], 'held');
    assert.equal(table.callState[4], 'connected');
    assert.equal(table.callState[1], 'dialing');
    assert.equal(DEFAULT_ENUMS.callState[4], 'held', 'ours unchanged');
  });

  it('getcalls → the view: direction, first-seen times, disposed calls gone, unknown values read as live and counted', () => {
    let folded = foldCalls([], [raw(1000, 1), raw(1001, 2), raw(1002, 3, 3), raw(1003, 42, 9)], ctx(5000, []));
    assert.deepEqual(folded.calls.map((c) => [c.id, c.inbound, c.line, c.status]), [
      ['1000', false, 'dialing', 'active'],
      ['1001', true, 'ringing', 'active'],
      ['1003', true, 'connected', 'active'],
    ]);
    assert.equal(folded.unknownValues, 2);
    assert.equal(folded.calls[0]!.offeredAt, Date.parse('2026-12-02T10:00:00.000Z'));
    folded = foldCalls(folded.calls, [raw(1000, 3), raw(1001, 4, 1, { RecordingState: 1 })], ctx(6000));
    assert.equal(folded.calls[0]!.connectedAt, 6000);
    assert.deepEqual([folded.calls[1]!.line, folded.calls[1]!.heldAt, folded.calls[1]!.recording], ['held', 6000, true]);
    folded = foldCalls(folded.calls, [raw(1000, 5, 2, { RecordingState: 1 }), raw(1001, 3)], ctx(7000));
    assert.deepEqual([folded.calls[0]!.wrapupAt, folded.calls[0]!.recording, folded.calls[0]!.connectedAt], [7000, false, 6000]);
    assert.equal(folded.calls[1]!.heldAt, undefined);
    const calls = toCalls(folded.calls, undefined);
    assert.deepEqual(calls.map((c) => [c.id, c.state, c.direction]), [['1001', 'talking', 'inbound'], ['1000', 'wrapup', 'outbound']]);
    assert.deepEqual(calls[1]!.wrapup, { maxTimeSec: 0, extendable: false, defaultCode: '' });
    assert.deepEqual(calls[0]!.remote, { number: '+447911123456', name: 'Alex Morgan' });
    assert.deepEqual(calls[0]!.fields, [{ key: 'customerName2', label: 'Customer name 2', value: 'Acme Ltd', type: 'readOnly' }]);
  });

  it('a consult: the customer call carries the second call as its leg until one of them ends', () => {
    const view: TrackedCall[] = foldCalls([], [raw(1000, 4), raw(1001, 1)], ctx(1, ['1000', '1001'])).calls;
    const destination = { id: 'Sales desk', type: 'external' as const, label: 'Sales desk', number: '+442071230100' };
    const pair = { customerId: '1000', consultId: '1001', destination };
    let calls = toCalls(view, pair);
    assert.equal(calls.length, 1);
    assert.deepEqual([calls[0]!.state, calls[0]!.consult?.state, calls[0]!.consult?.activeParty], ['consult', 'dialing', 'consult']);
    calls = toCalls(foldCalls(view, [raw(1000, 4), raw(1001, 3)], ctx(2)).calls, pair);
    assert.equal(calls[0]!.consult?.state, 'connected');
    calls = toCalls(foldCalls(view, [raw(1000, 4), raw(1001, 5, 2)], ctx(3)).calls, pair);
    assert.deepEqual(calls.map((c) => c.state), ['held', 'wrapup'], 'the leg ended by itself: its own call in wrap-up');
  });

  it('flags: what MaxContact can do in each state', () => {
    const on = (agent: 'ready' | 'notReady', state?: string) => {
      const flags = maxcontactFlags(agent, state ? ({ state } as never) : undefined);
      return Object.entries(flags).filter(([, v]) => v).map(([k]) => k).sort();
    };
    assert.deepEqual(on('notReady'), ['originate', 'ready']);
    assert.deepEqual(on('ready'), ['originate']);
    assert.deepEqual(on('ready', 'dialing'), ['release', 'updateRecord']);
    assert.deepEqual(on('ready', 'talking'), ['conference', 'hold', 'record', 'release', 'transfer', 'updateRecord']);
    assert.deepEqual(on('ready', 'held'), ['conference', 'record', 'release', 'transfer', 'unhold', 'updateRecord']);
    assert.deepEqual(on('ready', 'consult'), ['leaveConsult', 'transfer', 'updateRecord']);
    assert.deepEqual(on('ready', 'wrapup'), ['disposition']);
  });

  it('requests: numbers compacted, agent-viewable dispositions, transfer codes from the result codes or the config', () => {
    assert.equal(phoneOf('+44 (0)20-7123 4567'.replace('(0)', ''), 'dial'), '+442071234567');
    assert.throws(() => phoneOf('sales', 'dial'), /digits/);
    assert.deepEqual(dispositionsOf(RESULT_CODES).map((d) => d.code), ['SALE', 'NOSALE', 'CALLBACK', 'WRONGNUM', 'XFER']);
    assert.deepEqual(transferCodes(undefined, RESULT_CODES, 'cancelConsult'), { customer: 'XFER', consult: 'XFER', cancelled: 'NOSALE' });
    assert.deepEqual(transferCodes({ consult: 'SALE' }, RESULT_CODES, 'completeTransfer'), { customer: 'XFER', consult: 'SALE', cancelled: 'NOSALE' });
    assert.throws(() => transferCodes(undefined, [], 'completeTransfer'), /transferResultCodes/);
  });

  it('the codec: XML and JSON envelopes alike, typed; garbage is a PROTOCOL error that never quotes the body', () => {
    const xml = '<?xml version="1.0"?><CallActionResponse><Success>true</Success><Data><Call><CallId>7</CallId><CallState>3</CallState><CustomerName>A &amp; B</CustomerName><CustomerName2 /></Call></Data><ResponseCode>0</ResponseCode><ResponseDetail>OK</ResponseDetail></CallActionResponse>';
    const fromXml = readEnvelope(xml, 'application/xml', 'getcalls');
    assert.deepEqual(fromXml, { Success: true, Data: [{ CallId: 7, CallState: 3, CustomerName: 'A & B', CustomerName2: '' }], ResponseCode: 0, ResponseDetail: 'OK' });
    assert.deepEqual(readEnvelope('{"Success":true,"Data":[],"ResponseCode":0,"ResponseDetail":"OK"}', null, 'getcalls').Data, []);
    assert.deepEqual(readEnvelope('<CallActionResponse><Success>true</Success><Data /><ResponseCode>0</ResponseCode></CallActionResponse>', null, 'getcalls').Data, []);
    assert.equal(readEnvelope('<CallActionResponse><Success>true</Success><Data /><ResponseCode>0</ResponseCode></CallActionResponse>', null, 'hold').Data, null);
    for (const body of ['card 4111 1111 1111 1111', '<html><b>card 4111</b>', '{"card":"4111"}', '<CallActionResponse><Success>maybe</Success><ResponseCode>0</ResponseCode></CallActionResponse>']) {
      assert.throws(() => readEnvelope(body, null, 'getcalls'), (e: Error & { code?: string }) => e.code === 'PROTOCOL' && !e.message.includes('4111'));
    }
  });
});

/**
 * Noetica's events and statuses in canonical terms (noetica-mapping.ts), as pure functions: the
 * agent states, a consultation, the preview of a held record, notices, and a change the truth
 * already holds (stale) applied never twice and announced never twice.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_VIEW, agentOf, callsOf, foldEvent, type NoeticaView } from '../../src/connectors/noetica/noetica-mapping.ts';
import type { WireCall, WireEvent } from '../../src/connectors/noetica/wire.ts';

const AT = '2026-12-02T17:00:00.000Z';
const call: WireCall = { callId: 'NC-1', direction: 'Inbound', state: 'Connected', number: '+447700900999', name: 'Sam <i>Carter</i>', offeredAt: AT, connectedAt: AT };
const view = (telephony: Partial<NoeticaView['telephony']>, dialler: Partial<NoeticaView['dialler']> = {}): NoeticaView => ({
  ...EMPTY_VIEW,
  telephony: { ...EMPTY_VIEW.telephony, ...telephony },
  dialler: { ...EMPTY_VIEW.dialler, ...dialler },
});
const fresh = () => false;
const stale = () => true;

it('Telephony Status → the agent state (with the break reason, the pending break, busy)', () => {
  const reasons = [{ code: 'LUNCH', label: 'Lunch' }];
  assert.deepEqual(agentOf(view({ status: 'LoggedOff' }), reasons, '1001'), { state: 'loggedOut', agentId: '1001' });
  assert.deepEqual(agentOf(view({ status: 'Available' }), reasons, '1001'), { state: 'ready', agentId: '1001' });
  assert.deepEqual(agentOf(view({ status: 'Busy' }), reasons, '1001'), { state: 'busy', agentId: '1001' });
  assert.deepEqual(agentOf(view({ status: 'OnBreak', breakReason: { code: 'LUNCH', label: 'x' } }), reasons, '1001'), { state: 'notReady', reason: { code: 'LUNCH', label: 'Lunch' }, agentId: '1001' });
  assert.deepEqual(agentOf(view({ status: 'Available', pendingBreak: { code: 'NAP', label: 'Nap' } }), reasons, '1001'), { state: 'pendingNotReady', reason: { code: 'NAP', label: 'Nap' }, agentId: '1001' });
});

it('calls: text only, a consultation as the consult leg, the held record as a preview until it is called', () => {
  const consulting: WireCall = { ...call, state: 'Held', consultation: { number: '+442071230100', name: 'Sales desk', state: 'Connected', active: 'Consultation', startedAt: AT } };
  const [c] = callsOf(view({ status: 'Available', calls: [consulting] }));
  assert.equal(c!.remote.name, 'Sam Carter');
  assert.equal(c!.state, 'consult');
  assert.deepEqual(c!.consult, { destination: { id: '+442071230100', type: 'external', label: 'Sales desk', number: '+442071230100' }, state: 'connected', activeParty: 'consult', startedAt: Date.parse(AT) });
  const record = { recordId: 'R-1', name: 'Alex', phones: ['+447911123456'], reservedAt: AT };
  const previews = callsOf(view({ status: 'Available' }, { status: 'Preview', record }));
  assert.deepEqual([previews[0]!.id, previews[0]!.state, previews[0]!.preview?.numbers], ['record:R-1', 'preview', ['+447911123456']]);
  assert.equal(callsOf(view({ status: 'Available', calls: [{ ...call, recordId: 'R-1' }] }, { status: 'Preview', record })).length, 1, 'dialled: the call, not the preview');
});

it('an event the truth already holds is not applied again, nor announced again', () => {
  const system: WireEvent = { seq: 3, type: 'StatusChange', at: AT, data: { kind: 'System', status: { status: 'Degraded' }, previous: 'Online' } };
  assert.equal(foldEvent(EMPTY_VIEW, system, fresh).notices.length, 1);
  const replay = foldEvent({ ...EMPTY_VIEW, system: { status: 'Degraded' } }, system, stale);
  assert.deepEqual(replay.notices, []);
  const ended: WireEvent = { seq: 4, type: 'CallDisconnected', at: AT, data: { call: { ...call, state: 'WrapUp', wrapUpAt: AT }, by: 'Customer' } };
  const before = view({ status: 'Available', calls: [call] });
  assert.equal(foldEvent(before, ended, stale).view, before, 'stale: unchanged');
  assert.equal(foldEvent(before, ended, fresh).view.telephony.calls[0]!.state, 'WrapUp');
  const transferred: WireEvent = { seq: 5, type: 'CallDisconnected', at: AT, data: { call, by: 'Transfer' } };
  assert.deepEqual(foldEvent(before, transferred, fresh).view.telephony.calls, [], 'gone from the line');
  const message: WireEvent = { seq: 6, type: 'Message', at: AT, data: { text: 'Hi <script>x</script>', from: 'Sup' } };
  assert.equal(foldEvent(EMPTY_VIEW, message, stale).notices[0]!.message, 'Message from Sup: Hi x');
});

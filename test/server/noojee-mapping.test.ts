/** The Noojee connector's pure parts: wire codec, errors, subscribe → canonical, canonical → requests. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCallAnswer, readDialAnswer, readEntities, readLeadAnswer, readSubscribeAnswer, requestUrl, redactedUrl } from '../../src/connectors/noojee/codec.ts';
import { EMPTY_LINE, foldSubscribe, noojeeFlags, parseNoojeeTime, toCalls, type FoldContext, type NoojeeLine, type TrackedCall } from '../../src/connectors/noojee/noojee-mapping.ts';
import { NOOJEE_SUPPORTS, subscribeRequest, toNoojeeRequest, type RequestContext } from '../../src/connectors/noojee/noojee-requests.ts';
import { resolveAgent } from '../../src/connectors/noojee/noojee-config.ts';
import { AUTO_ANSWER, type CallData, type SubscribeEvent } from '../../src/connectors/noojee/protocol.ts';
import { CtiError, ErrorCode } from '../../src/core/errors.ts';
import { PollDiffer } from '../../src/connectors/kit/poll-differ.ts';
import { OPERATIONS, type Operation } from '../../src/core/operations.ts';
import type { Command } from '../../src/core/commands.ts';

const ev = (id: string, status: string, extra: Partial<CallData> = {}): SubscribeEvent => ({
  CallData: {
    canAnswer: false,
    callerId: '100',
    uniqueCallId: id,
    callStartTime: '',
    isQueueCall: false,
    isClickToDialCall: true,
    inbound: false,
    status,
    otherPartyCallerId: '0412345678',
    connectedCallerIdNum: '',
    outboundDestination: '0412345678',
    ...extra,
  },
  CallID: 1,
  Code: 0,
});
const inbound = (id: string, status: string, extra: Partial<CallData> = {}) =>
  ev(id, status, { inbound: true, isClickToDialCall: false, callerId: '0298765432', outboundDestination: '', canAnswer: status === 'Ringing', ...extra });

const ctx = (over: Partial<FoldContext> = {}): FoldContext => ({ now: 1000, wrapUpAfter: () => false, ...over });

const cmd = (operation: Operation, args: Record<string, unknown> = {}): Command => ({ id: 'c1', operation, args }) as unknown as Command;

const reqCtx = (calls: TrackedCall[] = [], over: Partial<RequestContext> = {}): RequestContext => ({
  extension: '100',
  tech: 'SIP',
  answerString: AUTO_ANSWER.Yealink,
  calls,
  dispositions: [
    { code: 'Sale', label: 'Sale' },
    { code: 'No sale', label: 'No sale' },
  ],
  ...over,
});

function rejects(fn: () => unknown, code: string, pattern?: RegExp): CtiError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CtiError, `expected a CtiError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('Noojee codec', () => {
  it('puts apiKey first, every parameter in the query, values URL-encoded; the redacted form hides the key', () => {
    const url = requestUrl('https://pbx.example/', subscribeRequest(['100'], 7, 25), 'k&y');
    assert.equal(url, 'https://pbx.example/servicemanager/rest/CallManagementAPI/subscribe?apiKey=k%26y&exten=100&lastSequenceNumber=7&timeOut=25');
    assert.ok(!redactedUrl('https://pbx.example', subscribeRequest(['100'], 0, 0)).includes('k%26y'));
  });

  it('reads Code answers: 0 and notices succeed, negative codes are readable errors with the code kept', () => {
    assert.equal(readCallAnswer('hangup', 200, '{"Message":"Channel Hungup","Code":0}').Code, 0);
    assert.equal(readCallAnswer('hangup', 200, '{"Message":"note","Code":2}').Code, 2);
    const e = rejects(() => readCallAnswer('hangup', 200, '{"Message":"No call on extension 100","Code":-4}'), ErrorCode.Rejected, /no such call.*Noojee code -4: No call on extension 100/);
    assert.equal(e.vendorCode, -4);
    assert.equal(e.operation, 'hangup');
    const unknown = rejects(() => readCallAnswer('dial', 200, '{"Code":-77}'), ErrorCode.Rejected, /^Noojee refused the request\. \(Noojee code -77\)$/);
    assert.equal(unknown.vendorCode, -77);
  });

  it('HTTP 401 → unauthorized, 5xx and 404 keep the status, garbage is a protocol error', () => {
    const auth = rejects(() => readCallAnswer('dial', 401, '{"Message":"Invalid apiKey","Code":-1}'), ErrorCode.Unauthorized, /API key/);
    assert.equal(auth.vendorCode, -1);
    assert.equal(rejects(() => readCallAnswer('dial', 401, ''), ErrorCode.Unauthorized).vendorCode, 'HTTP 401');
    assert.equal(rejects(() => readCallAnswer('dial', 503, 'Service Unavailable'), ErrorCode.Rejected, /server error/).vendorCode, 'HTTP 503');
    assert.equal(rejects(() => readCallAnswer('dial', 404, '<html>Not Found</html>'), ErrorCode.Rejected, /no such method/).vendorCode, 'HTTP 404');
    rejects(() => readCallAnswer('dial', 200, '<html>oops</html>'), ErrorCode.Protocol, /not JSON/);
    rejects(() => readCallAnswer('dial', 200, '{"Message":"no code"}'), ErrorCode.Protocol);
  });

  it('keeps SessionID as a string whether Noojee sends a string or a number', () => {
    assert.equal(readDialAnswer(200, '{"SessionID":"1764.5","Message":"ok","Code":0}').SessionID, '1764.5');
    assert.equal(readDialAnswer(200, '{"SessionID":42,"Code":0}').SessionID, '42');
  });

  it('reads subscribe answers, dropping malformed events and counting them', () => {
    const text = JSON.stringify({ Data: { '100': [ev('1.1', 'Dialing Out'), { CallData: { status: 'Connected' } }, 'x'] }, seq: 9, Code: 0 });
    const { answer, dropped } = readSubscribeAnswer(200, text);
    assert.equal(answer.seq, 9);
    assert.equal(answer.Data!['100']!.length, 1);
    assert.equal(dropped, 2);
    assert.deepEqual(readSubscribeAnswer(200, '{"seq":3,"Code":0}').answer.Data, {});
    rejects(() => readSubscribeAnswer(200, '{"Data":{},"Code":0}'), ErrorCode.Protocol);
  });

  it('reads campaign lists and lead answers with their lower-case codes', () => {
    assert.deepEqual(readEntities(undefined, 200, '{"code":0,"entities":[{"id":1,"name":"Sale"},{"id":2}]}'), [{ id: 1, name: 'Sale' }]);
    const e = rejects(() => readLeadAnswer('wrapUp', 400, '{"code":101,"message":"COULDNT_FIND_THE_LEAD: no lead"}'), ErrorCode.Rejected, /no lead for this CRM record/);
    assert.equal(e.vendorCode, 101);
    assert.equal(rejects(() => readLeadAnswer('wrapUp', 401, '{"code":-1,"message":"Invalid apiKey"}'), ErrorCode.Unauthorized).vendorCode, -1);
  });
});

describe('Noojee subscribe → canonical', () => {
  it('a first (full) answer becomes the whole call list; later deltas become per-call events', () => {
    const full = foldSubscribe(EMPTY_LINE, [inbound('1.1', 'Ringing')], true, ctx());
    const differ = new PollDiffer();
    const calls = toCalls(full.line);
    assert.deepEqual(differ.diff({ calls }), [{ type: 'calls', calls }]);
    assert.equal(calls[0]!.state, 'ringing');
    assert.equal(calls[0]!.direction, 'inbound');
    assert.equal(calls[0]!.remote.number, '0298765432');

    const connected = foldSubscribe(full.line, [inbound('1.1', 'Connected')], false, ctx({ now: 2000 }));
    const next = toCalls(connected.line);
    const events = differ.diff({ calls: next });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'call');
    assert.equal(next[0]!.state, 'talking');
    assert.equal(next[0]!.timestamps.connectedAt, 2000);

    const gone = foldSubscribe(connected.line, [inbound('1.1', 'Hungup')], false, ctx());
    assert.deepEqual(differ.diff({ calls: toCalls(gone.line) }), [{ type: 'callRemoved', callId: '1.1' }]);
  });

  it('click-to-dial: the handset ringing and Dialing Out are both dialling; Connected is talking', () => {
    let line: NoojeeLine = EMPTY_LINE;
    line = foldSubscribe(line, [ev('2.1', 'Ringing')], false, ctx()).line;
    assert.equal(toCalls(line)[0]!.state, 'dialing');
    line = foldSubscribe(line, [ev('2.1', 'Dialing Out'), ev('2.1', 'Connected')], false, ctx()).line;
    const call = toCalls(line)[0]!;
    assert.deepEqual([call.state, call.direction, call.remote.number], ['talking', 'outbound', '0412345678']);
  });

  it('a call first seen connected in a full answer takes Noojee\'s start time', () => {
    const line = foldSubscribe(EMPTY_LINE, [ev('3.1', 'Connected', { callStartTime: '2026/12/02 13:52:32' })], true, ctx()).line;
    assert.equal(toCalls(line)[0]!.timestamps.connectedAt, Date.UTC(2026, 11, 2, 13, 52, 32));
    assert.equal(parseNoojeeTime(''), undefined);
    assert.equal(parseNoojeeTime('2014/10/08 17:25'), Date.UTC(2014, 9, 8, 17, 25, 0));
  });

  it('a hung-up campaign call for a CRM record goes to wrap-up; others are removed', () => {
    const claim = () => 'ACC-1001';
    let line = foldSubscribe(EMPTY_LINE, [ev('4.1', 'Dialing Out'), ev('4.1', 'Connected')], false, ctx({ claim })).line;
    assert.equal(line.calls[0]!.recordId, 'ACC-1001');
    line = foldSubscribe(line, [ev('4.1', 'Hungup')], false, ctx({ wrapUpAfter: (c) => c.recordId !== undefined, now: 5000 })).line;
    const [call] = toCalls(line, { campaign: 'Spring renewals' });
    assert.equal(call!.state, 'wrapup');
    assert.equal(call!.campaign, 'Spring renewals');
    assert.equal(call!.timestamps.wrapupAt, 5000);
    assert.deepEqual(call!.fields, [{ key: 'recordId', label: 'CRM record', value: 'ACC-1001', type: 'readOnly' }]);
    // A full answer (after a gap) keeps the call waiting for its disposition.
    line = foldSubscribe(line, [], true, ctx()).line;
    assert.equal(toCalls(line)[0]!.state, 'wrapup');
  });

  it('a call that ended during a gap is gone after the full answer, or waits for its disposition', () => {
    const live = foldSubscribe(EMPTY_LINE, [inbound('5.1', 'Connected'), ev('5.2', 'Connected')], false, ctx({ claim: () => 'ACC-1' })).line;
    const after = foldSubscribe(live, [], true, ctx({ wrapUpAfter: (c) => c.recordId !== undefined })).line;
    assert.deepEqual(after.calls.map((c) => [c.id, c.wrapupAt !== undefined]), [['5.2', true]]);
  });

  it('busy and no answer end the call with a readable notice (code kept); unknown statuses are skipped', () => {
    const line = foldSubscribe(EMPTY_LINE, [ev('6.1', 'Dialing Out')], false, ctx()).line;
    const busy = foldSubscribe(line, [ev('6.1', 'Busy'), ev('6.1', 'Hungup')], false, ctx());
    assert.equal(busy.line.calls.length, 0);
    assert.equal(busy.notices.length, 1);
    assert.equal(busy.notices[0]!.vendorCode, 'Busy');
    assert.match(busy.notices[0]!.message, /0412345678 is busy/);
    const odd = foldSubscribe(line, [ev('6.1', 'Parked')], false, ctx());
    assert.equal(odd.ignored, 1);
    assert.deepEqual(odd.line, line);
  });

  it('replaying the same delta changes nothing (no event applied twice)', () => {
    const events = [ev('7.1', 'Dialing Out'), ev('7.1', 'Connected')];
    const once = foldSubscribe(EMPTY_LINE, events, false, ctx()).line;
    const twice = foldSubscribe(once, events, false, ctx({ now: 9999 })).line;
    const differ = new PollDiffer();
    differ.diff({ calls: toCalls(once) });
    assert.deepEqual(differ.diff({ calls: toCalls(twice) }), []);
  });

  it('flags: hang up a live call, record a connected one, disposition in wrap-up, nothing else', () => {
    const none = noojeeFlags(undefined);
    assert.equal(none.originate, true);
    assert.equal(none.release, false);
    const line = foldSubscribe(EMPTY_LINE, [ev('8.1', 'Connected')], false, ctx()).line;
    const talking = noojeeFlags(toCalls(line)[0]);
    assert.deepEqual([talking.release, talking.record, talking.hold, talking.transfer, talking.sendDtmf, talking.ready], [true, true, false, false, false, false]);
    const dialing = noojeeFlags(toCalls(foldSubscribe(EMPTY_LINE, [ev('8.2', 'Dialing Out')], false, ctx()).line)[0]);
    assert.deepEqual([dialing.release, dialing.record], [true, false]);
  });
});

describe('canonical → Noojee requests', () => {
  const tracked = (over: Partial<TrackedCall>): TrackedCall => ({ id: '1.5', inbound: false, status: 'Connected', remote: '0412345678', canAnswer: false, offeredAt: 0, recording: false, ...over });

  it('supports exactly dial, answer, hang up, recording and dispositions', () => {
    assert.deepEqual([...NOOJEE_SUPPORTS].sort(), ['answer', 'dial', 'hangup', 'startRecording', 'stopRecording', 'wrapUp']);
    for (const op of OPERATIONS.filter((o) => !NOOJEE_SUPPORTS.includes(o))) {
      rejects(() => toNoojeeRequest(cmd(op, { reasonCode: 'x', digit: '1' }), reqCtx([tracked({})])), ErrorCode.Unsupported, /not available with Noojee/);
    }
  });

  it('dial: monitored, the endpoint with its technology, the handset\'s auto-answer header, caller id', () => {
    const r = toNoojeeRequest(cmd('dial', { number: '04 1234-5678' }), reqCtx([], { tech: 'PJSIP', callerId: '0299990000' }));
    assert.deepEqual([r.api, r.method, r.http, r.readOnly], ['call', 'dial', 'POST', false]);
    assert.deepEqual(r.params, [
      ['number', '0412345678'],
      ['extenOrUniqueId', 'PJSIP/100'],
      ['callerId', '0299990000'],
      ['autoAnswer', 'Call-Info:\\; answer-after=0'],
      ['monitored', 'yes'],
    ]);
    const url = requestUrl('http://h', r, 'key');
    assert.ok(url.includes('autoAnswer=Call-Info%3A%5C%3B+answer-after%3D0'), url);
    rejects(() => toNoojeeRequest(cmd('dial', { number: '12ab' }), reqCtx()), ErrorCode.InvalidArgument, /phone number/);
    const recorded = toNoojeeRequest(cmd('dial', { number: '0412345678', recordId: 'ACC-1001' }), reqCtx([], { recordOnDial: true }));
    assert.deepEqual(recorded.params.slice(-2), [['record', 'true'], ['tag', 'ACC-1001']]);
  });

  it('answer: the ringing call\'s unique id, the endpoint and the answer string; refused when not ringing or no handset is known', () => {
    const ringing = tracked({ id: '9.9', inbound: true, status: 'Ringing', canAnswer: true });
    assert.deepEqual(toNoojeeRequest(cmd('answer'), reqCtx([ringing])).params, [
      ['uniqueId', '9.9'],
      ['exten', 'SIP/100'],
      ['answerString', AUTO_ANSWER.Yealink],
    ]);
    rejects(() => toNoojeeRequest(cmd('answer'), reqCtx([tracked({})])), ErrorCode.NotAllowed, /not ringing/);
    rejects(() => toNoojeeRequest(cmd('answer'), reqCtx([ringing], { answerString: undefined })), ErrorCode.InvalidArgument, /handset/);
  });

  it('hang up by unique id; recording start tagged with the CRM record id by default, or the given tag; stop', () => {
    const c = tracked({ recordId: 'ACC-1001' });
    assert.deepEqual(toNoojeeRequest(cmd('hangup'), reqCtx([c])).params, [['extenOrUniqueId', '1.5']]);
    assert.deepEqual(toNoojeeRequest(cmd('startRecording'), reqCtx([c], { agentLoginName: 'jo' })).params, [
      ['extenOrUniqueId', '1.5'],
      ['agentLoginName', 'jo'],
      ['tag', 'ACC-1001'],
    ]);
    assert.deepEqual(toNoojeeRequest(cmd('startRecording', { tag: 'INV-7' }), reqCtx([c])).params, [['extenOrUniqueId', '1.5'], ['tag', 'INV-7']]);
    assert.deepEqual(toNoojeeRequest(cmd('startRecording'), reqCtx([tracked({})])).params, [['extenOrUniqueId', '1.5']]);
    rejects(() => toNoojeeRequest(cmd('startRecording'), reqCtx([tracked({ status: 'Dialing Out' })])), ErrorCode.NotAllowed, /connected/);
    assert.equal(toNoojeeRequest(cmd('stopRecording'), reqCtx([c])).method, 'stop');
    rejects(() => toNoojeeRequest(cmd('hangup', { callId: 'nope' }), reqCtx([c])), ErrorCode.NotAllowed, /no such call/);
  });

  it('wrap-up: updateLeadFast with the campaign ids and the lead\'s disposition; refused off-campaign or for an unknown code', () => {
    const ended = tracked({ status: 'Hungup', wrapupAt: 5, recordId: 'ACC-1001' });
    const campaign = { templateId: 1, campaignId: 11, allocationId: 111 };
    const r = toNoojeeRequest(cmd('wrapUp', { code: 'Sale' }), reqCtx([ended], { campaign }));
    assert.deepEqual([r.api, r.method, r.http], ['campaign', 'updateLeadFast', 'POST']);
    assert.deepEqual(r.params, [['fTemplateId', '1'], ['fCampaignId', '11'], ['fAllocationId', '111']]);
    assert.deepEqual(JSON.parse(r.body!), [{ njExternalLeadId: 'ACC-1001', njDisposition: 'Sale' }]);
    rejects(() => toNoojeeRequest(cmd('wrapUp', { code: 'Maybe' }), reqCtx([ended], { campaign })), ErrorCode.InvalidArgument, /dispositions/);
    rejects(() => toNoojeeRequest(cmd('wrapUp', { code: 'Sale' }), reqCtx([ended])), ErrorCode.NotAllowed, /campaign/);
  });

  it('subscribe: bare extensions, the sequence carried, timeOut bounded', () => {
    assert.deepEqual(subscribeRequest(['100', '101'], 42, 600).params, [['exten', '100,101'], ['lastSequenceNumber', '42'], ['timeOut', '60']]);
    assert.equal(subscribeRequest(['100'], 0, -3).params[2]![1], '0');
  });
});

describe('Noojee config per agent', () => {
  it('technology from tech or the per-agent map, the handset header from the table, campaign ids checked', () => {
    assert.deepEqual(resolveAgent('100', { apiKey: 'k' }), { extension: '100', tech: 'SIP' });
    const r = resolveAgent('101', { apiKey: 'k', tech: 'SIP', techs: { '101': 'PJSIP' }, handset: 'Polycom', campaign: { templateId: 1, campaignId: 11, allocationId: 111 } });
    assert.deepEqual(r, { extension: '101', tech: 'PJSIP', answerString: 'Alert-Info: Ring Answer', campaign: { templateId: 1, campaignId: 11, allocationId: 111 } });
    assert.equal(resolveAgent('100', { apiKey: 'k', handset: 'Polycom', autoAnswer: 'X-Custom: 1' }).answerString, 'X-Custom: 1');
    rejects(() => resolveAgent('alice', { apiKey: 'k' }), ErrorCode.InvalidArgument, /extension number/);
    rejects(() => resolveAgent('100', { apiKey: 'k', tech: 'H323' }), ErrorCode.InvalidArgument, /technology/);
    rejects(() => resolveAgent('100', { apiKey: 'k', handset: 'Nokia' }), ErrorCode.InvalidArgument, /table/);
    rejects(() => resolveAgent('100', { apiKey: 'k', campaign: { templateId: 1 } }), ErrorCode.InvalidArgument, /campaign/);
  });
});

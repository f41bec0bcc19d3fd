import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../../server/emulators/noojee/index.ts';
import type { SubscribeAnswer } from '../../src/connectors/noojee/protocol.ts';

type Started = Awaited<ReturnType<typeof start>>;
type Json = Record<string, unknown>;

describe('Noojee emulator over HTTP', () => {
  let emu: Started;
  const KEY = 'test-key-123';

  const call = async (method: string, params: Record<string, string>, http = 'POST', key = KEY): Promise<{ status: number; body: Json }> => {
    const query = new URLSearchParams({ apiKey: key, ...params });
    const response = await fetch(`${emu.url}/servicemanager/rest/CallManagementAPI/${method}?${query}`, { method: http });
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Json) : { text } };
  };
  const sub = async (last: number, timeOut = 0, exten = '100'): Promise<SubscribeAnswer> =>
    (await call('subscribe', { exten, lastSequenceNumber: String(last), timeOut: String(timeOut) })).body as unknown as SubscribeAnswer;
  const control = async (verb: string, body: Json = {}): Promise<Json> => {
    const response = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    return (await response.json()) as Json;
  };
  const statuses = (answer: SubscribeAnswer, exten = '100') => (answer.Data?.[exten] ?? []).map((e) => e.CallData.status);

  before(async () => {
    emu = await start({ apiKey: KEY, connectDelayMs: -1, handsetAnswerMs: 50 });
  });
  after(() => emu.close());
  beforeEach(async () => {
    await control('reset');
    await control('configure', { connectDelayMs: -1, handsetAnswerMs: 50 });
  });

  it('refuses a missing or wrong apiKey with HTTP 401 and Code -1, on every API, changing nothing', async () => {
    const bad = await call('dial', { number: '0412345678', extenOrUniqueId: 'SIP/100' }, 'POST', 'wrong');
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, { Message: 'Invalid apiKey', Code: -1 });
    const campaign = await fetch(`${emu.url}/servicemanager/rest/CampaignAPI/getCampaignTemplateList`);
    assert.equal(campaign.status, 401);
    assert.equal(((await campaign.json()) as Json).code, -1);
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as { calls: unknown[] };
    assert.equal(state.calls.length, 0);
  });

  it('answers Code -2 for a missing parameter, 405 for a wrong HTTP method, HTML 404 for an unknown method', async () => {
    assert.deepEqual((await call('dial', { extenOrUniqueId: 'SIP/100' })).body, { Message: 'Missing parameter number', Code: -2 });
    assert.equal((await call('dial', { number: '0412345678', extenOrUniqueId: 'SIP/100' }, 'GET')).status, 405);
    const unknown = await fetch(`${emu.url}/servicemanager/rest/CallManagementAPI/hold?apiKey=${KEY}`, { method: 'POST' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /text\/html/);
    assert.equal((await call('dial', { number: 'not a number', extenOrUniqueId: 'SIP/100' })).body.Code, -2);
  });

  it('dial: refuses an unknown endpoint or the wrong technology (-3)', async () => {
    assert.equal((await call('dial', { number: '0412345678', extenOrUniqueId: 'SIP/999' })).body.Code, -3);
    // 110–119 are PJSIP on the emulator.
    assert.equal((await call('dial', { number: '0412345678', extenOrUniqueId: 'SIP/110' })).body.Code, -3);
    assert.equal((await call('dial', { number: '0412345678', extenOrUniqueId: 'PJSIP/110', autoAnswer: 'x' })).body.Code, 0);
  });

  it('a monitored click-to-dial shows on subscribe: Dialing Out, then Connected when the customer answers, then Hungup', async () => {
    const first = await sub(0);
    assert.deepEqual(first.Data, { '100': [] });
    const dialled = await call('dial', { number: '0412345678', extenOrUniqueId: 'SIP/100', autoAnswer: 'Call-Info:\\\\; answer-after=0', monitored: 'yes', callerId: '0299990000' });
    assert.equal(dialled.body.Code, 0);
    const id = dialled.body.SessionID as string;
    assert.match(id, /^[0-9]+\.[0-9]+$/);

    const a = await sub(first.seq);
    assert.deepEqual(statuses(a), ['Dialing Out']);
    const data = a.Data!['100']![0]!.CallData;
    assert.equal(data.uniqueCallId, id);
    assert.equal(data.isClickToDialCall, true);
    assert.equal(data.inbound, false);
    assert.equal(data.outboundDestination, '0412345678');
    assert.equal(data.callStartTime, '');

    // A held poll returns as soon as the customer answers.
    const held = sub(a.seq, 10);
    await control('customer-answer', { callId: id });
    const b = await held;
    assert.deepEqual(statuses(b), ['Connected']);
    assert.match(b.Data!['100']![0]!.CallData.callStartTime, /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);

    assert.deepEqual((await call('hangup', { extenOrUniqueId: id })).body, { Message: 'Channel Hungup', Code: 0 });
    assert.deepEqual(statuses(await sub(b.seq)), ['Hungup']);
    assert.deepEqual((await sub(0)).Data, { '100': [] });
  });

  it('connects by itself after connectDelayMs; without autoAnswer the handset rings first', async () => {
    await control('configure', { connectDelayMs: 30 });
    const first = await sub(0);
    await call('dial', { number: '0412345678', extenOrUniqueId: '100', monitored: 'yes' });
    await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(statuses(await sub(first.seq)), ['Ringing', 'Dialing Out', 'Connected']);
  });

  it('an unmonitored dial is invisible to subscribe', async () => {
    const first = await sub(0);
    await call('dial', { number: '0412345678', extenOrUniqueId: 'SIP/100', autoAnswer: 'x' });
    const later = await sub(first.seq);
    assert.deepEqual(later.Data, {});
    assert.equal(((await (await fetch(`${emu.url}/__state`)).json()) as { calls: unknown[] }).calls.length, 1);
  });

  it('inbound: rings with canAnswer, answer needs the call id, the extension and an answer string', async () => {
    const first = await sub(0);
    const { callId } = (await control('offer-inbound', { to: '100', from: '0298765432', name: 'Sam Lee' })) as { callId: string };
    const ringing = await sub(first.seq);
    const data = ringing.Data!['100']![0]!.CallData;
    assert.equal(data.status, 'Ringing');
    assert.equal(data.canAnswer, true);
    assert.equal(data.inbound, true);
    assert.equal(data.callerId, '0298765432');

    assert.equal((await call('answer', { uniqueId: callId, exten: 'SIP/100' })).body.Code, -2);
    assert.equal((await call('answer', { uniqueId: callId, exten: '101', answerString: 'x' })).body.Code, -6);
    assert.equal((await call('answer', { uniqueId: '1.999', exten: '100', answerString: 'x' })).body.Code, -4);
    assert.equal((await call('answer', { uniqueId: callId, exten: 'SIP/100', answerString: 'Alert-Info: Ring Answer' })).body.Code, 0);
    const answered = await sub(ringing.seq);
    assert.deepEqual(statuses(answered), ['Connected']);
    assert.equal(answered.Data!['100']![0]!.CallData.canAnswer, false);
    // Answering twice is refused.
    assert.equal((await call('answer', { uniqueId: callId, exten: '100', answerString: 'x' })).body.Code, -6);

    await control('customer-hangup', { callId });
    assert.deepEqual(statuses(await sub(answered.seq)), ['Hungup']);
  });

  it('recording: start with a tag on a connected call, refusals, stop; the legs carry the tag', async () => {
    const { callId } = (await control('offer-inbound', { to: '101', from: '0298765432' })) as { callId: string };
    assert.equal((await call('start', { extenOrUniqueId: callId, tag: 'ACC-1002' })).body.Code, -9);
    await control('customer-answer', { callId });
    // Noojee's own client sends recording start/stop as GET: both are taken.
    assert.deepEqual((await call('start', { extenOrUniqueId: callId, tag: 'ACC-1002', agentLoginName: 'jo' }, 'GET')).body, { Message: 'Recording started', Code: 0 });
    assert.equal((await call('start', { extenOrUniqueId: callId })).body.Code, -7);
    const meta = async (tag: string) =>
      (await (await fetch(`${emu.url}/njadmin/rest/RecordingAPI/retrieveMetaData?apiKey=${KEY}&tag=${tag}`, { method: 'POST' })).json()) as Array<Record<string, string>>;
    let legs = await meta('ACC-1002');
    assert.equal(legs.length, 1);
    assert.equal(legs[0]!.UniqueId, callId);
    assert.equal(legs[0]!.Username, 'jo');
    assert.equal(legs[0]!.Duration, '', 'an open leg has no duration yet');
    assert.deepEqual((await call('stop', { extenOrUniqueId: '101' })).body, { Message: 'Recording stopped', Code: 0 });
    assert.equal((await call('stop', { extenOrUniqueId: callId })).body.Code, -8);
    legs = await meta('ACC-1002');
    assert.match(legs[0]!.Duration!, /^\d+$/);
    // The Java client's malformed "&tag<value>" parameter is tolerated and means no tag.
    const query = `apiKey=${KEY}&extenOrUniqueId=${callId}&tagACC-1002`;
    assert.equal(((await (await fetch(`${emu.url}/servicemanager/rest/CallManagementAPI/start?${query}`, { method: 'POST' })).json()) as Json).Code, 0);
    const byId = (await (await fetch(`${emu.url}/njadmin/rest/RecordingAPI/retrieveMetaDataByUniqueId?apiKey=${KEY}&uniqueId=${callId}`, { method: 'POST' })).json()) as Array<Record<string, string>>;
    assert.deepEqual(byId.map((leg) => [leg.Leg, leg.Tag]), [['1', 'ACC-1002'], ['2', '']]);
  });

  it('dial with record=true and a tag records from connect', async () => {
    const d = await call('dial', { number: '0412345678', extenOrUniqueId: 'SIP/102', autoAnswer: 'x', record: 'true', tag: 'ACC-1001' });
    await control('customer-answer', { callId: d.body.SessionID });
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as { calls: Array<{ recording: { tag: string } | null }> };
    assert.deepEqual(state.calls[0]!.recording, { tag: 'ACC-1001', username: 'agent102' });
  });

  it('hangup: by extension or unique id; nothing to hang up is -4', async () => {
    assert.equal((await call('hangup', { extenOrUniqueId: '100' })).body.Code, -4);
    await control('offer-inbound', { to: '100', from: '0298765432' });
    assert.equal((await call('hangup', { extenOrUniqueId: 'SIP/100-00000a1f' })).body.Code, 0);
    assert.equal((await call('hangup', { extenOrUniqueId: '1.1' })).body.Code, -4);
  });

  it('subscribe: a held poll answers at timeOut with empty Data; a sequence it cannot continue from gives the current state with Code 1', async () => {
    const first = await sub(0);
    const t0 = Date.now();
    const empty = await sub(first.seq, 1);
    assert.ok(Date.now() - t0 >= 900);
    assert.deepEqual(empty.Data, {});
    assert.equal(empty.seq, first.seq);

    const { callId } = (await control('offer-inbound', { to: '100', from: '0298765432' })) as { callId: string };
    const future = await sub(first.seq + 50);
    assert.equal(future.Code, 1);
    assert.deepEqual(statuses(future), ['Ringing']);
    assert.equal(future.Data!['100']![0]!.CallData.uniqueCallId, callId);

    await control('restart-sequence');
    const afterRestart = await sub(future.seq);
    assert.equal(afterRestart.Code, 1, 'the server forgot the sequence: current state again');
    assert.deepEqual(statuses(afterRestart), ['Ringing']);
  });

  it('subscribe: several extensions at once, only the listed ones, unknown extension -3', async () => {
    const first = await sub(0, 0, '100,101');
    assert.deepEqual(first.Data, { '100': [], '101': [] });
    await control('offer-inbound', { to: '101', from: '0298765432' });
    await control('offer-inbound', { to: '103', from: '0298765432' });
    const next = await sub(first.seq, 0, '100,101');
    assert.deepEqual(Object.keys(next.Data!), ['101']);
    assert.equal((await call('subscribe', { exten: '100,555' })).body.Code, -3);
  });

  it('a client that drops a held poll leaves nothing held', async () => {
    const first = await sub(0);
    const abort = new AbortController();
    const query = new URLSearchParams({ apiKey: KEY, exten: '100', lastSequenceNumber: String(first.seq), timeOut: '30' });
    const pending = fetch(`${emu.url}/servicemanager/rest/CallManagementAPI/subscribe?${query}`, { method: 'POST', signal: abort.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(emu.pbx.heldPolls, 1);
    abort.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(emu.pbx.heldPolls, 0);
  });

  it('busy and no-answer end the call with that status, then Hungup', async () => {
    const first = await sub(0);
    const d = await call('dial', { number: '0412345678', extenOrUniqueId: 'SIP/100', autoAnswer: 'x', monitored: 'yes' });
    await control('customer-busy', { callId: d.body.SessionID });
    assert.deepEqual(statuses(await sub(first.seq)), ['Dialing Out', 'Busy', 'Hungup']);
  });

  it('CampaignAPI: lists with lower-case envelopes; updateLeadFast sets a disposition or refuses with its code, changing nothing', async () => {
    const get = async (method: string, params: Record<string, string> = {}) => {
      const response = await fetch(`${emu.url}/servicemanager/rest/CampaignAPI/${method}?${new URLSearchParams({ apiKey: KEY, ...params })}`);
      return { status: response.status, body: (await response.json()) as Json };
    };
    assert.deepEqual((await get('getCampaignTemplateList')).body.entities, [{ id: 1, name: 'Sales' }, { id: 2, name: 'Support' }]);
    assert.deepEqual((await get('getCampaignList', { fTemplateId: '1' })).body.entities, [{ id: 11, name: 'Spring renewals' }]);
    assert.deepEqual((await get('getAllocationList', { fCampaignId: '11' })).body.entities, [{ id: 111, name: 'Main list' }]);
    const dispositions = (await get('getDispositionList', { fTemplateId: '1' })).body;
    assert.equal(dispositions.code, 0);
    assert.deepEqual((dispositions.entities as Array<{ name: string }>).map((d) => d.name), ['Sale', 'No sale', 'Call back', 'Wrong number']);
    assert.equal((await get('getCampaignList')).status, 500);

    const update = async (leads: unknown) => {
      const query = new URLSearchParams({ apiKey: KEY, fTemplateId: '1', fCampaignId: '11', fAllocationId: '111' });
      const response = await fetch(`${emu.url}/servicemanager/rest/CampaignAPI/updateLeadFast?${query}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(leads),
      });
      return { status: response.status, body: (await response.json()) as Json };
    };
    const unknown = await update([{ njExternalLeadId: 'NOPE', njDisposition: 'Sale' }]);
    assert.deepEqual([unknown.status, unknown.body.code], [400, 101]);
    const badDisposition = await update([{ njExternalLeadId: 'ACC-1001', njDisposition: 'Maybe' }]);
    assert.deepEqual([badDisposition.status, badDisposition.body.code], [400, 106]);
    const leadsOf = async () => ((await (await fetch(`${emu.url}/__state`)).json()) as { leads: Array<{ njExternalLeadId: string; njDisposition: string }> }).leads;
    assert.equal((await leadsOf()).find((l) => l.njExternalLeadId === 'ACC-1001')!.njDisposition, '');
    const ok = await update([{ njExternalLeadId: 'ACC-1001', njDisposition: 'Sale' }]);
    assert.deepEqual([ok.status, ok.body.code], [200, 0]);
    assert.equal((await leadsOf()).find((l) => l.njExternalLeadId === 'ACC-1001')!.njDisposition, 'Sale');
  });

  it('logs the exact requests (paths, query with its case) and honours fail-next', async () => {
    await call('hangup', { extenOrUniqueId: '100' });
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ method: string; path: string; query: Record<string, string> }>;
    assert.deepEqual(log.at(-1), { ...log.at(-1), method: 'POST', path: '/servicemanager/rest/CallManagementAPI/hangup', query: { apiKey: KEY, extenOrUniqueId: '100' } });
    await control('fail-next', { status: 500, body: 'boom', match: '/hangup' });
    const failed = await fetch(`${emu.url}/servicemanager/rest/CallManagementAPI/hangup?apiKey=${KEY}&extenOrUniqueId=100`, { method: 'POST' });
    assert.equal(failed.status, 500);
    assert.equal(await failed.text(), 'boom');
  });
});

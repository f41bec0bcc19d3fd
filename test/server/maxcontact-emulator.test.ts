/**
 * The MaxContact emulator on its own, over real HTTP: the token service, the TokenKey cookie (401
 * when missing, wrong or expired), XML by default and JSON on request, the CallActionResponse
 * shapes of the document, the response codes we chose, and the call model (connect delay,
 * customer hang-up → awaiting disposition, dispose, connectcalls, leads).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../../server/emulators/maxcontact/index.ts';
import { readEnvelope } from '../../src/connectors/maxcontact/codec.ts';
import type { TelephonyMethod } from '../../src/connectors/maxcontact/protocol.ts';

const TOKEN = 'emulator-test-token';
const API = '/webservices/services/telephony';

describe('MaxContact emulator', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  const control = async (verb: string, body: unknown = {}) => {
    const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const get = async (path: string, headers: Record<string, string> = { cookie: `TokenKey=${TOKEN}` }) => {
    const res = await fetch(`${emu.url}${path}`, { headers });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const call = async (method: TelephonyMethod, tail: string, json = true) => {
    const res = await get(`${API}/${method}/user/1001${tail}`, { cookie: `TokenKey=${TOKEN}`, ...(json ? { 'content-type': 'application/json' } : {}) });
    return { ...res, envelope: readEnvelope(res.text, res.type, method) };
  };

  before(async () => {
    emu = await start({ tokenKey: TOKEN, apiLogin: 'api', apiPassword: 'pässword', connectDelayMs: -1, ringMs: -1, tokenTtlMs: 200 });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(async () => {
    await control('reset');
  });

  it('401 with a CallActionResponse when the TokenKey cookie is missing or wrong; nothing happens', async () => {
    for (const headers of [{}, { cookie: 'TokenKey=wrong' }, { cookie: 'Other=1' }, { authorization: TOKEN }] as Array<Record<string, string>>) {
      const res = await get(`${API}/goready/user/1001`, headers);
      assert.equal(res.status, 401);
      assert.match(res.type, /application\/xml/);
      assert.equal(res.text, '<?xml version="1.0" encoding="utf-8"?><CallActionResponse><Success>false</Success><Data /><ResponseCode>401</ResponseCode><ResponseDetail>Invalid or missing token</ResponseDetail></CallActionResponse>');
    }
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as { agents: Array<{ id: number; state: string }> };
    assert.equal(state.agents.find((a) => a.id === 1001)!.state, 'notReady');
  });

  it('the token service issues tokens for the right login (password Base64 in Authorization) that expire', async () => {
    const auth = Buffer.from('pässword', 'utf8').toString('base64');
    const bad = await get('/webservices/services/apitoken/login/api', { authorization: Buffer.from('nope').toString('base64'), 'content-type': 'application/json' });
    assert.equal(bad.status, 401);
    assert.deepEqual(JSON.parse(bad.text), { Success: false, Data: null, ResponseCode: 10, ResponseDetail: 'Invalid login or password' });
    const ok = await get('/webservices/services/apitoken/login/api', { authorization: auth });
    assert.equal(ok.status, 200);
    const envelope = readEnvelope(ok.text, ok.type, 'token') as { Data: { TokenKey: string; ExpiresIn: number } };
    assert.match(envelope.Data.TokenKey, /^[0-9a-f]{48}$/);
    assert.equal(envelope.Data.ExpiresIn, 1);
    assert.equal((await get(`${API}/getcalls/user/1001`, { cookie: `TokenKey=${envelope.Data.TokenKey}` })).status, 200);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal((await get(`${API}/getcalls/user/1001`, { cookie: `TokenKey=${envelope.Data.TokenKey}` })).status, 401);
  });

  it('XML by default, JSON with Content-Type (or Accept) application/json, or as configured', async () => {
    const xml = await get(`${API}/getcalls/user/1001`);
    assert.equal(xml.text, '<?xml version="1.0" encoding="utf-8"?><CallActionResponse><Success>true</Success><Data /><ResponseCode>0</ResponseCode><ResponseDetail>OK</ResponseDetail></CallActionResponse>');
    const json = await get(`${API}/getcalls/user/1001`, { cookie: `TokenKey=${TOKEN}`, accept: 'application/json' });
    assert.deepEqual(JSON.parse(json.text), { Success: true, Data: [], ResponseCode: 0, ResponseDetail: 'OK' });
    await control('configure', { format: 'json' });
    assert.match((await get(`${API}/getcalls/user/1001`)).type, /json/);
    assert.equal((await control('configure', { format: 'yaml' })).status, 400);
  });

  it('dial → a Call (newest lead by number, or a new lead); connected when the customer answers; the same in XML and JSON', async () => {
    const dial = await call('dial', '/phone/%2B447911123456');
    assert.equal(dial.status, 200);
    const c = dial.envelope.Data as Record<string, unknown>;
    assert.deepEqual(Object.keys(c), ['CallId', 'CallStartTime', 'CallState', 'CallStatus', 'CustomerName', 'CustomerName2', 'PhoneNumber', 'RecordingState']);
    assert.deepEqual({ ...c, CallStartTime: 'x' }, { CallId: 1000, CallStartTime: 'x', CallState: 1, CallStatus: 1, CustomerName: 'Alex Morgan', CustomerName2: '', PhoneNumber: '+447911123456', RecordingState: 0 });
    await control('customer-answer', { callId: '1000' });
    const listed = await call('getcalls', '', false);
    assert.match(listed.text, /<Data><Call><CallId>1000<\/CallId>/);
    assert.deepEqual((listed.envelope.Data as Array<Record<string, unknown>>).map((x) => [x.CallId, x.CallState]), [[1000, 3]]);
    const other = await call('dial', '/phone/12ab');
    assert.deepEqual([other.envelope.Success, other.envelope.ResponseCode], [false, 4]);
    const busy = await call('dial', '/phone/%2B442071230000');
    assert.deepEqual([busy.envelope.ResponseCode, busy.envelope.ResponseDetail], [6, 'The agent is on a call']);
  });

  it('hold / retrieve / record refuse the wrong state; a hang-up waits for dispose; goready is refused until then', async () => {
    await call('dial', '/phone/%2B447911123456?leadid=5002');
    const early = await call('hold', '/call/1000');
    assert.deepEqual([early.envelope.Success, early.envelope.ResponseCode], [false, 3]);
    await control('customer-answer', { callId: '1000' });
    assert.equal((await call('hold', '/call/1000')).envelope.Success, true);
    assert.equal((await call('hold', '/call/1000')).envelope.ResponseCode, 3);
    assert.equal((await call('retrieve', '/call/1000')).envelope.Success, true);
    assert.equal((await call('startrecord', '/call/1000')).envelope.Success, true);
    assert.equal(((await call('getcalls', '')).envelope.Data as Array<{ RecordingState: number; CustomerName: string }>)[0]!.RecordingState, 1);
    await control('customer-hangup', { callId: '1000' });
    const ended = ((await call('getcalls', '')).envelope.Data as Array<Record<string, unknown>>)[0]!;
    assert.deepEqual([ended.CallState, ended.CallStatus, ended.RecordingState, ended.CustomerName], [5, 2, 2, 'Sam Lee']);
    assert.equal((await call('goready', '')).envelope.ResponseCode, 7);
    assert.equal((await call('dispose', '/call/1000?resultcode=NOPE')).envelope.ResponseCode, 5);
    assert.equal((await call('dispose', '/call/1000')).envelope.ResponseCode, 8);
    assert.equal((await call('dispose', '/call/1000?resultcode=SALE')).envelope.Success, true);
    assert.deepEqual((await call('getcalls', '')).envelope.Data, []);
    assert.equal((await call('hangup', '/call/1000')).envelope.ResponseCode, 2);
  });

  it('connectcalls bridges two live calls with both result codes (required) and optional notes and sales', async () => {
    await control('go-ready', { userId: '1001' });
    const { body } = await control('offer-inbound', { to: '1001', from: '+447911654321' });
    assert.equal(body.callId, '1000');
    assert.equal((await control('offer-inbound', { to: '1001', from: '+447911654321' })).status, 409);
    await control('customer-answer', { callId: '1000' });
    await call('hold', '/call/1000');
    await call('dial', '/phone/%2B442071230100');
    assert.equal((await call('connectcalls', '?call1=1000&call2=1001&resultcode1=XFER')).envelope.ResponseCode, 8);
    const ok = await call('connectcalls', '?call1=1000&call2=1001&resultcode1=XFER&resultcode2=SALE&notes1=warm%20hand-over&numsales2=1');
    assert.equal(ok.envelope.Success, true);
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as { calls: unknown[]; bridges: unknown[]; agents: Array<{ id: number; state: string }> };
    assert.deepEqual(state.calls, []);
    assert.deepEqual(state.bridges, [{ userId: 1001, call1: 1000, call2: 1001, resultCode1: 'XFER', resultCode2: 'SALE', notes1: 'warm hand-over', numSales2: 1 }]);
    assert.equal(state.agents.find((a) => a.id === 1001)!.state, 'ready');
  });

  it('lists: result codes, users, campaigns (every documented field), ACD queues, lead phones; change lead, create new lead', async () => {
    const codes = (await call('resultcodes', '', false)).envelope.Data as Array<Record<string, unknown>>;
    assert.equal(codes.length, 6);
    assert.deepEqual(Object.keys(codes[0]!), ['Code', 'Description', 'IsAgentViewable', 'IsCallAgain', 'IsCallback', 'IsSuccess', 'IsSystemResultCode', 'IsTransfer', 'ResultCodeID', 'Sales', 'StatusID', 'SuccessType']);
    assert.equal(codes[0]!.IsSuccess, true);
    const users = (await call('users', '')).envelope.Data as Array<Record<string, unknown>>;
    assert.deepEqual(users[0], { FullName: 'Ava Patel', ID: 1001 });
    const campaigns = (await call('campaigns', '', false)).envelope.Data as Array<Record<string, unknown>>;
    assert.equal(Object.keys(campaigns[0]!).length, 61); // every field the document lists (Leads is listed twice)
    assert.equal(campaigns[0]!.CampaignName, 'Spring renewals');
    const queues = (await call('acdqueues', '')).envelope.Data as Array<Record<string, unknown>>;
    assert.deepEqual(queues.map((q) => q.AcdName), ['Sales', 'Support']);
    const phones = (await call('leadphones', '/lead/5001', false)).envelope.Data as Array<Record<string, unknown>>;
    assert.deepEqual(phones[0], { LeadId: 5001, LeadPhoneID: 9001, PhoneNumber: '+447911123456', RecordType: 'Mobile', RecordTypeId: 2 });
    assert.equal((await call('leadphones', '/lead/42')).envelope.ResponseCode, 9);
    await call('dial', '/phone/%2B447911123456');
    assert.equal((await call('changelead', '/call/1000/leadphone/9003')).envelope.Success, true);
    assert.equal(((await call('getcalls', '')).envelope.Data as Array<{ CustomerName: string }>)[0]!.CustomerName, 'Sam Lee');
    assert.equal((await call('createnewlead', '/call/1000/phone/%2B442071239876')).envelope.Success, true);
    assert.equal(((await call('getcalls', '')).envelope.Data as Array<{ CustomerName: string }>)[0]!.CustomerName, '');
  });

  it('refusals: unknown user, not logged in, wrong path, wrong method, non-numeric ids', async () => {
    assert.equal((await get(`${API}/getcalls/user/1011`, { cookie: `TokenKey=${TOKEN}`, 'content-type': 'application/json' })).text.includes('"ResponseCode":1'), true);
    assert.equal((await get(`${API}/getcalls/user/abc`, { cookie: `TokenKey=${TOKEN}`, 'content-type': 'application/json' })).text.includes('"ResponseCode":8'), true);
    assert.equal((await get(`${API}/nosuch/user/1001`)).status, 404);
    assert.equal((await get(`${API}/hold/user/1001`)).status, 404);
    const post = await fetch(`${emu.url}${API}/goready/user/1001`, { method: 'POST', headers: { cookie: `TokenKey=${TOKEN}` } });
    assert.equal(post.status, 405);
    assert.equal((await call('hold', '/call/x1')).envelope.ResponseCode, 8);
  });
});

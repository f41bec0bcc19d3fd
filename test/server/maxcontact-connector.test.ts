/**
 * The `maxcontact` connector with a real session against the real MaxContact emulator over real
 * HTTP, in XML and in JSON: getcalls polling turned into canonical calls, each command and its
 * exact request (path, TokenKey cookie, Content-Type, query), the token service, readable errors
 * with the vendor's code, and the recoveries (a 500, a dropped connection, garbage, a timeout).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../../server/emulators/maxcontact/index.ts';
import { MaxContactConnector } from '../../src/connectors/maxcontact/maxcontact-connector.ts';
import type { MaxContactConfig } from '../../src/connectors/maxcontact/maxcontact-config.ts';
import { Session } from '../../src/core/session.ts';
import type { CanonicalEvent } from '../../src/core/events.ts';
import type { Snapshot } from '../../src/core/model.ts';
import type { CtiError } from '../../src/core/errors.ts';
import { emulatorClient, untilSnapshot } from '../fixtures/emulator-client.ts';

type Logged = { method: string; path: string; query: Record<string, string>; headers: Record<string, string> };
const TOKEN = 'connector-test-token-0123';
const API = '/webservices/services/telephony';

describe('maxcontact connector ⇄ MaxContact emulator', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  let session: Session | undefined;
  let connector: MaxContactConnector;
  let events: CanonicalEvent[] = [];

  const emulator = emulatorClient(() => emu.url);
  const control = emulator.control;
  const emuState = () => emulator.state<{ calls: Array<{ CallId: number; line: string; recording: string }>; dispositions: Array<{ callId: number; resultCode: string }>; bridges: Array<Record<string, unknown>> }>();
  const log = () => emulator.log<Logged>();
  const commandsSent = async () => (await log()).filter((e) => !e.path.includes('/getcalls/'));
  const until = (test: (s: Snapshot) => boolean, what: string, timeoutMs = 5000) => untilSnapshot(session!, test, what, timeoutMs);
  const enabled = () => Object.entries(session!.snapshot.capabilities).filter(([, v]) => v).map(([k]) => k).sort();
  const call = () => session!.snapshot.calls[0];

  async function open(config: Partial<MaxContactConfig> = {}, agentId = '1001') {
    connector = new MaxContactConnector({
      agentId,
      endpoint: emu.url,
      config: { tokenKey: TOKEN, pollIntervalMs: 100, idlePollIntervalMs: 150, pollTimeoutMs: 1500, commandTimeoutMs: 3000, ...config } as MaxContactConfig,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    events = [];
    const real = connector.connect.bind(connector);
    connector.connect = (sink) => real((event) => {
      events.push(event);
      sink(event);
    });
    session = new Session(connector, { agentId, commandTimeoutMs: 4000, defaultCountry: 'GB' });
    await session.connect();
    await until((s) => s.connection === 'connected', 'connected');
  }

  before(async () => {
    emu = await start({ tokenKey: TOKEN, connectDelayMs: -1, ringMs: -1 });
  });
  after(async () => {
    session?.destroy();
    await emu.close();
  });
  beforeEach(async () => {
    session?.destroy();
    session = undefined;
    await control('reset');
    await control('configure', { connectDelayMs: -1, ringMs: -1 });
  });

  for (const format of ['xml', 'json'] as const) {
    it(`${format}: ready, dial, connect, hold, retrieve, recording on/off, customer hang-up → wrap-up with the result codes → dispose`, async () => {
      await open({ format });
      assert.equal(session!.snapshot.agent.state, 'notReady');
      assert.deepEqual(session!.snapshot.dispositions.map((d) => d.code), ['SALE', 'NOSALE', 'CALLBACK', 'WRONGNUM', 'XFER']);
      assert.deepEqual(enabled(), ['dial', 'ready']);
      for (const op of ['login', 'logout', 'notReady', 'sendDtmf', 'answer', 'blindTransfer', 'conference'] as const) assert.equal(connector.supports.has(op), false, op);

      await session!.command('ready', {});
      await until((s) => s.agent.state === 'ready', 'ready');
      await session!.command('dial', { number: '07400 123456', recordId: '5001' } as never);
      await until((s) => s.calls[0]?.state === 'dialing', 'dialling');
      assert.equal(call()!.remote.name, 'Alex Morgan');
      assert.equal(call()!.direction, 'outbound');
      assert.deepEqual(call()!.fields.map((f) => [f.key, f.value]), [['leadId', '5001']]);
      const dial = (await commandsSent()).find((e) => e.path.includes('/dial/'))!;
      assert.equal(dial.method, 'GET');
      assert.equal(dial.path, `${API}/dial/user/1001/phone/%2B447400123456`);
      assert.deepEqual(dial.query, { leadid: '5001' });
      assert.equal(dial.headers.cookie, `TokenKey=${TOKEN}`);
      assert.equal(dial.headers['content-type'], format === 'json' ? 'application/json' : undefined);
      assert.deepEqual(enabled(), ['hangup', 'setCustomerField']);

      await control('customer-answer', { callId: call()!.id });
      await until((s) => s.calls[0]?.state === 'talking', 'talking');
      assert.deepEqual(enabled(), ['consult', 'hangup', 'hold', 'setCustomerField', 'startRecording']);
      const id = call()!.id;

      await session!.command('hold', {});
      assert.equal(call()!.state, 'held');
      await session!.command('retrieve', {});
      assert.equal(call()!.state, 'talking');
      await session!.command('startRecording', {});
      assert.equal(call()!.recording, true);
      assert.equal((await emuState()).calls[0]!.recording, 'recording');
      await session!.command('stopRecording', {});
      assert.equal(call()!.recording, false);
      const paths = (await commandsSent()).map((e) => e.path).filter((p) => !p.includes('/resultcodes/'));
      assert.deepEqual(paths, ['goready/user/1001', 'dial/user/1001/phone/%2B447400123456', `hold/user/1001/call/${id}`, `retrieve/user/1001/call/${id}`, `startrecord/user/1001/call/${id}`, `stoprecord/user/1001/call/${id}`].map((p) => `${API}/${p}`));

      await control('customer-hangup', { callId: id });
      await until((s) => s.calls[0]?.state === 'wrapup', 'wrap-up after the customer hung up');
      assert.deepEqual(enabled(), ['wrapUp']);
      await assert.rejects(session!.command('wrapUp', { code: 'SYS-ABANDON' }), (e: CtiError) => e.code === 'INVALID_ARGUMENT');
      await session!.command('wrapUp', { code: 'SALE' });
      await until((s) => s.calls.length === 0 && s.agent.state === 'ready', 'call gone, agent ready');
      const dispose = (await commandsSent()).find((e) => e.path.includes('/dispose/'))!;
      assert.equal(dispose.path, `${API}/dispose/user/1001/call/${id}`);
      assert.deepEqual(dispose.query, { resultcode: 'SALE' });
      assert.deepEqual((await emuState()).dispositions, [{ callId: Number(id), resultCode: 'SALE' }]);
      // Nothing was emitted twice in a row.
      const bodies = events.map(({ seq: _s, ...rest }) => JSON.stringify(rest));
      for (let i = 1; i < bodies.length; i++) assert.notEqual(bodies[i], bodies[i - 1]);
    });
  }

  it('an inbound call appears by polling, rings, connects, and the agent hangs up', async () => {
    await open();
    await session!.command('ready', {});
    const { callId } = (await control('offer-inbound', { to: '1001', from: '+447911654321' })) as { callId: string };
    await until((s) => s.calls[0]?.state === 'ringing', 'ringing');
    assert.equal(call()!.direction, 'inbound');
    assert.equal(call()!.remote.name, 'Sam Lee');
    await control('customer-answer', { callId });
    await until((s) => s.calls[0]?.state === 'talking', 'talking');
    await session!.command('hangup', {});
    assert.equal(call()!.state, 'wrapup');
    await session!.command('wrapUp', { code: 'NOSALE' });
    await until((s) => s.calls.length === 0, 'gone');
  });

  it('a warm transfer cancelled: the consult call is disposed with the "cancelled" code and the customer retrieved', async () => {
    await control('go-ready', { userId: '1001' });
    await open({ format: 'json', transferResultCodes: { cancelled: 'WRONGNUM' } });
    await session!.command('dial', { number: '+447911123456' } as never);
    await control('customer-answer', { callId: call()!.id });
    await until((s) => s.calls[0]?.state === 'talking', 'talking');
    const customer = call()!.id;
    await session!.command('consult', { destination: { id: '+442071230100', type: 'external', label: '+442071230100', number: '+442071230100' } } as never);
    await until((s) => s.calls[0]?.state === 'consult' && s.calls[0].consult?.state === 'dialing', 'consult dialling');
    assert.equal(session!.snapshot.calls.length, 1);
    assert.deepEqual(enabled(), ['cancelConsult', 'setCustomerField']);
    const second = (await emuState()).calls[1]!.CallId;
    await control('customer-answer', { callId: String(second) });
    await until((s) => s.calls[0]?.consult?.state === 'connected', 'consult connected');
    assert.deepEqual(enabled(), ['cancelConsult', 'completeTransfer', 'setCustomerField']);
    await session!.command('cancelConsult', {});
    await until((s) => s.calls[0]?.state === 'talking' && s.calls.length === 1, 'back to the customer');
    assert.equal(call()!.id, customer);
    assert.deepEqual((await emuState()).dispositions, [{ callId: second, resultCode: 'WRONGNUM' }]);
    assert.deepEqual((await commandsSent()).map((e) => e.path.split('/')[4]).filter((m) => m !== 'resultcodes'), ['dial', 'hold', 'dial', 'dispose', 'retrieve']);
  });

  it('change lead / create new lead where the CRM asks (setCustomerField leadPhone / newLead); anything else is refused', async () => {
    await control('go-ready', { userId: '1001' });
    await open();
    await session!.command('dial', { number: '+447911123456' } as never);
    await until((s) => s.calls.length === 1, 'a call');
    assert.equal(call()!.remote.name, 'Alex Morgan');
    await session!.command('setCustomerField', { key: 'leadPhone', value: '9003' });
    await until((s) => s.calls[0]?.remote.name === 'Sam Lee', 'the call is Sam Lee\'s now');
    await session!.command('setCustomerField', { key: 'newLead', value: '+44 20 7123 9876' });
    await until((s) => s.calls[0]?.remote.name === undefined, 'a new lead without a name');
    const sent = (await commandsSent()).filter((e) => /changelead|createnewlead/.test(e.path)).map((e) => e.path);
    assert.deepEqual(sent, [`${API}/changelead/user/1001/call/${call()!.id}/leadphone/9003`, `${API}/createnewlead/user/1001/call/${call()!.id}/phone/%2B442071239876`]);
    await assert.rejects(session!.command('setCustomerField', { key: 'email', value: 'x' }), (e: CtiError) => e.code === 'INVALID_ARGUMENT');
    await assert.rejects(session!.command('setCustomerField', { key: 'leadPhone', value: 'abc' }), (e: CtiError) => e.code === 'INVALID_ARGUMENT');
    await assert.rejects(session!.command('dial', { number: '+447911123456', recordId: 'ACC-1' } as never), (e: CtiError) => e.code === 'INVALID_ARGUMENT' || e.code === 'NOT_ALLOWED');
  });

  it('errors keep MaxContact\'s code and change nothing: Success:false, 500 (never retried), garbage, a drop, a timeout', async () => {
    await control('go-ready', { userId: '1001' });
    await open();
    await session!.command('dial', { number: '+447911123456' } as never);
    await control('customer-answer', { callId: (await emuState()).calls[0]!.CallId });
    await until((s) => s.calls[0]?.state === 'talking', 'talking');
    const failing = async (fail: Record<string, unknown>, check: (e: CtiError) => boolean) => {
      if (fail.stall) await control('stall-next', { ms: 1500, match: '/hold/' });
      else await control('fail-next', { match: '/hold/', ...fail });
      await assert.rejects(session!.command('hold', {}), check);
    };
    await failing({ status: 200, contentType: 'application/json', body: JSON.stringify({ Success: false, Data: null, ResponseCode: 3, ResponseDetail: 'Call <b>busy</b>' }) }, (e) =>
      e.code === 'REJECTED' && e.vendorCode === 3 && e.message === 'The call is not in a state that allows this. (MaxContact code 3: Call busy)' && e.operation === 'hold');
    await failing({ status: 500, body: 'oops' }, (e) => e.vendorCode === 'HTTP 500' && /server error/.test(e.message));
    await failing({ status: 200, body: '<html>' }, (e) => e.code === 'PROTOCOL' && !e.message.includes('<html>'));
    await failing({ drop: true }, (e) => e.code === 'NOT_CONNECTED');
    assert.equal((await emuState()).calls[0]!.line, 'connected');
    assert.equal((await commandsSent()).filter((e) => e.path.includes('/hold/')).length, 4);
    connector.disconnect();
    await open({ commandTimeoutMs: 500 });
    await failing({ stall: true }, (e) => e.code === 'TIMEOUT');
    // MaxContact did it late: the polls show the truth.
    await until((s) => s.calls[0]?.state === 'held', 'held, as MaxContact says');
  });

  it('polls that fail (500, garbage, Success:false, a drop) are readable once, then the next good answer is the truth, nothing twice', async () => {
    await control('go-ready', { userId: '1001' });
    await open();
    const before = events.length;
    await control('fail-next', { status: 500, match: '/getcalls/' });
    await control('fail-next', { status: 200, body: 'garbage', match: '/getcalls/' });
    await control('fail-next', { status: 200, contentType: 'application/json', body: '{"Success":false,"Data":null,"ResponseCode":99,"ResponseDetail":"db down"}', match: '/getcalls/' });
    await control('fail-next', { drop: true, match: '/getcalls/' });
    await control('offer-inbound', { to: '1001', from: '+447911654321' });
    await until((s) => s.calls[0]?.state === 'ringing', 'the inbound call after the failures', 8000);
    const errors = events.slice(before).filter((e) => e.type === 'error').map((e) => (e as { error: { vendorCode?: unknown; message: string } }).error);
    assert.ok(errors.some((e) => e.vendorCode === 99 && /internal error/.test(e.message)), JSON.stringify(errors));
    assert.ok(errors.some((e) => /neither XML nor JSON/.test(e.message)), JSON.stringify(errors));
    const calls = events.filter((e) => e.type === 'call');
    assert.equal(calls.length, 1, 'the ringing call once');
    assert.equal(session!.snapshot.connection, 'connected');
  });

  it('the token service: login at connect, a new token after MaxContact revoked it (the request sent once more), a wrong password refused readably', async () => {
    await control('go-ready', { userId: '1001' });
    await open({ tokenKey: undefined, apiLogin: 'api-user', apiPassword: 'emulator-password' });
    const first = (await log()).find((e) => e.path.includes('/apitoken/'))!;
    assert.equal(first.path, '/webservices/services/apitoken/login/api-user');
    assert.equal(first.headers.authorization, Buffer.from('emulator-password').toString('base64'));
    await control('expire-tokens');
    await session!.command('dial', { number: '+447911123456' } as never);
    await until((s) => s.calls.length === 1, 'dialled with a new token');
    assert.equal((await log()).filter((e) => e.path.includes('/apitoken/')).length, 2);
    assert.equal((await emuState()).calls.length, 1);
    session!.destroy();
    session = undefined;

    const bad = new MaxContactConnector({ agentId: '1001', endpoint: emu.url, config: { apiLogin: 'api-user', apiPassword: 'wrong-password' } });
    await assert.rejects(bad.connect(() => {}), (e: CtiError) => e.code === 'UNAUTHORIZED' && e.vendorCode === 10 && !e.message.includes('wrong-password'));
  });

  it('a fixed token MaxContact refuses: readable, critical, the live state stops', async () => {
    const bad = new MaxContactConnector({ agentId: '1001', endpoint: emu.url, config: { tokenKey: 'not-the-token' } });
    await assert.rejects(bad.connect(() => {}), (e: CtiError) => e.code === 'UNAUTHORIZED' && e.vendorCode === 401 && /refused the token/.test(e.message) && !e.message.includes('not-the-token'));
  });

  it('config: one of tokenKey or apiLogin + apiPassword; enum overrides are checked and applied', async () => {
    const make = (config: Record<string, unknown>, agentId = '1001') => new MaxContactConnector({ agentId, endpoint: emu.url, config: config as MaxContactConfig });
    assert.throws(() => make({}), /tokenKey/);
    assert.throws(() => make({ tokenKey: TOKEN, apiLogin: 'x', apiPassword: 'y' }), /either/);
    assert.throws(() => make({ tokenKey: TOKEN, enums: { callState: { 9: 'flying' } } }), /callState/);
    assert.throws(() => make({ tokenKey: TOKEN }, 'agent-7'), /user id/);
    // A deployment where 3 means held and 4 connected.
    await control('go-ready', { userId: '1001' });
    await open({ enums: { callState: { 3: 'held', 4: 'connected' } } });
    await session!.command('dial', { number: '+447911123456' } as never);
    await control('customer-answer', { callId: (await emuState()).calls[0]!.CallId });
    await until((s) => s.calls[0]?.state === 'held', 'CallState 3 read as held');
  });

  it('result codes that could not be read at connect are asked for again once polls work, and said once', async () => {
    await control('fail-next', { status: 503, match: '/resultcodes/' });
    await control('fail-next', { status: 503, match: '/resultcodes/' });
    await control('fail-next', { status: 503, match: '/resultcodes/' });
    await open();
    assert.deepEqual(session!.snapshot.dispositions, []);
    await until((s) => s.dispositions.length === 5, 'the result codes, read again', 9000);
    const said = events.filter((e) => e.type === 'error' && /result codes could not be read/.test((e as { error: { message: string } }).error.message));
    assert.equal(said.length, 1);
  });

  it('transfer destinations: MaxContact\'s users and ACD queues that have a number (named by MaxContact), then the configured ones', async () => {
    await control('go-ready', { userId: '1001' });
    await open({
      userNumbers: { 1001: '+442071230201', 1002: '+442071230202' },
      queueNumbers: { 22: '+442071230122' },
      transferDestinations: { 'Sales desk': '+442071230100' },
    });
    assert.deepEqual(session!.snapshot.destinations, [
      { id: 'user:1002', type: 'agent', label: 'Ben Carter', number: '+442071230202' },
      { id: 'queue:22', type: 'queue', label: 'Support', number: '+442071230122' },
      { id: 'Sales desk', type: 'external', label: 'Sales desk', number: '+442071230100' },
    ]);
    await session!.command('dial', { number: '+447911123456' } as never);
    await control('customer-answer', { callId: call()!.id });
    await until((s) => s.calls[0]?.state === 'talking', 'talking');
    await session!.command('consult', { destination: session!.snapshot.destinations[1]! } as never);
    await until((s) => s.calls[0]?.consult?.destination.label === 'Support', 'consulting the queue');
    assert.equal((await commandsSent()).filter((e) => e.path.includes('/dial/')).at(-1)!.path, `${API}/dial/user/1001/phone/%2B442071230122`);
    assert.throws(() => new MaxContactConnector({ agentId: '1001', endpoint: emu.url, config: { tokenKey: TOKEN, queueNumbers: { sales: '+4420' } } }), /queueNumbers/);
  });
});

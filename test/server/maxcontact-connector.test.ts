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

type Logged = { method: string; path: string; query: Record<string, string>; headers: Record<string, string> };
const TOKEN = 'connector-test-token-0123';
const API = '/webservices/services/telephony';

describe('maxcontact connector ⇄ MaxContact emulator', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  let session: Session | undefined;
  let connector: MaxContactConnector;
  let events: CanonicalEvent[] = [];

  const control = async (verb: string, body: unknown = {}) => {
    const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, `${verb}: ${JSON.stringify(json)}`);
    return json;
  };
  const emuState = async () => (await (await fetch(`${emu.url}/__state`)).json()) as { calls: Array<{ CallId: number; line: string; recording: string }>; dispositions: Array<{ callId: number; resultCode: string }>; bridges: Array<Record<string, unknown>> };
  const log = async (): Promise<Logged[]> => (await (await fetch(`${emu.url}/__log`)).json()) as Logged[];
  const commandsSent = async () => (await log()).filter((e) => !e.path.includes('/getcalls/'));
  const until = (test: (s: Snapshot) => boolean, what: string, timeoutMs = 5000) =>
    new Promise<Snapshot>((resolve, reject) => {
      if (test(session!.snapshot)) return resolve(session!.snapshot);
      const timer = setTimeout(() => {
        off();
        const s = session!.snapshot;
        reject(new Error(`timed out waiting for: ${what} (call ${s.calls[0]?.state}, connection ${s.connection}, error ${s.lastError?.message})`));
      }, timeoutMs);
      const off = session!.subscribe((s) => {
        if (!test(s)) return;
        clearTimeout(timer);
        off();
        resolve(s);
      });
    });
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
});

/**
 * The `noojee` connector with a real session against the real Noojee emulator over real HTTP:
 * the subscribe long poll, each command and its exact request, readable errors with the vendor's
 * code, and the recoveries (a dropped poll, a 500, a restarted sequence, a restarted connector).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../../server/emulators/noojee/index.ts';
import { NoojeeConnector } from '../../src/connectors/noojee/noojee-connector.ts';
import type { NoojeeConfig } from '../../src/connectors/noojee/noojee-config.ts';
import { Session } from '../../src/core/session.ts';
import type { Snapshot } from '../../src/core/model.ts';
import type { CtiError } from '../../src/core/errors.ts';

type Logged = { method: string; path: string; query: Record<string, string>; body: string };

describe('noojee connector ⇄ Noojee emulator', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  let session: Session | undefined;
  let connector: NoojeeConnector;
  const KEY = 'connector-test-key';
  const CAMPAIGN = { templateId: 1, campaignId: 11, allocationId: 111 };

  const control = async (verb: string, body: unknown = {}) => {
    const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, `${verb}: ${JSON.stringify(json)}`);
    return json;
  };
  const log = async (): Promise<Logged[]> => (await (await fetch(`${emu.url}/__log`)).json()) as Logged[];
  const commandsSent = async () => (await log()).filter((e) => !e.path.endsWith('/subscribe'));
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

  async function open(config: Partial<NoojeeConfig> = {}, agentId = '100') {
    connector = new NoojeeConnector({
      agentId,
      endpoint: emu.url,
      config: { apiKey: KEY, handset: 'Yealink', pollTimeoutS: 2, campaign: CAMPAIGN, ...config },
      backoff: { initialMs: 20, maxMs: 100 },
      commandTimeoutMs: 3000,
    });
    session = new Session(connector, { agentId, commandTimeoutMs: 4000, defaultCountry: 'AU' });
    await session.connect();
    await until((s) => s.connection === 'connected', 'connected');
  }

  before(async () => {
    emu = await start({ apiKey: KEY, connectDelayMs: -1 });
  });
  after(async () => {
    session?.destroy();
    await emu.close();
  });
  beforeEach(async () => {
    session?.destroy();
    session = undefined;
    await control('reset');
    await control('configure', { connectDelayMs: -1 });
  });

  it('starts ready with the campaign\'s dispositions; only dial is possible; nothing Noojee lacks is ever offered', async () => {
    await open();
    assert.equal(session!.snapshot.agent.state, 'ready');
    assert.deepEqual(session!.snapshot.dispositions.map((d) => d.code), ['Sale', 'No sale', 'Call back', 'Wrong number']);
    assert.deepEqual(enabled(), ['dial']);
    for (const op of ['login', 'ready', 'notReady', 'hold', 'blindTransfer', 'sendDtmf', 'consult'] as const) {
      assert.equal(connector.supports.has(op), false, op);
    }
    const first = (await log()).find((e) => e.path.endsWith('/subscribe'))!;
    assert.deepEqual(first.query, { apiKey: KEY, exten: '100', lastSequenceNumber: '0', timeOut: '2' });
    assert.equal(first.method, 'POST');
  });

  it('click-to-dial for a CRM record: dialling, connected, recording with the record\'s tag, off, hang up, wrap-up with a disposition', async () => {
    await open();
    await session!.command('dial', { number: '0412 345 678', recordId: 'ACC-1001' } as never);
    const dialed = await until((s) => s.calls[0]?.state === 'dialing', 'dialling');
    assert.equal(dialed.calls[0]!.remote.number, '+61412345678');
    const dial = (await commandsSent()).find((e) => e.path.endsWith('/dial'))!;
    assert.deepEqual(Object.keys(dial.query), ['apiKey', 'number', 'extenOrUniqueId', 'autoAnswer', 'monitored']);
    assert.deepEqual(dial.query, { apiKey: KEY, number: '+61412345678', extenOrUniqueId: 'SIP/100', autoAnswer: 'Call-Info:\\; answer-after=0', monitored: 'yes' });
    assert.equal(dial.method, 'POST');
    assert.equal(dial.body, '');
    assert.deepEqual(enabled(), ['hangup']);

    await control('customer-answer', { callId: call()!.id });
    await until((s) => s.calls[0]?.state === 'talking', 'talking');
    assert.equal(call()!.campaign, 'Spring renewals');
    assert.deepEqual(call()!.fields.map((f) => [f.key, f.value]), [['recordId', 'ACC-1001']]);
    assert.deepEqual(enabled(), ['hangup', 'startRecording']);

    await session!.command('startRecording', {});
    assert.equal(call()!.recording, true);
    const started = (await commandsSent()).find((e) => e.path.endsWith('/start'))!;
    assert.deepEqual(started.query, { apiKey: KEY, extenOrUniqueId: call()!.id, tag: 'ACC-1001' });
    let state = (await (await fetch(`${emu.url}/__state`)).json()) as { calls: Array<{ recording: { tag: string } | null }> };
    assert.equal(state.calls[0]!.recording!.tag, 'ACC-1001');
    assert.deepEqual(enabled(), ['hangup', 'stopRecording']);
    const id = call()!.id;
    await session!.command('stopRecording', {});
    assert.equal(call()!.recording, false);
    const stopped = (await commandsSent()).find((e) => e.path.endsWith('/stop'))!;
    assert.equal(stopped.path, '/servicemanager/rest/CallManagementAPI/stop');
    assert.deepEqual(stopped.query, { apiKey: KEY, extenOrUniqueId: id });
    assert.equal(stopped.method, 'POST');

    await session!.command('hangup', {});
    await until((s) => s.calls[0]?.state === 'wrapup', 'wrap-up after hang-up (campaign call)');
    const hungUp = (await commandsSent()).find((e) => e.path.endsWith('/hangup'))!;
    assert.equal(hungUp.path, '/servicemanager/rest/CallManagementAPI/hangup');
    assert.deepEqual(Object.keys(hungUp.query), ['apiKey', 'extenOrUniqueId']);
    assert.deepEqual(hungUp.query, { apiKey: KEY, extenOrUniqueId: id });
    assert.equal(hungUp.method, 'POST');
    assert.deepEqual(enabled(), ['wrapUp']);
    await assert.rejects(session!.command('wrapUp', { code: 'Maybe' }), (e: CtiError) => e.code === 'INVALID_ARGUMENT');
    await session!.command('wrapUp', { code: 'Sale' });
    await until((s) => s.calls.length === 0, 'call gone after the disposition');
    state = (await (await fetch(`${emu.url}/__state`)).json()) as never;
    const leads = (state as unknown as { leads: Array<{ njExternalLeadId: string; njDisposition: string }> }).leads;
    assert.equal(leads.find((l) => l.njExternalLeadId === 'ACC-1001')!.njDisposition, 'Sale');
    const update = (await commandsSent()).find((e) => e.path.endsWith('/updateLeadFast'))!;
    assert.deepEqual(update.query, { apiKey: KEY, fTemplateId: '1', fCampaignId: '11', fAllocationId: '111' });
    assert.deepEqual(JSON.parse(update.body), [{ njExternalLeadId: 'ACC-1001', njDisposition: 'Sale' }]);
  });

  it('an inbound call rings, is answered with the handset\'s answer string, and ends when the customer hangs up', async () => {
    await open({ handset: 'Polycom' });
    const { callId } = (await control('offer-inbound', { to: '100', from: '0298765432' })) as { callId: string };
    await until((s) => s.calls[0]?.state === 'ringing', 'ringing');
    assert.equal(call()!.direction, 'inbound');
    assert.equal(call()!.remote.number, '0298765432');
    assert.deepEqual(enabled(), ['answer', 'hangup']);
    await session!.command('answer', {});
    await until((s) => s.calls[0]?.state === 'talking', 'talking');
    const answer = (await commandsSent()).find((e) => e.path.endsWith('/answer'))!;
    assert.deepEqual(answer.query, { apiKey: KEY, uniqueId: callId, exten: 'SIP/100', answerString: 'Alert-Info: Ring Answer' });
    await control('customer-hangup', { callId });
    await until((s) => s.calls.length === 0, 'removed (not a campaign call)');
  });

  it('Noojee\'s refusals are readable with the code kept, and change nothing', async () => {
    await open();
    const { callId } = (await control('offer-inbound', { to: '100', from: '0298765432' })) as { callId: string };
    await until((s) => s.calls[0]?.state === 'ringing', 'ringing');
    await control('fail-next', { status: 200, body: '{"Message":"Call is not ringing","Code":-6}', match: '/answer' });
    await assert.rejects(session!.command('answer', {}), (e: CtiError) => {
      assert.equal(e.vendorCode, -6);
      assert.match(e.message, /not ringing.*Noojee code -6/);
      return true;
    });
    assert.equal(session!.snapshot.lastError?.vendorCode, -6);
    assert.equal(call()!.state, 'ringing');
    await control('fail-next', { status: 500, body: 'Internal Server Error', match: '/answer' });
    await assert.rejects(session!.command('answer', {}), (e: CtiError) => e.vendorCode === 'HTTP 500' && /server error/.test(e.message));
    await control('fail-next', { status: 200, body: '<html>proxy page</html>', match: '/answer' });
    await assert.rejects(session!.command('answer', {}), (e: CtiError) => e.code === 'PROTOCOL' && /not JSON/.test(e.message));
    assert.equal(call()!.state, 'ringing');
    await session!.command('answer', {});
    await until((s) => s.calls[0]?.state === 'talking', 'answered at last');
    await control('customer-hangup', { callId });
  });

  it('a bad API key: connect fails as unauthorized, and the key is in no message', async () => {
    connector = new NoojeeConnector({ agentId: '100', endpoint: emu.url, config: { apiKey: 'wrong-key-xyz', pollTimeoutS: 1 }, backoff: { initialMs: 20, maxMs: 50 } });
    const events: unknown[] = [];
    await assert.rejects(connector.connect((e) => events.push(e)), (e: CtiError) => {
      assert.equal(e.code, 'UNAUTHORIZED');
      assert.match(e.message, /API key/);
      return true;
    });
    assert.ok(!JSON.stringify(events).includes('wrong-key-xyz'));
    connector.disconnect();
  });

  it('a dropped poll, a 500 and a forgotten sequence: the view is read again, nothing applied twice', async () => {
    await open({ campaign: undefined });
    const { callId } = (await control('offer-inbound', { to: '100', from: '0298765432' })) as { callId: string };
    await until((s) => s.calls[0]?.state === 'ringing', 'ringing');
    await control('fail-next', { drop: true, match: '/subscribe' });
    await control('fail-next', { status: 500, match: '/subscribe' });
    // The held poll returns with the answer; the next two polls fail; the one after asks for the
    // current state again (lastSequenceNumber=0).
    await control('customer-answer', { callId });
    await until((s) => s.calls[0]?.state === 'talking', 'talking');
    const deadline = Date.now() + 5000;
    let resynced = false;
    while (!resynced && Date.now() < deadline) {
      const polls = (await log()).filter((e) => e.path.endsWith('/subscribe'));
      resynced = polls.slice(1).some((p) => p.query.lastSequenceNumber === '0');
      if (!resynced) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(resynced, 'a poll after the failures asked for the current state');
    await until((s) => s.connection === 'connected', 'connected again');
    assert.equal(call()!.state, 'talking');
    assert.equal(session!.snapshot.calls.length, 1);
    await control('restart-sequence');
    await control('customer-hangup', { callId });
    await until((s) => s.calls.length === 0, 'the hang-up seen through the Code 1 current state');
    assert.equal(session!.snapshot.connection, 'connected');
  });

  it('a new connector (gateway restart) shows the emulator\'s truth: the connected call with Noojee\'s start time', async () => {
    const d = await fetch(`${emu.url}/servicemanager/rest/CallManagementAPI/dial?apiKey=${KEY}&number=0412345678&extenOrUniqueId=SIP/100&autoAnswer=x&monitored=yes`, { method: 'POST' });
    const { SessionID } = (await d.json()) as { SessionID: string };
    await control('customer-answer', { callId: SessionID });
    await open({ campaign: undefined });
    await until((s) => s.calls[0]?.state === 'talking', 'talking from the first (full) answer');
    assert.equal(call()!.id, SessionID);
    assert.ok(Math.abs(call()!.timestamps.connectedAt! - Date.now()) < 5000);
    await session!.command('hangup', {});
    await until((s) => s.calls.length === 0, 'hung up');
  });

  it('an unknown extension (Noojee -3) fails the connect with Noojee\'s words on its first answer: no retry, no connect timeout', async () => {
    connector = new NoojeeConnector({ agentId: '999', endpoint: emu.url, config: { apiKey: KEY, pollTimeoutS: 2 }, backoff: { initialMs: 20, maxMs: 100 } });
    const events: Array<{ type: string }> = [];
    await assert.rejects(connector.connect((e) => events.push(e)), (e: CtiError) => {
      assert.equal(e.vendorCode, -3);
      assert.match(e.message, /does not know this extension.*Noojee code -3: Unknown extension 999/);
      return true;
    });
    const polls = (await log()).filter((e) => e.path.endsWith('/subscribe'));
    assert.equal(polls.length, 1, 'Noojee answered once; its refusal was not asked again');
    assert.equal(polls[0]!.query.exten, '999');
    assert.deepEqual(events.filter((e) => e.type === 'error'), [], 'the refusal is the connect\'s failure, not a second alert');
    connector.disconnect();
  });

  it('a -3 while connected (the extension removed on Noojee) is shown once and polled again with backoff', async () => {
    await open({ campaign: undefined });
    for (let i = 0; i < 3; i++) await control('fail-next', { status: 200, body: '{"Message":"Unknown extension 100","Code":-3}', match: '/subscribe' });
    await until((s) => s.lastError?.vendorCode === -3, 'the -3 shown');
    // Noojee knows the extension again: the next answer is the current state.
    const { callId } = (await control('offer-inbound', { to: '100', from: '0298765432' })) as { callId: string };
    await until((s) => s.calls[0]?.state === 'ringing' && s.connection === 'connected', 'the ringing call after the refusals');
    await control('customer-hangup', { callId });
  });

  it('recording is Noojee\'s truth: a new connector sees the open recording leg of a connected call, and a dial recorded from connect shows as recording', async () => {
    const api = (method: string, query: string) => fetch(`${emu.url}/servicemanager/rest/CallManagementAPI/${method}?apiKey=${KEY}&${query}`, { method: 'POST' }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const { SessionID } = (await api('dial', 'number=0412345678&extenOrUniqueId=SIP/100&autoAnswer=x&monitored=yes')) as { SessionID: string };
    await control('customer-answer', { callId: SessionID });
    assert.equal((await api('start', `extenOrUniqueId=${SessionID}&tag=ACC-1001`)).Code, 0);
    // The gateway restarts while Noojee records: the new connector reads the call's legs.
    await open({ campaign: undefined });
    await until((s) => s.calls[0]?.state === 'talking' && s.calls[0].recording, 'talking and recording from Noojee\'s open leg');
    const read = (await commandsSent()).find((e) => e.path.endsWith('/retrieveMetaDataByUniqueId'))!;
    assert.deepEqual(read.query, { apiKey: KEY, uniqueId: SessionID });
    assert.equal(read.method, 'POST');
    assert.deepEqual(enabled(), ['hangup', 'stopRecording']);
    // Stopped elsewhere (the leg closed): the next full answer says so.
    assert.equal((await api('stop', `extenOrUniqueId=${SessionID}`)).Code, 0);
    await control('restart-sequence');
    await until((s) => s.calls[0]?.recording === false, 'not recording after the resync');
    await session!.command('hangup', {});
    await until((s) => s.calls.length === 0, 'hung up');

    // recordOnDial: Noojee records from connect; the bar learns it when the call connects.
    session!.destroy();
    await control('reset');
    await control('configure', { connectDelayMs: -1 });
    await open({ campaign: undefined, recordOnDial: true });
    await session!.command('dial', { number: '0412345678', recordId: 'ACC-1001' } as never);
    await until((s) => s.calls[0]?.state === 'dialing', 'dialling');
    assert.equal(call()!.recording, false);
    await control('customer-answer', { callId: call()!.id });
    await until((s) => s.calls[0]?.state === 'talking' && s.calls[0].recording, 'recording from connect');
    const legs = (await (await fetch(`${emu.url}/__state`)).json()) as { recordings: Array<{ Tag: string; Duration: string }> };
    assert.deepEqual(legs.recordings.map((l) => [l.Tag, l.Duration]), [['ACC-1001', '']]);
    await session!.command('stopRecording', {});
    assert.equal(call()!.recording, false);
    await session!.command('hangup', {});
  });

  it('a RecordingAPI failure leaves the call working and says once that the recording state is unknown', async () => {
    const dialed = await fetch(`${emu.url}/servicemanager/rest/CallManagementAPI/dial?apiKey=${KEY}&number=0412345678&extenOrUniqueId=SIP/100&autoAnswer=x&monitored=yes`, { method: 'POST' });
    const { SessionID } = (await dialed.json()) as { SessionID: string };
    await control('customer-answer', { callId: SessionID });
    // An older Noojee without the RecordingAPI (its 404 page; a 5xx would be retried as a read).
    await control('fail-next', { status: 404, body: '<html>Not Found</html>', match: '/retrieveMetaDataByUniqueId' });
    await open({ campaign: undefined });
    await until((s) => s.calls[0]?.state === 'talking' && /recorded could not be read.*HTTP 404/.test(s.lastError?.message ?? ''), 'talking, recording state unknown');
    assert.equal(session!.snapshot.lastError!.severity, 'minor');
    assert.equal(call()!.recording, false);
    await session!.command('startRecording', {});
    assert.equal(call()!.recording, true);
    await session!.command('hangup', {});
  });

  it('busy: the call ends with a readable notice; bad numbers are refused before anything is sent', async () => {
    await open({ campaign: undefined });
    await session!.command('dial', { number: '+61412345678' });
    await until((s) => s.calls[0]?.state === 'dialing', 'dialling');
    await control('customer-busy', { callId: call()!.id });
    await until((s) => s.calls.length === 0 && /is busy/.test(s.lastError?.message ?? ''), 'busy shown');
    const before = (await commandsSent()).length;
    await assert.rejects(session!.command('dial', { number: 'call me' }), (e: CtiError) => e.code === 'INVALID_ARGUMENT');
    assert.equal((await commandsSent()).length, before);
  });
});

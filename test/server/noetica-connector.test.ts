/**
 * The `noetica` connector with a real session against the real Noetica emulator over real HTTP:
 * every workflow of issue 11 (log on, break, busy, the dialler's next record, calls, the transfer
 * family, wrap-up), every request checked against the binding table, readable errors with the
 * vendor's code (refusals, Operation Failed, a refused token, injected faults), bad input that
 * changes nothing, and the recoveries (a dropped poll, a restarted stream).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../../server/emulators/noetica/index.ts';
import { NoeticaConnector } from '../../src/connectors/noetica/noetica-connector.ts';
import type { NoeticaConfig } from '../../src/connectors/noetica/noetica-config.ts';
import { API_PREFIX, BINDING, matchRequest, resolveBinding, type SdkMethod } from '../../src/connectors/noetica/binding.ts';
import { Session } from '../../src/core/session.ts';
import type { Snapshot } from '../../src/core/model.ts';
import type { CtiError } from '../../src/core/errors.ts';

type Logged = { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: string };
const PASSWORD = 'noetica-agent';

describe('noetica connector ⇄ Noetica emulator', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  let session: Session | undefined;
  let connector: NoeticaConnector;

  const control = async (verb: string, body: unknown = {}) => {
    const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, `${verb}: ${JSON.stringify(json)}`);
    return json;
  };
  const log = async (): Promise<Logged[]> => (await (await fetch(`${emu.url}/__log`)).json()) as Logged[];
  const emuState = async () => (await (await fetch(`${emu.url}/__state`)).json()) as {
    users: Array<{ id: string; status: string; calls: Array<{ callId: string; state: string; consultation?: { active: string } }>; dialler: { status: string; record: { recordId: string } | null } }>;
    dispositions: Array<{ callId: string; code: string; recordId?: string }>;
  };
  const user = async (id = '1001') => (await emuState()).users.find((u) => u.id === id);
  /** The POSTs sent so far, as SDK method names (by the binding table). */
  const posts = async (): Promise<SdkMethod[]> =>
    (await log()).filter((e) => e.method === 'POST').map((e) => matchRequest(resolveBinding(), e.path).find((m) => BINDING[m.method].http === 'POST')!.method);
  const until = (test: (s: Snapshot) => boolean, what: string, timeoutMs = 5000) =>
    new Promise<Snapshot>((resolve, reject) => {
      if (test(session!.snapshot)) return resolve(session!.snapshot);
      const timer = setTimeout(() => {
        off();
        const s = session!.snapshot;
        reject(new Error(`timed out waiting for: ${what} (agent ${s.agent.state}, call ${s.calls[0]?.state}, connection ${s.connection}, error ${s.lastError?.message})`));
      }, timeoutMs);
      const off = session!.subscribe((s) => {
        if (!test(s)) return;
        clearTimeout(timer);
        off();
        resolve(s);
      });
    });
  const call = () => session!.snapshot.calls[0];
  /**
   * The session keeps an accepted command's control disabled until the state stops offering it,
   * or 2 s (alternate stays offered; a refused log on changes nothing): wait for that here.
   */
  const settled = (operation: string) => until((s) => !s.pending.includes(operation as never), `${operation} settled`);
  /** Every alert message shown, in order (a later successful command clears the alert region). */
  const alerts = (): string[] => {
    const seen: string[] = [];
    session!.subscribe((s) => {
      if (s.lastError && s.lastError.message !== seen.at(-1)) seen.push(s.lastError.message);
    });
    return seen;
  };
  const fails = async (run: Promise<unknown>): Promise<CtiError> => {
    try {
      await run;
    } catch (error) {
      return error as CtiError;
    }
    throw new Error('expected a failure');
  };

  async function open(config: Partial<NoeticaConfig> = {}, agentId = '1001') {
    connector = new NoeticaConnector({
      agentId,
      endpoint: emu.url,
      config: { apiToken: emu.apiToken, longPollWaitS: 2, commandTimeoutMs: 3000, backoff: { initialMs: 20, maxMs: 100 }, ...config },
    });
    session = new Session(connector, { agentId, commandTimeoutMs: 4000 });
    await session.connect();
    await until((s) => s.connection === 'connected', 'connected');
  }

  async function logOn(): Promise<void> {
    await session!.command('login', { agentId: '1001', extension: '2001', password: PASSWORD });
    await until((s) => s.agent.state === 'ready', 'ready after log on');
  }

  before(async () => {
    emu = await start({ answerDelayMs: -1, consultAnswerMs: -1, latencyMs: 5 });
  });
  after(async () => {
    await emu.close();
  });
  /** Every request of every test (the log is cleared by each reset): checked against the table at the end. */
  const everyRequest: Logged[] = [];
  beforeEach(async () => {
    session?.destroy();
    session = undefined;
    everyRequest.push(...(await log()));
    await control('reset');
  });

  it('connects logged off with the break reasons and dispositions; log on, break with a reason, cancel it, busy, free, log off', async () => {
    await open();
    assert.equal(session!.snapshot.agent.state, 'loggedOut');
    assert.deepEqual(session!.snapshot.reasons.map((r) => r.code), ['LUNCH', 'COMFORT', 'TRAINING', 'MEETING']);
    assert.ok(session!.snapshot.dispositions.some((d) => d.code === 'SALE' && d.label === 'Sale'));
    await logOn();
    assert.equal((await user())!.status, 'Available');
    await session!.command('notReady', { reasonCode: 'LUNCH' });
    const onBreak = await until((s) => s.agent.state === 'notReady', 'on a break');
    assert.deepEqual(onBreak.agent.reason, { code: 'LUNCH', label: 'Lunch' });
    await session!.command('ready');
    await until((s) => s.agent.state === 'ready', 'back from the break');
    await session!.command('busy');
    await until((s) => s.agent.state === 'busy', 'busy');
    assert.equal((await user())!.status, 'Busy');
    await session!.command('free');
    await until((s) => s.agent.state === 'ready', 'free');
    // The bar logs off from a break (never from Ready, so no call can arrive meanwhile).
    await session!.command('notReady', { reasonCode: 'MEETING' });
    await until((s) => s.agent.state === 'notReady', 'on a break again');
    await session!.command('logout');
    await until((s) => s.agent.state === 'loggedOut', 'logged off');
    assert.deepEqual(await posts(), ['RequestLogin', 'RequestBreak', 'CancelBreak', 'SetUserBusy', 'SetUserFree', 'RequestBreak', 'RequestLogout']);
  });

  it('every request follows the binding table: method, path, token header, JSON body', async () => {
    await open();
    await logOn();
    await session!.command('dial', { number: '+44 20 7946 0018' });
    await until(() => call()?.state === 'dialing', 'dialling');
    const entries = await log();
    for (const entry of entries) {
      assert.ok(entry.path.startsWith(`${API_PREFIX}/`), `under the prefix: ${entry.path}`);
      const match = matchRequest(resolveBinding(), entry.path).find((m) => BINDING[m.method].http === entry.method);
      assert.ok(match, `${entry.method} ${entry.path} is in the binding table`);
      assert.equal(entry.headers.authorization, `Bearer ${emu.apiToken}`);
      if (entry.method === 'POST') assert.match(entry.headers['content-type'] ?? '', /application\/json/);
    }
    const dial = entries.find((e) => e.path === `${API_PREFIX}/users/1001/calls/dial`)!;
    assert.deepEqual(JSON.parse(dial.body), { number: '+442079460018' });
    const login = entries.find((e) => e.path.endsWith('/login'))!;
    assert.deepEqual(JSON.parse(login.body), { extension: '2001', password: PASSWORD });
    const polls = entries.filter((e) => e.path.endsWith('/events'));
    assert.ok(polls.some((p) => p.query.after !== undefined && p.query.wait === '2'), 'long polls carry the cursor and the wait');
  });

  it('a site\'s path change is one entry: connector and emulator both follow it', async () => {
    await control('configure', { paths: { Dial: '/agent/{userId}/make-call' } });
    await open({ paths: { Dial: '/agent/{userId}/make-call' } });
    await logOn();
    await session!.command('dial', { number: '+442079460018' });
    await until(() => call()?.state === 'dialing', 'dialling');
    assert.ok((await log()).some((e) => e.method === 'POST' && e.path === `${API_PREFIX}/agent/1001/make-call`));
  });

  it('the dialler: next record as a preview, dial it, customer answers, hold, retrieve, hang up, wrap up with a disposition', async () => {
    await open();
    await logOn();
    await session!.command('nextRecord', {});
    const preview = await until(() => call()?.state === 'preview', 'a preview');
    assert.equal(preview.calls[0]!.remote.name, 'Alex Morgan');
    assert.deepEqual(preview.calls[0]!.preview?.numbers, ['+447911123456', '+441612345678']);
    assert.ok(preview.calls[0]!.fields.some((f) => f.label === 'Policy' && f.value === 'HX-22817'));
    assert.equal((await user())!.dialler.status, 'Preview');
    await session!.command('previewDial', { callId: preview.calls[0]!.id, number: '+441612345678' });
    const dialling = await until(() => call()?.state === 'dialing', 'dialling the record');
    assert.equal(dialling.calls.length, 1, 'the preview became the call');
    const id = dialling.calls[0]!.id;
    await control('customer-answer', { callId: id });
    await until(() => call()?.state === 'talking', 'talking');
    await session!.command('hold');
    await until(() => call()?.state === 'held', 'held');
    await session!.command('retrieve');
    await until(() => call()?.state === 'talking', 'retrieved');
    await session!.command('hangup');
    await until(() => call()?.state === 'wrapup', 'wrap-up');
    await session!.command('wrapUp', { code: 'SALE', notes: 'Renewed for a year' });
    await until((s) => s.calls.length === 0, 'the call gone');
    const state = await emuState();
    assert.deepEqual(state.dispositions, [{ userId: '1001', callId: id, code: 'SALE', recordId: 'R-5001', notes: 'Renewed for a year' }] as never);
    assert.equal(state.users.find((u) => u.id === '1001')!.dialler.status, 'Active');
    const dial = (await log()).find((e) => e.path.endsWith('/calls/dial'))!;
    assert.deepEqual(JSON.parse(dial.body), { number: '+441612345678', recordId: 'R-5001' });
  });

  it('an inbound call is offered, answered, and the customer hangs up; a break asked for on the call starts after the disposition', async () => {
    await open();
    await logOn();
    const { callId } = await control('offer-inbound', { to: '1001', from: '+447700900999', name: 'Sam Carter' });
    await until(() => call()?.state === 'ringing', 'ringing');
    assert.equal(call()!.direction, 'inbound');
    await session!.command('answer');
    await until(() => call()?.state === 'talking', 'answered');
    await session!.command('notReady', { reasonCode: 'COMFORT' });
    const pending = await until((s) => s.agent.state === 'pendingNotReady', 'break pending');
    assert.equal(pending.agent.reason?.code, 'COMFORT');
    await control('customer-hangup', { callId });
    await until(() => call()?.state === 'wrapup', 'wrap-up');
    await session!.command('wrapUp', { code: 'NOT_INTERESTED' });
    await until((s) => s.calls.length === 0 && s.agent.state === 'notReady', 'on the break after the call');
  });

  it('consult, alternate, complete transfer; consult and abandon; the consulted party hangs up', async () => {
    await open();
    await logOn();
    const { callId } = await control('offer-inbound', { to: '1001', from: '+447700900999' });
    await until(() => call()?.state === 'ringing', 'ringing');
    await session!.command('answer');
    await until(() => call()?.state === 'talking', 'talking');
    await session!.command('consult', { destination: { id: '+442071230100', type: 'external', label: 'Sales desk', number: '+442071230100' } });
    await until(() => call()?.state === 'consult' && call()?.consult?.state === 'dialing', 'consult dialling');
    await control('consult-answer', { callId });
    await until(() => call()?.consult?.state === 'connected', 'consult connected');
    assert.equal(call()!.consult!.activeParty, 'consult');
    await session!.command('alternate');
    await until(() => call()?.consult?.activeParty === 'customer', 'back to the customer');
    assert.equal((await user())!.calls[0]!.consultation!.active, 'Customer');
    await settled('alternate');
    await session!.command('alternate');
    await until(() => call()?.consult?.activeParty === 'consult', 'to the consulted party');
    await session!.command('cancelConsult');
    await until(() => call()?.state === 'talking' && !call()?.consult, 'transfer abandoned');
    await session!.command('consult', { destination: { id: '+442071230200', type: 'external', label: 'Retentions', number: '+442071230200' } });
    await until(() => call()?.consult?.state === 'dialing', 'consult again');
    await control('consult-hangup', { callId });
    await until(() => call()?.state === 'held' && !call()?.consult, 'the consulted party hung up');
    await until((s) => /consultation call ended/.test(s.lastError?.message ?? ''), 'said so');
    await session!.command('retrieve');
    await until(() => call()?.state === 'talking', 'retrieved');
    await session!.command('consult', { destination: { id: '+442071230100', type: 'external', label: 'Sales desk', number: '+442071230100' } });
    await until(() => call()?.consult?.state === 'dialing', 'consult a third time');
    await control('consult-answer', { callId });
    await until(() => call()?.consult?.state === 'connected', 'connected');
    await session!.command('completeTransfer');
    await until((s) => s.calls.length === 0, 'transferred away');
    assert.equal((await user())!.calls.length, 0);
  });

  it('Connected Incoming Transfer and Message are shown as such', async () => {
    await open();
    await logOn();
    await control('offer-transfer', { to: '1001', from: '+447700900123', name: 'Priya Shah', by: 'Agent 1002 (Dana)' });
    const transferred = await until(() => call()?.state === 'talking', 'the transferred call');
    assert.ok(transferred.calls[0]!.fields.some((f) => f.label === 'Transferred by' && f.value === 'Agent 1002 (Dana)'));
    await until((s) => /Incoming transfer from Agent 1002 \(Dana\): Priya Shah/.test(s.lastError?.message ?? ''), 'said so');
    await control('message', { to: '1001', text: 'Team huddle at <b>3pm</b>', from: 'Supervisor' });
    const message = await until((s) => /huddle/.test(s.lastError?.message ?? ''), 'the message');
    assert.equal(message.lastError!.message, 'Message from Supervisor: Team huddle at 3pm');
    assert.equal(message.lastError!.severity, 'info');
  });

  it('the dialler and system statuses are shown when they say something', async () => {
    await open();
    await logOn();
    await control('dialler-status', { userId: '1001', status: 'Paused' });
    await until((s) => /paused this campaign/.test(s.lastError?.message ?? ''), 'dialler paused');
    await control('system-status', { status: 'Degraded', detail: 'Trunk group B down' });
    const degraded = await until((s) => /degraded/.test(s.lastError?.message ?? ''), 'system degraded');
    assert.match(degraded.lastError!.message, /Trunk group B down/);
    await control('system-status', { status: 'Online' });
    await until((s) => /back online/.test(s.lastError?.message ?? ''), 'system back');
  });

  it('Operation Failed: a readable error naming the command, the vendor code kept, nothing applied', async () => {
    await open();
    await session!.command('login', { agentId: '1001', extension: '2001', password: 'wrong-password' });
    const refused = await until((s) => s.lastError?.vendorCode === 'LOGIN_REFUSED', 'login refused');
    assert.equal(refused.lastError!.operation, 'login');
    assert.match(refused.lastError!.message, /refused the log on.*Invalid extension or password/);
    assert.equal(session!.snapshot.agent.state, 'loggedOut');
    await settled('login');
    await logOn();
    await control('fail-operation', { method: 'Dial', code: 'NUMBER_UNOBTAINABLE', message: 'Number unobtainable' });
    await session!.command('dial', { number: '+442079460018' });
    const failed = await until((s) => s.lastError?.vendorCode === 'NUMBER_UNOBTAINABLE', 'dial failed');
    assert.equal(failed.lastError!.operation, 'dial');
    assert.match(failed.lastError!.message, /could not be reached/);
    assert.equal((await user())!.calls.length, 0, 'no call was made');
    assert.equal(session!.snapshot.calls.length, 0);
  });

  it('refusals answered at once keep the vendor code; bad input is refused before anything is sent', async () => {
    await open();
    await logOn();
    const before = (await log()).length;
    const noCall = await fails(connector.execute({ id: 'x0', operation: 'hold', args: { callId: 'NC-99999' } }));
    assert.equal(noCall.code, 'INVALID_ARGUMENT');
    const badNumber = await fails(connector.execute({ id: 'x1', operation: 'dial', args: { number: 'call me' } }));
    assert.equal(badNumber.code, 'INVALID_ARGUMENT');
    assert.equal((await log()).filter((e) => e.method === 'POST').length, (await log()).slice(0, before).filter((e) => e.method === 'POST').length, 'nothing was sent');
    const notOnBreak = await fails(connector.execute({ id: 'x2', operation: 'ready', args: {} }));
    assert.equal(notOnBreak.vendorCode, 'NOT_ON_BREAK');
    assert.match(notOnBreak.message, /not on a break/);
    const unknownReason = await fails(connector.execute({ id: 'x3', operation: 'notReady', args: { reasonCode: 'NAP' } }));
    assert.equal(unknownReason.vendorCode, 'UNKNOWN_BREAK_REASON');
    assert.equal((await user())!.status, 'Available', 'nothing changed');
    await control('fail-next', { status: 500, body: '<html>Internal Server Error</html>', match: '/busy' });
    const injected = await fails(session!.command('busy'));
    assert.equal(injected.vendorCode, 'HTTP 500');
    assert.doesNotMatch(injected.message, /<html>/);
    assert.equal((await user())!.status, 'Available');
    assert.equal(session!.snapshot.agent.state, 'ready', 'the bar still shows the truth');
  });

  it('a refused token: connect fails readably with the vendor code; getToken is asked again after a 401', async () => {
    connector = new NoeticaConnector({ agentId: '1001', endpoint: emu.url, config: { apiToken: 'not-the-token', longPollWaitS: 1 } });
    session = new Session(connector, { agentId: '1001' });
    const error = await fails(session.connect());
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.equal(error.vendorCode, 'UNAUTHORISED');
    assert.doesNotMatch(JSON.stringify(error), /not-the-token/);
    session.destroy();
    let asked = 0;
    const issued: string[] = [];
    await open({ apiToken: undefined, getToken: async () => {
      asked += 1;
      const { token } = await control('issue-token', { ttlMs: 60_000 });
      issued.push(token as string);
      return token as string;
    } });
    assert.equal(asked, 1);
    await control('expire-tokens');
    await logOn();
    assert.ok(asked >= 2, 'a fresh token after the 401');
    assert.doesNotMatch(JSON.stringify(session!.snapshot), new RegExp(issued.join('|')));
  });

  it('a dropped poll and a restarted stream: the truth is read again, nothing applied twice, nothing missed', async () => {
    await open();
    await logOn();
    const { callId } = await control('offer-inbound', { to: '1001', from: '+447700900999' });
    await until(() => call()?.state === 'ringing', 'ringing');
    const seen: string[] = [];
    const off = session!.subscribe((s, prev) => {
      if (s.calls[0]?.state !== prev.calls[0]?.state) seen.push(s.calls[0]?.state ?? 'none');
    });
    const shown = alerts();
    // The long poll in flight returns with the nudge; the next one is cut.
    await control('fail-next', { drop: true, match: '/events' });
    await control('message', { to: '1001', text: 'Nudge' });
    await until(() => shown.some((m) => /Nudge/.test(m)), 'the nudge');
    await control('message', { to: '1001', text: 'During the gap' });
    await until(() => shown.some((m) => /During the gap/.test(m)), 'the message from the gap');
    await session!.command('answer');
    await until(() => call()?.state === 'talking', 'talking after the drop');
    const reads = (await log()).filter((e) => e.path.endsWith('/status/telephony')).length;
    assert.ok(reads >= 2, 'the telephony status was read again');
    await control('customer-hangup', { callId });
    await until(() => call()?.state === 'wrapup', 'wrap-up');
    off();
    assert.deepEqual(seen, ['talking', 'wrapup'], 'each state once, in order');
    // The emulator restarts its stream: the connector reads the truth again.
    await control('reset');
    await until((s) => s.agent.state === 'loggedOut' && s.calls.length === 0, 'the restarted emulator\'s truth');
  });

  it('interval polling (longPollWaitS 0), and a poll answer that cannot be read: said once, then the truth', async () => {
    await open({ longPollWaitS: 0, pollIntervalMs: 100 });
    await logOn();
    const polls = (await log()).filter((e) => e.path.endsWith('/events'));
    assert.ok(polls.some((p) => p.query.wait === '0') && polls.every((p) => p.query.wait === undefined || p.query.wait === '0'), 'no long poll');
    const shown = alerts();
    await control('fail-next', { status: 200, contentType: 'application/json', body: '{"events": "many"}', match: '/events' });
    await control('fail-next', { status: 200, contentType: 'application/json', body: 'not json', match: '/events' });
    await until(() => shown.length >= 1, 'the failure shown');
    assert.match(shown[0]!, /could not be read/);
    const { callId } = await control('offer-inbound', { to: '1001', from: '+447700900999' });
    await until(() => call()?.state === 'ringing', 'ringing by interval polling');
    await session!.command('answer');
    await until(() => call()?.state === 'talking', 'talking');
    assert.equal(call()!.id, callId);
    assert.equal(session!.snapshot.connection, 'connected');
  });

  it('(last) every SDK method was used by the tests above, each request exactly as the binding table says', async () => {
    everyRequest.push(...(await log()));
    // The body fields each POST method takes (docs/connectors/noetica.md §7).
    const BODY: Partial<Record<SdkMethod, string[]>> = {
      DispositionRecord: ['callId', 'dispositionCode', 'recordId', 'notes'],
      RequestLogin: ['extension', 'password'],
      RequestBreak: ['reasonCode'],
      Dial: ['number', 'recordId'],
      Answer: ['callId'],
      HangUp: ['callId'],
      HoldCall: ['callId'],
      RetrieveHeldCall: ['callId'],
      InitiateCallTransfer: ['callId', 'destination'],
      AlternateLine: ['callId'],
      CompleteTransfer: ['callId'],
      AbandonTransfer: ['callId'],
    };
    const used = new Set<SdkMethod>();
    for (const entry of everyRequest) {
      const table = entry.path.startsWith(`${API_PREFIX}/agent/`) ? resolveBinding({ Dial: '/agent/{userId}/make-call' }) : resolveBinding();
      const match = matchRequest(table, entry.path).find((m) => table[m.method].http === entry.method);
      assert.ok(match, `${entry.method} ${entry.path} is in the binding table`);
      used.add(match.method);
      assert.match(entry.headers.authorization ?? '', /^Bearer \S+$/, 'the token header');
      if (match.userId !== undefined) assert.equal(match.userId, '1001');
      if (entry.method === 'GET') {
        assert.equal(entry.body, '', 'a GET has no body');
        continue;
      }
      assert.match(entry.headers['content-type'] ?? '', /^application\/json/);
      const body = JSON.parse(entry.body) as Record<string, unknown>;
      assert.ok(body && typeof body === 'object' && !Array.isArray(body), 'a JSON object');
      for (const [key, value] of Object.entries(body)) {
        assert.ok((BODY[match.method] ?? []).includes(key), `${match.method} takes no "${key}"`);
        assert.equal(typeof value, 'string', `${match.method}.${key} is text`);
      }
    }
    assert.deepEqual([...Object.keys(BINDING)].filter((m) => !used.has(m as SdkMethod)), [], 'every SDK method was exercised');
  });
});

/**
 * The `pom` connector with a real session against the real POM emulator over a real WebSocket
 * (Node: `ws`). Drives the flows of the POM desktop through `session.command`, checks the
 * canonical state and capabilities after each step, and checks every command the connector sent
 * against the document's command table (the emulator's request log).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { start } from '../../server/emulators/pom/index.ts';
import { PomConnector } from '../../src/connectors/pom/pom-connector.ts';
import { Session } from '../../src/core/session.ts';
import { POM_COMMANDS, checkArgs, isCommandName } from '../../src/connectors/pom/protocol.ts';
import type { WebSocketLike } from '../../src/transports/websocket-transport.ts';
import type { Snapshot } from '../../src/core/model.ts';
import type { CtiError } from '../../src/core/errors.ts';
import { chooseConnector } from '../../server/connector-factory.ts';

const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;

describe('pom connector ⇄ POM emulator', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  let session: Session | undefined;
  let connector: PomConnector;
  const ignored: string[] = [];

  const control = async (verb: string, body: unknown = {}) => {
    const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, `${verb}: ${JSON.stringify(json)}`);
    return json;
  };
  /** Resolves once the snapshot satisfies `test` (checked at once and after every change). */
  const until = (test: (s: Snapshot) => boolean, what: string, timeoutMs = 4000) =>
    new Promise<Snapshot>((resolve, reject) => {
      if (test(session!.snapshot)) return resolve(session!.snapshot);
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting for: ${what} (agent ${session!.snapshot.agent.state}, call ${session!.snapshot.calls[0]?.state}, connection ${session!.snapshot.connection})`));
      }, timeoutMs);
      // Also polled: some conditions (the connector's view of nailing) change no snapshot.
      const poll = setInterval(() => check(session!.snapshot), 20);
      const check = (s: Snapshot) => {
        if (!test(s)) return;
        clearTimeout(timer);
        off();
        resolve(s);
      };
      const unsubscribe = session!.subscribe(check);
      const off = () => {
        clearInterval(poll);
        unsubscribe();
      };
    });
  const enabled = () => Object.entries(session!.snapshot.capabilities).filter(([, v]) => v).map(([k]) => k).sort();
  const call = () => session!.snapshot.calls[0];

  async function open(agentId = '1001') {
    connector = new PomConnector({
      agentId,
      endpoint: emu.bridgeUrl,
      config: { createSocket, backoff: { initialMs: 20, maxMs: 100 }, commandTimeoutMs: 3000, onIgnored: (i) => ignored.push(i.reason) },
    });
    session = new Session(connector, { agentId, commandTimeoutMs: 4000 });
    await session.connect();
    await until((s) => s.connection === 'connected', 'connected');
  }

  async function readyAgent() {
    await open();
    await session!.command('login', { extension: '5001', password: '1234', zone: 'Default' });
    await until((s) => s.agent.state === 'notReady', 'not ready after logon');
    await session!.command('ready', {});
    await until(() => connector.view.nailup === 'NailedUp', 'nailed up');
  }

  before(async () => {
    emu = await start({ connectDelayMs: 30 });
  });
  after(async () => {
    session?.destroy();
    await emu.close();
  });
  beforeEach(async () => {
    session?.destroy();
    session = undefined;
    ignored.length = 0;
    await control('reset');
  });

  it('logs on with POM\'s fields: a wrong password is POM 17 as readable text, then the right one', async () => {
    await open();
    assert.deepEqual(enabled(), ['login']);
    assert.deepEqual(session!.snapshot.reasons.map((r) => r.code), ['BREAK', 'LUNCH', 'TRAINING', 'MEETING']);
    await assert.rejects(session!.command('login', { extension: '5001', password: 'wrong', zone: 'Default' }), (e: CtiError) => {
      assert.equal(e.vendorCode, 17);
      assert.equal(e.message, 'Login failure. Authentication of agent failed.');
      return true;
    });
    assert.equal(session!.snapshot.lastError?.vendorCode, 17);
    await session!.command('login', { extension: '5001', password: '1234', zone: 'Default' });
    await until((s) => s.agent.state === 'notReady' && s.flagsSource === 'server', 'logged on');
    assert.deepEqual(enabled(), ['logout', 'ready']);
    await session!.command('ready', {});
    await until(() => connector.view.nailup === 'NailedUp', 'nailing sequence done by the connector');
    assert.equal(session!.snapshot.agent.state, 'ready');
    await until((s) => s.phoneLine === 'nailedUp', 'the phone line shown as nailed up');
    assert.deepEqual(enabled(), ['notReady']);
    await control('nailing-lost', { to: '1001' });
    await until((s) => s.phoneLine === 'nailingLost' && s.lastError?.vendorCode === 'NailingLost', 'nailing lost shown as a problem');
  });

  it('a call with every attribute type, hold, consult, conference, ownership change and leave', async () => {
    await readyAgent();
    await control('offer-inbound', { to: '1001', from: '+441632960001', name: 'Alex Morgan' });
    await until((s) => call()?.state === 'talking' && call()!.fields.length > 0 && s.destinations.length > 0, 'talking with details and destinations');
    assert.deepEqual([...new Set(call()!.fields.map((f) => f.type))].sort(), ['maskedWrite', 'readOnly', 'screenPop', 'write']);
    assert.deepEqual(enabled(), ['addNote', 'addToDnc', 'blindTransfer', 'consult', 'createCallback', 'hangup', 'hold', 'notReady', 'sendDtmf', 'setCustomerField']);
    await session!.command('setCustomerField', { key: 'email', value: 'alex@example.com' });
    assert.equal(call()!.fields.find((f) => f.key === 'email')!.value, 'alex@example.com');
    await assert.rejects(session!.command('setCustomerField', { key: 'Balance', value: 'lots' }), (e: CtiError) => e.vendorCode === 642);
    await session!.command('hold', {});
    await until(() => call()?.state === 'held', 'held');
    assert.deepEqual(enabled(), ['addNote', 'addToDnc', 'notReady', 'retrieve']);
    await session!.command('retrieve', {});
    await until(() => call()?.state === 'talking', 'talking again');
    const sam = session!.snapshot.destinations.find((d) => d.id === '1002')!;
    await session!.command('consult', { destination: sam });
    await until(() => call()?.state === 'consult' && call()!.consult?.state === 'connected', 'consulting Sam');
    assert.deepEqual(enabled(), ['addNote', 'addToDnc', 'cancelConsult', 'completeTransfer', 'conference', 'notReady']);
    await session!.command('conference', {});
    await until(() => call()?.state === 'conferenceOwner', 'conference owner');
    assert.ok(enabled().includes('changeConferenceOwner') && enabled().includes('endConference'));
    await session!.command('changeConferenceOwner', {});
    await until(() => call()?.state === 'conferencePassive' && call()!.role === 'passive', 'passive');
    assert.deepEqual(enabled(), ['addNote', 'leaveConference', 'notReady']);
    await session!.command('leaveConference', {});
    await until((s) => s.calls.length === 0 && s.agent.state === 'ready', 'left, idle and ready');
  });

  it('NotReady during a call is PendingNotReady, and becomes NotReady after the wrap-up', async () => {
    await readyAgent();
    await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'talking');
    await session!.command('notReady', { reasonCode: 'LUNCH' });
    await until((s) => s.agent.state === 'pendingNotReady', 'pending not ready');
    assert.equal(session!.snapshot.agent.reason?.label, 'Lunch');
    await session!.command('hangup', {});
    await until((s) => call()?.state === 'wrapup' && s.dispositions.length > 0, 'wrap-up with codes');
    assert.equal(call()!.wrapup!.defaultCode, 'NO_OUTCOME');
    assert.ok(enabled().includes('wrapUp') && enabled().includes('extendWrapUp'));
    await session!.command('wrapUp', { code: 'SALE', notes: 'renewed' });
    await until((s) => s.agent.state === 'notReady' && s.calls.length === 0, 'not ready after wrap-up');
    assert.equal(session!.snapshot.agent.reason?.code, 'LUNCH');
  });

  it('callbacks: the types and destinations POM offers are the targets; the one chosen is AGTCreateCallback\'s type and destination', async () => {
    await readyAgent();
    await control('configure', { callbackExpiryMinutes: 240 });
    await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until((s) => (s.callbackTargets?.length ?? 0) > 3, 'callback targets fetched while talking');
    // The desktop's default type (Agent: the agent's own callback) first; the agent itself is not a destination.
    assert.deepEqual(
      session!.snapshot.callbackTargets!.map((t) => t.id),
      ['Agent', 'Agent:1002', 'Agent:1003', 'Agent:1004', 'Agent:1005', 'Agent:1006', 'Standard', 'Campaign:Renewals', 'Campaign:Winback'],
    );
    assert.deepEqual(session!.snapshot.callbackTargets![1], { id: 'Agent:1002', label: 'Agent Sam Patel' });
    await session!.command('hangup', {});
    await until(() => call()?.state === 'wrapup', 'wrap-up');
    const time = new Date(Date.now() + 3_600_000).toISOString();
    await session!.command('createCallback', { time, target: 'Agent:1002' });
    await session!.command('createCallback', { time, target: 'Campaign:Winback', number: '+442079460009' });
    await session!.command('createCallback', { time, target: 'Standard' });
    await session!.command('createCallback', { time });
    // A target POM did not offer is refused before anything is sent.
    await assert.rejects(session!.command('createCallback', { time, target: 'Campaign:Nowhere' }), /not a callback target on offer/);
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as {
      callbacks: Array<{ callbackType: string; callbackDest: unknown; contactNumber: { Number: string }; callbackExpiryTime: number }>;
    };
    // The expiry is POM's default (AGTGetCallbackTypesRESP defaultExpiryTime), not ours.
    assert.deepEqual(state.callbacks.map((c) => c.callbackExpiryTime), [240, 240, 240, 240]);
    assert.deepEqual(
      state.callbacks.map((c) => [c.callbackType, c.callbackDest, c.contactNumber.Number]),
      [
        ['Agent', { callbackType: 'Agent', id: '1002', name: 'Sam Patel' }, '+441632960001'],
        ['Campaign', { callbackType: 'Campaign', id: 'Winback', name: 'Winback' }, '+442079460009'],
        ['Standard', null, '+441632960001'],
        ['Agent', null, '+441632960001'],
      ],
    );
    await session!.command('wrapUp', { code: 'CALL_BACK' });
    await until((s) => s.calls.length === 0 && (s.callbackTargets?.length ?? 0) === 0, 'no targets without a call');

    // A page reload mid-call: the zone comes back with the bridge's status record, and so do the destinations.
    const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'talking again');
    session!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    await open();
    await until((s) => call()?.id === callId && (s.callbackTargets ?? []).some((t) => t.id === 'Campaign:Winback'), 'targets after the reload');
  });

  it('redial from wrap-up (AGTRedial): the customer is dialled again, the wrap-up window is over, a new one follows', async () => {
    await readyAgent();
    const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'talking');
    assert.ok(!enabled().includes('redial'), 'no redial while talking');
    await control('customer-hangup', { callId });
    await until(() => call()?.state === 'wrapup', 'wrap-up after the customer dropped');
    assert.ok(enabled().includes('redial'));
    await session!.command('redial', {});
    await until(() => call()?.state === 'talking' && call()!.id === callId, 'the same contact talking again');
    assert.equal(call()!.wrapup, undefined);
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    assert.deepEqual(JSON.parse(log.find((e) => e.message === 'AGTRedial')!.body), { contactNumber: { Name: 'Phone1', Number: '+441632960001' } });
    await session!.command('hangup', {});
    await until(() => call()?.state === 'wrapup' && call()!.wrapup?.deadline !== undefined, 'a new wrap-up window');
    await control('fail-next', { match: 'AGTRedial', body: 362 });
    await assert.rejects(session!.command('redial', {}), (e: CtiError) => e.vendorCode === 362 && /address is invalid/.test(e.message));
    // Another number than the contact's goes as POM's free-form ExternalNumber.
    await session!.command('redial', { number: '+44 20 7946 0111' });
    await until(() => call()?.state === 'talking', 'talking on the other number');
    const redials = ((await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>).filter((e) => e.message === 'AGTRedial');
    assert.deepEqual(JSON.parse(redials.at(-1)!.body), { contactNumber: { Name: 'ExternalNumber', Number: '+442079460111' } });
    await session!.command('hangup', {});
    await until(() => call()?.state === 'wrapup', 'wrap-up once more');
    await session!.command('wrapUp', { code: 'SALE' });
    await until((s) => s.calls.length === 0, 'wrapped up');
  });

  it('redial follows POM: offered only while the wrap-up capabilities carry Originate (the strategy allows it)', async () => {
    await readyAgent();
    await control('configure', { allowRedial: false });
    const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'talking');
    await control('customer-hangup', { callId });
    await until((s) => call()?.state === 'wrapup' && s.flagsSource === 'server' && s.capabilities.wrapUp, 'wrap-up');
    assert.equal(session!.snapshot.flags.originate, false);
    assert.ok(!enabled().includes('redial'), 'no Redial: the strategy forbids it');
    // Asked anyway (an API caller): refused by the capability, and POM would say 9004; nothing dialled.
    await assert.rejects(session!.command('redial', {}));
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string }>;
    assert.ok(!log.some((e) => e.message === 'AGTRedial'), 'AGTRedial never sent');
    await session!.command('wrapUp', { code: 'SALE' });
    await until((s) => s.calls.length === 0, 'wrapped up');
    await control('configure', { allowRedial: true });
    const second = await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'talking again');
    await control('customer-hangup', { callId: second.callId });
    await until(() => call()?.state === 'wrapup' && enabled().includes('redial'), 'Redial offered: Originate = Y in this wrap-up');
    assert.equal(session!.snapshot.flags.originate, true);
  });

  it('an "Other number" is checked against the do-not-call list (AGTIsInDNC) before it is dialled; a listed one is refused, nothing dialled', async () => {
    await readyAgent();
    const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'talking');
    await control('customer-hangup', { callId });
    await until(() => call()?.state === 'wrapup' && enabled().includes('addToDnc'), 'wrap-up');
    await session!.command('addToDnc', { number: '+442079460222' });
    await assert.rejects(session!.command('redial', { number: '+442079460222' }), (e: CtiError) => e.vendorCode === 'AGTIsInDNC' && /do-not-call list: it was not dialled/.test(e.message));
    assert.equal(call()!.state, 'wrapup', 'still in wrap-up');
    let log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    assert.deepEqual(JSON.parse(log.find((e) => e.message === 'AGTIsInDNC')!.body), { addressValue: '+442079460222', sessionID: callId });
    assert.ok(!log.some((e) => e.message === 'AGTRedial'), 'nothing dialled');
    // A callback on a listed number: refused the same way.
    await assert.rejects(session!.command('createCallback', { time: new Date(Date.now() + 3_600_000).toISOString(), number: '+442079460222' }), (e: CtiError) => e.vendorCode === 'AGTIsInDNC');
    // The contact's own number is not asked about (POM dialled it already); an unlisted other number is dialled.
    await session!.command('redial', { number: '+442079460333' });
    await until(() => call()?.state === 'talking', 'talking on the unlisted number');
    log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    assert.deepEqual(log.filter((e) => e.message === 'AGTIsInDNC').map((e) => JSON.parse(e.body).addressValue), ['+442079460222', '+442079460222', '+442079460333']);
    assert.equal(JSON.parse(log.filter((e) => e.message === 'AGTRedial').at(-1)!.body).contactNumber.Number, '+442079460333');
  });

  it('logs on with the AACC overload (agent name, SIP address, locale), logs off, and logs on again as a new POM agent object', async () => {
    await open();
    await session!.command('login', { extension: 'sip:1001@aacc.example.com', zone: 'Default', agentName: 'Ada Byrne', locale: 'en_GB' });
    await until((s) => s.agent.state === 'notReady', 'logged on (AACC)');
    let state = (await (await fetch(`${emu.url}/__state`)).json()) as { agents: Array<{ id: string; mode: string; generation: number; loggedOn: boolean }> };
    assert.deepEqual(state.agents.filter((a) => a.id === '1001').map((a) => [a.mode, a.generation]), [['aacc', 1]]);
    const logon = ((await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>).find((e) => e.message === 'AGTLogon')!;
    // (The emulator's log masks the password, which the AACC overload ignores.)
    assert.deepEqual({ ...JSON.parse(logon.body), pwd: undefined }, { agentExt: 'sip:1001@aacc.example.com', pwd: undefined, isForce: false, locale: 'en_GB', timeZone: 'UTC', zoneName: 'Default', agentName: 'Ada Byrne', agentSkills: [] });
    await session!.command('logout', {});
    await until((s) => s.agent.state === 'loggedOut', 'logged off');
    await session!.command('login', { extension: '5001', password: '1234', zone: 'Default' });
    await until((s) => s.agent.state === 'notReady', 'logged on again (CC Elite)');
    state = (await (await fetch(`${emu.url}/__state`)).json()) as typeof state;
    assert.deepEqual(state.agents.filter((a) => a.id === '1001').map((a) => [a.mode, a.generation, a.loggedOn]), [['elite', 2, true]]);
  });

  it('the log-in form offers POM\'s time zones (AGTGetTimezones, asked once before the bar shows itself connected); none from POM: a text box', async () => {
    await open();
    const zone = () => connector.loginFields.find((f) => f.name === 'timeZone')!;
    // Connected means the list is in: UTC (the logon default) first, then POM's order.
    assert.deepEqual(zone().options, [
      { value: 'UTC', label: '(UTC) Coordinated Universal Time' },
      { value: 'Europe/London', label: '(UTC+00:00) London' },
      { value: 'Europe/Paris', label: '(UTC+01:00) Paris' },
      { value: 'America/New_York', label: '(UTC-05:00) New York' },
    ]);
    assert.deepEqual(connector.loginFields.map((f) => f.name), ['extension', 'password', 'zone', 'force', 'locale', 'timeZone', 'agentName']);
    await session!.command('login', { extension: '5001', password: '1234', zone: 'Default', timeZone: 'Europe/Paris' });
    await until((s) => s.agent.state === 'notReady', 'logged on');
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    assert.deepEqual(log.map((e) => e.message), ['AGTGetTimezones', 'AGTLogon'], 'asked once, not again at logon');
    assert.equal(JSON.parse(log[1]!.body).timeZone, 'Europe/Paris');

    // POM cannot list them (an error): the text box, and the bar still connects.
    session!.destroy();
    await control('reset');
    await control('fail-next', { match: 'AGTGetTimezones', body: 9996 });
    await open();
    assert.equal(zone().options, undefined);
    assert.equal(zone().hint, 'e.g. Europe/London (default UTC).');
  });

  it('the logon time zone is one of POM\'s (AGTGetTimezones): an unknown one is refused with the choices, nothing logged on; callbacks carry it', async () => {
    await open();
    await assert.rejects(
      session!.command('login', { extension: '5001', password: '1234', zone: 'Default', timeZone: 'Mars/Olympus' }),
      (e: CtiError) => e.code === 'INVALID_ARGUMENT' && /does not know the time zone "Mars\/Olympus"\. Use one of: Europe\/London, Europe\/Paris, America\/New_York, UTC\./.test(e.message),
    );
    let log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    assert.deepEqual(log.map((e) => e.message), ['AGTGetTimezones'], 'asked, and nothing logged on');
    assert.equal(session!.snapshot.agent.state, 'loggedOut');
    // Another spelling of one POM lists becomes POM's.
    await session!.command('login', { extension: '5001', password: '1234', zone: 'Default', timeZone: 'europe/london' });
    await until((s) => s.agent.state === 'notReady', 'logged on');
    log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    assert.equal(JSON.parse(log.find((e) => e.message === 'AGTLogon')!.body).timeZone, 'Europe/London');
    await session!.command('ready', {});
    await until(() => connector.view.nailup === 'NailedUp', 'nailed up');
    // The job POM attached the agent to is shown with no call.
    await until((s) => s.job === 'Renewals' && s.calls.length === 0, 'the job shown without a call');
    const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'talking');
    await control('customer-hangup', { callId });
    await until(() => call()?.state === 'wrapup' && enabled().includes('createCallback'), 'wrap-up');
    await session!.command('createCallback', { time: new Date(Date.now() + 3_600_000).toISOString() });
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as { callbacks: Array<{ callbackTimezone: string }> };
    assert.equal(state.callbacks.at(-1)!.callbackTimezone, 'Europe/London');
    await session!.command('wrapUp', { code: 'SALE' });
    await until((s) => s.calls.length === 0, 'wrapped up');
    await control('job-end', { to: '1001' });
    await until((s) => s.job === undefined, 'no job once it ended');
  });

  it('job detach and attach: the job ends (nailing dropped, shown), a new job nails the agent again and its own completion codes are fetched', async () => {
    await readyAgent();
    const first = await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until((s) => call()?.state === 'talking' && s.dispositions.some((d) => d.code === 'SALE'), 'Renewals codes');
    assert.equal(call()!.campaign, 'Renewals');
    await control('customer-hangup', { callId: first.callId });
    await until(() => call()?.state === 'wrapup', 'wrap-up');
    await session!.command('wrapUp', { code: 'SALE' });
    await until((s) => s.calls.length === 0 && s.agent.state === 'ready', 'ready again');

    await control('job-end', { to: '1001' });
    await until((s) => s.phoneLine === 'availableForNailup', 'the nailing dropped: waiting for a campaign');
    assert.equal(connector.view.campaign, undefined);
    await control('job-start', { to: '1001', campaign: 'Winback' });
    await until((s) => s.phoneLine === 'nailedUp' && connector.view.campaign === 'Winback', 'nailed for Winback');
    await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until((s) => call()?.state === 'talking' && s.dispositions.some((d) => d.code === 'WON_BACK'), 'Winback codes after the attach');
    assert.equal(call()!.campaign, 'Winback');
    assert.ok(!session!.snapshot.dispositions.some((d) => d.code === 'SALE'));
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string }>;
    assert.equal(log.filter((e) => e.message === 'AGTGetCompCodes').length, 2, 'once per job');
    assert.equal(log.filter((e) => e.message === 'AGTReadyForNailup').length, 2, 'the desktop answered both nailings');
    await session!.command('hangup', {});
    await until(() => call()?.state === 'wrapup', 'wrap-up on Winback');
    await session!.command('wrapUp', { code: 'WON_BACK' });
    await until((s) => s.calls.length === 0, 'wrapped up with the new job\'s code');
  });

  it('a timed preview dials itself at zero; a callback with timeout 0 dials at once', async () => {
    await readyAgent();
    await control('preview', { to: '1001', number: '+441632960003', name: 'Tom', timeoutSec: 1 });
    await until(() => call()?.state === 'preview', 'preview');
    assert.ok(enabled().includes('previewDial') && enabled().includes('previewSkip'));
    await until(() => call()?.state === 'talking', 'dialled by itself and connected', 5000);
    await session!.command('hangup', {});
    await until(() => call()?.state === 'wrapup', 'wrap-up');
    await session!.command('wrapUp', { code: 'SALE' });
    await until((s) => s.calls.length === 0, 'idle');
    await control('preview', { to: '1001', number: '+441632960004', callback: true, timeoutSec: 0 });
    await until(() => call()?.state === 'talking', 'callback dialled at once');
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string }>;
    assert.equal(log.filter((e) => e.message === 'AGTPreviewDial').length, 2);
  });

  it('a pending consult: the colleague is busy, the consult shows dialling until POM says AGTPendingConsultComplete, then it connects', async () => {
    // Desktop B (agent 1005) is busy with a customer.
    const other = new PomConnector({ agentId: '1005', endpoint: emu.bridgeUrl, config: { createSocket, backoff: { initialMs: 20, maxMs: 100 }, commandTimeoutMs: 3000 } });
    const b = new Session(other, { agentId: '1005', commandTimeoutMs: 4000 });
    try {
      await b.connect();
      await new Promise<void>((resolve) => { const off = b.subscribe((s) => s.connection === 'connected' && (off(), resolve())); if (b.snapshot.connection === 'connected') resolve(); });
      await b.command('login', { extension: '5005', password: '1234', zone: 'Default' });
      await b.command('ready', {});
      for (let i = 0; i < 100 && other.view.nailup !== 'NailedUp'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(other.view.nailup, 'NailedUp');
      const busy = await control('offer-inbound', { to: '1005', from: '+441632960070' });
      await readyAgent();
      const mine = await control('offer-inbound', { to: '1001', from: '+441632960071' });
      await until(() => call()?.state === 'talking' && session!.snapshot.destinations.some((d) => d.label === 'Lee Chen'), 'talking, destinations fetched');
      const lee = session!.snapshot.destinations.find((d) => d.label === 'Lee Chen')!;
      await session!.command('consult', { destination: lee });
      await until(() => call()?.consult?.state === 'dialing', 'the consult waits (pending)');
      assert.equal(session!.snapshot.capabilities.completeTransfer, false, 'nothing to hand over yet');
      // B finishes its customer: POM connects the pending consult.
      await b.command('hangup', {});
      for (let i = 0; i < 100 && !(b.snapshot.calls[0]?.state === 'wrapup' && b.snapshot.capabilities.wrapUp); i++) await new Promise((r) => setTimeout(r, 20));
      await b.command('wrapUp', { code: 'SALE' });
      await until(() => call()?.consult?.state === 'connected', 'AGTPendingConsultComplete: connected', 6000);
      assert.equal(session!.snapshot.capabilities.completeTransfer, true);
      await session!.command('cancelConsult', { callId: String(mine.callId) });
      await until(() => call()?.consult === undefined && call()?.state === 'talking', 'back with the customer');
      assert.ok(busy.callId);
    } finally {
      b.destroy();
    }
  });

  it('blind transfer to an external destination completes at once and leaves a wrap-up (canDispose)', async () => {
    await readyAgent();
    await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until((s) => call()?.state === 'talking' && s.destinations.some((d) => d.type === 'external'), 'destinations');
    const billing = session!.snapshot.destinations.find((d) => d.id === 'billing')!;
    await session!.command('blindTransfer', { destination: billing });
    await until(() => call()?.state === 'wrapup', 'external transfer → disposition');
  });

  it('an unsolicited consult dial failure is shown, the agent stays with the customer', async () => {
    await readyAgent();
    await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until((s) => call()?.state === 'talking' && s.destinations.length > 0, 'talking');
    await control('consult-dial-fails', { reason: 'Busy' });
    await session!.command('consult', { destination: { id: '+442079460777', type: 'external', label: 'typed', number: '+442079460777' } });
    await until((s) => s.lastError?.vendorCode === 'AGTConsultDialFailed:Busy', 'dial failure shown');
    assert.equal(call()!.state, 'talking');
    assert.equal(call()!.consult, undefined);
  });

  it('walk-away: two calls in a row wrapped up by the bar alone → NotReady, walked away', async () => {
    await readyAgent();
    await control('configure', { acwMaxTime: 1 });
    for (const n of [1, 2]) {
      const { callId } = await control('offer-inbound', { to: '1001', from: `+44163296000${n}` });
      await until(() => call()?.state === 'talking', `call ${n}`);
      await control('customer-hangup', { callId });
      await until((s) => s.calls.length === 0, `call ${n} wrapped up by the bar`, 5000);
    }
    await until((s) => s.agent.state === 'notReady', 'walked away');
    assert.equal(session!.snapshot.agent.reason?.code, 'WALKAWAY');
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as { agents: Array<{ id: string; walkedAway: boolean }> };
    assert.equal(state.agents.find((a) => a.id === '1001')!.walkedAway, true);
  });

  it('an answering machine is wrapped up at once and does not count towards walk-away', async () => {
    await readyAgent();
    await control('configure', { acwMaxTime: 1 });
    const first = await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'call 1');
    await control('customer-hangup', { callId: first.callId });
    await until((s) => s.calls.length === 0, 'call 1 wrapped up by the bar', 5000);
    const machine = await control('offer-inbound', { to: '1001', from: '+441632960002' });
    await until(() => call()?.state === 'talking', 'answering machine');
    await control('answering-machine', { callId: machine.callId });
    await until((s) => s.calls.length === 0, 'wrapped up at once', 2000);
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    assert.ok(log.some((e) => e.message === 'AGTWrapupContact' && e.body.includes('Answer_Machine')));
    assert.equal(session!.snapshot.agent.state, 'ready', 'one silent call and a machine: not walked away');
  });

  it('the bridge drops mid-call: the bar shows it, reconnects, and shows POM\'s true state', async () => {
    await readyAgent();
    const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960001', name: 'Alex' });
    await until(() => call()?.state === 'talking', 'talking');
    const seen: string[] = [];
    const off = session!.subscribe((s, p) => {
      if (s.connection !== p.connection) seen.push(s.connection);
    });
    await control('drop-bridge', { to: '1001' });
    await control('customer-hangup', { callId });
    await until((s) => s.connection === 'connected' && call()?.state === 'wrapup', 'reconnected in wrap-up', 6000);
    off();
    assert.ok(seen.includes('reconnecting'), `saw ${seen.join(', ')}`);
    assert.equal(call()!.remote.name, 'Alex');
    assert.ok(enabled().includes('wrapUp'));
    await session!.command('wrapUp', { code: 'SALE' });
    await until((s) => s.calls.length === 0, 'wrapped up after the reconnect');
  });

  it('POMNotAvailable is a connection problem (9999); POMAvailable resynchronises', async () => {
    await readyAgent();
    await control('pom-down');
    await until((s) => s.connection === 'reconnecting' && s.lastError?.vendorCode === 9999, 'POM not available');
    assert.deepEqual(enabled(), []);
    await control('offer-inbound', { to: '1001', from: '+441632960001' }).catch(() => undefined);
    await control('pom-up');
    await until((s) => s.connection === 'connected', 'POM back');
  });

  it('logs and ignores an unknown notification; every command sent fits the document\'s table', async () => {
    await readyAgent();
    await control('notify', { to: '1001', name: 'AGTFromTheFuture', args: { x: 1 } });
    await control('offer-inbound', { to: '1001', from: '+441632960001' });
    await until(() => call()?.state === 'talking', 'still working after it');
    assert.ok(ignored.includes('unknown notification AGTFromTheFuture'));
    await session!.command('sendDtmf', { digit: '7' });
    await session!.command('addNote', { note: 'hello' });
    await session!.command('createCallback', { time: new Date(Date.now() + 3_600_000).toISOString(), notes: 'later' });
    await session!.command('addToDnc', {});
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    assert.ok(log.length > 10);
    for (const entry of log) {
      assert.ok(isCommandName(entry.message), entry.message);
      assert.deepEqual(checkArgs(POM_COMMANDS[entry.message as keyof typeof POM_COMMANDS].args, JSON.parse(entry.body)), {}, `${entry.message} ${entry.body}`);
    }
    assert.ok(!log.some((e) => POM_COMMANDS[e.message as keyof typeof POM_COMMANDS].sender === 'blender'), 'never a blender command');
  });

  it('already logged on elsewhere: POM 7 says how to force; a forced logon takes over', async () => {
    await readyAgent();
    const first = session!;
    const other = new PomConnector({ agentId: '1001', endpoint: emu.bridgeUrl, config: { createSocket, backoff: { initialMs: 20, maxMs: 100 } } });
    const second = new Session(other, { agentId: '1001', commandTimeoutMs: 4000 });
    try {
      await second.connect();
      for (let i = 0; i < 100 && second.snapshot.connection !== 'connected'; i++) await new Promise((r) => setTimeout(r, 20));
      await assert.rejects(second.command('login', { extension: '5001', password: '1234', zone: 'Default' }), (e: CtiError) => {
        assert.equal(e.vendorCode, 7);
        assert.match(e.message, /Agent is already logged in\. To take over, log in again with "Force log on" set to yes/);
        return true;
      });
      await second.command('login', { extension: '5001', password: '1234', zone: 'Default', force: 'yes' } as never);
      await until((s) => s.agent.state === 'loggedOut', 'the first desktop is logged out');
      assert.equal(first.snapshot.agent.state, 'loggedOut');
    } finally {
      second.destroy();
    }
  });

  it('runs in the gateway: CONNECTOR=pom is found by its declaration and opens the bridge from Node', async () => {
    const chosen = await chooseConnector('pom', emu.bridgeUrl, { commandTimeoutMs: 3000 });
    const gatewayConnector = await chosen.create('1001');
    assert.equal(gatewayConnector.name, 'pom');
    assert.deepEqual(chosen.secrets, []);
    session = new Session(gatewayConnector, { agentId: '1001', commandTimeoutMs: 4000 });
    await session.connect();
    await until((s) => s.connection === 'connected', 'connected from Node');
    // The form the gateway announces in its welcomes: POM's zones once it is connected.
    assert.deepEqual(gatewayConnector.loginFields?.find((f) => f.name === 'timeZone')?.options?.map((o) => o.value), ['UTC', 'Europe/London', 'Europe/Paris', 'America/New_York']);
    await session.command('login', { extension: '5001', password: '1234', zone: 'Default' });
    await until((s) => s.agent.state === 'notReady', 'logged on through the gateway connector');
    await assert.rejects(chooseConnector('pom', undefined, {}), /needs CONNECTOR_ENDPOINT/);
    await assert.rejects(chooseConnector('pom', emu.bridgeUrl, { callbackType: 'Sometimes' }), /callbackType/);
  });
});

describe('pom connector: a bridge that is down when the bar starts (issue 17, finding 13)', () => {
  it('the session shows why, retries, and connects once the bridge is up', async () => {
    // A port with nothing behind it yet: the emulator is started on it later.
    const probe = (await import('node:net')).createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const connector = new PomConnector({
      agentId: '1001',
      endpoint: `ws://127.0.0.1:${port}/bridge`,
      config: { createSocket, backoff: { initialMs: 20, maxMs: 100 }, connectTimeoutMs: 300 },
    });
    const session = new Session(connector, { agentId: '1001', retry: { initialMs: 50, maxMs: 200 } });
    let emu: Awaited<ReturnType<typeof start>> | undefined;
    try {
      await assert.rejects(session.connect(), (e: CtiError) => e.code === 'NOT_CONNECTED');
      assert.equal(session.snapshot.connection, 'offline');
      assert.match(session.snapshot.lastError?.message ?? '', /POM bridge/);
      assert.ok(session.snapshot.retryAt !== undefined, 'a retry is scheduled');
      // It keeps trying: each failed attempt schedules the next.
      const retries = new Set<number>();
      for (let i = 0; i < 200 && retries.size < 3; i++) {
        if (session.snapshot.retryAt !== undefined) retries.add(session.snapshot.retryAt);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(retries.size >= 3, `retried (${retries.size} scheduled attempts seen)`);
      emu = await start({ port, connectDelayMs: 30 });
      const connection = (): string => session.snapshot.connection;
      for (let i = 0; i < 250 && connection() !== 'connected'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(connection(), 'connected');
      assert.equal(session.snapshot.lastError, undefined, 'the connection error is gone once connected');
      assert.equal(session.snapshot.retryAt, undefined);
      await session.command('login', { extension: '5001', password: '1234', zone: 'Default' });
    } finally {
      session.destroy();
      await emu?.close();
    }
  });
});

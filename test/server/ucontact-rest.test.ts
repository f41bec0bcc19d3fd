/**
 * The `ucontact` connector in REST mode against the uContact emulator over real HTTP (Node, where
 * the gateway runs it): the exact wire (paths under /Integra/resources, form bodies, content type,
 * `Authorization: Basic <token>`), the agent's whole day (login, pause with a motive, break,
 * unpause, AgentCall, hang up, disposition with a reschedule, a callback, logoff, EndSession), the
 * errors (wrong passwords, `0` answers, an expired token) readable with the vendor code kept, and
 * no secret in any event or error.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { start, SUPERUSER } from '../../server/emulators/ucontact/index.ts';
import ucontact from '../../src/connectors/ucontact/declaration.ts';
import { Session } from '../../src/core/session.ts';
import type { Snapshot } from '../../src/core/model.ts';
import type { CanonicalEvent } from '../../src/core/events.ts';
import type { Connector } from '../../src/core/connector.ts';

interface Logged {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const DISPOSITIONS = {
  SALE: { label: 'Sale', levels: ['Sale', 'Product A', 'Annual'] },
  CB: { label: 'Call back', levels: ['Callback'], isCallback: true },
};

describe('ucontact connector (REST) ⇄ uContact emulator', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  let session: Session | undefined;
  let events: CanonicalEvent[] = [];

  const control = async (verb: string, body: unknown = {}) => {
    const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 200, verb);
    return (await res.json()) as Record<string, unknown>;
  };
  const log = async (): Promise<Logged[]> => (await (await fetch(`${emu.url}/__log`)).json()) as Logged[];
  const state = async () => (await (await fetch(`${emu.url}/__state`)).json()) as {
    agents: Array<{ name: string; status: Record<string, string> }>;
    sessions: string[];
    calls: Array<{ guid: string; state: string; number: string; campaign: string }>;
    dispositions: Array<Record<string, string>>;
    schedules: Array<Record<string, string>>;
  };
  const form = (entry: Logged) => Object.fromEntries(new URLSearchParams(entry.body));
  const agent1 = async () => (await state()).agents.find((a) => a.name === 'agent1')!.status;

  async function open(config: Record<string, unknown> = {}): Promise<Connector> {
    const connector = await ucontact.createNow({
      agentId: 'agent1',
      endpoint: `${emu.url}/Integra/resources`,
      config: { mode: 'rest', user: SUPERUSER.user, password: SUPERUSER.password, campaign: 'Sales->', callerid: '24000000', dispositions: DISPOSITIONS, commandTimeoutMs: 3000, ...config },
    });
    const wrapped: Connector = {
      name: connector.name,
      supports: connector.supports,
      connect: (sink) => connector.connect((e) => (events.push(e), sink(e))),
      execute: (c) => connector.execute(c),
      disconnect: () => connector.disconnect(),
    };
    session = new Session(wrapped, { agentId: 'agent1', commandTimeoutMs: 4000, defaultCountry: 'GB' });
    await session.connect();
    return connector;
  }
  const snap = (): Snapshot => session!.snapshot;
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail('expected a failure'),
      (error: { code: string; message: string; vendorCode?: unknown }) => error,
    );

  before(async () => {
    emu = await start();
  });
  after(async () => {
    session?.destroy();
    await emu.close();
  });
  beforeEach(async () => {
    session?.destroy();
    session = undefined;
    events = [];
    await control('reset');
  });

  it('speaks the exact wire: form POSTs under /Integra/resources with the Basic token', async () => {
    await open();
    await session!.command('login', { password: 'agent1-pass' });
    await session!.command('dial', { number: '+442079460018' });
    const entries = await log();
    assert.deepEqual(entries.map((e) => `${e.method} ${e.path}`), [
      'POST /Integra/resources/auth/getUserToken',
      'POST /Integra/resources/auth/AgentLogin',
      'POST /Integra/resources/Agents/AgentCall',
    ]);
    for (const entry of entries) assert.equal(entry.headers['content-type'], 'application/x-www-form-urlencoded; charset=UTF-8');
    assert.deepEqual(form(entries[0]!), { user: 'superuser', password: SUPERUSER.password });
    assert.equal(entries[0]!.headers.authorization, undefined);
    const token = (await state()).sessions.includes('superuser') ? entries[1]!.headers.authorization : undefined;
    assert.match(token ?? '', /^Basic [A-Za-z0-9+/=]+$/);
    assert.equal(Buffer.from(token!.slice(6), 'base64').toString().split(':')[0], 'superuser');
    assert.equal(entries[2]!.headers.authorization, token);
    assert.deepEqual(form(entries[1]!), { agent: 'agent1', password: 'agent1-pass' });
    assert.deepEqual(form(entries[2]!), {
      callerid: '24000000',
      agent: 'agent1',
      phone: '9001',
      tech: 'SIP',
      context: 'from-internal',
      outqueue: 'Sales->',
      destination: '+442079460018',
    });
  });

  it('an agent\'s day: login, pause with a motive, unpause, break, AgentCall, hang up, disposition with a reschedule, logoff', async () => {
    await open();
    assert.equal(snap().agent.state, 'loggedOut');
    assert.deepEqual(snap().reasons.map((r) => r.code), ['pause', 'Break', 'Lunch']);
    await session!.command('login', { password: 'agent1-pass' });
    assert.equal(snap().agent.state, 'ready');
    assert.deepEqual(await agent1(), { state: 'available' });

    await session!.command('notReady', { reasonCode: 'Lunch' });
    assert.equal(snap().agent.state, 'notReady');
    assert.equal(snap().agent.reason?.code, 'Lunch');
    assert.deepEqual(await agent1(), { state: 'break', motive: 'Lunch' });
    await session!.command('ready', {});
    assert.deepEqual(await agent1(), { state: 'available' });
    await session!.command('notReady', { reasonCode: 'pause' });
    assert.deepEqual(await agent1(), { state: 'paused', message: 'Pause' });
    await session!.command('ready', {});
    assert.equal(snap().agent.state, 'ready');
    const agentRequests = (await log()).filter((e) => e.path.includes('/api/Agent')).map((e) => [e.path.split('/').pop(), form(e)]);
    assert.deepEqual(agentRequests, [
      ['AgentBreak', { agent: 'agent1', interface: 'SIP/9001', motive: 'Lunch' }],
      ['AgentUnBreak', { agent: 'agent1', interface: 'SIP/9001', motive: 'Lunch' }],
      ['AgentPause', { agent: 'agent1', interface: 'SIP/9001', message: 'Pause' }],
      ['AgentUnPause', { agent: 'agent1', interface: 'SIP/9001' }],
    ]);

    await session!.command('dial', { number: '+442079460018' });
    const [emulated] = (await state()).calls;
    assert.deepEqual(snap().calls.map((c) => [c.id, c.state, c.direction, c.remote.number]), [[emulated!.guid, 'dialing', 'outbound', '+442079460018']]);
    await session!.command('hangup', {});
    assert.equal((await state()).calls[0]!.state, 'finished');
    assert.equal(snap().calls[0]!.state, 'wrapup');
    assert.equal(snap().capabilities.wrapUp, true);
    await session!.command('createCallback', { time: '2030-05-06T14:30:00' });
    assert.match(snap().calls[0]!.notes.join(), /Callback 2030-05-06 14:30:00/);
    await session!.command('wrapUp', { code: 'SALE', notes: 'wants the annual plan' });
    assert.equal(snap().calls.length, 0);
    assert.deepEqual((await state()).dispositions, [
      {
        campaign: 'Sales->',
        agent: 'agent1',
        callerid: '24000000',
        guid: emulated!.guid,
        l1: 'Sale',
        l2: 'Product A',
        l3: 'Annual',
        comment: 'wants the annual plan',
        schedule: '2030-05-06 14:30:00',
        camptoreschedule: 'Sales->',
      },
    ]);
    const hangup = (await log()).find((e) => e.path.endsWith('/Agents/HangupPhone'))!;
    assert.deepEqual(form(hangup), { phone: '9001' });

    await session!.command('notReady', { reasonCode: 'pause' });
    await session!.command('logout', {});
    assert.equal(snap().agent.state, 'loggedOut');
    assert.deepEqual(await agent1(), { state: 'loggedOut' });
  });

  it('a callback without a call goes to Dialers/ScheduleDialerCall as a callschedule JSON', async () => {
    await open();
    await session!.command('login', { password: 'agent1-pass' });
    // Through the session: a callback needs no call on hand (the capability says so), only a number.
    assert.equal(snap().capabilities.createCallback, true);
    await session!.command('createCallback', { time: '2030-01-02T09:00:00', number: '+442079460018' });
    const entry = (await log()).find((e) => e.path.endsWith('/Dialers/ScheduleDialerCall'))!;
    assert.deepEqual(JSON.parse(form(entry).callschedule!), { calldate: '2030-01-02 09:00:00', campaign: 'Sales->', destination: '+442079460018' });
    assert.deepEqual((await state()).schedules, [{ calldate: '2030-01-02 09:00:00', campaign: 'Sales->', destination: '+442079460018' }]);
  });

  it('"Callback for": Myself is a Dialers/DialerTask for the agent\'s phone (every key), any agent the disposition\'s schedule; a tagged disposition tags the recording; a target uContact does not offer changes nothing', async () => {
    await open({ dispositions: { ...DISPOSITIONS, SALE: { ...DISPOSITIONS.SALE, tag: 'sale-won' } } });
    await session!.command('login', { password: 'agent1-pass' });
    assert.deepEqual(snap().callbackTargets, [
      { id: 'campaign', label: 'Any agent of the campaign' },
      { id: 'me', label: 'Myself' },
    ]);
    await session!.command('dial', { number: '+442079460018' });
    await session!.command('hangup', {});
    const before = (await log()).length;
    const bad = await failure(session!.command('createCallback', { time: '2030-05-06T14:30:00', target: 'supervisor' }));
    assert.equal(bad.code, 'INVALID_ARGUMENT');
    assert.match(bad.message, /"supervisor" is not a callback target/);
    assert.equal((await log()).length, before, 'nothing sent');
    await session!.command('createCallback', { time: '2030-05-06T14:30:00', target: 'me' });
    const task = (await log()).find((e) => e.path.endsWith('/Dialers/DialerTask'))!;
    assert.deepEqual(Object.keys(JSON.parse(form(task).call!)), ['calldate', 'campaign', 'destination', 'alternatives', 'agent', 'data', 'source', 'bulk', 'automatic']);
    assert.deepEqual(JSON.parse(form(task).call!), {
      calldate: '2030-05-06 14:30:00',
      campaign: 'Sales->',
      destination: '+442079460018',
      alternatives: '',
      agent: '9001',
      data: '',
      source: 'agent-bar',
      bulk: false,
      automatic: true,
    });
    assert.equal(((await state()) as unknown as { dialerTasks: unknown[] }).dialerTasks.length, 1);
    await session!.command('wrapUp', { code: 'SALE' });
    const [disposition] = (await state()).dispositions;
    assert.equal(disposition!.tag, 'sale-won');
    assert.equal(disposition!.schedule, undefined, 'the callback went to the agent, not to the campaign');
  });

  it('errors are readable with uContact\'s code kept, and change nothing', async () => {
    // A wrong SuperUser password: no session, connect fails.
    const refused = await failure(open({ password: 'wrong-password' }));
    assert.equal(refused.code, 'UNAUTHORIZED');
    assert.match(refused.message, /refused the API user or password/);
    assert.ok(!refused.message.includes('wrong-password'));
    session?.destroy();

    await open({ reasons: { pause: { label: 'Pause' }, Nap: { label: 'Nap', break: true } } });
    // A wrong agent password.
    const badLogin = await failure(session!.command('login', { password: 'not-my-password' }));
    assert.equal(badLogin.code, 'UNAUTHORIZED');
    assert.match(badLogin.message, /refused the agent name or password \(answer 0\)/);
    assert.equal(snap().agent.state, 'loggedOut');
    await session!.command('login', { password: 'agent1-pass' });

    // uContact's 0 to AgentCall.
    await control('fail-next', { status: 200, body: '0', match: '/Agents/AgentCall' });
    const zero = await failure(session!.command('dial', { number: '+442079460018' }));
    assert.equal(zero.vendorCode, '0');
    assert.match(zero.message, /could not make the call \(answer 0\)/);
    assert.deepEqual(snap().calls, []);

    // A break uContact does not know: its 0.
    const noBreak = await failure(session!.command('notReady', { reasonCode: 'Nap' }));
    assert.equal(noBreak.vendorCode, '0');
    assert.match(noBreak.message, /could not pause the agent \(answer 0\)/);
    assert.equal(snap().agent.state, 'ready');

    // An expired token: 401.
    await control('fail-next', { status: 401, body: 'Unauthorized', match: '/Agents/AgentCall' });
    const expired = await failure(session!.command('dial', { number: '+442079460018' }));
    assert.equal(expired.vendorCode, 'HTTP 401');
    assert.match(expired.message, /refused the session token/);
    // The gateway gets a new session for the next command (none is retried).
    await session!.command('dial', { number: '+442079460018' });
    assert.equal(snap().calls.length, 1);

    // Nothing secret anywhere the page or a log could see.
    const seen = JSON.stringify(events) + JSON.stringify([refused, badLogin, zero, noBreak, expired].map((e) => ({ ...e, message: e.message })));
    for (const secret of [SUPERUSER.password, 'agent1-pass', 'not-my-password']) assert.ok(!seen.includes(secret), 'a secret leaked');
    const tokens = (await log()).map((e) => e.headers.authorization).filter(Boolean).map((a) => a!.slice(6));
    for (const token of tokens) assert.ok(!seen.includes(token), 'a token leaked');
  });

  it('without a SuperUser the agent\'s own AgentLogin token authorises, and EndSession ends it', async () => {
    await open({ mode: 'rest', user: undefined, password: undefined });
    assert.deepEqual(await log(), []);
    await session!.command('login', { password: 'agent1-pass' });
    await session!.command('dial', { number: '+442079460018' });
    const entries = await log();
    assert.equal(entries[0]!.headers.authorization, undefined);
    assert.match(entries[1]!.headers.authorization ?? '', /^Basic /);
    assert.equal(Buffer.from(entries[1]!.headers.authorization!.slice(6), 'base64').toString().split(':')[0], 'agent1');
    session!.destroy();
    session = undefined;
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = async () => {
        const ended = (await log()).find((e) => e.path.endsWith('/auth/EndSession'));
        if (ended) {
          assert.deepEqual(Object.keys(form(ended)), ['user', 'token']);
          assert.equal(form(ended).user, 'agent1');
          assert.deepEqual((await state()).sessions, []);
          return resolve();
        }
        if (Date.now() - started > 5000) return reject(new Error('no EndSession'));
        setTimeout(() => void tick().catch(reject), 20);
      };
      void tick();
    });
  });
});

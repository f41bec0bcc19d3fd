/**
 * The Noetica emulator on its own, over real HTTP: the binding's status model (the token checked
 * first, 202 for an accepted POST, refusals with their code and nothing changed, 404/405/400),
 * Poll Event (numbered events kept for re-reading, the long poll held and woken, `reset` for a
 * cursor not in the stream) and the rules for a site's path changes.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../../server/emulators/noetica/index.ts';
import { API_PREFIX, checkPathOverrides } from '../../src/connectors/noetica/binding.ts';
import type { PollAnswer } from '../../src/connectors/noetica/wire.ts';

describe('Noetica emulator: the binding', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  const call = async (method: string, path: string, body?: unknown, token: string | null = emu.apiToken) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${emu.url}${API_PREFIX}${path}`, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
  };
  const control = async (verb: string, body: unknown = {}) => {
    const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    const text = await res.text();
    assert.equal(res.status, 200, `${verb}: ${text}`);
    return JSON.parse(text) as Record<string, any>;
  };
  const settle = () => new Promise((r) => setTimeout(r, 50));

  before(async () => {
    emu = await start({ answerDelayMs: -1, consultAnswerMs: -1, latencyMs: 0, agentPassword: 'pw-1234' });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(async () => {
    await control('reset');
  });

  it('checks the token before anything else: 401 UNAUTHORISED, nothing done', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await call('POST', '/users/1001/login', { extension: '2001', password: 'pw-1234' }, token);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'UNAUTHORISED');
    }
    await settle();
    assert.equal((await call('GET', '/users/1001/status/telephony')).body.status, 'LoggedOff');
    const { token } = await control('issue-token', { ttlMs: 60_000 });
    assert.equal((await call('GET', '/break-reasons', undefined, token)).status, 200);
    await control('expire-tokens');
    assert.equal((await call('GET', '/break-reasons', undefined, token)).status, 401);
  });

  it('202 {requestId} for an accepted POST; the effect arrives as events; refusals keep their code and change nothing', async () => {
    const accepted = await call('POST', '/users/1001/login', { extension: '2001', password: 'pw-1234' });
    assert.equal(accepted.status, 202);
    assert.match(accepted.body.requestId, /^REQ-\d+$/);
    await settle();
    const telephony = await call('GET', '/users/1001/status/telephony');
    assert.equal(telephony.body.status, 'Available');
    assert.equal(telephony.body.asOf, 2, 'the Telephony and Dialler Status Changes are in');
    const again = await call('POST', '/users/1001/login', { extension: '2001' });
    assert.deepEqual([again.status, again.body.error.code], [409, 'ALREADY_LOGGED_ON']);
    const reason = await call('POST', '/users/1001/break', { reasonCode: 'NAP' });
    assert.deepEqual([reason.status, reason.body.error.code], [422, 'UNKNOWN_BREAK_REASON']);
    const number = await call('POST', '/users/1001/calls/dial', { number: 'call me' });
    assert.deepEqual([number.status, number.body.error.code], [422, 'INVALID_NUMBER']);
    const noCall = await call('POST', '/users/1001/calls/hold', { callId: 'NC-1' });
    assert.deepEqual([noCall.status, noCall.body.error.code], [409, 'NO_SUCH_CALL']);
    const notJson = await call('POST', '/users/1001/busy', '{oops');
    assert.deepEqual([notJson.status, notJson.body.error.code], [400, 'BAD_REQUEST']);
    await settle();
    assert.equal((await call('GET', '/users/1001/status/telephony')).body.asOf, 2, 'no refusal made an event');
    assert.deepEqual([(await call('GET', '/users/1001/login')).status, (await call('GET', '/users/1001/login')).body.error.code], [405, 'METHOD_NOT_ALLOWED']);
    assert.deepEqual([(await call('GET', '/users/1001/nothing')).status, (await call('GET', '/users/1001/nothing')).body.error.code], [404, 'UNKNOWN_METHOD']);
    assert.equal((await call('GET', '/users/9999/status/telephony')).body.error.code, 'USER_NOT_FOUND');
  });

  it('a wrong agent password is an Operation Failed carrying the request id; nothing changed', async () => {
    const { body } = await call('POST', '/users/1001/login', { extension: '2001', password: 'nope-nope' });
    await settle();
    const poll = (await call('GET', '/users/1001/events?after=0')).body as PollAnswer;
    assert.equal(poll.events.length, 1);
    assert.deepEqual(poll.events[0]!.data, { requestId: body.requestId, method: 'RequestLogin', code: 'LOGIN_REFUSED', message: 'Invalid extension or password' });
    assert.equal((await call('GET', '/users/1001/status/telephony')).body.status, 'LoggedOff');
  });

  it('Poll Event: the cursor, events kept for re-reading, a long poll held then woken, reset for a cursor not in the stream', async () => {
    const here = (await call('GET', '/users/1001/events')).body as PollAnswer;
    assert.deepEqual([here.next, here.events.length], [0, 0]);
    const started = Date.now();
    const waiting = call('GET', '/users/1001/events?after=0&wait=5');
    await new Promise((r) => setTimeout(r, 100));
    await control('message', { to: '1001', text: 'Hello' });
    const woken = (await waiting).body as PollAnswer;
    assert.ok(Date.now() - started < 2000, 'answered when the event came, not at the end of the wait');
    assert.deepEqual(woken.events.map((e) => [e.seq, e.type]), [[1, 'Message']]);
    const reread = (await call('GET', '/users/1001/events?after=0')).body as PollAnswer;
    assert.deepEqual(reread.events.map((e) => e.seq), [1], 'reading does not consume');
    const empty = Date.now();
    assert.equal(((await call('GET', '/users/1001/events?after=1&wait=1')).body as PollAnswer).events.length, 0);
    assert.ok(Date.now() - empty >= 900, 'held for the wait');
    const future = (await call('GET', '/users/1001/events?after=99')).body as PollAnswer;
    assert.equal(future.reset, true);
    await control('reset');
    const restarted = (await call('GET', '/users/1001/events?after=1')).body as PollAnswer;
    assert.equal(restarted.reset, true);
    assert.notEqual(restarted.streamId, woken.streamId);
    assert.equal((await call('GET', '/users/1001/events?after=x')).status, 400);
  });

  it('a site\'s path changes: the rules, and the emulator routing by the changed table', async () => {
    assert.equal(checkPathOverrides({ Dial: '/agent/{userId}/dial' }), undefined);
    assert.match(checkPathOverrides({ Fly: '/x' })!, /unknown SDK method "Fly"/);
    assert.match(checkPathOverrides({ Dial: 'agent/dial' })!, /starting with \//);
    assert.match(checkPathOverrides({ Dial: '/agent/{user}/dial' })!, /only hold the \{userId\}/);
    assert.match(checkPathOverrides({ Dial: '/agent/dial' })!, /must keep \{userId\}/);
    assert.match(checkPathOverrides({ Dial: '/users/{userId}/calls/answer' })!, /two SDK methods/);
    assert.match(checkPathOverrides([])!, /maps SDK method names/);
    await control('configure', { paths: { Dial: '/agent/{userId}/dial' } });
    await call('POST', '/users/1001/login', { extension: '2001', password: 'pw-1234' });
    await settle();
    assert.equal((await call('POST', '/agent/1001/dial', { number: '+442079460018' })).status, 202);
    assert.equal((await call('POST', '/users/1001/calls/dial', { number: '+442079460018' })).body.error.code, 'UNKNOWN_METHOD');
    const bad = await fetch(`${emu.url}/__control/configure`, { method: 'POST', body: JSON.stringify({ paths: { Dial: '/x' } }) });
    assert.equal(bad.status, 400);
  });

  it('answers a page: CORS preflight and headers, no cookies', async () => {
    const res = await fetch(`${emu.url}${API_PREFIX}/users/1001/events`, { method: 'OPTIONS' });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/);
  });
});

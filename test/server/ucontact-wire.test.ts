/**
 * uContact's wire in pieces: the proxy messages read (every odd shape dropped, never thrown) and
 * written (the documented keys exactly), the REST answers read, the config rules, and the
 * emulator refusing what uContact would (no token, another content type, a missing field).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dispositionFields, portholeDial, portholeDisposition, portholeHangup, readInbound, uphoneMakeCall } from '../../src/connectors/ucontact/proxy-messages.ts';
import { readAgentLogin, readGuid, readToken } from '../../src/connectors/ucontact/integra-answers.ts';
import { checkUcontactLists, levelsOf, resolveMode } from '../../src/connectors/ucontact/ucontact-config.ts';
import { screenPop, ucontactDate } from '../../src/connectors/ucontact/call-line.ts';
import ucontact from '../../src/connectors/ucontact/declaration.ts';
import { spawn } from 'node:child_process';
import { start } from '../../server/emulators/ucontact/index.ts';
import { UcontactCenter } from '../../server/emulators/ucontact/ucontact-center.ts';

describe('uContact proxy messages', () => {
  it('writes the documented dial messages with exactly their keys, in order', () => {
    assert.equal(
      JSON.stringify(portholeDial('call', { destination: '099', campaign: 'Sale->', callerid: '24' })),
      '{"action":"call","campaign":"Sale->","callerid":"24","destination":"099"}',
    );
    assert.equal(JSON.stringify(portholeDial('callWithPhone', { destination: '091000000', campaign: 'Sale->' })), '{"action":"callWithPhone","destination":"091000000","campaign":"Sale->"}');
    assert.deepEqual(uphoneMakeCall('1234', 'campaign->'), { action: 'makeCall', params: { number: '1234', campaign: 'campaign->' } });
    assert.deepEqual(portholeHangup('g-1'), { action: 'hangup', guid: 'g-1' });
    assert.deepEqual(portholeDisposition({ guid: 'g', campaign: 'C->', l1: 'Sale', comment: '' }), { action: 'disposition', campaign: 'C->', guid: 'g', l1: 'Sale' });
    assert.deepEqual(Object.keys(dispositionFields({ guid: 'g', campaign: 'c', l1: 'a', l2: 'b', l3: 'c', agent: 'x', callerid: '1', comment: 'n', schedule: 's', camptoreschedule: 'd', tag: 't' })), [
      'campaign', 'agent', 'callerid', 'guid', 'l1', 'l2', 'l3', 'comment', 'schedule', 'camptoreschedule', 'tag',
    ]);
  });

  it('reads the portal\'s answers and events', () => {
    assert.deepEqual(readInbound({ guid: 'abc-1' }, 'porthole'), { kind: 'guid', guid: 'abc-1' });
    assert.deepEqual(readInbound({ action: 'call', guid: 12345 }, 'porthole'), { kind: 'guid', guid: '12345' });
    for (const zero of ['0', 0, null, '', ' ']) assert.deepEqual(readInbound({ guid: zero }, 'porthole'), { kind: 'guid', guid: undefined });
    assert.deepEqual(readInbound({ action: 'hangup', guid: 'g', result: '1' }, 'porthole'), { kind: 'result', action: 'hangup', guid: 'g', ok: true });
    assert.deepEqual(readInbound({ action: 'disposition', result: 0, message: 'no l1' }, 'porthole'), { kind: 'result', action: 'disposition', ok: false, message: 'no l1' });
    assert.deepEqual(readInbound({ action: 'gettingCall', params: { guid: 'g', number: 98765, vip: true } }, 'porthole'), {
      kind: 'event',
      event: 'gettingCall',
      params: { guid: 'g', number: '98765', vip: 'true' },
    });
    assert.deepEqual(readInbound({ action: 'finishedCall', params: { guid: 'g' } }, 'uphone'), { kind: 'event', event: 'finishedCall', params: { guid: 'g' } });
  });

  it('drops every other shape without throwing', () => {
    const odd: unknown[] = [
      null, undefined, 42, 'text', [1], [{ guid: 'x' }], new Date(), Object.create({ guid: 'inherited' }),
      { guid: { nested: 1 } }, { guid: 'x'.repeat(300) }, { action: 'makeCoffee', guid: 'x' },
      { action: 'hangup', guid: 'x' }, { action: 'hangup', result: { ok: 1 } },
      { action: 'gettingCall', params: 'x' }, { action: 'gettingCall', params: [1] }, { action: 'nope', params: {} },
    ];
    for (const data of odd) {
      assert.equal(readInbound(data, 'porthole'), undefined, String(data));
      assert.equal(readInbound(data, 'uphone'), undefined, String(data));
    }
    // uPhone has no answers: a bare {guid} from it is not read.
    assert.equal(readInbound({ guid: 'g' }, 'uphone'), undefined);
    // Params are bounded: long values and extra keys are left out, __proto__ never set.
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`]));
    const read = readInbound({ action: 'gettingCall', params: { ...many, long: 'y'.repeat(1000) } }, 'porthole');
    assert.equal(read?.kind, 'event');
    assert.equal(Object.keys((read as { params: object }).params).length, 20);
    const proto = readInbound(JSON.parse('{"action":"gettingCall","params":{"__proto__":{"x":1},"number":"1"}}'), 'porthole') as { params: Record<string, string> };
    assert.deepEqual(proto.params, { number: '1' });
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});

describe('Integra REST answers', () => {
  it('reads tokens, GUIDs and the agent\'s peer; 0 and junk are undefined', () => {
    assert.equal(readToken('dG9rZW4='), 'dG9rZW4=');
    assert.equal(readToken('["superuser","abc=","dG9r"]'), 'dG9r');
    assert.equal(readToken('"dG9r"'), 'dG9r');
    for (const bad of ['0', '', '[]', '[0]', 'has space', '{"a":1}', 'x'.repeat(300)]) assert.equal(readToken(bad), undefined, bad);
    assert.equal(readGuid(' 1a2b-3c \n'), '1a2b-3c');
    assert.equal(readGuid('0'), undefined);
    assert.deepEqual(readAgentLogin('{"callerid":"9001","context":"from-internal","md5secret":"tok","name":"9001"}'), { token: 'tok', phone: '9001', context: 'from-internal' });
    assert.deepEqual(readAgentLogin('[{"callerid":9002}]'), { phone: '9002' });
    for (const bad of ['0', 'nonsense', '{}', '{"error":"x"}', '[1]']) assert.equal(readAgentLogin(bad), undefined, bad);
  });
});

describe('uContact config', () => {
  it('picks the mode, checks lists, maps levels and formats dates', () => {
    assert.equal(resolveMode({}, { framed: true }), 'porthole');
    assert.equal(resolveMode({}, { framed: false }), 'uphone');
    assert.equal(resolveMode({}, { framed: undefined }), 'rest');
    assert.equal(resolveMode({ user: 'u', password: 'p' }, { framed: true }), 'rest');
    assert.equal(resolveMode({ mode: 'uphone' }, { framed: true }), 'uphone');
    assert.match(checkUcontactLists({ dispositions: { X: { label: '' } } }) ?? '', /needs a label/);
    assert.match(checkUcontactLists({ dispositions: { X: { label: 'x', levels: ['a', 'b', 'c', 'd'] } } }) ?? '', /1 to 3/);
    assert.match(checkUcontactLists({ screenPopUrl: 'javascript:alert(1)' }) ?? '', /http/);
    assert.equal(checkUcontactLists({ dispositions: { S: { label: 'Sale', levels: ['Sale', 'A'] } }, reasons: { L: { label: 'Lunch', break: true } } }), undefined);
    assert.deepEqual(levelsOf({ dispositions: { S: { label: 'Sale', levels: ['Sale', 'A'] } } }, 'S'), { l1: 'Sale', l2: 'A' });
    assert.deepEqual(levelsOf({}, 'OTHER'), { l1: 'OTHER' });
    assert.equal(ucontactDate('2030-05-06T14:30:00'), '2030-05-06 14:30:00');
    assert.equal(ucontactDate('not a date'), undefined);
    assert.deepEqual(screenPop('https://crm.example/?n={number}&c={campaign}', { number: '+1 2&3', guid: 'g' }), [
      { key: 'screenPop', label: 'Record', value: 'https://crm.example/?n=%2B1%202%263&c=', type: 'screenPop' },
    ]);
  });

  it('refuses passwords in a page\'s proxy mode, names exactly the secrets, and reads the endpoint', async () => {
    assert.throws(() => ucontact.validateConfig({ mode: 'porthole', password: 'secret-123' }), /passwords belong to the REST mode/);
    assert.throws(() => ucontact.validateConfig({ mode: 'rest', user: 'u' }), /both user and password/);
    assert.throws(() => ucontact.validateConfig({ mode: 'fax' }), /mode/);
    assert.deepEqual(ucontact.secretValues({ mode: 'rest', user: 'superuser', password: 'super-secret', agentPassword: 'agents-secret' }).sort(), ['agents-secret', 'super-secret']);
    await assert.rejects(ucontact.createNow({ agentId: 'a', endpoint: 'http://127.0.0.1:1', config: { mode: 'porthole', dispositions: { X: { label: '' } } } }), /needs a label/);
    await assert.rejects(ucontact.createNow({ agentId: 'a', endpoint: 'not an origin', config: { mode: 'porthole' } }), /origin/);
    await assert.rejects(
      ucontact.createNow({ agentId: 'a', endpoint: 'https://portal.example', allowedOrigins: ['https://other.example'], config: { mode: 'porthole' } }),
      /allowed-origins must include/,
    );
    await assert.rejects(
      ucontact.createNow({ agentId: 'a', endpoint: 'https://portal.example', allowedOrigins: ['https://portal.example', '*'], config: { mode: 'porthole' } }),
      /exact http\(s\) origins/,
    );
  });
});

describe('uContact emulator: refuses what uContact would', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  before(async () => {
    emu = await start();
  });
  after(async () => {
    await emu.close();
  });
  const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }) =>
    fetch(`${emu.url}/Integra/resources/${path}`, { method: 'POST', headers, body });

  it('401 without a token, 415 for JSON, 400 for a missing field, 405 for GET, 0 for a wrong password', async () => {
    assert.equal((await post('Agents/AgentCall', 'agent=a')).status, 401);
    assert.equal((await post('Agents/AgentCall', 'agent=a', { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic forged' })).status, 401);
    assert.equal((await post('auth/getUserToken', '{"user":"superuser"}', { 'content-type': 'application/json' })).status, 415);
    const missing = await post('auth/getUserToken', 'user=superuser');
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /Missing parameter: password/);
    assert.equal((await fetch(`${emu.url}/Integra/resources/auth/getUserToken`)).status, 405);
    assert.equal(await (await post('auth/getUserToken', 'user=superuser&password=nope')).text(), '0');
    assert.equal(await (await post('auth/AgentLogin', 'agent=agent1&password=nope')).text(), '0');
    const token = JSON.parse(await (await post('auth/getUserToken', 'user=superuser&password=super-secret-1')).text()).at(-1) as string;
    const authed = { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', authorization: `Basic ${token}` };
    // Not logged in: uContact's 0.
    assert.equal(await (await post('Agents/AgentCall', 'callerid=1&agent=agent1&phone=9001&tech=SIP&context=c&outqueue=Sales->&destination=123456', authed)).text(), '0');
    assert.equal(await (await post('Dialers/DialerTask', `call=${encodeURIComponent('{"calldate":null}')}`, authed)).text(), '0');
    assert.equal(await (await post('auth/EndSession', `user=superuser&token=${encodeURIComponent(token)}`, authed)).text(), 'OK');
    assert.equal((await post('api/AgentLogoff', 'agent=agent1&interface=SIP/9001', authed)).status, 401);
  });
});

describe('uContact emulator: the portal\'s proxy actions', () => {
  it('answers the documented dials with a GUID or 0, and the decided actions with a result', () => {
    const center = new UcontactCenter();
    const { guid } = center.proxyAction('agent1', { action: 'callWithPhone', destination: '091000000', campaign: 'Sale->' }) as { guid: string };
    assert.match(guid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(center.proxyAction('agent1', { action: 'call', campaign: 'Sale->', callerid: '1', destination: '091000001' }), { guid: '0' }, 'one call at a time');
    assert.deepEqual(center.proxyAction('agent1', { action: 'tagRecord', guid, tag: 'ACC-1' }), { action: 'tagRecord', guid, result: '1' });
    assert.deepEqual(center.proxyAction('agent1', { action: 'respool', guid: 'nope', respool: '{}' }), { action: 'respool', guid: 'nope', result: '0' });
    assert.deepEqual(center.proxyAction('agent1', { action: 'closeForm' }), { action: 'closeForm', result: '1' });
    assert.deepEqual(center.proxyAction('agent1', { action: 'hangup', guid }), { action: 'hangup', guid, result: '1' });
    assert.deepEqual(center.proxyAction('agent1', { action: 'disposition', guid, campaign: 'Sale->' }), { action: 'disposition', guid, result: '0', message: 'l1 is required' });
    assert.equal(center.proxyAction('agent1', { action: 'selfDestruct' }), undefined);
    center.failNextProxy('call');
    assert.deepEqual(center.proxyAction('agent1', { action: 'call', campaign: 'Sale->', callerid: '1', destination: '091000001' }), { guid: '0' });
  });
});

describe('npm run emulator -- ucontact', () => {
  it('starts on a free port, says where, serves the portal and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/emulators/main.ts', 'ucontact', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`no start: ${output}`)), 30_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          output += String(chunk);
          const found = /ucontact emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      const portal = await fetch(`${url}/portal.html?crm=${encodeURIComponent('http://127.0.0.1:1/crm.html')}`);
      assert.equal(portal.status, 200);
      assert.match(await portal.text(), /<script src="\/porthole.js"><\/script>/);
      const porthole = await fetch(`${url}/porthole.js`);
      assert.match(await porthole.text(), /Porthole\.WindowProxyHTML5/);
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
  });
});

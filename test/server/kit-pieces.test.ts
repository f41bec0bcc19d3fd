/**
 * The connector kit's shared pieces, in Node (where gateway connectors run): HTTP client (reads
 * retried, call control never), codecs, vendor-error table, poll-to-events differ, connector base.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../../src/connectors/kit/http-client.ts';
import { decodeJson, decodeXml } from '../../src/connectors/kit/codecs.ts';
import { vendorErrorTable } from '../../src/connectors/kit/vendor-errors.ts';
import { PollDiffer } from '../../src/connectors/kit/poll-differ.ts';
import { StateFold } from '../../src/connectors/kit/state-fold.ts';
import { ConnectorBase } from '../../src/connectors/kit/connector-base.ts';
import { CtiError, ErrorCode } from '../../src/core/errors.ts';
import type { CanonicalEvent } from '../../src/core/events.ts';
import type { Command } from '../../src/core/commands.ts';
import type { Call } from '../../src/core/model.ts';

const call = (id: string, state: Call['state'] = 'talking'): Call => ({
  id, direction: 'inbound', state, role: 'owner', remote: { number: '+15550100' }, fields: [], recording: false, notes: [], timestamps: { offeredAt: 1 },
});

/** A fetch that answers from a script and counts calls. */
function scripted(...answers: Array<number | 'fail' | 'hang'>) {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    seen.push({ url, init });
    const next = answers.shift() ?? 200;
    if (next === 'fail') throw new TypeError(`fetch failed for ${url}`);
    if (next === 'hang') {
      return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    return new Response(JSON.stringify({ status: next }), { status: next });
  };
  return { fetch, seen };
}

const noSleep = async () => {};

describe('HttpClient', () => {
  it('retries a read on 5xx and network errors, then answers', async () => {
    const { fetch, seen } = scripted(503, 'fail', 200);
    const http = new HttpClient({ baseUrl: 'https://vendor.test/api/', fetch, sleep: noSleep });
    const res = await http.send({ path: '/calls', query: { agent: '7', skip: undefined } });
    assert.equal(res.status, 200);
    assert.equal(seen.length, 3);
    assert.equal(seen[0]!.url, 'https://vendor.test/api/calls?agent=7');
  });

  it('never retries a command: one POST whatever happens', async () => {
    const a = scripted(503);
    const http = new HttpClient({ baseUrl: 'https://vendor.test', fetch: a.fetch, sleep: noSleep });
    assert.equal((await http.send({ method: 'POST', path: 'hangup', body: { id: 1 } })).status, 503);
    assert.equal(a.seen.length, 1);
    assert.equal(new Headers(a.seen[0]!.init.headers).get('content-type'), 'application/json');
    const b = scripted('fail', 200);
    const http2 = new HttpClient({ baseUrl: 'https://vendor.test', fetch: b.fetch, sleep: noSleep });
    await assert.rejects(http2.send({ method: 'POST', path: 'dial' }), (e: CtiError) => e.code === ErrorCode.NotConnected);
    assert.equal(b.seen.length, 1);
  });

  it('times out with AbortController and says so without quoting the URL (it may carry a key)', async () => {
    const { fetch } = scripted('hang', 'hang');
    const http = new HttpClient({ baseUrl: 'https://vendor.test', fetch, timeoutMs: 20, retries: 1, sleep: noSleep });
    await assert.rejects(http.send({ path: 'poll', query: { apikey: 'sk-secret-123' } }), (e: CtiError) => {
      assert.equal(e.code, ErrorCode.Timeout);
      assert.ok(!e.message.includes('sk-secret-123'));
      return true;
    });
  });

  it('refuses an endpoint with credentials or another scheme', () => {
    assert.throws(() => new HttpClient({ baseUrl: 'https://u:p@vendor.test' }), /must not contain credentials/);
    assert.throws(() => new HttpClient({ baseUrl: 'ftp://vendor.test' }), /http:\/\/ or https:\/\//);
  });
});

describe('codecs', () => {
  it('JSON and XML (strings kept as strings, arrays where declared), malformed → PROTOCOL without the body', () => {
    assert.deepEqual(decodeJson('{"a":1}'), { a: 1 });
    assert.throws(() => decodeJson('{"apiKey":"sk-1'), (e: CtiError) => e.code === ErrorCode.Protocol && !e.message.includes('sk-1'));
    const xml = decodeXml('<r><call id="007"><state>Talking</state></call><n>&amp;</n></r>', { arrays: ['call'] });
    assert.deepEqual(xml, { r: { call: [{ '@_id': '007', state: 'Talking' }], n: '&' } });
    assert.throws(() => decodeXml('<r><open></r>'), (e: CtiError) => e.code === ErrorCode.Protocol && /well-formed/.test(e.message));
  });
});

describe('vendorErrorTable', () => {
  it('maps a vendor code to readable text and a canonical code, keeping the vendor code', () => {
    const table = vendorErrorTable('Noojee', { '-3': { message: 'The extension is not logged in.', code: ErrorCode.NotAllowed, severity: 'minor' } });
    const known = table.toError(-3, { operation: 'dial', commandId: 'c1' });
    assert.deepEqual(known.toJSON(), { code: 'NOT_ALLOWED', message: 'The extension is not logged in.', severity: 'minor', vendorCode: -3, operation: 'dial', commandId: 'c1' });
    const unknown = table.toError('E42');
    assert.equal(unknown.code, ErrorCode.Rejected);
    assert.equal(unknown.vendorCode, 'E42');
    assert.match(unknown.message, /Noojee refused the request \(error E42\)/);
  });
});

describe('StateFold', () => {
  it('keeps the last value of each list, callback targets included (a late client or a follower tab sees them)', () => {
    const fold = StateFold.from([
      { type: 'lists', dispositions: [{ code: 'S', label: 'Sale' }], callbackTargets: [{ id: 'Agent', label: 'Myself' }] },
      { type: 'lists', destinations: [{ id: 'a', type: 'agent', label: 'A' }] },
    ]);
    const lists = fold.events().find((e) => e.type === 'lists');
    assert.deepEqual(lists, {
      type: 'lists',
      dispositions: [{ code: 'S', label: 'Sale' }],
      callbackTargets: [{ id: 'Agent', label: 'Myself' }],
      destinations: [{ id: 'a', type: 'agent', label: 'A' }],
    });
  });
});

describe('PollDiffer', () => {
  it('emits only what changed, removes calls that went away, and everything again after resync', () => {
    const differ = new PollDiffer();
    const first = differ.diff({ agent: { state: 'ready' }, calls: [call('a')], lists: { reasons: [{ code: 'L', label: 'Lunch' }] } });
    // The first snapshot is whole: its calls go as one list, which drops whatever a listener
    // still holds from before this differ existed.
    assert.deepEqual(first.map((e) => e.type), ['lists', 'agentState', 'calls']);
    assert.deepEqual(first.find((e) => e.type === 'calls'), { type: 'calls', calls: [call('a')] });
    assert.deepEqual(differ.diff({ agent: { state: 'ready' }, calls: [call('a')], lists: { reasons: [{ code: 'L', label: 'Lunch' }] } }), []);
    const held = differ.diff({ agent: { state: 'ready' }, calls: [call('a', 'held'), call('b', 'ringing')] });
    assert.deepEqual(held.map((e) => (e.type === 'call' ? `${e.call.id}:${e.call.state}` : e.type)), ['a:held', 'b:ringing']);
    assert.deepEqual(differ.diff({ calls: [call('b', 'ringing')], dispositions: { a: 'SALE' } }), [{ type: 'callRemoved', callId: 'a', dispositionCode: 'SALE' }]);
    differ.resync();
    assert.deepEqual(differ.diff({ agent: { state: 'ready' }, calls: [call('b', 'ringing')] }).map((e) => e.type), ['agentState', 'calls']);
  });

  it('after a gap, a call gone meanwhile is removed with its code, and the whole list follows', () => {
    const differ = new PollDiffer();
    differ.diff({ calls: [call('a'), call('b')] });
    differ.resync();
    assert.deepEqual(differ.diff({ calls: [call('b', 'held')], dispositions: { a: 'SALE' } }), [
      { type: 'callRemoved', callId: 'a', dispositionCode: 'SALE' },
      { type: 'calls', calls: [call('b', 'held')] },
    ]);
    // Back to changes only: nothing new, nothing emitted.
    assert.deepEqual(differ.diff({ calls: [call('b', 'held')] }), []);
  });
});

class TestConnector extends ConnectorBase {
  opened = false;
  closed = 0;
  openDelayMs = 0;
  sends: Array<{ command: Command; resolve: () => void; reject: (e: unknown) => void }> = [];
  constructor(connectTimeoutMs = 1000, reopen = false) {
    super({ name: 'test', supports: ['login', 'hold', 'dial'], connectTimeoutMs, reopen, peer: 'the test backend' });
  }
  protected async open(): Promise<void> {
    await new Promise((r) => setTimeout(r, this.openDelayMs));
    this.opened = true;
  }
  protected send(command: Command): Promise<void> {
    return new Promise((resolve, reject) => this.sends.push({ command, resolve, reject }));
  }
  protected close(): void {
    this.closed++;
  }
  push(event: CanonicalEvent, id?: string): boolean {
    return this.emit(event, id);
  }
  link(status: 'reconnecting' | 'connected'): void {
    this.setStatus(status);
  }
  stop(error: CtiError): void {
    this.setStatus('offline', { error });
  }
}

const hold: Command = { id: 'c1', operation: 'hold', args: {} };

describe('ConnectorBase', () => {
  it('connects with connection events, numbers events and drops a vendor event seen before', async () => {
    const c = new TestConnector();
    const events: CanonicalEvent[] = [];
    await c.connect((e) => events.push(e));
    assert.equal(c.push({ type: 'agentState', state: 'ready' }, 'v1'), true);
    assert.equal(c.push({ type: 'agentState', state: 'ready' }, 'v1'), false);
    c.link('reconnecting');
    c.link('reconnecting');
    assert.deepEqual(events.map((e) => [e.type, e.seq]), [['connection', 1], ['connection', 2], ['agentState', 3], ['connection', 4]]);
  });

  it('refuses commands while not connected (NOT_CONNECTED) and ones it does not support (UNSUPPORTED)', async () => {
    const c = new TestConnector();
    await assert.rejects(c.execute(hold), (e: CtiError) => e.code === ErrorCode.NotConnected && e.commandId === 'c1');
    await c.connect(() => {});
    c.link('reconnecting');
    await assert.rejects(c.execute(hold), (e: CtiError) => e.code === ErrorCode.NotConnected && /reconnecting/.test(e.message));
    c.link('connected');
    await assert.rejects(c.execute({ id: 'c2', operation: 'ready', args: {} }), (e: CtiError) => e.code === ErrorCode.Unsupported);
    assert.equal(c.sends.length, 0);
  });

  it('connect times out with NOT_CONNECTED and closes', async () => {
    const c = new TestConnector(20);
    c.openDelayMs = 200;
    await assert.rejects(c.connect(() => {}), (e: CtiError) => e.code === ErrorCode.NotConnected);
    assert.equal(c.closed, 1);
  });

  it('reopen: a failed connect() or a stop with a reason leaves it usable; connect() again opens anew', async () => {
    const c = new TestConnector(20, true);
    const events: CanonicalEvent[] = [];
    c.openDelayMs = 200;
    await assert.rejects(c.connect((e) => events.push(e)), (e: CtiError) => e.code === ErrorCode.NotConnected && /the test backend/.test(e.message));
    assert.equal(c.closed, 1);
    assert.equal(c.status, 'offline');
    c.openDelayMs = 0;
    await c.connect((e) => events.push(e));
    assert.equal(c.status, 'connected');
    c.stop(new CtiError({ code: ErrorCode.Unauthorized, message: 'Token expired.' }));
    await assert.rejects(c.execute(hold), (e: CtiError) => e.code === ErrorCode.NotConnected && /the test backend/.test(e.message));
    const stopped = events.at(-1) as Extract<CanonicalEvent, { type: 'connection' }>;
    assert.deepEqual([stopped.status, stopped.error?.code, stopped.error?.message], ['offline', 'UNAUTHORIZED', 'Token expired.']);
    await c.connect((e) => events.push(e));
    assert.equal(c.closed, 3, 'the stopped attempt was closed before the new one (and the failed one after it failed)');
    assert.deepEqual(events.map((e) => (e.type === 'connection' ? e.status : e.type)), ['connecting', 'offline', 'connecting', 'connected', 'offline', 'connecting', 'connected']);
    c.disconnect();
    await assert.rejects(c.connect(() => {}), (e: CtiError) => e.code === ErrorCode.Destroyed);
  });

  it('a vendor failure is a CtiError with the vendor code and the command; disconnect twice rejects pending once', async () => {
    const c = new TestConnector();
    await c.connect(() => {});
    const failing = c.execute(hold);
    c.sends[0]!.reject(new CtiError({ code: ErrorCode.Rejected, message: 'No call to hold.', vendorCode: 9004 }));
    await assert.rejects(failing, (e: CtiError) => e.vendorCode === 9004 && e.operation === 'hold' && e.commandId === 'c1');
    const plain = c.execute({ id: 'c3', operation: 'dial', args: { number: '+15550100' } });
    c.sends[1]!.reject(new Error('socket hang up'));
    await assert.rejects(plain, (e: unknown) => e instanceof CtiError && e.operation === 'dial');
    const pending = c.execute({ id: 'c4', operation: 'hold', args: {} });
    c.disconnect();
    c.disconnect();
    await assert.rejects(pending, (e: CtiError) => e.code === ErrorCode.Destroyed);
    assert.equal(c.closed, 1);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, sendJson, type StartedEmulator, type VendorEmulator } from '../../server/emulators/harness/emulator-server.ts';

/** A vendor module of the smallest kind: one path, one call list — enough to exercise the harness. */
function tinyVendor(): VendorEmulator {
  let calls: Array<{ id: string; from: string; state: string }> = [];
  let next = 1;
  return {
    handle(request, response) {
      if (request.path !== '/api/calls') return false;
      sendJson(response, 200, { calls, key: request.query.get('key') });
      return true;
    },
    offerInbound({ from }) {
      const id = `c${next++}`;
      calls.push({ id, from, state: 'ringing' });
      return { callId: id };
    },
    customerHangup(callId) {
      calls = calls.filter((call) => call.id !== callId);
    },
    customerAnswer(callId) {
      for (const call of calls) if (call.id === callId) call.state = 'connected';
    },
    reset() {
      calls = [];
    },
    state: () => ({ calls }),
  };
}

describe('emulator harness', () => {
  let emulator: StartedEmulator;
  const control = (verb: string, body: unknown) =>
    fetch(`${emulator.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });

  before(async () => {
    emulator = await startEmulator(tinyVendor);
  });
  after(() => emulator.close());

  it('binds to loopback and routes vendor requests, 404 for other paths', async () => {
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await fetch(`${emulator.url}/api/calls?key=abc`);
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { key: string }).key, 'abc');
    assert.equal((await fetch(`${emulator.url}/nope`)).status, 404);
  });

  it('drives the vendor model through the shared control API and shows it in /__state', async () => {
    const offered = (await (await control('offer-inbound', { to: '100', from: '0412345678' })).json()) as { callId: string };
    await control('customer-answer', { callId: offered.callId });
    let state = (await (await fetch(`${emulator.url}/__state`)).json()) as { calls: Array<{ state: string }> };
    assert.deepEqual(state.calls.map((call) => call.state), ['connected']);
    await control('customer-hangup', { callId: offered.callId });
    state = (await (await fetch(`${emulator.url}/__state`)).json()) as { calls: Array<{ state: string }> };
    assert.equal(state.calls.length, 0);
  });

  it('refuses malformed control requests with 400 and unknown verbs with 404, changing nothing', async () => {
    assert.equal((await control('offer-inbound', { to: '100' })).status, 400);
    assert.equal((await fetch(`${emulator.url}/__control/reset`, { method: 'POST', body: '{not json' })).status, 400);
    assert.equal((await control('no-such-verb', {})).status, 404);
    const state = (await (await fetch(`${emulator.url}/__state`)).json()) as { calls: unknown[] };
    assert.equal(state.calls.length, 0);
  });

  it('fails exactly the next matching request once, then answers normally', async () => {
    await control('fail-next', { status: 503, body: 'busy', match: '/api/calls' });
    const failed = await fetch(`${emulator.url}/api/calls`);
    assert.equal(failed.status, 503);
    assert.equal(await failed.text(), 'busy');
    assert.equal((await fetch(`${emulator.url}/api/calls`)).status, 200);
  });

  it('drops the connection when asked', async () => {
    await control('fail-next', { drop: true });
    await assert.rejects(fetch(`${emulator.url}/api/calls`));
  });

  it('logs vendor requests (not its own control traffic) with their query, and reset clears it', async () => {
    await control('reset', {});
    await fetch(`${emulator.url}/api/calls?key=k1&Extension=100`);
    const log = (await (await fetch(`${emulator.url}/__log`)).json()) as Array<{ method: string; path: string; query: Record<string, string> }>;
    assert.equal(log.length, 1);
    assert.deepEqual(log[0]!.query, { key: 'k1', Extension: '100' });
    assert.equal(log[0]!.path, '/api/calls');
  });
});

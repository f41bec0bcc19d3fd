/**
 * The connector contract (test/unit/connectors/contract.ts) for `noetica`, against the real
 * Noetica emulator over HTTP: every check of the suite runs as it is (Noetica has log on, break,
 * answer), the emulator asking no agent password so the suite's bare `login` logs on.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { runConnectorContract } from '../unit/connectors/contract.ts';
import { start } from '../../server/emulators/noetica/index.ts';
import noetica from '../../src/connectors/noetica/declaration.ts';

const TOKEN = `contract-${randomBytes(12).toString('hex')}`;
let emu: Awaited<ReturnType<typeof start>>;
let agents = 0;
/** Each check gets its own user (1001–1009), so one check's calls never reach another. */
const agentOf = new WeakMap<object, string>();

async function control(verb: string, body: unknown = {}): Promise<void> {
  const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 200, `${verb}: ${await res.text()}`);
}

before(async () => {
  emu = await start({ apiToken: TOKEN, agentPassword: '', answerDelayMs: -1, consultAnswerMs: -1, latencyMs: 5 });
});
after(async () => {
  await emu.close();
});

runConnectorContract({
  name: 'noetica',
  supports: noetica.supports,
  create: async () => {
    const agentId = String(1001 + (agents++ % 9));
    const connector = await noetica.createNow({
      agentId,
      endpoint: emu.url,
      config: { apiToken: TOKEN, longPollWaitS: 1, commandTimeoutMs: 3000, backoff: { initialMs: 20, maxMs: 100 } },
    });
    agentOf.set(connector, agentId);
    return connector;
  },
  backend: {
    secrets: [TOKEN],
    offerCall: (c) => control('offer-inbound', { to: agentOf.get(c)!, from: '+447700900999', name: 'Contract Caller' }),
    failNext: async () => {
      await control('fail-next', { status: 409, contentType: 'application/json', body: '{"error":{"code":"ON_CALL","message":"A call is in progress."}}', match: '/break' });
    },
    // The next poll is cut, then the truth cannot be read three times: past the transport's grace, the link is down.
    drop: async () => {
      await control('fail-next', { drop: true, match: '/events' });
      for (let i = 0; i < 3; i++) await control('fail-next', { drop: true, match: '/status/telephony' });
    },
  },
});

/**
 * The connector contract (test/unit/connectors/contract.ts) for `maxcontact`, against the real
 * MaxContact emulator. The suite's checks that hold for any connector run as they are; three of
 * them drive operations MaxContact does not have (`login`, `answer`, `notReady` — the agent is
 * logged in elsewhere and calls arrive connected), so their MaxContact equivalents run here with
 * the same assertions: refused while offline with NOT_CONNECTED, numbered and never delivered twice
 * across a dropped link, every failure a CtiError with the vendor code.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTRACT_CHECKS, type ContractOptions } from '../unit/connectors/contract.ts';
import { start } from '../../server/emulators/maxcontact/index.ts';
import maxcontact from '../../src/connectors/maxcontact/declaration.ts';
import type { Connector } from '../../src/core/connector.ts';
import type { CanonicalEvent } from '../../src/core/events.ts';
import type { Command } from '../../src/core/commands.ts';
import { CtiError, ErrorCode } from '../../src/core/errors.ts';

const PASSWORD = 'contract-password-0123';
let emu: Awaited<ReturnType<typeof start>>;
let ids = 0;
const command = (operation: Command['operation'], args: Record<string, unknown> = {}) => ({ id: `mc-${++ids}`, operation, args }) as Command;

async function control(verb: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, `${verb}: ${JSON.stringify(json)}`);
  return json;
}

async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const create = (): Promise<Connector> =>
  maxcontact.createNow({
    agentId: '1001',
    endpoint: emu.url,
    config: { apiLogin: 'api-user', apiPassword: PASSWORD, pollIntervalMs: 100, idlePollIntervalMs: 100, pollTimeoutMs: 1000, backoff: { initialMs: 20, maxMs: 100 } },
  });

const options: ContractOptions = {
  name: 'maxcontact',
  create,
  backend: {
    secrets: [PASSWORD],
    offerCall: async () => {
      await control('offer-inbound', { to: '1001', from: '+447911654321' });
    },
    failNext: async () => {
      await control('fail-next', { status: 200, contentType: 'application/json', body: '{"Success":false,"Data":null,"ResponseCode":3,"ResponseDetail":"no"}', match: '/hold/' });
    },
    // Three lost polls in a row: past the transport's grace, the link is down.
    drop: async () => {
      for (let i = 0; i < 3; i++) await control('fail-next', { drop: true, match: '/getcalls/' });
    },
  },
};

describe('connector contract: maxcontact', () => {
  before(async () => {
    emu = await start({ apiPassword: PASSWORD, connectDelayMs: -1, ringMs: -1 });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(async () => {
    await control('reset');
  });

  for (const name of ['connect emits connection and agent-state events', 'disconnect() twice is harmless and rejects what is pending', 'no secret from the config appears in an event, error or log line']) {
    it(name, () => CONTRACT_CHECKS[name]!(options));
  }

  it('commands are refused while offline with NOT_CONNECTED (ready: MaxContact has no login)', async () => {
    const connector = await create();
    try {
      await assert.rejects(connector.execute(command('ready')), (e: CtiError) => e instanceof CtiError && e.code === ErrorCode.NotConnected);
      await assert.rejects(connector.execute(command('login')), (e: CtiError) => e.code === ErrorCode.Unsupported);
    } finally {
      connector.disconnect();
    }
  });

  it('sequence numbers only grow and nothing is delivered twice across a dropped link (the call connects meanwhile)', async () => {
    const connector = await create();
    const events: CanonicalEvent[] = [];
    try {
      await connector.connect((e) => events.push(e));
      await connector.execute(command('ready'));
      await options.backend.offerCall(connector);
      await until(() => events.some((e) => e.type === 'call'), 'a call');
      const beforeDrop = events.length;
      await options.backend.drop(connector);
      await until(() => events.slice(beforeDrop).some((e) => e.type === 'connection' && e.status !== 'connected'), 'the drop seen');
      await control('customer-answer', { callId: '1000' });
      await until(() => events.some((e) => e.type === 'call' && e.call.state === 'talking'), 'talking after the drop');
      assert.equal([...events].reverse().find((e) => e.type === 'connection')?.status, 'connected');
      const seqs = events.map((e) => e.seq!);
      for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `seq grows (${seqs[i - 1]} then ${seqs[i]})`);
      const bodies = events.map(({ seq: _s, ...rest }) => JSON.stringify(rest));
      for (let i = 1; i < bodies.length; i++) assert.notEqual(bodies[i], bodies[i - 1], `event delivered twice: ${bodies[i]!.slice(0, 80)}`);
      assert.equal(events.filter((e) => e.type === 'call' && e.call.state === 'ringing').length, 1, 'the ringing call once');
    } finally {
      connector.disconnect();
    }
  });

  it('every failure is a CtiError with the vendor code kept (hold refused by MaxContact)', async () => {
    const connector = await create();
    const events: CanonicalEvent[] = [];
    try {
      await connector.connect((e) => events.push(e));
      await connector.execute(command('ready'));
      await options.backend.offerCall(connector);
      await control('customer-answer', { callId: '1000' });
      await until(() => events.some((e) => e.type === 'call' && e.call.state === 'talking'), 'talking');
      await options.backend.failNext(connector, 'hold');
      const error = await connector.execute(command('hold')).then(() => undefined, (e: unknown) => e as CtiError);
      assert.ok(error instanceof CtiError && error.message !== '');
      assert.equal(error.vendorCode, 3);
      assert.equal(error.operation, 'hold');
    } finally {
      connector.disconnect();
    }
  });
});

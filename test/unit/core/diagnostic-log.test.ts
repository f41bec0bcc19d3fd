/**
 * The diagnostic log over a real session and the real simulator: what a support ticket needs is
 * there (connection, agent and call states, commands, failures with their codes); a secret, the
 * customer's number, name, fields and notes, and a mistyped number never are.
 */
import { expect } from '@open-wc/testing';
import { Session } from '../../../src/core/session.ts';
import { SimulatorConnector } from '../../../src/connectors/simulator/simulator-connector.ts';
import { DiagnosticLog, type LogEntry } from '../../../src/core/diagnostic-log.ts';

const SECRET = 's3cr3t-T0ken-4f9a';
const CUSTOMER_NUMBER = '+442079460555';
const NEVER = [
  SECRET,
  CUSTOMER_NUMBER,
  '2079460555',
  '20 7946 0555',
  'Ada',
  'Lovelace',
  'ACC-99887766',
  '4111111111111111',
  '07700 900123',
  '7946 05',
  '+44 12',
  'Wants a callback',
];

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function aCall(limit?: number) {
  const connector = new SimulatorConnector({ agentId: '1001', latencyMs: 0, wrapupMaxTimeSec: 600 });
  const session = new Session(connector, { agentId: '1001' });
  const log = new DiagnosticLog(session, { secrets: () => [SECRET], about: { connector: 'simulator' }, ...(limit ? { limit } : {}) });
  await session.connect();
  await session.command('login', {});
  await session.command('ready', {});
  // A secret and a mistyped customer number, each quoted back by a refusal.
  await session.command('dial', { number: SECRET }).catch(() => {});
  await session.command('dial', { number: '+44 20 7946 05' }).catch(() => {});
  await session.command('dial', { number: '+44 12' }).catch(() => {});
  connector.simulator.offerCall({
    number: CUSTOMER_NUMBER,
    name: 'Ada Lovelace',
    fields: [
      { key: 'account', label: 'Account', value: 'ACC-99887766', type: 'readOnly' },
      { key: 'card', label: 'Card', value: '4111111111111111', type: 'maskedWrite' },
    ],
  });
  await until(() => session.snapshot.calls[0]?.state === 'ringing', 'the call');
  await session.command('answer');
  await session.command('addNote', { note: `Ada Lovelace asked to be called on ${CUSTOMER_NUMBER} or 07700 900123` });
  await session.command('hold');
  await session.command('retrieve');
  connector.simulator.customerHangup();
  await until(() => session.snapshot.calls[0]?.state === 'wrapup', 'wrap-up');
  await session.command('wrapUp', { code: session.snapshot.dispositions[0]!.code, notes: 'Wants a callback' });
  await until(() => session.snapshot.calls.length === 0, 'wrapped up');
  return { session, log };
}

describe('DiagnosticLog', () => {
  it('keeps the transport and session events a support ticket needs', async () => {
    const { session, log } = await aCall();
    const entries = log.entries();
    const of = (kind: LogEntry['kind']) => entries.filter((e) => e.kind === kind);
    expect(entries[0]).to.include({ kind: 'start' });
    expect(of('connection').map((e) => e.status)).to.include('connected');
    expect(of('agent').map((e) => e.state)).to.include.members(['notReady', 'ready']);
    expect(of('call').map((e) => e.state)).to.include.members(['ringing', 'talking', 'held', 'wrapup']);
    expect(of('call-gone')).to.have.length(1);
    expect(of('command').map((e) => e.operation)).to.include.members(['login', 'ready', 'answer', 'addNote', 'hold', 'retrieve', 'wrapUp']);
    const wrapUp = of('command').find((e) => e.operation === 'wrapUp')!;
    expect(wrapUp.args).to.deep.include('notes=[redacted]');
    expect((wrapUp.args as string[]).some((a) => a.startsWith('code='))).to.equal(true);
    const failures = of('failure');
    expect(failures.map((e) => e.code)).to.deep.equal(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    for (const failure of failures) expect(failure.message).to.match(/^"\[redacted\]" is not a/);
    expect(of('event').map((e) => e.event)).to.include('wrapup-completed');
    const text = JSON.parse(log.text());
    expect(text).to.include({ agentId: '1001', connector: 'simulator', droppedOldest: 0 });
    expect(text.events).to.have.length(entries.length);
    session.destroy();
  });

  it('never holds a secret, the customer number, name, fields, notes or a mistyped number', async () => {
    const { session, log } = await aCall();
    const text = log.text();
    for (const value of NEVER) expect(text, value).to.not.contain(value);
    // And the snapshot did hold them (the test is not vacuous): the name and account were shown.
    expect(JSON.stringify(log.entries())).to.not.contain('Ada');
    session.destroy();
  });

  it('keeps only the last `limit` entries and says how many it dropped', async () => {
    const { session, log } = await aCall(10);
    expect(log.entries()).to.have.length(10);
    expect(JSON.parse(log.text()).droppedOldest).to.be.greaterThan(0);
    log.dispose();
    const before = log.entries().length;
    await session.command('notReady', { reasonCode: session.snapshot.reasons[0]!.code }).catch(() => {});
    expect(log.entries()).to.have.length(before);
    session.destroy();
  });
});

import { expect } from '@open-wc/testing';
import { Session } from '../../../src/core/session.ts';
import { SimulatorConnector } from '../../../src/connectors/simulator/simulator-connector.ts';
import { ContactCentreSimulator } from '../../../src/connectors/simulator/contact-centre-simulator.ts';
import { createConnector, registerConnector, connectorNames } from '../../../src/connectors/registry.ts';
import { pomError, POM_ERRORS } from '../../../src/connectors/pom/error-codes.ts';
import type { CanonicalEvent } from '../../../src/core/events.ts';
import type { HostEvent } from '../../../src/core/host-events.ts';
import type { Operation } from '../../../src/core/operations.ts';
import type { CtiError } from '../../../src/core/errors.ts';

/** Bounded wait for asynchronous simulator steps (dial connect, reconnect). */
async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function start(options: { wrapupMaxTimeSec?: number; now?: () => number } = {}) {
  const connector = new SimulatorConnector({ agentId: '1001', latencyMs: 0, ...options });
  const session = new Session(connector, { agentId: '1001', ...(options.now ? { now: options.now } : {}) });
  const hostEvents: HostEvent[] = [];
  session.onHostEvent((e) => hostEvents.push(e));
  await session.connect();
  const sim = connector.simulator;
  const enabled = () => (Object.keys(session.snapshot.capabilities) as Operation[]).filter((op) => session.snapshot.capabilities[op]);
  const state = () => [session.snapshot.agent.state, session.snapshot.calls[0]?.state ?? 'none'];
  return { connector, session, sim, hostEvents, enabled, state };
}

async function loggedInReady() {
  const t = await start();
  await t.session.command('login', {});
  await t.session.command('ready', {});
  return t;
}

async function talking() {
  const t = await loggedInReady();
  t.sim.offerCall({ number: '+441632960123', name: 'Kim Lee', fields: { account: 'A-17' } });
  await t.session.command('answer');
  return t;
}

describe('simulator flows through Session + SimulatorConnector', () => {
  it('login → ready → inbound → answer → hold → retrieve → consult → answerConsult → complete transfer', async () => {
    const t = await start();
    expect(t.enabled()).to.deep.equal(['login']);
    await t.session.command('login', {});
    expect(t.state()).to.deep.equal(['notReady', 'none']);
    expect(t.session.snapshot.reasons.length).to.be.greaterThan(0);
    expect(t.session.snapshot.dispositions.some((d) => d.isCallback)).to.equal(true);
    expect(t.session.snapshot.dispositions.some((d) => d.isDnc)).to.equal(true);
    expect(t.session.snapshot.destinations.map((d) => d.type)).to.include.members(['agent', 'external']);
    expect(t.session.snapshot.flagsSource).to.equal('server');
    await t.session.command('ready', {});
    expect(t.state()).to.deep.equal(['ready', 'none']);

    t.sim.offerCall({ number: '+441632960123', name: 'Kim Lee' });
    expect(t.state()).to.deep.equal(['ready', 'ringing']);
    expect(t.enabled()).to.include('answer');
    await t.session.command('answer');
    expect(t.state()).to.deep.equal(['ready', 'talking']);
    expect(t.enabled()).to.include.members(['hold', 'hangup', 'consult', 'blindTransfer', 'startRecording', 'sendDtmf']);

    await t.session.command('hold');
    expect(t.state()[1]).to.equal('held');
    expect(t.enabled()).to.include('retrieve');
    expect(t.enabled()).to.not.include('hold');
    await t.session.command('retrieve');
    expect(t.state()[1]).to.equal('talking');

    const dest = t.session.snapshot.destinations.find((d) => d.type === 'agent')!;
    await t.session.command('consult', { destination: dest });
    expect(t.state()[1]).to.equal('consult');
    expect(t.enabled()).to.include('cancelConsult');
    expect(t.enabled()).to.not.include.members(['consult', 'completeTransfer']);
    t.sim.answerConsult();
    expect(t.enabled()).to.include.members(['completeTransfer', 'conference', 'alternate']);
    await t.session.command('completeTransfer');
    expect(t.state()).to.deep.equal(['ready', 'none']);

    const types = t.hostEvents.map((e) => e.type);
    for (const type of ['call-offered', 'call-connected', 'call-held', 'call-retrieved', 'call-disconnected']) {
      expect(types, type).to.include(type);
    }
    t.session.destroy();
  });

  it('conference: owner ends it back to talking; agent conference can change owner', async () => {
    const t = await talking();
    await t.session.command('consult', { destination: { id: 'agent-1002', type: 'agent', label: 'Sam' } });
    t.sim.answerConsult();
    await t.session.command('conference');
    expect(t.state()[1]).to.equal('conferenceOwner');
    expect(t.enabled()).to.include.members(['endConference', 'changeConferenceOwner']);
    await t.session.command('endConference');
    expect(t.state()[1]).to.equal('talking');
    await t.session.command('consult', { destination: { id: 'agent-1002', type: 'agent', label: 'Sam' } });
    t.sim.answerConsult();
    await t.session.command('conference');
    await t.session.command('changeConferenceOwner');
    expect(t.state()[1]).to.equal('conferencePassive');
    expect(t.enabled()).to.include('leaveConference');
    await t.session.command('leaveConference');
    expect(t.state()).to.deep.equal(['ready', 'none']);
    t.session.destroy();
  });

  it('external conference: no ownership change, transfer hands the call over', async () => {
    const t = await talking();
    await t.session.command('consult', { destination: { id: '+442079460958', type: 'external', label: 'Ext' } });
    t.sim.answerConsult();
    await t.session.command('conference');
    expect(t.session.snapshot.calls[0]!.conferenceKind).to.equal('external');
    expect(t.enabled()).to.include('completeTransfer');
    expect(t.enabled()).to.not.include('changeConferenceOwner');
    await t.session.command('completeTransfer');
    expect(t.state()[1]).to.equal('none');
    t.session.destroy();
  });

  it('cancel consult returns to talking; alternate swaps the active party', async () => {
    const t = await talking();
    await t.session.command('consult', { destination: { id: 'agent-1003', type: 'agent', label: 'Jo' } });
    t.sim.answerConsult();
    expect(t.session.snapshot.calls[0]!.consult!.activeParty).to.equal('consult');
    await t.session.command('alternate');
    expect(t.session.snapshot.calls[0]!.consult!.activeParty).to.equal('customer');
    await t.session.command('cancelConsult');
    expect(t.state()[1]).to.equal('talking');
    expect(t.session.snapshot.calls[0]!.consult).to.equal(undefined);
    t.session.destroy();
  });

  it('customer hang-up → wrap-up → wrap up with a disposition and notes', async () => {
    const t = await talking();
    t.sim.customerHangup();
    const call = t.session.snapshot.calls[0]!;
    expect(call.state).to.equal('wrapup');
    expect(call.wrapup).to.deep.include({ maxTimeSec: 60, extendable: true, defaultCode: 'NO_OUTCOME' });
    expect(t.enabled()).to.include.members(['wrapUp', 'extendWrapUp', 'createCallback']);
    const deadline = call.wrapup!.deadline!;
    await new Promise((r) => setTimeout(r, 5));
    await t.session.command('extendWrapUp');
    expect(t.session.snapshot.calls[0]!.wrapup!.deadline).to.be.greaterThan(deadline);
    await t.session.command('wrapUp', { code: 'SALE', notes: 'Renewed for a year' });
    expect(t.state()).to.deep.equal(['ready', 'none']);
    expect(t.hostEvents.find((e) => e.type === 'wrapup-completed')?.detail).to.deep.equal({ callId: call.id, dispositionCode: 'SALE' });
    t.session.destroy();
  });

  it('customer hang-up during a consult drops it and the owner goes to wrap-up', async () => {
    const t = await talking();
    await t.session.command('consult', { destination: { id: 'agent-1002', type: 'agent', label: 'Sam' } });
    t.sim.customerHangup();
    expect(t.state()[1]).to.equal('wrapup');
    expect(t.session.snapshot.calls[0]!.consult).to.equal(undefined);
    t.session.destroy();
  });

  it('redial from wrap-up dials the same customer again (POM AGTRedial), offered in wrap-up only', async () => {
    const t = await talking();
    expect(t.enabled()).to.not.include('redial');
    await t.session.command('hangup');
    expect(t.enabled()).to.include('redial');
    const id = t.session.snapshot.calls[0]!.id;
    await t.session.command('redial', {});
    expect(t.session.snapshot.calls[0]!.wrapup).to.equal(undefined);
    for (let i = 0; i < 200 && t.state()[1] !== 'talking'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(t.state()[1]).to.equal('talking');
    expect(t.session.snapshot.calls[0]!.id).to.equal(id);
    expect(t.enabled()).to.not.include('redial');
    t.session.destroy();
  });

  it('not ready with a reason during a call → pending not ready → not ready after wrap-up', async () => {
    const t = await talking();
    await t.session.command('notReady', { reasonCode: 'LUNCH' });
    expect(t.state()).to.deep.equal(['pendingNotReady', 'talking']);
    expect(t.session.snapshot.agent.reason?.code).to.equal('LUNCH');
    await t.session.command('hangup');
    expect(t.state()).to.deep.equal(['pendingNotReady', 'wrapup']);
    await t.session.command('wrapUp', { code: 'NOT_INTERESTED' });
    expect(t.state()).to.deep.equal(['notReady', 'none']);
    expect(t.session.snapshot.agent.reason?.code).to.equal('LUNCH');
    expect(t.enabled()).to.include('logout');
    await t.session.command('logout', {});
    expect(t.state()).to.deep.equal(['loggedOut', 'none']);
    t.session.destroy();
  });

  it('preview with a timeout is auto-dialled by the desktop duty and connects', async () => {
    let clock = 1_000_000;
    const t = await start({ now: () => clock });
    await t.session.command('login', {});
    await t.session.command('ready', {});
    t.sim.offerPreview({ number: '+441632960001', name: 'Alex', timeoutSec: 10 });
    expect(t.state()[1]).to.equal('preview');
    expect(t.enabled()).to.include.members(['previewDial', 'previewSkip']);
    clock += 11_000; // past the deadline; the duty re-plans on the next snapshot
    t.sim.failNext('addNote', 562); // any harmless change to re-plan: a failed note
    await t.session.command('addNote', { note: 'x' }).catch(() => undefined);
    await until(() => t.state()[1] === 'talking', 'the preview to be dialled and connected');
    expect(t.session.snapshot.calls[0]!.direction).to.equal('outbound');
    t.session.destroy();
  });

  it('preview skip → wrap-up (like AGTPreviewCancel)', async () => {
    const t = await loggedInReady();
    t.sim.offerPreview({ number: '+441632960001' });
    await t.session.command('previewSkip');
    expect(t.state()[1]).to.equal('wrapup');
    t.session.destroy();
  });

  it('manual dial → dialing → talking', async () => {
    const t = await loggedInReady();
    await t.session.command('dial', { number: '020 7946 0958' });
    expect(['dialing', 'talking']).to.include(t.state()[1]);
    await until(() => t.state()[1] === 'talking', 'the call to connect');
    expect(t.session.snapshot.calls[0]!.remote.number).to.equal('+442079460958');
    t.session.destroy();
  });

  it('failNext shows the POM error and changes nothing', async () => {
    const t = await talking();
    const before = t.session.snapshot;
    t.sim.failNext('hold', 101);
    const error = (await t.session.command('hold').catch((e: CtiError) => e)) as CtiError;
    expect(error.vendorCode).to.equal(101);
    const after = t.session.snapshot;
    expect(after.lastError).to.deep.include({ code: 'REJECTED', vendorCode: 101, message: 'Unable to hold.', operation: 'hold' });
    expect(after.calls).to.equal(before.calls);
    expect(after.agent).to.equal(before.agent);
    expect(after.capabilities).to.deep.equal(before.capabilities);
    await t.session.command('hold');
    expect(t.state()[1]).to.equal('held');
    expect(t.session.snapshot.lastError).to.equal(undefined);
    t.session.destroy();
  });

  it('recording, DTMF, notes, customer fields (read-only → 641), DNC, callback', async () => {
    const t = await loggedInReady();
    t.sim.offerCall({
      number: '+441632960123',
      fields: [
        { key: 'plan', label: 'Plan', value: 'Gold', type: 'write' },
        { key: 'id', label: 'Id', value: '17', type: 'readOnly' },
      ],
    });
    await t.session.command('answer');
    await t.session.command('startRecording');
    expect(t.session.snapshot.calls[0]!.recording).to.equal(true);
    expect(t.enabled()).to.include('stopRecording');
    await t.session.command('stopRecording');
    expect(t.session.snapshot.calls[0]!.recording).to.equal(false);
    await t.session.command('sendDtmf', { digit: '#' });
    await t.session.command('addNote', { note: 'Asked about prices' });
    expect(t.session.snapshot.calls[0]!.notes).to.deep.equal(['Asked about prices']);
    await t.session.command('setCustomerField', { key: 'plan', value: 'Silver' });
    expect(t.session.snapshot.calls[0]!.fields[0]!.value).to.equal('Silver');
    const ro = (await t.session.command('setCustomerField', { key: 'id', value: '18' }).catch((e: CtiError) => e)) as CtiError;
    expect(ro.vendorCode).to.equal(641);
    expect(t.session.snapshot.calls[0]!.fields[1]!.value).to.equal('17');
    await t.session.command('addToDnc', {});
    const dup = (await t.session.command('addToDnc', {}).catch((e: CtiError) => e)) as CtiError;
    expect(dup.vendorCode).to.equal(621);
    const past = (await t.session.command('createCallback', { time: '2001-01-01T10:00:00Z' }).catch((e: CtiError) => e)) as CtiError;
    expect(past.vendorCode).to.equal(488);
    await t.session.command('createCallback', { time: new Date(Date.now() + 3_600_000).toISOString() });
    t.session.destroy();
  });

  it('mute / unmute: kept through hold and retrieve, refused when already muted or with no one on the line', async () => {
    const t = await talking();
    expect(t.enabled()).to.include('mute');
    expect(t.enabled()).not.to.include('unmute');
    await t.session.command('mute');
    expect(t.session.snapshot.calls[0]!.muted).to.equal(true);
    expect(t.enabled()).to.include('unmute');
    expect(t.enabled()).not.to.include('mute');
    await t.session.command('hold');
    expect(t.enabled(), 'held').not.to.include('unmute');
    await t.session.command('retrieve');
    expect(t.session.snapshot.calls[0]!.muted, 'still muted after retrieve').to.equal(true);
    // The simulator refuses what the state does not allow, even when the UI is bypassed.
    const again = (await t.connector.execute({ id: 'x', operation: 'mute', args: {} }).catch((e: CtiError) => e)) as CtiError;
    expect(again.vendorCode).to.equal(9004);
    await t.session.command('unmute');
    expect(t.session.snapshot.calls[0]!.muted ?? false).to.equal(false);
    t.session.destroy();
  });

  it('busy / free and logout refused outside not ready (541)', async () => {
    const t = await loggedInReady();
    await t.session.command('busy', {});
    expect(t.state()[0]).to.equal('busy');
    await t.session.command('free', {});
    expect(t.state()[0]).to.equal('ready');
    // Bypass the session's capability check to see the simulator's own rule.
    const error = (await t.connector.execute({ id: 'x1', operation: 'logout', args: {} }).catch((e: CtiError) => e)) as CtiError;
    expect(error.vendorCode).to.equal(541);
    t.session.destroy();
  });

  it('blind transfer and transfer-in', async () => {
    const t = await talking();
    await t.session.command('blindTransfer', { destination: { id: 'ext-billing', type: 'external', label: 'Billing' } });
    expect(t.state()[1]).to.equal('none');
    t.connector.simulator.transferIn({ number: '+441632960555', name: 'Transferred' });
    expect(t.state()[1]).to.equal('talking');
    expect(t.session.snapshot.calls[0]!.role).to.equal('owner');
    t.session.destroy();
  });

  it('dropConnection: offline, then reconnects and re-sends the state', async () => {
    const t = await talking();
    const statuses: string[] = [];
    t.session.subscribe((s, p) => {
      if (s.connection !== p.connection) statuses.push(s.connection);
    });
    t.connector.simulator.dropConnection();
    expect(t.session.snapshot.connection).to.equal('offline');
    // Something happens while offline: the customer hangs up.
    t.sim.customerHangup();
    expect(t.state()[1]).to.equal('talking');
    await until(() => t.session.snapshot.connection === 'connected', 'reconnect');
    expect(statuses).to.deep.equal(['offline', 'connected']);
    expect(t.state()[1]).to.equal('wrapup');
    t.session.destroy();
  });

  it('sends capabilities after every change, with Record=Y while talking', () => {
    const sim = new ContactCentreSimulator({ agentId: 'a', latencyMs: 0 });
    const events: CanonicalEvent[] = [];
    sim.onEvent((e) => events.push(e));
    return sim
      .execute({ id: '1', operation: 'login', args: {} })
      .then(() => sim.execute({ id: '2', operation: 'ready', args: {} }))
      .then(() => {
        sim.offerCall({ number: '+441632960000' });
        return sim.execute({ id: '3', operation: 'answer', args: {} });
      })
      .then(() => {
        const caps = events.filter((e) => e.type === 'capabilities');
        expect(caps.length).to.equal(4);
        const last = caps.at(-1)!;
        expect(last.type === 'capabilities' && last.flags?.record).to.equal(true);
        const seqs = events.map((e) => e.seq!);
        expect(seqs).to.deep.equal(seqs.map((_, i) => i + 1));
        expect(events.every((e) => typeof e.at === 'number')).to.equal(true);
        const snap = sim.snapshotEvents();
        expect(snap.map((e) => e.type)).to.deep.equal(['agentState', 'lists', 'calls', 'capabilities']);
        expect(snap.every((e) => e.seq === undefined)).to.equal(true);
        sim.dispose();
      });
  });
});

describe('connector registry', () => {
  it('creates the simulator by default and refuses unknown names', async () => {
    expect(connectorNames()).to.include('simulator');
    const c = createConnector('simulator', { agentId: '1001', config: { latencyMs: 0 } });
    expect(c.name).to.equal('simulator');
    // Its code is a lazy module: the control API is there once connected.
    await c.connect(() => {});
    expect((c as SimulatorConnector).simulator).to.exist;
    expect(() => createConnector('simulator', { agentId: '1001', config: { latencyMS: 0 } })).to.throw(/unknown option "latencyMS"/);
    expect(() => createConnector('nope', { agentId: '1' })).to.throw(/Unknown connector "nope"/);
    expect(() => registerConnector('Bad Name', () => c)).to.throw(/not a valid connector name/);
    c.disconnect();
  });

  it('registers other connectors', () => {
    const fake = { name: 'x-test', supports: new Set<Operation>(), connect: async () => {}, execute: async () => {}, disconnect: () => {} };
    registerConnector('x-test', () => fake);
    expect(createConnector('x-test', { agentId: '1' })).to.equal(fake);
  });
});

describe('POM error codes', () => {
  it('maps a code to REJECTED with the vendor code and the table message', () => {
    const e = pomError(541, 'logout');
    expect(e.toJSON()).to.deep.include({ code: 'REJECTED', vendorCode: 541, severity: 'minor', operation: 'logout', message: 'Unable to logoff. Move to not ready state.' });
    expect(pomError(9009).severity).to.equal('critical');
  });

  it('has readable texts for the library codes 9996-9999 and a fallback for unknown codes', () => {
    for (const code of [9996, 9997, 9998, 9999]) expect(POM_ERRORS[code]!.message.length, String(code)).to.be.greaterThan(10);
    expect(pomError(4242, 'hold').message).to.equal('Hold was refused by the contact centre (POM error 4242).');
  });
});

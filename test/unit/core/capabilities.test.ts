import { expect } from '@open-wc/testing';
import { computeCapabilities } from '../../../src/core/capabilities.ts';
import { CAPABILITY_MATRIX } from '../../../src/core/capability-matrix.ts';
import { OPERATIONS, type Operation } from '../../../src/core/operations.ts';
import type { AgentState, Call, Capabilities } from '../../../src/core/model.ts';
import type { CapabilityFlags } from '../../../src/core/capability-flags.ts';
import { makeCall } from './fixtures.ts';

const ALL = new Set(OPERATIONS);

function caps(state: AgentState, call?: Call, extra: { flags?: CapabilityFlags | null; supports?: Set<Operation>; pending?: Operation[] } = {}): Capabilities {
  return computeCapabilities({
    flags: extra.flags ?? null,
    agent: { id: '1', state, since: 0 },
    calls: call ? [call] : [],
    supports: extra.supports ?? ALL,
    pending: extra.pending ?? [],
  });
}

const enabled = (c: Capabilities) => OPERATIONS.filter((op) => c[op]);

describe('capability engine', () => {
  it('logged out: only login', () => {
    expect(enabled(caps('loggedOut'))).to.deep.equal(['login']);
  });

  it('logout only in not ready with no call (POM 541)', () => {
    expect(caps('notReady').logout).to.equal(true);
    expect(caps('ready').logout).to.equal(false);
    expect(caps('notReady', makeCall('wrapup')).logout).to.equal(false);
  });

  it('ready/not ready follow the flags', () => {
    expect(caps('notReady').ready).to.equal(true);
    expect(caps('notReady').notReady).to.equal(false);
    expect(caps('ready').notReady).to.equal(true);
    expect(caps('ready').ready).to.equal(false);
  });

  it('answer only when ringing; dial when logged in with no call', () => {
    expect(caps('ready', makeCall('ringing')).answer).to.equal(true);
    expect(caps('ready', makeCall('talking')).answer).to.equal(false);
    expect(caps('ready').dial).to.equal(true);
    expect(caps('notReady').dial).to.equal(true);
    expect(caps('ready', makeCall('talking')).dial).to.equal(false);
  });

  it('talking: hold, hangup, DTMF, consult, blind transfer; not retrieve or complete transfer', () => {
    const c = caps('ready', makeCall('talking'));
    for (const op of ['hold', 'hangup', 'sendDtmf', 'consult', 'blindTransfer', 'createCallback', 'setCustomerField', 'addNote'] as const) {
      expect(c[op], op).to.equal(true);
    }
    for (const op of ['retrieve', 'completeTransfer', 'conference', 'cancelConsult', 'wrapUp', 'answer'] as const) {
      expect(c[op], op).to.equal(false);
    }
  });

  it('consult rule: enabled by LeaveConsult=N, Transfer=Y, Conference=Y; disabled by LeaveConsult=Y', () => {
    const talking = makeCall('talking');
    expect(caps('ready', talking, { flags: { ...CAPABILITY_MATRIX.talking } }).consult).to.equal(true);
    expect(caps('ready', talking, { flags: { ...CAPABILITY_MATRIX.talking, leaveConsult: true } }).consult).to.equal(false);
    expect(caps('ready', talking, { flags: { ...CAPABILITY_MATRIX.talking, transfer: false } }).consult).to.equal(false);
    expect(caps('ready', talking, { flags: { ...CAPABILITY_MATRIX.talking, conference: false } }).consult).to.equal(false);
    // The Consult (Owner) row itself: Transfer=Y, Conference=Y, LeaveConsult=Y → no second consult.
    expect(caps('ready', makeCall('consult')).consult).to.equal(false);
  });

  it('consult owner: cancel always; complete transfer, conference, alternate once connected', () => {
    const consult = (state: 'dialing' | 'connected') =>
      makeCall('consult', { consult: { destination: { id: 'a', type: 'agent', label: 'A' }, state, activeParty: 'consult', startedAt: 0 } });
    const dialing = caps('ready', consult('dialing'));
    expect([dialing.cancelConsult, dialing.completeTransfer, dialing.conference, dialing.alternate]).to.deep.equal([true, false, false, false]);
    const connected = caps('ready', consult('connected'));
    expect([connected.cancelConsult, connected.completeTransfer, connected.conference, connected.alternate]).to.deep.equal([true, true, true, true]);
  });

  it('conferences: owner ends, recipient leaves, ownership only in agent conferences', () => {
    const agentConf = caps('ready', makeCall('conferenceOwner', { conferenceKind: 'agent' }));
    expect([agentConf.endConference, agentConf.changeConferenceOwner, agentConf.leaveConference, agentConf.completeTransfer]).to.deep.equal([true, true, false, false]);
    const extConf = caps('ready', makeCall('conferenceOwner', { conferenceKind: 'external' }));
    expect([extConf.endConference, extConf.changeConferenceOwner, extConf.completeTransfer]).to.deep.equal([true, false, true]);
    const passive = caps('ready', makeCall('conferencePassive', { role: 'passive' }));
    expect([passive.leaveConference, passive.endConference, passive.setCustomerField]).to.deep.equal([true, false, false]);
  });

  it('wrap-up: wrap up, callback, extend only when extendable', () => {
    const c = caps('ready', makeCall('wrapup', { wrapup: { maxTimeSec: 60, extendable: true, defaultCode: 'X' } }));
    expect([c.wrapUp, c.createCallback, c.extendWrapUp, c.hangup]).to.deep.equal([true, true, true, false]);
    expect(caps('ready', makeCall('wrapup', { wrapup: { maxTimeSec: 60, extendable: false, defaultCode: 'X' } })).extendWrapUp).to.equal(false);
  });

  it('redial: in wrap-up, to the owner, only when Originate says the strategy allows it', () => {
    const wrapup = makeCall('wrapup', { wrapup: { maxTimeSec: 60, extendable: false, defaultCode: 'X' } });
    // The matrix's Wrapup row has Originate = N: no redial unless the backend says otherwise.
    expect(caps('ready', wrapup).redial).to.equal(false);
    const allowed = { ...CAPABILITY_MATRIX.wrapup, originate: true };
    expect(caps('ready', wrapup, { flags: allowed }).redial).to.equal(true);
    expect(caps('ready', { ...wrapup, role: 'passive' }, { flags: allowed }).redial).to.equal(false);
    // Originate = Y while talking (the matrix) is not a redial: the call is still up.
    expect(caps('ready', makeCall('talking'), { flags: { ...CAPABILITY_MATRIX.talking } }).redial).to.equal(false);
  });

  it('Disposition=Y while talking does not enable wrap up (only in wrap-up)', () => {
    expect(CAPABILITY_MATRIX.talking.disposition).to.equal(true);
    expect(caps('ready', makeCall('talking')).wrapUp).to.equal(false);
  });

  it('preview: dial and skip', () => {
    const c = caps('ready', makeCall('preview'));
    expect([c.previewDial, c.previewSkip, c.createCallback, c.hangup]).to.deep.equal([true, true, true, false]);
  });

  it('recording follows the Record flag and the call', () => {
    const flags = { ...CAPABILITY_MATRIX.talking, record: true };
    expect(caps('ready', makeCall('talking'), { flags }).startRecording).to.equal(true);
    expect(caps('ready', makeCall('talking'), { flags }).stopRecording).to.equal(false);
    expect(caps('ready', makeCall('talking', { recording: true }), { flags }).stopRecording).to.equal(true);
    expect(caps('ready', makeCall('talking')).startRecording).to.equal(false);
  });

  it('mute while someone is on the line, unmute while muted; neither when held, ringing or in wrap-up', () => {
    for (const state of ['talking', 'consult', 'conferenceOwner', 'conferencePassive'] as const) {
      expect(caps('ready', makeCall(state)).mute, `${state}: mute`).to.equal(true);
      expect(caps('ready', makeCall(state)).unmute, `${state}: unmute`).to.equal(false);
      expect(caps('ready', makeCall(state, { muted: true })).mute, `${state} muted: mute`).to.equal(false);
      expect(caps('ready', makeCall(state, { muted: true })).unmute, `${state} muted: unmute`).to.equal(true);
    }
    for (const state of ['ringing', 'dialing', 'held', 'wrapup', 'preview'] as const) {
      expect([caps('ready', makeCall(state)).mute, caps('ready', makeCall(state, { muted: true })).unmute], state).to.deep.equal([false, false]);
    }
    expect(caps('ready', makeCall('talking'), { supports: new Set<Operation>(['hangup']) }).mute, 'unsupported').to.equal(false);
  });

  it('server-sent flags win over the matrix', () => {
    const c = caps('ready', makeCall('talking'), { flags: { ...CAPABILITY_MATRIX.idle, hold: false, unhold: true } });
    expect(c.hold).to.equal(false);
    expect(c.retrieve).to.equal(true);
  });

  it('is masked by what the connector supports', () => {
    const c = caps('ready', makeCall('talking'), { supports: new Set(['hangup']) });
    expect(enabled(c)).to.deep.equal(['hangup']);
  });

  it('is masked by commands in flight', () => {
    const c = caps('ready', makeCall('talking'), { pending: ['hold'] });
    expect(c.hold).to.equal(false);
    expect(c.hangup).to.equal(true);
  });

  it('busy and free', () => {
    expect(caps('ready').busy).to.equal(true);
    expect(caps('busy').free).to.equal(true);
    expect(caps('busy').busy).to.equal(false);
    expect(caps('busy').dial).to.equal(false);
  });
});

import { expect } from '@open-wc/testing';
import { commandFrame, parseBridgeFrame, FrameError } from '../../../../src/connectors/pom/codec.ts';
import { foldPom, initialView, type PomInput, type PomView, type SentCommand } from '../../../../src/connectors/pom/pom-view.ts';
import { diffCanonical, toCanonical } from '../../../../src/connectors/pom/pom-mapping.ts';
import { POM_SUPPORTS, toPomCommands, pomTime, WALK_AWAY_REASON } from '../../../../src/connectors/pom/pom-commands.ts';
import { fromPomCapabilities, toPomCapabilities } from '../../../../src/connectors/pom/capabilities.ts';
import { POM_CAPABILITY_NAMES, POM_COMMANDS, POM_NOTIFICATIONS, type PomContact } from '../../../../src/connectors/pom/protocol.ts';
import { POM_ERRORS, pomError } from '../../../../src/connectors/pom/error-codes.ts';
import { CAPABILITY_MATRIX } from '../../../../src/core/capability-matrix.ts';
import { OPERATIONS, type Operation } from '../../../../src/core/operations.ts';
import type { Command } from '../../../../src/core/commands.ts';
import { ErrorCode } from '../../../../src/core/errors.ts';

const contact: PomContact = {
  contactId: 'K1',
  contactType: 'Progressive',
  campaignName: 'Renewals',
  jobId: 'Renewals-1',
  customerName: 'Alex Morgan',
  contactNumbers: [{ Name: 'Phone1', Number: '+441632960001' }],
};
const note = (name: string, args: Record<string, unknown> = {}): PomInput => ({ type: 'notification', name: name as never, args });
const answered = (command: SentCommand, args: Record<string, unknown> = {}, result = 0): PomInput => ({ type: 'answered', command, result, args });
const caps = (row: keyof typeof CAPABILITY_MATRIX) => ({ capabilities: toPomCapabilities(CAPABILITY_MATRIX[row]) });

/** Folds inputs in order, collecting duties and problems. */
function run(inputs: PomInput[], view: PomView = initialView('1001'), now = 1000) {
  const duties: string[] = [];
  const problems: Array<{ message: string; vendorCode?: unknown }> = [];
  for (const input of inputs) {
    const r = foldPom(view, input, now);
    view = r.view;
    duties.push(...r.duties.map((d) => d.name));
    problems.push(...r.problems);
  }
  return { view, duties, problems };
}

const loggedOnReady = (): PomInput[] => [
  answered({ name: 'AGTLogon', args: {} }),
  note('AGTStateChangedNotify', { agentState: 'Ready' }),
  answered({ name: 'AGTAvailableForNailup', args: {} }),
  note('AGTNailupChange', { nailupStatus: 'PendingNailup' }),
  note('AGTNailupChange', { nailupStatus: 'NailedUp' }),
  note('AGTCapabilitiesChanged', caps('ready')),
  note('AGTJobAttached', { campaignName: 'Renewals' }),
];

describe('POM codec', () => {
  it('reads responses and notifications, folding the document\'s alternative spellings', () => {
    const r = parseBridgeFrame('{"type":"response","id":"c1","name":"AGTLogoutRESP","args":{"result":541}}');
    expect(r).to.deep.equal({ type: 'response', id: 'c1', name: 'AGTLogoff', args: { result: 541 }, result: 541 });
    const n = parseBridgeFrame({ type: 'notification', name: 'AGTStateChangeNotify', args: { agentState: 'Ready' } });
    expect(n).to.deep.equal({ type: 'notification', name: 'AGTStateChangedNotify', args: { agentState: 'Ready' } });
    expect(parseBridgeFrame({ type: 'notification', name: 'AGTConfOwnershipChanged', args: {} })).to.have.property('name', 'AGTConferenceOwnershipChanged');
  });

  it('passes an unknown notification on as unknown (to be logged and ignored), never throws for it', () => {
    expect(parseBridgeFrame({ type: 'notification', name: 'AGTSomethingNew', args: { x: 1 } })).to.deep.equal({ type: 'unknownNotification', name: 'AGTSomethingNew', args: { x: 1 } });
  });

  it('refuses frames that are not the protocol\'s with a FrameError', () => {
    for (const bad of ['not json', '[1]', { type: 'response', name: 'AGTFlyRESP', args: { result: 0 } }, { type: 'response', name: 'AGTHoldCallRESP', args: {} }, { type: 'gossip' }, { type: 'welcome' }]) {
      expect(() => parseBridgeFrame(bad), JSON.stringify(bad)).to.throw(FrameError);
    }
  });

  it('checks every command frame against the command table before it leaves', () => {
    expect(commandFrame('c1', 'AGTHoldCall', { sessionID: 'S1' })).to.deep.equal({ type: 'command', id: 'c1', name: 'AGTHoldCall', args: { sessionID: 'S1' } });
    expect(() => commandFrame('c2', 'AGTHoldCall', {})).to.throw(/sessionID is missing/);
    expect(() => commandFrame('c3', 'AGTStateChange', { agentState: 'Ready', reasonCode: '', reasonName: '', hasWalkedAway: 'no' })).to.throw(/hasWalkedAway/);
  });

  it('maps POMCapabilities to our flags by matrix column, a missing flag being false', () => {
    expect(POM_CAPABILITY_NAMES).to.have.length(17);
    for (const row of Object.keys(CAPABILITY_MATRIX) as Array<keyof typeof CAPABILITY_MATRIX>) {
      expect(fromPomCapabilities(toPomCapabilities(CAPABILITY_MATRIX[row]))).to.deep.equal(CAPABILITY_MATRIX[row]);
    }
    expect(fromPomCapabilities({ CanHold: true, CanUnhold: 'yes' }).hold).to.equal(true);
    expect(fromPomCapabilities({ CanHold: true, CanUnhold: 'yes' }).unhold).to.equal(false);
  });
});

describe('POM errors', () => {
  it('gives every code of the table readable text with the vendor code kept', () => {
    for (const code of Object.keys(POM_ERRORS).map(Number)) {
      const e = pomError(code, 'hold');
      expect(e.vendorCode).to.equal(code);
      expect(e.code).to.equal(ErrorCode.Rejected);
      expect(e.message.length, String(code)).to.be.greaterThan(10);
    }
    expect(pomError(4711, 'hold').message).to.contain('4711');
  });
});

describe('POM → canonical', () => {
  it('does the desktop duties of the nailing sequence, each once', () => {
    const r = run(loggedOnReady());
    expect(r.duties).to.deep.equal(['AGTAvailableForNailup', 'AGTReadyForNailup']);
    expect(r.view.nailup).to.equal('NailedUp');
    const picture = toCanonical(r.view);
    expect(picture.agentState).to.equal('ready');
    expect(picture.flags).to.deep.equal(CAPABILITY_MATRIX.ready);
  });

  it('shows each step of the nailing to the agent as the phone line state', () => {
    let view = run([answered({ name: 'AGTLogon', args: {} }), note('AGTStateChangedNotify', { agentState: 'Ready' })]).view;
    const line = () => toCanonical(view).phoneLine;
    expect(line()).to.equal('notNailed');
    view = foldPom(view, { type: 'sent', command: { name: 'AGTAvailableForNailup', args: {} } }, 1).view;
    expect(line()).to.equal('availableForNailup');
    view = foldPom(view, note('AGTNailupChange', { nailupStatus: 'PendingNailup' }), 1).view;
    expect(line()).to.equal('pendingNailup');
    view = foldPom(view, { type: 'sent', command: { name: 'AGTReadyForNailup', args: {} } }, 1).view;
    expect(line()).to.equal('readyForNailup');
    view = foldPom(view, note('AGTNailupChange', { nailupStatus: 'NailedUp' }), 1).view;
    expect(line()).to.equal('nailedUp');
    const lost = foldPom(view, note('AGTNailupChange', { nailupStatus: 'NailingLost' }), 1);
    expect(toCanonical(lost.view).phoneLine).to.equal('nailingLost');
    expect(diffCanonical(toCanonical(view), toCanonical(lost.view))).to.deep.equal([{ type: 'phoneLine', state: 'nailingLost' }]);
    expect(lost.problems[0]!.message).to.contain('nailing call');
  });

  it('turns a contact into a call with its customer details, every attribute type kept', () => {
    const start = run(loggedOnReady()).view;
    const r = run(
      [
        note('AGTCallNotify', { contact, sessionID: 'S1' }),
        note('AGTCallStateChangedNotify', { callState: 'Talking' }),
        note('AGTCapabilitiesChanged', caps('talking')),
      ],
      start,
    );
    expect(r.duties).to.include.members(['AGTGetCustomerDetails', 'AGTGetCompCodes', 'AGTGetConsultTypes']);
    const details = run(
      [
        answered(
          { name: 'AGTGetCustomerDetails', args: { sessionID: 'S1' } },
          {
            customerDetails: {
              attributes: [
                { name: 'FirstName', value: 'Alex', type: 'READ_ONLY' },
                { name: 'email', value: 'a@example.com', type: 'WRITE' },
                { name: 'CRMRecord', value: 'https://crm.example.com/4711', type: 'SCREEN_POP' },
                { name: 'AccountPIN', value: '4921', type: 'MASKED_WRITE' },
              ],
            },
            sessionID: 'S1',
          },
        ),
      ],
      r.view,
    );
    const call = toCanonical(details.view).call!;
    expect(call).to.include({ id: 'S1', state: 'talking', role: 'owner', campaign: 'Renewals' });
    expect(call.remote).to.deep.equal({ number: '+441632960001', name: 'Alex Morgan' });
    expect(call.fields.map((f) => [f.key, f.label, f.type])).to.deep.equal([
      ['FirstName', 'First name', 'readOnly'],
      ['email', 'Email', 'write'],
      ['CRMRecord', 'CRM Record', 'screenPop'],
      ['AccountPIN', 'Account PIN', 'maskedWrite'],
    ]);
  });

  it('gives a timed preview its deadline and a zero-timeout callback no deadline (dial at once)', () => {
    const start = run(loggedOnReady()).view;
    const timed = run([note('AGTCallNotify', { contact: { ...contact, contactType: 'Preview', previewTimeout: 10 }, sessionID: 'P1' }), note('AGTCallStateChangedNotify', { callState: 'Preview' })], start, 5000);
    expect(toCanonical(timed.view).call!.preview).to.deep.equal({ timeoutSec: 10, numbers: ['+441632960001'], isCallback: false, deadline: 15_000 });
    const callback = run([note('AGTCallNotify', { contact: { ...contact, contactType: 'Callback', previewTimeout: 0 }, sessionID: 'P2' }), note('AGTCallStateChangedNotify', { callState: 'Preview' })], start);
    const call = toCanonical(callback.view).call!;
    expect(call.state).to.equal('callback');
    expect(call.preview).to.deep.equal({ timeoutSec: 0, numbers: ['+441632960001'], isCallback: true });
  });

  it('carries the wrap-up window from AGTAutoReleaseLine, with its deadline', () => {
    const start = run([...loggedOnReady(), note('AGTCallNotify', { contact, sessionID: 'S1' }), note('AGTCallStateChangedNotify', { callState: 'Talking' })]).view;
    const r = run(
      [note('AGTAutoReleaseLine', { wrapupDetails: { acwMaxTime: 30, acwExtendable: true, defaultCompCode: 'NO_OUTCOME' }, sessionID: 'S1' }), note('AGTCallStateChangedNotify', { callState: 'Wrapup' })],
      start,
      2000,
    );
    expect(toCanonical(r.view).call!.wrapup).to.deep.equal({ numbers: ['+441632960001'], maxTimeSec: 30, extendable: true, defaultCode: 'NO_OUTCOME', deadline: 32_000 });
  });

  it('offers the contact\'s numbers in wrap-up (the default first), for Redial and a callback', () => {
    const several = { ...contact, contactNumbers: [{ Name: 'Phone1', Number: '+441632960001' }, { Name: 'Mobile', Number: '+442079460123' }, { Name: 'Work', Number: '' }] };
    const r = run([
      ...loggedOnReady(),
      note('AGTCallNotify', { contact: several, sessionID: 'S1' }),
      note('AGTCallStateChangedNotify', { callState: 'Talking' }),
      note('AGTAutoReleaseLine', { wrapupDetails: { acwMaxTime: 0, acwExtendable: false, defaultCompCode: 'NO_OUTCOME' }, sessionID: 'S1' }),
      note('AGTCallStateChangedNotify', { callState: 'Wrapup' }),
    ]);
    expect(toCanonical(r.view).call!.wrapup!.numbers).to.deep.equal(['+441632960001', '+442079460123']);
    // One of them chosen is the contact's own number (no ExternalNumber, so no do-not-call check).
    const redial = toPomCommands({ id: 'c1', operation: 'redial', args: { number: '+442079460123' } } as Command, r.view, { reasons: [] });
    expect(redial[0]!.args.contactNumber).to.deep.equal({ Name: 'Mobile', Number: '+442079460123' });
  });

  it('shows the job POM attached the agent to, without a call, until the job ends', () => {
    const attached = run(loggedOnReady()).view;
    const picture = toCanonical(attached);
    expect(picture.job).to.equal('Renewals');
    expect(picture.call).to.equal(undefined);
    expect(diffCanonical(toCanonical(run(loggedOnReady().slice(0, -1)).view), picture)).to.deep.include({ type: 'phoneLine', state: 'nailedUp', job: 'Renewals' });
    const ended = run([note('AGTNailupChange', { nailupStatus: 'PendingNailupDrop' })], attached).view;
    expect(toCanonical(ended).job).to.equal(undefined);
    expect(diffCanonical(picture, toCanonical(ended))).to.deep.include({ type: 'phoneLine', state: 'pendingNailupDrop' });
  });

  it('follows consult → conference → ownership change for roles, and a passive consult as passive', () => {
    const start = run([...loggedOnReady(), note('AGTCallNotify', { contact, sessionID: 'S1' }), note('AGTCallStateChangedNotify', { callState: 'Talking' })]).view;
    const dest = { destinationType: 'Agent', id: '1002', name: 'Sam Patel' };
    let r = run([answered({ name: 'AGTConsultCall', args: { destination: dest, sessionID: 'S1' } }, { sessionID: 'S1' })], start);
    expect(toCanonical(r.view).call!.consult).to.include({ state: 'dialing' });
    r = run([note('AGTCallStateChangedNotify', { callState: 'Consult' })], r.view);
    expect(toCanonical(r.view).call!.consult).to.include({ state: 'connected' });
    r = run([note('AGTCallStateChangedNotify', { callState: 'ConferenceOwner' })], r.view);
    expect(toCanonical(r.view).call).to.include({ state: 'conferenceOwner', role: 'owner', conferenceKind: 'agent' });
    r = run([note('AGTCallStateChangedNotify', { callState: 'ConferencePassive' })], r.view);
    expect(toCanonical(r.view).call).to.include({ state: 'conferencePassive', role: 'passive' });

    const passive = run([note('AGTConsultNotify', { contact, requestingAgentId: '1005', sessionID: 'S9' }), note('AGTCallStateChangedNotify', { callState: 'Consult' })], run(loggedOnReady()).view);
    expect(toCanonical(passive.view).call).to.include({ state: 'consult', role: 'passive' });
    const cancel = toPomCommands({ id: 'x', operation: 'cancelConsult', args: {} }, passive.view, { reasons: [] });
    expect(cancel[0]!.args).to.deep.equal({ destAgentID: '1005', sessionID: 'S9' });
  });

  it('reports unsolicited failures as problems with the vendor\'s name kept', () => {
    const start = run([...loggedOnReady(), note('AGTCallNotify', { contact, sessionID: 'S1' }), note('AGTCallStateChangedNotify', { callState: 'Talking' })]).view;
    const r = run([note('AGTConsultDialFailed', { dialFailReason: 'Busy', sessionID: 'S1' }), note('AGTNailupChange', { nailupStatus: 'NailingLost' }), note('AGTZoneDown', { zoneName: 'Default', gracePeriodInMillis: 30000 })], start);
    expect(r.problems.map((p) => p.vendorCode)).to.deep.equal(['AGTConsultDialFailed:Busy', 'NailingLost', 'AGTZoneDown']);
    expect(r.problems[0]!.message).to.contain('busy');
    expect(r.problems[2]!.message).to.contain('30 s');
  });

  it('answers POM\'s GetAgentStatus with the desktop\'s view', () => {
    const start = run(loggedOnReady()).view;
    const r = foldPom(start, { type: 'notification', name: 'GetAgentStatus', args: { agentID: '1001' } }, 1);
    expect(r.duties).to.deep.equal([{ name: 'GetAgentStatusResponse', args: { status: { agentState: 'Ready', nailupStatus: 'NailedUp', callState: 'Idle' } } }]);
  });

  it('replaces its view with the bridge\'s status after a reconnect (nothing applied twice)', () => {
    const start = run([...loggedOnReady(), note('AGTCallNotify', { contact, sessionID: 'S1' }), note('AGTCallStateChangedNotify', { callState: 'Held' })]).view;
    const r = run(
      [
        {
          type: 'welcome',
          agentId: '1001',
          pomAvailable: true,
          status: { loggedOn: true, agentState: 'Ready', nailupStatus: 'NailedUp', callState: 'Wrapup', sessionID: 'S1', contact, capabilities: toPomCapabilities(CAPABILITY_MATRIX.wrapup), wrapupDetails: { acwMaxTime: 0, acwExtendable: false, defaultCompCode: 'NO_OUTCOME' }, campaignName: 'Renewals' },
        },
      ],
      start,
    );
    const picture = toCanonical(r.view);
    expect(picture.call).to.include({ id: 'S1', state: 'wrapup' });
    expect(picture.flags).to.deep.equal(CAPABILITY_MATRIX.wrapup);
    expect(r.duties).to.not.include('AGTAvailableForNailup');
    const events = diffCanonical(toCanonical(start), picture);
    expect(events.map((e) => e.type)).to.deep.equal(['call', 'capabilities']);
    expect(diffCanonical(picture, picture)).to.deep.equal([]);
  });

  it('a logged-out status or AGTAgentLoggedOut makes the agent logged out with no call', () => {
    const start = run([...loggedOnReady(), note('AGTCallNotify', { contact, sessionID: 'S1' }), note('AGTCallStateChangedNotify', { callState: 'Talking' })]).view;
    const r = foldPom(start, { type: 'notification', name: 'AGTAgentLoggedOut', args: {} }, 1);
    expect(r.loggedOut).to.equal(true);
    const events = diffCanonical(toCanonical(start), toCanonical(r.view));
    expect(events).to.deep.include({ type: 'callRemoved', callId: 'S1' });
    expect(events).to.deep.include({ type: 'agentState', state: 'loggedOut' });
  });
});

describe('canonical → POM', () => {
  const talking = run([...loggedOnReady(), note('AGTCallNotify', { contact, sessionID: 'S1' }), note('AGTCallStateChangedNotify', { callState: 'Talking' }), answered({ name: 'AGTGetCompCodes', args: { sessionID: 'S1' } }, { completionCodesList: [{ code: 'SALE', name: 'Sale' }], sessionID: 'S1' }), answered({ name: 'AGTGetConsultTypes', args: { sessionID: 'S1' } }, { destinationTypes: ['Agent', 'External'], allowFreeForm: true, sessionID: 'S1' }), answered({ name: 'AGTGetCustomerDetails', args: { sessionID: 'S1' } }, { customerDetails: { attributes: [{ name: 'email', value: '', type: 'WRITE' }, { name: 'Phone', value: '', type: 'READ_ONLY' }] }, sessionID: 'S1' })]).view;
  const ctx = { reasons: [{ code: 'BREAK', label: 'Break' }] };
  const argsFor: Partial<Record<Operation, Record<string, unknown>>> = {
    login: { extension: '5001', password: '1234', zone: 'Default' },
    notReady: { reasonCode: 'BREAK' },
    sendDtmf: { digit: '5' },
    consult: { destination: { id: '1002', type: 'agent', label: 'Sam Patel' } },
    blindTransfer: { destination: { id: 'x', type: 'external', label: '+441632960999', number: '+441632960999' } },
    wrapUp: { code: 'SALE', notes: 'happy customer' },
    createCallback: { time: '2030-01-02T03:04:00Z', notes: 'after lunch' },
    addNote: { note: 'hello' },
    setCustomerField: { key: 'email', value: 'a@b.example' },
    addToDnc: {},
    previewDial: {},
  };

  it('every supported operation becomes commands that fit the document\'s table', () => {
    for (const op of POM_SUPPORTS) {
      const cmds = toPomCommands({ id: 'c', operation: op, args: argsFor[op] ?? {} } as Command, talking, ctx);
      expect(cmds.length, op).to.be.greaterThan(0);
      for (const c of cmds) expect(() => commandFrame('c', c.name, c.args), `${op} → ${c.name}`).to.not.throw();
    }
  });

  it('refuses what POM cannot do, and bad arguments, before anything is sent', () => {
    for (const op of OPERATIONS.filter((o) => !POM_SUPPORTS.has(o))) {
      expect(() => toPomCommands({ id: 'c', operation: op, args: {} } as Command, talking, ctx), op).to.throw(/not available with Avaya POM/);
    }
    expect(() => toPomCommands({ id: 'c', operation: 'notReady', args: { reasonCode: 'NAP' } }, talking, ctx)).to.throw(/configured not-ready reasons/);
    expect(() => toPomCommands({ id: 'c', operation: 'setCustomerField', args: { key: 'Phone', value: '1' } }, talking, ctx)).to.throw(/read-only/);
    expect(() => toPomCommands({ id: 'c', operation: 'login', args: { password: 'x' } }, talking, ctx)).to.throw(/extension/);
  });

  it('spells arguments as POM expects: logon variants, callback time, completion code, walk-away', () => {
    const elite = toPomCommands({ id: 'c', operation: 'login', args: { extension: '5001', password: '', zone: 'Default', force: true } }, talking, ctx)[0]!;
    expect(elite.args).to.deep.equal({ agentExt: '5001', pwd: '', isForce: true, locale: 'en_US', timeZone: 'UTC', zoneName: 'Default' });
    const aacc = toPomCommands({ id: 'c', operation: 'login', args: { extension: 'sip:1001@aacc', zone: 'Default', agentName: 'Ada' } as never }, talking, ctx)[0]!;
    expect(aacc.args).to.include({ agentName: 'Ada' });
    expect(pomTime(new Date('2030-01-02T03:04:59Z'))).to.equal('2030/01/02 03:04');
    const wrap = toPomCommands({ id: 'c', operation: 'wrapUp', args: { code: 'SALE', notes: 'n' } }, talking, ctx);
    expect(wrap.map((c) => c.name)).to.deep.equal(['AGTAddAgentNote', 'AGTWrapupContact']);
    expect(wrap[1]!.args.completionCode).to.deep.equal({ code: 'SALE', name: 'Sale' });
    const away = toPomCommands({ id: 'c', operation: 'notReady', args: { reasonCode: WALK_AWAY_REASON.code } }, talking, ctx)[0]!;
    expect(away.args).to.include({ agentState: 'NotReady', hasWalkedAway: true });
    const free = toPomCommands({ id: 'c', operation: 'consult', args: { destination: { id: '+441632960999', type: 'external', label: '', number: '+441632960999' } } }, talking, ctx)[0]!;
    expect(free.args.destination).to.deep.equal({ destinationType: 'External', id: 'ExternalNumber', name: '+441632960999', address: '+441632960999' });
  });

  it('handles every notification of the document: read as known, folded without throwing, and each one acts (bar the purely informational)', () => {
    // A Talking call whose session the notifications name, so the call-bound ones have something to act on.
    const talking = run([...loggedOnReady(), note('AGTCallNotify', { contact, sessionID: 'S1' }), note('AGTCallStateChangedNotify', { callState: 'Talking' }), note('AGTCapabilitiesChanged', caps('talking'))]).view;
    const sample: Record<string, unknown> = {
      agentState: 'NotReady', contact: { ...contact, contactId: 'K2' }, pomContact: { ...contact, contactId: 'K3' }, sessionID: 'S1', requestingAgentId: '1002', requestingAgentID: '1002',
      dialFailReason: 'Busy', capabilities: caps('held').capabilities, nailupStatus: 'NailingLost', callState: 'Held', wrapupDetails: { acwMaxTime: 30, acwExtendable: true, defaultCompCode: 'NO_OUTCOME' },
      dueTime: '2031/01/01 10:00', attribute: { name: 'email', value: 'a@example.com', type: 'WRITE' }, commandName: 'AGTFly', agentID: '1001', zoneName: 'Default', gracePeriodInMillis: 5000, campaignName: 'Winback',
    };
    // …and in a consult that is pending, inside a conference this desktop is the passive party of.
    const inConsult = { ...talking, call: { ...talking.call!, role: 'passive', conferenceKind: 'agent', consult: { destination: { destinationType: 'Agent', id: '1002', name: 'Sam Patel' }, connected: false } } } as PomView;
    const CONSULT_BOUND = new Set(['AGTConferenceEnded', 'AGTConferenceOwnershipChanged', 'AGTConsultCancelled', 'AGTPendingConsultComplete']);
    // The desktop duties still open in that view are asked again after any input: not an effect.
    const baseline = JSON.stringify(foldPom(talking, note('AGTNotInTheDocument'), 2000).duties);
    const consultBaseline = JSON.stringify(foldPom(inConsult, note('AGTNotInTheDocument'), 2000).duties);
    const inert: string[] = [];
    for (const [name, table] of Object.entries(POM_NOTIFICATIONS)) {
      const args = Object.fromEntries(Object.keys(table).map((k) => [k, sample[k] ?? 'x']));
      const parsed = parseBridgeFrame(JSON.stringify({ type: 'notification', name, args }));
      expect(parsed.type, name).to.equal('notification');
      const before = CONSULT_BOUND.has(name) ? inConsult : talking;
      let result: ReturnType<typeof foldPom> | undefined;
      expect(() => (result = foldPom(before, parsed as PomInput, 2000)), name).to.not.throw();
      if (JSON.stringify(result!.view) === JSON.stringify(before) && JSON.stringify(result!.duties) === (before === talking ? baseline : consultBaseline) && result!.problems.length === 0 && result!.pomAvailable === undefined) inert.push(name);
    }
    // Informational for a desktop (pom.md §6.2): the state and capability notifications that follow carry the change.
    expect(inert.sort()).to.deep.equal(['AGTBlendedToInbound', 'AGTBlendedToOutbound', 'AGTConsultPending', 'AGTEnableCancelConsult']);
  });

  it('the protocol tables cover the document: 45 commands and 29 notifications', () => {
    expect(Object.keys(POM_COMMANDS)).to.have.length(45);
    expect(Object.keys(POM_NOTIFICATIONS)).to.have.length(29);
  });
});

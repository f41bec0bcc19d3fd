import { expect } from '@open-wc/testing';
import { CAPABILITY_MATRIX, MATRIX_ROWS, deriveFlags, matrixRow, type MatrixRow } from '../../../src/core/capability-matrix.ts';
import { CAPABILITY_FLAGS, type CapabilityFlag } from '../../../src/core/capability-flags.ts';
import type { Call } from '../../../src/core/model.ts';

/**
 * A literal copy of vendor-apis.md §5.8 (the document's table, not the implementation's data).
 * Every cell below is compared with CAPABILITY_MATRIX.
 */
const DOCUMENT_TABLE = `
| State \\ Capability | Hold | Unhold | Transfer | Conference | Release | Disposition | Originate | CreateCallback | SendDTMF | UpdateRecord | LeaveConference | LeaveConsult | EndConference | ChangeOwnership | Ready | NotReady | Record |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| Idle | N | N | N | N | N | N | N | N | N | N | N | N | N | N | N | Y | N |
| Held | N | Y | N | N | N | N | N | N | N | N | N | N | N | N | N | Y | N |
| Talking | Y | N | Y | Y | Y | Y | Y | Y | Y | Y | N | N | N | N | N | Y | N |
| Consult (Owner) | N | N | Y | Y | N | N | N | N | N | N | N | Y | N | N | N | Y | N |
| Consult (Recipient) | N | N | N | N | N | N | N | N | N | N | N | Y | N | N | N | Y | N |
| Agent Conference (Owner) | N | N | N | N | N | N | N | N | N | Y | N | N | Y | Y | N | Y | N |
| External Conference (Owner) | N | N | Y | N | N | N | N | N | N | Y | N | N | Y | Y | N | Y | N |
| Conference (Recipient) | N | N | N | N | N | N | N | N | N | N | Y | N | N | N | N | Y | N |
| Wrapup | N | N | N | N | N | Y | N | Y | N | N | N | N | N | N | N | Y | N |
| NotReady | N | N | N | N | N | N | N | N | N | N | N | N | N | N | Y | N | N |
| Pending Not Ready | N | N | N | N | N | N | N | N | N | N | N | N | N | N | Y | N | N |
| Ready | N | N | N | N | N | N | N | N | N | N | N | N | N | N | N | Y | N |
| Recording Present | N | N | N | N | N | N | N | N | N | N | N | N | N | N | N | Y | N |
| Preview/Callback | N | N | N | N | N | N | N | Y | N | Y | N | N | N | N | N | Y | N |
| Dialing | N | N | N | N | N | N | N | N | N | N | N | N | N | N | N | Y | N |
`;

const ROW_NAMES: Record<string, MatrixRow> = {
  Idle: 'idle',
  Held: 'held',
  Talking: 'talking',
  'Consult (Owner)': 'consultOwner',
  'Consult (Recipient)': 'consultRecipient',
  'Agent Conference (Owner)': 'agentConferenceOwner',
  'External Conference (Owner)': 'externalConferenceOwner',
  'Conference (Recipient)': 'conferenceRecipient',
  Wrapup: 'wrapup',
  NotReady: 'notReady',
  'Pending Not Ready': 'pendingNotReady',
  Ready: 'ready',
  'Recording Present': 'recordingPresent',
  'Preview/Callback': 'previewCallback',
  Dialing: 'dialing',
};

const COLUMN_NAMES: Record<string, CapabilityFlag> = {
  Hold: 'hold',
  Unhold: 'unhold',
  Transfer: 'transfer',
  Conference: 'conference',
  Release: 'release',
  Disposition: 'disposition',
  Originate: 'originate',
  CreateCallback: 'createCallback',
  SendDTMF: 'sendDtmf',
  UpdateRecord: 'updateRecord',
  LeaveConference: 'leaveConference',
  LeaveConsult: 'leaveConsult',
  EndConference: 'endConference',
  ChangeOwnership: 'changeOwnership',
  Ready: 'ready',
  NotReady: 'notReady',
  Record: 'record',
};

function cells(line: string): string[] {
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

const lines = DOCUMENT_TABLE.trim().split('\n');
const header = cells(lines[0]!).slice(1);
const body = lines.slice(2).map(cells);

describe('capability matrix (vendor-apis.md §5.8)', () => {
  it('has the 15 rows and 17 columns of the document', () => {
    expect(body.length).to.equal(15);
    expect(header.length).to.equal(17);
    expect(Object.keys(CAPABILITY_MATRIX)).to.have.members([...MATRIX_ROWS]);
    expect(header.map((h) => COLUMN_NAMES[h])).to.deep.equal([...CAPABILITY_FLAGS]);
  });

  for (const row of body) {
    const [rowName, ...values] = row;
    const key = ROW_NAMES[rowName!]!;
    describe(`row ${rowName}`, () => {
      values.forEach((value, i) => {
        const column = header[i]!;
        const flag = COLUMN_NAMES[column]!;
        it(`${column} = ${value}`, () => {
          expect(key, `row ${rowName} is known`).to.be.a('string');
          expect(CAPABILITY_MATRIX[key][flag]).to.equal(value === 'Y');
        });
      });
    });
  }
});

function call(state: Call['state'], extra: Partial<Call> = {}): Call {
  return {
    id: 'c1',
    direction: 'inbound',
    state,
    role: 'owner',
    remote: { number: '+441632960000' },
    fields: [],
    recording: false,
    notes: [],
    timestamps: { offeredAt: 0 },
    ...extra,
  };
}

describe('matrixRow: the call state while on a call, the agent state otherwise', () => {
  const cases: [string, ReturnType<typeof matrixRow>, Parameters<typeof matrixRow>][] = [
    ['logged out', null, ['loggedOut']],
    ['logged out even with a stale call', null, ['loggedOut', call('talking')]],
    ['ready, no call', 'ready', ['ready']],
    ['not ready', 'notReady', ['notReady']],
    ['busy → NotReady row', 'notReady', ['busy']],
    ['pending not ready, no call', 'pendingNotReady', ['pendingNotReady']],
    ['ringing → Dialing row', 'dialing', ['ready', call('ringing')]],
    ['dialing', 'dialing', ['ready', call('dialing')]],
    ['preview', 'previewCallback', ['ready', call('preview')]],
    ['callback', 'previewCallback', ['ready', call('callback')]],
    ['talking (agent pending not ready)', 'talking', ['pendingNotReady', call('talking')]],
    ['held', 'held', ['ready', call('held')]],
    ['consult owner', 'consultOwner', ['ready', call('consult')]],
    ['consult recipient', 'consultRecipient', ['ready', call('consult', { role: 'passive' })]],
    ['agent conference owner', 'agentConferenceOwner', ['ready', call('conferenceOwner', { conferenceKind: 'agent' })]],
    ['external conference owner', 'externalConferenceOwner', ['ready', call('conferenceOwner', { conferenceKind: 'external' })]],
    ['conference recipient', 'conferenceRecipient', ['ready', call('conferencePassive', { role: 'passive' })]],
    ['wrap-up', 'wrapup', ['notReady', call('wrapup')]],
  ];
  for (const [name, expected, args] of cases) {
    it(name, () => expect(matrixRow(...args)).to.equal(expected));
  }
});

describe('deriveFlags', () => {
  it('is all false when logged out', () => {
    expect(CAPABILITY_FLAGS.every((f) => deriveFlags('loggedOut')[f] === false)).to.equal(true);
  });

  it('returns the row of the state', () => {
    expect(deriveFlags('ready', call('talking'))).to.deep.equal(CAPABILITY_MATRIX.talking);
    expect(deriveFlags({ id: 'a', state: 'notReady', since: 0 })).to.deep.equal(CAPABILITY_MATRIX.notReady);
  });

  it('keeps Ready enabled while pending not ready on a call (take back the break)', () => {
    const flags = deriveFlags('pendingNotReady', call('talking'));
    expect(flags.ready).to.equal(true);
    expect(flags.hold).to.equal(true);
    expect(deriveFlags('ready', call('talking')).ready).to.equal(false);
  });
});

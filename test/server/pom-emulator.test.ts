import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { start } from '../../server/emulators/pom/index.ts';
import { POM_COMMANDS, checkArgs, type PomCommandName } from '../../src/connectors/pom/protocol.ts';

type Frame = { type: string; id?: string; name?: string; args?: Record<string, unknown>; [k: string]: unknown };

/** A desktop on the bridge: sends commands, awaits their RESP, records notifications in order. */
class Desktop {
  readonly frames: Frame[] = [];
  #ws: WebSocket;
  #waiters: Array<{ test: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  #seen = 0;
  #next = 1;
  closed: Promise<number>;

  constructor(url: string) {
    this.#ws = new WebSocket(url);
    this.#ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((w) => (w.test(frame) ? (w.resolve(frame), false) : true));
    });
    this.closed = new Promise((resolve) => this.#ws.on('close', (code) => resolve(code)));
  }

  static async open(url: string, agentId: string): Promise<Desktop> {
    const d = new Desktop(url);
    await new Promise((resolve, reject) => {
      d.#ws.once('open', resolve);
      d.#ws.once('error', reject);
    });
    d.send({ type: 'hello', protocol: 'pom-bridge/1', agentId });
    await d.wait((f) => f.type === 'welcome' || f.type === 'refused');
    return d;
  }

  get welcome(): Frame {
    return this.frames.find((f) => f.type === 'welcome')!;
  }

  send(frame: Record<string, unknown>): void {
    this.#ws.send(JSON.stringify(frame));
  }

  wait(test: (f: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    const found = this.frames.slice(this.#seen).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
      this.#waiters.push({ test, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  /** Sends a command and resolves with its RESP args (result included). */
  async cmd(name: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown> & { result: number }> {
    const id = `c${this.#next++}`;
    this.send({ type: 'command', id, name, args });
    const resp = await this.wait((f) => f.type === 'response' && f.id === id);
    return resp.args as Record<string, unknown> & { result: number };
  }

  /** Notifications received since the last call to `mark()`. */
  mark(): void {
    this.#seen = this.frames.length;
  }

  notes(name?: string): Frame[] {
    return this.frames.slice(this.#seen).filter((f) => f.type === 'notification' && (!name || f.name === name));
  }

  note(name: string, test: (args: Record<string, unknown>) => boolean = () => true): Promise<Frame> {
    return this.wait((f) => f.type === 'notification' && f.name === name && test(f.args ?? {}));
  }

  /** The last AGTCapabilitiesChanged's enabled flags. */
  caps(): string[] {
    const last = this.frames.filter((f) => f.name === 'AGTCapabilitiesChanged').at(-1);
    const caps = (last?.args?.capabilities ?? {}) as Record<string, boolean>;
    return Object.keys(caps).filter((k) => caps[k]);
  }

  close(): void {
    this.#ws.close();
  }
}

const ELITE = { agentExt: '5001', pwd: '1234', isForce: false, locale: 'en_GB', timeZone: 'Europe/London', zoneName: 'Default' };

describe('POM emulator (bridge over a real WebSocket)', () => {
  let emu: Awaited<ReturnType<typeof start>>;
  const desktops: Desktop[] = [];
  const control = async (verb: string, body: unknown = {}) => {
    const res = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const open = async (agentId = '1001') => {
    const d = await Desktop.open(emu.bridgeUrl, agentId);
    desktops.push(d);
    return d;
  };
  /** Logged on, Ready and nailed (the desktop's side of the nailing sequence). */
  const readyAgent = async (agentId = '1001', ext = '5001') => {
    const d = await open(agentId);
    assert.equal((await d.cmd('AGTLogon', { ...ELITE, agentExt: ext })).result, 0);
    assert.equal((await d.cmd('AGTStateChange', { agentState: 'Ready', reasonCode: '', reasonName: '', hasWalkedAway: false })).result, 0);
    assert.equal((await d.cmd('AGTAvailableForNailup')).result, 0);
    await d.note('AGTNailupChange', (a) => a.nailupStatus === 'PendingNailup');
    assert.equal((await d.cmd('AGTReadyForNailup')).result, 0);
    await d.note('AGTJobAttached');
    return d;
  };

  before(async () => {
    emu = await start({ connectDelayMs: 30 });
  });
  after(async () => {
    for (const d of desktops) d.close();
    await emu.close();
  });
  beforeEach(async () => {
    for (const d of desktops.splice(0)) d.close();
    await control('reset');
  });

  it('greets a hello with the agent status and refuses a wrong protocol or a missing hello', async () => {
    const d = await open();
    assert.deepEqual(d.welcome.status, { loggedOn: false });
    assert.equal(d.welcome.pomAvailable, true);
    const bad = new Desktop(emu.bridgeUrl);
    await new Promise((r) => setTimeout(r, 50));
    bad.send({ type: 'hello', protocol: 'pom-bridge/0', agentId: '1001' });
    const refused = await bad.wait((f) => f.type === 'refused');
    assert.match(String(refused.reason), /pom-bridge\/1/);
    assert.equal(await bad.closed, 4400);
    const plain = await fetch(`${emu.url}/bridge`);
    assert.equal(plain.status, 426);
  });

  it('answers AGTLogon with POM result codes for each kind of bad logon, then logs on', async () => {
    const d = await open();
    assert.equal((await d.cmd('AGTLogon', { ...ELITE, pwd: 'nope' })).result, 17);
    assert.equal((await d.cmd('AGTLogon', { ...ELITE, zoneName: 'Mars' })).result, 12);
    assert.equal((await d.cmd('AGTLogon', { ...ELITE, zoneName: 'Zone2' })).result, 9998);
    assert.equal((await d.cmd('AGTLogon', { ...ELITE, locale: null })).result, 13);
    assert.equal((await d.cmd('AGTLogon', { ...ELITE, timeZone: null })).result, 15);
    assert.equal((await d.cmd('AGTLogon', { ...ELITE, agentExt: 'abc' })).result, 14);
    assert.equal((await d.cmd('AGTLogon', { ...ELITE, pwd: null })).result, 9997);
    assert.equal((await d.cmd('AGTHoldCall', { sessionID: 'S1' })).result, 9002, 'commands before logon: agent not registered');
    d.mark();
    assert.equal((await d.cmd('AGTLogon', ELITE)).result, 0);
    await d.note('AGTCapabilitiesChanged');
    assert.deepEqual(d.notes().map((n) => n.name), ['AGTStateChangedNotify', 'AGTCapabilitiesChanged']);
    assert.deepEqual(d.caps(), ['CanReady']);
    const stranger = await open('4242');
    assert.equal((await stranger.cmd('AGTLogon', ELITE)).result, 2);
  });

  it('takes the AACC overload: agent name required, SIP URL extension, password ignored', async () => {
    const d = await open();
    const aacc = { ...ELITE, agentExt: 'sip:1001@aacc.example.com', pwd: null, agentSkills: [] };
    assert.equal((await d.cmd('AGTLogon', { ...aacc, agentName: '' })).result, 16);
    assert.equal((await d.cmd('AGTLogon', { ...aacc, agentName: 'Ada', agentExt: '5001' })).result, 14);
    assert.equal((await d.cmd('AGTLogon', { ...aacc, agentName: 'Ada Byrne' })).result, 0);
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as { agents: Array<{ id: string; mode: string }> };
    assert.equal(state.agents.find((a) => a.id === '1001')!.mode, 'aacc');
  });

  it('refuses a second logon with 7, and a forced one drops the first desktop with AGTAgentLoggedOut', async () => {
    const first = await readyAgent();
    const offered = await control('offer-inbound', { to: '1001', from: '+441632960001', name: 'Alex Morgan' });
    const second = await open();
    assert.equal((await second.cmd('AGTLogon', ELITE)).result, 7);
    assert.equal((await second.cmd('AGTLogon', { ...ELITE, isForce: true })).result, 0);
    await first.note('AGTAgentLoggedOut');
    assert.equal(await first.closed, 4409);
    const state = (await (await fetch(`${emu.url}/__state`)).json()) as { agents: Array<{ id: string; generation: number; callState: string }>; contacts: Array<{ sessionID: string }> };
    const agent = state.agents.find((a) => a.id === '1001')!;
    assert.equal(agent.generation, 2, 'each logon is a new POMAgent');
    assert.equal(agent.callState, 'Idle');
    assert.ok(!state.contacts.some((c) => c.sessionID === offered.body.callId), 'the forced logon dropped the customer call');
  });

  it('runs the nailing sequence and a progressive call: details, hold, release, codes, wrap-up', async () => {
    const d = await readyAgent();
    assert.deepEqual(d.caps(), ['CanNotReady']);
    d.mark();
    const { body } = await control('offer-inbound', { to: '1001', from: '+441632960001', name: 'Alex Morgan' });
    const sessionID = body.callId as string;
    const notify = await d.note('AGTCallNotify');
    assert.equal((notify.args!.contact as { customerName: string }).customerName, 'Alex Morgan');
    await d.note('AGTCapabilitiesChanged');
    assert.deepEqual(d.notes().map((n) => n.name), ['AGTCallNotify', 'AGTCallStateChangedNotify', 'AGTCapabilitiesChanged']);
    assert.ok(d.caps().includes('CanHold') && d.caps().includes('CanRelease'));

    const details = await d.cmd('AGTGetCustomerDetails', { sessionID });
    const types = (details.customerDetails as { attributes: Array<{ type: string }> }).attributes.map((a) => a.type);
    assert.deepEqual([...new Set(types)].sort(), ['MASKED_WRITE', 'READ_ONLY', 'SCREEN_POP', 'WRITE']);
    assert.equal((await d.cmd('AGTSetCustomerDetail', { pomKeyValuePair: { key: 'FirstName', value: 'X' }, sessionID })).result, 641);
    assert.equal((await d.cmd('AGTSetCustomerDetail', { pomKeyValuePair: { key: 'Balance', value: 'lots' }, sessionID })).result, 642);
    assert.equal((await d.cmd('AGTSetCustomerDetail', { pomKeyValuePair: { key: 'email', value: 'a@b.example' }, sessionID })).result, 0);

    assert.equal((await d.cmd('AGTUnholdCall', { sessionID })).result, 121);
    assert.equal((await d.cmd('AGTHoldCall', { sessionID })).result, 0);
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Held');
    assert.equal((await d.cmd('AGTReleaseLine', { sessionID })).result, 81, 'release is Talking only');
    assert.equal((await d.cmd('AGTUnholdCall', { sessionID })).result, 0);
    const codes = await d.cmd('AGTGetCompCodes', { sessionID });
    assert.ok((codes.completionCodesList as unknown[]).length >= 3);
    const released = await d.cmd('AGTReleaseLine', { sessionID });
    assert.equal(released.result, 0);
    assert.deepEqual(released.wrapupDetails, { acwMaxTime: 30, acwExtendable: true, defaultCompCode: 'NO_OUTCOME' });
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Wrapup');
    assert.equal((await d.cmd('AGTExtendWrapup', { sessionID })).result, 0);
    assert.equal((await d.cmd('AGTWrapupContact', { completionCode: { code: 'BOGUS', name: 'Bogus' }, sessionID })).result, 202);
    d.mark();
    assert.equal((await d.cmd('AGTWrapupContact', { completionCode: { code: 'SALE', name: 'Sale' }, sessionID })).result, 0);
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Idle');
  });

  it('turns NotReady during a call into PendingNotReady, then NotReady after wrap-up; logoff only from NotReady', async () => {
    const d = await readyAgent();
    const sessionID = (await control('offer-inbound', { to: '1001', from: '+441632960001' })).body.callId as string;
    assert.equal((await d.cmd('AGTStateChange', { agentState: 'NotReady', reasonCode: '1', reasonName: 'Break', hasWalkedAway: true })).result, 62);
    const resp = await d.cmd('AGTStateChange', { agentState: 'NotReady', reasonCode: '1', reasonName: 'Break', hasWalkedAway: false });
    assert.equal(resp.pomAgentState, 'PendingNotReady');
    assert.equal((await d.cmd('AGTStateChange', { agentState: 'NotReady', reasonCode: '1', reasonName: 'Break', hasWalkedAway: false })).result, 63);
    assert.equal((await d.cmd('AGTLogoff')).result, 541);
    await control('customer-hangup', { callId: sessionID });
    await d.note('AGTAutoReleaseLine');
    d.mark();
    assert.equal((await d.cmd('AGTWrapupContact', { completionCode: { code: 'NO_OUTCOME', name: '' }, sessionID })).result, 0);
    await d.note('AGTStateChangedNotify', (a) => a.agentState === 'NotReady');
    assert.deepEqual(d.caps(), ['CanReady']);
    assert.equal((await d.cmd('AGTLogoff')).result, 0);
  });

  it('consults a colleague, conferences, hands over ownership and leaves', async () => {
    const d = await readyAgent();
    const sessionID = (await control('offer-inbound', { to: '1001', from: '+441632960001' })).body.callId as string;
    const types = await d.cmd('AGTGetConsultTypes', { sessionID });
    assert.deepEqual(types.destinationTypes, ['Agent', 'External']);
    const dests = await d.cmd('AGTGetConsultDestsForType', { destinationType: 'Agent', sessionID });
    const sam = (dests.destinations as Array<{ id: string; name: string }>).find((x) => x.id === '1002')!;
    assert.equal(sam.name, 'Sam Patel');
    assert.equal((await d.cmd('AGTConsultCall', { destination: { destinationType: 'Agent', id: 'nobody', name: '' }, sessionID })).result, 143);
    assert.equal((await d.cmd('AGTConsultCall', { destination: { destinationType: 'Agent', ...sam }, sessionID })).result, 0);
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Consult');
    assert.deepEqual(d.caps(), ['CanTransfer', 'CanConference', 'CanLeaveConsult', 'CanNotReady']);
    assert.equal((await d.cmd('AGTStartConf', { sessionID })).result, 0);
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'ConferenceOwner');
    assert.ok(d.caps().includes('CanChangeOwnership'));
    assert.equal((await d.cmd('AGTConfChangeOwnership', { sessionID })).result, 0);
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'ConferencePassive');
    assert.deepEqual(d.caps(), ['CanLeaveConference', 'CanNotReady']);
    assert.equal((await d.cmd('AGTSetCustomerDetail', { pomKeyValuePair: { key: 'email', value: 'x@y.example' }, sessionID })).result, 9004, 'the passive party may not edit');
    assert.equal((await d.cmd('AGTAddAgentNote', { agentNote: 'passive note' })).result, 0, 'but may add notes');
    assert.equal((await d.cmd('AGTEndConf', { sessionID })).result, 0);
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Idle');
  });

  it('between two real desktops: consult notify, transfer, and a pending consult to a busy agent', async () => {
    const a = await readyAgent('1001', '5001');
    const b = await readyAgent('1005', '5005');
    const s1 = (await control('offer-inbound', { to: '1001', from: '+441632960001', name: 'Alex' })).body.callId as string;
    assert.equal((await a.cmd('AGTConsultCall', { destination: { destinationType: 'Agent', id: '1005', name: 'Lee Chen' }, sessionID: s1 })).result, 0);
    const consult = await b.note('AGTConsultNotify');
    assert.equal(consult.args!.requestingAgentId, '1001');
    await b.note('AGTCallStateChangedNotify', (x) => x.callState === 'Consult');
    const done = await a.cmd('AGTCompleteTransfer', { sessionID: s1 });
    assert.equal(done.canDispose, false);
    await b.note('AGTTransferNotify');
    await b.note('AGTCallStateChangedNotify', (x) => x.callState === 'Talking');
    await a.note('AGTCallStateChangedNotify', (x) => x.callState === 'Idle');

    // b is busy with s1 now: a consult from a's next call waits as a pending consult.
    const s2 = (await control('offer-inbound', { to: '1001', from: '+441632960002' })).body.callId as string;
    assert.equal((await a.cmd('AGTConsultCall', { destination: { destinationType: 'Agent', id: '1005', name: '' }, sessionID: s2 })).result, 0);
    await b.note('AGTConsultPending', (x) => x.sessionID === s2 && x.requestingAgentID === '1001');
    assert.equal((await a.cmd('AGTCompleteTransfer', { sessionID: s2 })).result, 421, 'not connected yet');
    assert.equal((await b.cmd('AGTReleaseLine', { sessionID: s1 })).result, 0);
    assert.equal((await b.cmd('AGTWrapupContact', { completionCode: { code: 'SALE', name: 'Sale' }, sessionID: s1 })).result, 0);
    await a.note('AGTPendingConsultComplete', (x) => x.sessionID === s2);
    await b.note('AGTConsultNotify', (x) => x.sessionID === s2);
    assert.equal((await b.cmd('AGTCancelConsult', { destAgentID: '1001', sessionID: s2 })).result, 0);
    await a.note('AGTConsultCancelled', (x) => x.requestingAgentId === '1005');
  });

  it('presents previews: dial → Dialing → Talking; cancel → Wrapup; failed dial → AGTDialFailed', async () => {
    const d = await readyAgent();
    const p1 = (await control('preview', { to: '1001', number: '+441632960003', name: 'Tom', timeoutSec: 5 })).body.callId as string;
    const notify = await d.note('AGTCallNotify', (a) => a.sessionID === p1);
    assert.equal((notify.args!.contact as { previewTimeout: number }).previewTimeout, 5);
    assert.deepEqual(d.caps(), ['CanCreateCallback', 'CanUpdateRecord', 'CanNotReady']);
    assert.equal((await d.cmd('AGTPreviewDial', { contactNumber: { Name: 'Phone1', Number: '+441632960003' }, sessionID: p1 })).result, 0);
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Dialing');
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Talking');
    assert.equal((await d.cmd('AGTReleaseLine', { sessionID: p1 })).result, 0);
    assert.equal((await d.cmd('AGTWrapupContact', { completionCode: { code: 'SALE', name: 'Sale' }, sessionID: p1 })).result, 0);

    const p2 = (await control('preview', { to: '1001', number: '+441632960004', callback: true })).body.callId as string;
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Callback');
    const cancelled = await d.cmd('AGTPreviewCancel', { sessionID: p2 });
    assert.equal(cancelled.result, 0);
    assert.equal((cancelled.wrapupDetails as { defaultCompCode: string }).defaultCompCode, 'NO_OUTCOME');
    assert.equal((await d.cmd('AGTWrapupContact', { completionCode: { code: 'NO_OUTCOME', name: '' }, sessionID: p2 })).result, 0);

    await control('dial-fails', { reason: 'Busy' });
    const p3 = (await control('preview', { to: '1001', number: '+441632960005' })).body.callId as string;
    assert.equal((await d.cmd('AGTPreviewDial', { contactNumber: { Name: 'Phone1', Number: '+441632960005' }, sessionID: p3 })).result, 0);
    const failed = await d.note('AGTDialFailed', (a) => a.sessionID === p3);
    assert.equal(failed.args!.dialFailReason, 'Busy');
    await d.note('AGTCallStateChangedNotify', (a) => a.callState === 'Wrapup');
  });

  it('creates callbacks with POM\'s time format and refuses bad ones with their codes; DNC', async () => {
    const d = await readyAgent();
    const sessionID = (await control('offer-inbound', { to: '1001', from: '+441632960001' })).body.callId as string;
    const base = { callbackType: 'Agent', callbackDest: null, callbackTimezone: 'UTC', callbackExpiryTime: '60', contactNumber: { Name: 'Phone1', Number: '+441632960001' }, agentNotes: 'call after 5', sessionID };
    assert.equal((await d.cmd('AGTCreateCallback', { ...base, callbackTime: 'tomorrow' })).result, 486);
    assert.equal((await d.cmd('AGTCreateCallback', { ...base, callbackTime: '2001/01/01 10:00' })).result, 488);
    assert.equal((await d.cmd('AGTCreateCallback', { ...base, callbackType: 'Sometime', callbackTime: '2999/01/01 10:00' })).result, 485);
    assert.equal((await d.cmd('AGTCreateCallback', { ...base, callbackExpiryTime: '-5', callbackTime: '2999/01/01 10:00' })).result, 487);
    assert.equal((await d.cmd('AGTCreateCallback', { ...base, callbackTime: '2999/01/01 10:00' })).result, 0);
    const dnc = { addressList: [{ name: 'Phone', value: '+441632960001', type: 'READ_ONLY' }] };
    assert.equal((await d.cmd('AGTAddToDNC', dnc)).result, 0);
    assert.equal((await d.cmd('AGTAddToDNC', dnc)).result, 621);
    assert.equal((await d.cmd('AGTIsInDNC', { addressValue: '+441632960001', sessionID })).present, true);
  });

  it('validates frames against the command table: 9011 + AGTInvalidCommandName, 9010, 9008', async () => {
    const d = await readyAgent();
    d.mark();
    assert.equal((await d.cmd('AGTFly', {})).result, 9011);
    await d.note('AGTInvalidCommandName', (a) => a.commandName === 'AGTFly');
    assert.equal((await d.cmd('AGTHoldCall', {})).result, 9010);
    const wrong = await d.cmd('AGTHoldCall', { sessionID: 42 });
    assert.equal(wrong.result, 9008);
    assert.ok('sessionID' in wrong, 'a refused RESP still has its fields');
    assert.equal((await d.cmd('AGTLogout')).result, 541, 'the document\'s alias AGTLogout is AGTLogoff');
  });

  it('injects failures by command name, and answers 9999 while POM is unavailable', async () => {
    const d = await readyAgent();
    const sessionID = (await control('offer-inbound', { to: '1001', from: '+441632960001' })).body.callId as string;
    await control('fail-next', { match: 'AGTHoldCall', body: '{"result":101}' });
    assert.equal((await d.cmd('AGTHoldCall', { sessionID })).result, 101);
    await control('pom-down');
    await d.note('POMNotAvailable');
    assert.equal((await d.cmd('AGTHoldCall', { sessionID })).result, 9999);
    await control('pom-up');
    await d.note('POMAvailable');
    assert.equal((await d.cmd('AGTHoldCall', { sessionID })).result, 0);
    const log = (await (await fetch(`${emu.url}/__log`)).json()) as Array<{ message: string; body: string }>;
    const logon = log.find((e) => e.message === 'AGTLogon')!;
    assert.ok(!logon.body.includes('1234'), 'the request log never holds the password');
  });

  it('keeps the POM session when the bridge connection drops, and reports it on the next hello', async () => {
    const d = await readyAgent();
    const sessionID = (await control('offer-inbound', { to: '1001', from: '+441632960001', name: 'Alex' })).body.callId as string;
    await d.cmd('AGTHoldCall', { sessionID });
    assert.equal((await control('drop-bridge', { to: '1001' })).body.dropped, 1);
    await d.closed;
    await control('customer-hangup', { callId: sessionID });
    const again = await open();
    const status = again.welcome.status as Record<string, unknown>;
    assert.equal(status.loggedOn, true);
    assert.equal(status.agentState, 'Ready');
    assert.equal(status.nailupStatus, 'NailedUp');
    assert.equal(status.callState, 'Wrapup');
    assert.equal(status.sessionID, sessionID);
    assert.equal((status.contact as { customerName: string }).customerName, 'Alex');
    assert.ok((status.capabilities as Record<string, boolean>).CanDisposition);
    again.send({ type: 'getStatus', id: 'g1' });
    const fresh = await again.wait((f) => f.type === 'status' && f.id === 'g1');
    assert.deepEqual(fresh.status, status);
    assert.equal((await again.cmd('AGTWrapupContact', { completionCode: { code: 'SALE', name: 'Sale' }, sessionID })).result, 0);
  });

  it('reports nailing lost and returns error texts from AGTGetErrorInfo', async () => {
    const d = await readyAgent();
    await control('nailing-lost', { to: '1001' });
    await d.note('AGTNailupChange', (a) => a.nailupStatus === 'NailingLost');
    const info = await d.cmd('AGTGetErrorInfo', { errorCode: { errorCode: 141, apiName: 'AGTConsultCall' } });
    assert.deepEqual(info.errorInfo, {
      errorCode: 141,
      errorType: 'Minor',
      errorString: 'Unable to consult as the selected agent is currently not ready.',
      localizedErrorString: 'Unable to consult as the selected agent is currently not ready.',
      apiName: 'AGTConsultCall',
    });
    assert.equal((await d.cmd('AGTGetErrorInfo', { errorCode: { errorCode: 9999 } })).result, 1001, 'library codes have no text');
  });

  it('every RESP the emulator sends fits the command table', async () => {
    const d = await readyAgent();
    await control('offer-inbound', { to: '1001', from: '+441632960001' });
    const responses = d.frames.filter((f) => f.type === 'response');
    assert.ok(responses.length >= 4);
    for (const r of responses) {
      const name = r.name!.replace(/RESP$/, '') as PomCommandName;
      assert.deepEqual(checkArgs(POM_COMMANDS[name].resp, r.args!), {}, `${r.name} ${JSON.stringify(r.args)}`);
    }
  });
});

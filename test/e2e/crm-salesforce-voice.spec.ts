/**
 * The Salesforce Voice partner-telephony connector driven by Salesforce's real SDK
 * (`scv-connector-base`, unmodified) in Chromium. The test plays Salesforce's softphone: a
 * `SETUP_CONNECTOR` message from a Salesforce origin carrying a `MessagePort`, then the SDK's port
 * messages (ACCEPT_CALL, MUTE, HOLD, DIAL, ADD_PARTICIPANT, END_CALL …); it reads what the SDK
 * posts back (CONNECTOR_READY, TELEPHONY_EVENT_DISPATCHED). Calls come from the bar's simulator.
 */
import { expect, test, type Page } from '@playwright/test';
import { bar, callState, control, region } from './crm-kit.ts';

interface Posted {
  type: string;
  payload?: { telephonyEventType?: string; telephonyEventPayload?: any } & Record<string, any>;
}

const SALESFORCE = 'https://acme.lightning.force.com';

async function openAdapter(page: Page): Promise<void> {
  await page.goto('/test/fixtures/salesforce-voice.html');
  // The connector module is loaded and has called initializeConnector.
  await page.waitForFunction(() => (document.querySelector('agent-bar') as any)?.salesforceVoice !== undefined, null, { timeout: 20_000 });
}

/** Salesforce frames the adapter and hands it a port, from `origin`. */
async function setup(page: Page, origin = SALESFORCE): Promise<void> {
  await page.evaluate((from) => {
    const channel = new MessageChannel();
    const posted: unknown[] = [];
    channel.port1.onmessage = (e) => posted.push(e.data);
    Object.assign(window, { sfPort: channel.port1, sfPosted: posted });
    const data = { type: 'SETUP_CONNECTOR', connectorConfig: { '/reqGeneralInfo/reqCallCenterType': 'SCVBYOT', '/reqGeneralInfo/reqAdapterUrl': location.href } };
    window.dispatchEvent(new MessageEvent('message', { data, origin: from, ports: [channel.port2] }));
  }, origin);
}

const posted = (page: Page) => page.evaluate(() => ((window as any).sfPosted ?? []) as Posted[]);
const telephony = async (page: Page, type: string) =>
  (await posted(page)).filter((m) => m.type === 'TELEPHONY_EVENT_DISPATCHED' && m.payload?.telephonyEventType === type).map((m) => m.payload!.telephonyEventPayload);
const send = (page: Page, message: Record<string, unknown>) => page.evaluate((m) => (window as any).sfPort.postMessage(m), message);
const snapshotCall = (page: Page) => page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.calls[0]);

async function expectTelephony(page: Page, type: string, count = 1): Promise<any[]> {
  await expect.poll(async () => (await telephony(page, type)).length, { message: `${count}× ${type}` }).toBe(count);
  return telephony(page, type);
}

async function readyConnector(page: Page): Promise<Record<string, any>> {
  await openAdapter(page);
  await setup(page);
  await expect.poll(async () => (await posted(page)).some((m) => m.type === 'CONNECTOR_READY'), { timeout: 20_000 }).toBe(true);
  const ready = (await posted(page)).find((m) => m.type === 'CONNECTOR_READY')!;
  await send(page, { type: 'SET_AGENT_STATUS', agentStatus: 'Online', statusInfo: { statusId: '0N5', statusApiName: 'Available', statusName: 'Available' } });
  await expect(bar(page).locator('header')).toContainText('Ready');
  return ready.payload!;
}

test('SETUP_CONNECTOR from a Salesforce origin: the agent is logged in and CONNECTOR_READY carries capabilities from the bar', async ({ page }) => {
  const ready = await readyConnector(page);
  expect(ready.callInProgress).toBeNull();
  expect(ready.capabilities).toMatchObject({ MUTE: true, RECORD: true, MERGE: true, SWAP: true, BLIND_TRANSFER: true, SIGNED_RECORDING_URL: false });
  expect(ready.agentConfig).toMatchObject({ SELECTED_PHONE: { type: 'SOFT_PHONE' } });
  expect((await posted(page)).find((m) => m.type === 'TELEPHONY_EVENT_DISPATCHED' && m.payload?.telephonyEventType === 'SET_AGENT_STATUS_RESULT')?.payload?.telephonyEventPayload).toEqual({ success: true });
});

test('a full call: offered → accepted from Salesforce, mute, hold, digits, blind transfer; then a dial from Salesforce ended from Salesforce', async ({ page }) => {
  await readyConnector(page);

  await page.evaluate(() => (document.querySelector('agent-bar') as any).simulator.offerCall({ number: '+442079460111', name: 'Ada Lovelace' }));
  const [started] = await expectTelephony(page, 'CALL_STARTED');
  expect(started).toMatchObject({ callType: 'Inbound', state: 'ringing', phoneNumber: '+442079460111' });
  const call = { callId: started.callId, callType: 'Inbound' };

  await send(page, { type: 'ACCEPT_CALL', call });
  await expect(region(page, 'Call')).toContainText('Talking');
  const [connected] = await expectTelephony(page, 'CALL_CONNECTED');
  expect(connected).toMatchObject({ callId: call.callId, state: 'connected' });

  await send(page, { type: 'MUTE', call });
  const [muted] = await expectTelephony(page, 'MUTE_TOGGLE');
  expect(muted.isMuted).toBe(true);
  expect((await snapshotCall(page)).muted).toBe(true);
  await send(page, { type: 'UNMUTE', call });
  const toggles = await expectTelephony(page, 'MUTE_TOGGLE', 2);
  expect(toggles[1].isMuted).toBe(false);

  await send(page, { type: 'HOLD', call });
  const [held] = await expectTelephony(page, 'HOLD_TOGGLE');
  expect(held.isCustomerOnHold).toBe(true);
  await expect(region(page, 'Call')).toContainText('On hold');
  await send(page, { type: 'RESUME', call });
  const holds = await expectTelephony(page, 'HOLD_TOGGLE', 2);
  expect(holds[1].isCustomerOnHold).toBe(false);
  await expect(region(page, 'Call')).toContainText('Talking');

  await page.evaluate(() => {
    const sent: string[] = [];
    (window as any).dtmfSent = sent;
    (document.querySelector('agent-bar') as any).session.onCommandSent((c: any) => c.operation === 'sendDtmf' && sent.push(c.args.digit));
  });
  await send(page, { type: 'SEND_DIGITS', digits: '12' });
  await expect.poll(() => page.evaluate(() => (window as any).dtmfSent)).toEqual(['1', '2']);
  await expect.poll(() => page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.pending.length)).toBe(0);
  expect(await page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.lastError)).toBeFalsy();

  const destination = await page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.destinations[0]);
  await send(page, { type: 'ADD_PARTICIPANT', contact: { id: destination.id, phoneNumber: destination.number ?? destination.id, type: 'Queue' }, call, isBlindTransfer: true });
  const [added] = await expectTelephony(page, 'PARTICIPANT_ADDED');
  expect(added).toMatchObject({ initialCallHasEnded: true });
  const [hangup] = await expectTelephony(page, 'HANGUP');
  expect(hangup).toMatchObject({ callId: call.callId });
  // A blind transfer hands the call over: it leaves the bar without wrap-up, the agent is ready again.
  await expect.poll(() => callState(page)).toBe('none');
  await expect(bar(page).locator('header')).toContainText('Ready');

  // A number dialled from Salesforce: CALL_STARTED once (the SDK's), the customer answers, Salesforce ends it.
  await send(page, { type: 'DIAL', contact: { phoneNumber: '+442079460333' } });
  const starts = await expectTelephony(page, 'CALL_STARTED', 2);
  expect(starts[1]).toMatchObject({ callType: 'Outbound', phoneNumber: '+442079460333' });
  await expect(region(page, 'Call')).toContainText('Talking');
  await expectTelephony(page, 'CALL_CONNECTED', 2);
  await send(page, { type: 'END_CALL', call: { callId: starts[1].callId, callType: 'Outbound' } });
  const hangups = await expectTelephony(page, 'HANGUP', 2);
  expect(hangups[1]).toEqual([expect.objectContaining({ callId: starts[1].callId, state: 'ended' })]);
  await send(page, { type: 'WRAP_UP_CALL', call: { callId: starts[1].callId } });
  await expect.poll(() => callState(page)).toBe('none');
  // Nothing was told twice.
  expect(await telephony(page, 'CALL_STARTED')).toHaveLength(2);
  expect(await telephony(page, 'HANGUP')).toHaveLength(2);
});

test('what the agent does in the bar is published: hang-up in the bar is a HANGUP', async ({ page }) => {
  await readyConnector(page);
  await page.evaluate(() => (document.querySelector('agent-bar') as any).simulator.offerCall({ number: '+442079460222' }));
  await expectTelephony(page, 'CALL_STARTED');
  // Salesforce Voice owns contact matching: the bar searches nothing and shows no contact section.
  await expect(region(page, 'Call')).toContainText('Ringing');
  await expect(region(page, 'Contact')).toHaveCount(0);
  await control(page, 'Answer').click();
  await expectTelephony(page, 'CALL_CONNECTED');
  await control(page, 'More').click(); // recording: behind More
  await control(page, 'Start recording').click();
  const [recording] = await expectTelephony(page, 'RECORDING_TOGGLE');
  expect(recording.isRecordingPaused).toBe(false);
  await control(page, 'Hang up').click();
  const [hangup] = await expectTelephony(page, 'HANGUP');
  expect(hangup).toEqual([expect.objectContaining({ phoneNumber: '+442079460222', state: 'ended' })]);
});

test('a reload mid-call: the new SETUP_CONNECTOR reports the call in progress', async ({ page }) => {
  await readyConnector(page);
  await page.evaluate(() => (document.querySelector('agent-bar') as any).simulator.offerCall({ number: '+442079460444', name: 'Katherine Johnson' }));
  const [started] = await expectTelephony(page, 'CALL_STARTED');
  await send(page, { type: 'ACCEPT_CALL', call: { callId: started.callId, callType: 'Inbound' } });
  await expect(region(page, 'Call')).toContainText('Talking');

  await page.reload();
  await page.waitForFunction(() => (document.querySelector('agent-bar') as any)?.salesforceVoice !== undefined, null, { timeout: 20_000 });
  await expect(region(page, 'Call')).toContainText('Talking');
  await setup(page);
  await expect.poll(async () => (await posted(page)).some((m) => m.type === 'CONNECTOR_READY'), { timeout: 20_000 }).toBe(true);
  const ready = (await posted(page)).find((m) => m.type === 'CONNECTOR_READY')!;
  expect(ready.payload!.callInProgress).toMatchObject({ callId: started.callId, state: 'connected', phoneNumber: '+442079460444', callType: 'Inbound' });
});

test('only Salesforce origins count, and only the first SETUP_CONNECTOR (the SDK as published)', async ({ page }) => {
  await openAdapter(page);
  await setup(page, 'http://127.0.0.1:5199');
  await setup(page, SALESFORCE);
  // Give the SDK time to answer if it were going to.
  await page.waitForTimeout(1500);
  expect(await posted(page)).toEqual([]);
  await expect(bar(page).locator('header')).toContainText('Logged out');
});

test('phone book, consult, swap, conference and recording from Salesforce', async ({ page }) => {
  await readyConnector(page);
  await send(page, { type: 'GET_PHONE_CONTACTS', filter: {} });
  const [book] = await expectTelephony(page, 'PHONE_CONTACTS');
  const destinations = await page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.destinations);
  expect(book.contacts.map((c: { id: string }) => c.id)).toEqual(destinations.map((d: { id: string }) => d.id));

  await page.evaluate(() => (document.querySelector('agent-bar') as any).simulator.offerCall({ number: '+442079460666' }));
  const [started] = await expectTelephony(page, 'CALL_STARTED');
  const call = { callId: started.callId, callType: 'Inbound' };
  await send(page, { type: 'ACCEPT_CALL', call });
  await expect(region(page, 'Call')).toContainText('Talking');

  // The simulator's calls start unrecorded: Salesforce resumes recording, then pauses it.
  expect((await snapshotCall(page)).recording).toBe(false);
  await send(page, { type: 'RESUME_RECORDING', call });
  await expectTelephony(page, 'RECORDING_TOGGLE', 1);
  expect((await snapshotCall(page)).recording).toBe(true);
  await send(page, { type: 'PAUSE_RECORDING', call });
  const recordings = await expectTelephony(page, 'RECORDING_TOGGLE', 2);
  expect(recordings.map((r) => r.isRecordingPaused)).toEqual([false, true]);
  expect((await snapshotCall(page)).recording).toBe(false);

  const agent = destinations.find((d: { type: string }) => d.type === 'agent') ?? destinations[0];
  await send(page, { type: 'ADD_PARTICIPANT', contact: { id: agent.id, type: 'Agent', name: agent.label }, call, isBlindTransfer: false });
  const [added] = await expectTelephony(page, 'PARTICIPANT_ADDED');
  expect(added).toMatchObject({ initialCallHasEnded: false, callId: `${call.callId}:consult` });
  await expect.poll(async () => (await snapshotCall(page)).consult?.state).toBe('dialing');
  await page.evaluate(() => (document.querySelector('agent-bar') as any).simulator.answerConsult());
  const [joined] = await expectTelephony(page, 'PARTICIPANT_CONNECTED');
  expect(joined).toMatchObject({ callId: `${call.callId}:consult` });

  await send(page, { type: 'SWAP_PARTICIPANTS', callToHold: call, callToResume: { callId: `${call.callId}:consult` } });
  // The SDK tells Salesforce a swap and a conference as HOLD_TOGGLE.
  const [swapped] = await expectTelephony(page, 'HOLD_TOGGLE');
  expect(swapped).toMatchObject({ isThirdPartyOnHold: true, isCustomerOnHold: false });
  await expect.poll(async () => (await snapshotCall(page)).consult?.activeParty).toBe('customer');

  await send(page, { type: 'CONFERENCE', calls: [call, { callId: `${call.callId}:consult` }] });
  const merged = await expectTelephony(page, 'HOLD_TOGGLE', 2);
  expect(merged[1]).toMatchObject({ isCallMerged: true, isThirdPartyOnHold: false, isCustomerOnHold: false });
  await expect.poll(async () => (await snapshotCall(page)).state).toBe('conferenceOwner');
  expect(await telephony(page, 'PARTICIPANT_ADDED'), 'told once').toHaveLength(1);
  expect(await telephony(page, 'PARTICIPANT_REMOVED')).toHaveLength(0);
});

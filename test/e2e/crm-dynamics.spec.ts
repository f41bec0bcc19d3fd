/**
 * The Dynamics 365 CIF bridge end to end, in Chromium, on demo/dynamics.html: the bar as a channel
 * provider in a fake Dynamics (server/emulators/dynamics/fake-cif.ts, written from Microsoft's
 * documentation; 2.0 unless `?cif=1`) with calls from the in-page simulator. The agent is driven
 * through the bar and the shell like a person; what Dynamics received is read from the fake.
 */
import { expect, test, type Page } from '@playwright/test';
import { bar, callNumber, callState, contactRegion, control, hangUpAndWrapUp, openShell, readFake, region } from './crm-kit.ts';

type Row = Record<string, unknown>;

const fake = <T>(page: Page, read: string): Promise<T> => readFake<T>(page, 'fakeCif', read);
const phonecalls = (page: Page) => fake<Row[]>(page, 'f.rows("phonecall")');
const opened = (page: Page) => fake<Row[]>(page, 'f.opened');
const calls = (page: Page, method: string) => fake<unknown[][]>(page, `f.calls.filter(([m]) => m === ${JSON.stringify(method)}).map(([, a]) => a)`);
const ADA = '6f1c3a52-0000-4000-8000-00000000a001';
const GRACE = '6f1c3a52-0000-4000-8000-00000000a003';
const KATHERINE = '6f1c3a52-0000-4000-8000-00000000a004';

async function openDynamics(page: Page, query = ''): Promise<void> {
  await openShell(page, `/demo/dynamics.html${query}`, 'fakeCif', 'f.clickToAct', 'Show the phone panel');
}

async function minimise(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Minimise the phone panel' }).click();
  await expect(page.locator('#softphone')).toBeHidden();
}


test('CIF 2.0: loaded lazily after CIFInitDone; click-to-act dials through the bar; wrap-up creates an outgoing phonecall regarding the contact', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
  await openDynamics(page);
  expect(await page.evaluate(() => (window as any).cifLoads)).toEqual(['https://contoso.crm.dynamics.com/webresources/Widget/msdyn_ciLibrary.js']);
  expect(scripts.some((u) => u.includes('/src/embed/bridges/dynamics/module.ts'))).toBe(true);
  expect(await fake<number>(page, 'f.width')).toBe(420);

  await page.getByRole('button', { name: 'Call +442079460444' }).click();
  await expect(region(page, 'Call')).toContainText(/Dialing|Talking/);
  expect(await callNumber(page)).toBe('+442079460444');
  await expect(region(page, 'Call')).toContainText('Talking');
  // No toast for an outbound call, and no pop: the agent is on the contact.
  expect(await calls(page, 'notifyEvent')).toEqual([]);
  expect(await opened(page)).toEqual([]);
  await hangUpAndWrapUp(page, 'Sale', 'Renewal agreed');
  await expect.poll(async () => (await phonecalls(page)).length).toBe(1);
  const [call] = await phonecalls(page);
  expect(call).toMatchObject({
    subject: 'Outbound call +442079460444',
    phonenumber: '+442079460444',
    directioncode: true,
    description: 'Result: Sale\nRenewal agreed',
    'regardingobjectid_contact@odata.bind': `/contacts(${KATHERINE})`,
    phonecall_activity_parties: [{ 'partyid_contact@odata.bind': `/contacts(${KATHERINE})`, participationtypemask: 2 }],
  });
  expect(Number.isInteger(call!.actualdurationminutes)).toBe(true);
  expect(Date.parse(String(call!.actualstart))).toBeLessThanOrEqual(Date.parse(String(call!.actualend)));
  // The record data went in as a JSON string, and every handler returned a Promise.
  expect(typeof (await calls(page, 'createRecord'))[0]![1]).toBe('string');
  expect(await fake<string[]>(page, 'f.handlerErrors')).toEqual([]);
});

test('CIF 2.0 inbound, one match: panel docked on ringing, a session titled with the caller, the record opened, the toast Accept answers', async ({ page }) => {
  await openDynamics(page);
  await minimise(page);
  await page.getByRole('button', { name: 'Ada Lovelace calls (one match)' }).click();
  await expect(page.locator('#softphone')).toBeVisible();
  expect(await fake<number>(page, 'f.mode')).toBe(1);
  await expect.poll(() => fake<unknown[]>(page, 'f.sessions.map((s) => s.title)')).toEqual(['Ada Lovelace']);
  expect(await fake<string[]>(page, 'f.focusRequests')).toHaveLength(1);
  await expect.poll(() => opened(page)).toEqual([{ form: 'contact', id: ADA }]);
  const [search] = await calls(page, 'searchAndOpenRecords');
  expect(search![0]).toBe('contact');
  expect(search![1]).toContain("telephone1 eq '%2B442079460111'");
  expect(search![2]).toBe(false);
  await expect(contactRegion(page)).toContainText('Ada Lovelace');
  const toast = page.getByRole('list', { name: 'Notifications' });
  await expect(toast).toContainText('Incoming call: Ada Lovelace');
  await toast.getByRole('button', { name: 'Accept' }).click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await hangUpAndWrapUp(page, 'Not interested', 'Asked for a brochure');
  await expect.poll(async () => (await phonecalls(page)).length).toBe(1);
  expect((await phonecalls(page))[0]).toMatchObject({
    subject: 'Inbound call +442079460111',
    directioncode: false,
    'regardingobjectid_contact@odata.bind': `/contacts(${ADA})`,
    phonecall_activity_parties: [{ 'partyid_contact@odata.bind': `/contacts(${ADA})`, participationtypemask: 1 }],
  });
});

test('several matches: Dynamics opens its search, the agent picks in the bar and the form opens; answering in the bar withdraws the toast', async ({ page }) => {
  await openDynamics(page);
  await page.getByRole('button', { name: 'Ada calls from a shared line (several matches)' }).click();
  await expect(bar(page).getByRole('radio', { name: /Ada Byron|Grace Hopper/ })).toHaveCount(2);
  await expect.poll(async () => (await opened(page)).length).toBe(1);
  expect((await opened(page))[0]).toMatchObject({ entity: 'contact' });
  await bar(page).getByRole('radio', { name: /Grace Hopper/ }).click();
  await expect.poll(async () => (await opened(page))[1]).toEqual({ form: 'contact', id: GRACE });
  const [form] = await calls(page, 'openForm');
  expect(JSON.parse(String(form![0]))).toEqual({ entityName: 'contact', entityId: GRACE });
  await expect.poll(() => fake<number>(page, 'f.notifications.size')).toBe(1);
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await expect.poll(() => fake<number>(page, 'f.notifications.size'), { message: 'toast withdrawn' }).toBe(0);
  expect((await calls(page, 'cancelEvent')).length).toBe(1);
  await hangUpAndWrapUp(page, 'Sale', 'ok');
  await expect.poll(async () => (await phonecalls(page)).length).toBe(1);
  expect((await phonecalls(page))[0]).toMatchObject({ 'regardingobjectid_contact@odata.bind': `/contacts(${GRACE})` });
});

test('no match: nothing opens, Reject cannot decline on a backend that cannot refuse a ringing call, the log is regarding the page on screen', async ({ page }) => {
  await openDynamics(page);
  await page.getByRole('button', { name: 'Open Katherine Johnson' }).click();
  await expect(page.locator('#view')).toContainText('Katherine Johnson');
  await page.getByRole('button', { name: 'Unknown caller (no match)' }).click();
  await expect(contactRegion(page)).toContainText('No contact found');
  expect(await opened(page)).toEqual([]);
  // The simulator follows POM: a ringing call cannot be refused (no hang-up capability while it rings).
  expect(await page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.capabilities.hangup)).toBe(false);
  await page.getByRole('list', { name: 'Notifications' }).getByRole('button', { name: 'Reject' }).click();
  await expect.poll(() => fake<number>(page, 'f.notifications.size')).toBe(0);
  // Reject cannot decline here: the call rings on, for the agent to handle in the bar.
  expect(await callState(page)).toBe('ringing');
  await control(page, 'Answer').click();
  await hangUpAndWrapUp(page, 'Not interested', 'Wrong number');
  await expect.poll(async () => (await phonecalls(page)).length).toBe(1);
  expect((await phonecalls(page))[0]).toMatchObject({ directioncode: false, 'regardingobjectid_contact@odata.bind': `/contacts(${KATHERINE})` });
});

test('CIF 1.0: no sessions or toasts; the panel docks on ringing, the record opens, the call is logged', async ({ page }) => {
  await openDynamics(page, '?cif=1');
  await minimise(page);
  await page.getByRole('button', { name: 'Ada Lovelace calls (one match)' }).click();
  await expect(page.locator('#softphone')).toBeVisible();
  await expect.poll(() => opened(page)).toEqual([{ form: 'contact', id: ADA }]);
  await control(page, 'Answer').click();
  await hangUpAndWrapUp(page, 'Sale', 'v1');
  await expect.poll(async () => (await phonecalls(page)).length).toBe(1);
  expect((await phonecalls(page))[0]).toMatchObject({ directioncode: false, 'regardingobjectid_contact@odata.bind': `/contacts(${ADA})` });
  expect(await fake<number>(page, 'f.calls.filter(([m]) => /Session|notifyEvent/.test(m)).length')).toBe(0);
  expect(await fake<number>(page, 'f.sessions.length')).toBe(0);
});

test('Dynamics-side failures (rejections, a timeout, a missing template) are readable with their code and leave the call alone', async ({ page }) => {
  await openDynamics(page, '?crmTimeoutMs=1500');
  const alert = bar(page).getByRole('alert');

  await page.getByRole('button', { name: 'setMode fails next' }).click();
  await page.getByRole('button', { name: 'Ada Lovelace calls (one match)' }).click();
  await expect(alert).toContainText('Dynamics 365: setMode failed: The panel is not available (GenericError)');
  expect(await callState(page)).toBe('ringing');
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await control(page, 'Dismiss').click();

  await page.getByRole('button', { name: 'createRecord fails next' }).click();
  await hangUpAndWrapUp(page, 'Sale', 'x');
  await expect(alert).toContainText('Dynamics 365: Call logging failed: createRecord failed: Principal user is missing prvCreateActivity privilege (0x80040220)');
  expect(await callState(page)).toBe('none');
  expect(await phonecalls(page)).toEqual([]);
  await control(page, 'Dismiss').click();

  await page.getByRole('button', { name: 'notification template missing' }).click();
  await page.getByRole('button', { name: 'Unknown caller (no match)' }).click();
  await expect(alert).toContainText('Dynamics 365: notifyEvent failed: No notification template msdyn_agentbar_incoming_call (NotificationTemplateNotFoundError)');
  expect(await callState(page)).toBe('ringing');
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await control(page, 'Dismiss').click();
  await page.getByRole('button', { name: 'createRecord hangs next' }).click();
  await hangUpAndWrapUp(page, 'Sale', 'y');
  await expect(alert).toContainText('Dynamics 365: Call logging failed: Dynamics 365 createRecord took longer than 1500 ms.');
  await expect(bar(page).locator('header')).toContainText('Ready');
  await control(page, 'Dismiss').click();

  await page.getByRole('button', { name: 'search fails next' }).click();
  await page.getByRole('button', { name: 'Unknown caller (no match)' }).click();
  await expect(contactRegion(page)).toContainText('Contact search failed: searchAndOpenRecords failed: Search is unavailable (0x80060888)');
  expect(await callState(page)).toBe('ringing');
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
});

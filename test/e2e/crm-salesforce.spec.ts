/**
 * The Salesforce Open CTI bridge end to end, in Chromium, on demo/salesforce.html: the bar as the
 * softphone of a fake Lightning console (server/emulators/salesforce/fake-opencti.ts, written from
 * Salesforce's documentation) with calls from the in-page simulator. The agent is driven through
 * the bar and the console like a person; what Salesforce received is read from the fake.
 */
import { expect, test, type Page } from '@playwright/test';
import { bar, callNumber, callState, contactRegion, control, hangUpAndWrapUp, openShell, readFake, region } from './crm-kit.ts';

type Task = Record<string, unknown>;

const fake = <T>(page: Page, read: string): Promise<T> => readFake<T>(page, 'fakeOpenCti', read);
const tasks = (page: Page) => fake<Task[]>(page, '[...f.tasks.values()]');
const pops = (page: Page) => fake<{ type: string; params: Record<string, unknown> }[]>(page, 'f.pops');
const ADA = '0035g00000AdaLvAAF';
const GRACE = '0035g00000GrcHpAAF';
const ACCOUNT = '0015g00000AnlEnAAF';

/** Opens the console (the softphone panel closed, as Salesforce starts it), logs in and goes ready. */
async function openConsole(page: Page, query = ''): Promise<void> {
  await openShell(page, `/demo/salesforce.html${query}`, 'fakeOpenCti', 'f.clickToDialEnabled', 'Phone');
}

/** Closes the softphone panel from the utility bar, as an agent does between calls. */
async function closePanel(page: Page): Promise<void> {
  await page.locator('#utility-item').click();
  await expect(page.locator('#softphone')).toBeHidden();
}


const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

test('the bar loads Open CTI lazily through the injectable loader and enables click-to-dial', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
  await openConsole(page);
  expect(await page.evaluate(() => (window as any).openCtiLoads)).toEqual(['https://demo.my.salesforce.com/support/api/66.0/lightning/opencti_min.js']);
  // The bridge is its own module, fetched only because the bar is in a CRM.
  expect(scripts.some((u) => u.includes('/src/embed/bridges/salesforce/module.ts'))).toBe(true);
  // Panel size from crmOptions.panel; the utility item shows the idle label.
  expect(await fake<number>(page, 'f.panelWidth')).toBe(420);
  expect(await fake<string>(page, 'f.itemLabel')).toBe('Phone');
});

test('click-to-dial on a record dials through the bar; wrap-up logs an outbound Task regarding that record', async ({ page }) => {
  await openConsole(page);
  await page.getByRole('button', { name: 'Call +44 20 7946 0111' }).click();
  await expect(region(page, 'Call')).toContainText(/Dialing|Talking/);
  expect(await callNumber(page)).toBe('+442079460111');
  await expect(region(page, 'Call')).toContainText('Talking');
  await expect.poll(() => fake<string>(page, 'f.itemLabel')).toBe('On a call');
  // The agent is already on the record: nothing pops.
  expect(await pops(page)).toEqual([]);
  await hangUpAndWrapUp(page, 'Sale', 'Renewal agreed');
  await expect.poll(async () => (await tasks(page)).length).toBe(1);
  const [task] = await tasks(page);
  expect(task).toMatchObject({
    entityApiName: 'Task',
    CallType: 'Outbound',
    CallDisposition: 'Sale',
    Subject: 'Outbound call +442079460111',
    Status: 'Completed',
    TaskSubtype: 'Call',
    ActivityDate: today(),
    Description: 'Renewal agreed',
    WhoId: ADA,
  });
  expect(task!.Id).toMatch(/^00T[0-9A-Za-z]{15}$/);
  expect(Number.isInteger(task!.CallDurationInSeconds)).toBe(true);
  expect(typeof task!.CallObject).toBe('string');
  expect(task!.WhatId).toBeUndefined();
  await expect.poll(() => fake<number>(page, 'f.refreshCount')).toBeGreaterThan(0);
  await expect.poll(() => fake<string>(page, 'f.itemLabel')).toBe('Phone');

  // The documented payload has `number` as a number; the bar dials it the same way.
  await page.evaluate(() => (window as any).fakeOpenCti.simulateClickToDial({ number: 442079460333, recordId: '0015g00000AnlEnAAF', recordName: 'Analytical Engines Ltd', objectType: 'Account' }));
  await expect(region(page, 'Call')).toContainText(/Dialing|Talking/);
  expect(await callNumber(page)).toBe('+442079460333');
  await expect(region(page, 'Call')).toContainText('Talking');
  await hangUpAndWrapUp(page, 'Not interested', 'x');
  await expect.poll(async () => (await tasks(page)).length).toBe(2);
  expect((await tasks(page))[1]).toMatchObject({ CallType: 'Outbound', WhatId: ACCOUNT, CallDisposition: 'Not interested' });
});

test('an inbound call with one match opens the panel, pops the record and logs an inbound Task', async ({ page }) => {
  await openConsole(page);
  await closePanel(page);
  await page.getByRole('button', { name: 'Ada Lovelace calls (one match)' }).click();
  // Panel visibility follows ringing; the utility item says so.
  await expect(page.locator('#softphone')).toBeVisible();
  await expect.poll(() => fake<string>(page, 'f.itemLabel')).toBe('Incoming call');
  expect(await fake<string>(page, 'f.itemIcon')).toBe('incoming_call');
  await expect.poll(() => pops(page)).toEqual([{ type: 'sobject', params: { recordId: ADA } }]);
  await expect(page.locator('#view')).toHaveText(`Contact Ada Lovelace (${ADA})`);
  await expect(contactRegion(page)).toContainText('Ada Lovelace');
  const search = await fake<[string, Record<string, unknown>][]>(page, 'f.calls.filter(([m]) => m === "searchAndScreenPop")');
  expect(search).toEqual([['searchAndScreenPop', { searchParams: '+442079460111', callType: 'inbound', deferred: false }]]);
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  const callId = await page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.calls[0].id);
  await hangUpAndWrapUp(page, 'Sale', 'Upgraded the plan\nCall back in May');
  await expect.poll(async () => (await tasks(page)).length).toBe(1);
  expect((await tasks(page))[0]).toMatchObject({
    CallType: 'Inbound',
    CallObject: callId,
    CallDisposition: 'Sale',
    Subject: 'Inbound call +442079460111',
    WhoId: ADA,
    Description: 'Upgraded the plan\nCall back in May',
  });
});

test('several matches: the CRM shows its search page, the agent picks one in the bar, it pops and is logged', async ({ page }) => {
  await openConsole(page);
  await page.getByRole('button', { name: 'Ada calls from a shared line (several matches)' }).click();
  const choices = bar(page).getByRole('radio', { name: /Ada Byron|Grace Hopper/ });
  await expect(choices).toHaveCount(2);
  await expect(contactRegion(page)).toContainText('Lead');
  await expect.poll(() => pops(page)).toEqual([{ type: 'search', params: { searchString: '+442079460222' } }]);
  // Picking a contact replaces the choice with that contact (the radio goes away).
  await bar(page).getByRole('radio', { name: /Grace Hopper/ }).click();
  await expect(contactRegion(page)).toContainText('Grace Hopper');
  await expect.poll(() => pops(page)).toHaveLength(2);
  expect((await pops(page))[1]).toEqual({ type: 'sobject', params: { recordId: GRACE } });
  await control(page, 'Answer').click();
  await hangUpAndWrapUp(page, 'Sale', 'ok');
  await expect.poll(async () => (await tasks(page)).length).toBe(1);
  expect((await tasks(page))[0]).toMatchObject({ CallType: 'Inbound', WhoId: GRACE });
});

test('no match: nothing pops, the bar says so, the Task is regarding the record on screen', async ({ page }) => {
  await openConsole(page);
  await page.getByRole('button', { name: 'Open Analytical Engines Ltd' }).click();
  await expect(page.locator('#view')).toHaveText(`Account Analytical Engines Ltd (${ACCOUNT})`);
  await page.getByRole('button', { name: 'Unknown caller (no match)' }).click();
  await expect(contactRegion(page)).toContainText('No contact found');
  expect(await pops(page)).toEqual([]);
  await control(page, 'Answer').click();
  await hangUpAndWrapUp(page, 'Not interested', 'Wrong number');
  await expect.poll(async () => (await tasks(page)).length).toBe(1);
  const [task] = await tasks(page);
  expect(task).toMatchObject({ CallType: 'Inbound', WhatId: ACCOUNT, Description: 'Wrong number' });
  expect(task!.WhoId).toBeUndefined();
});

test('the host vetoes the pop (cti-crm-pop): the search is deferred and nothing pops', async ({ page }) => {
  await page.addInitScript(() => document.addEventListener('cti-crm-pop', (e) => e.preventDefault()));
  await openConsole(page);
  await page.getByRole('button', { name: 'Ada Lovelace calls (one match)' }).click();
  await expect(contactRegion(page)).toContainText('Ada Lovelace');
  const search = await fake<[string, Record<string, unknown>][]>(page, 'f.calls.filter(([m]) => m === "searchAndScreenPop")');
  expect(search[0]![1]).toMatchObject({ deferred: true });
  expect(await pops(page)).toEqual([]);
});

test('CRM-side failures are readable, keep the vendor code and leave the call alone', async ({ page }) => {
  await openConsole(page, '?crmTimeoutMs=1500');
  const alert = bar(page).getByRole('alert');

  // The panel cannot be opened: said, and the call still rings and can be answered.
  await page.getByRole('button', { name: 'panel fails next' }).click();
  await page.getByRole('button', { name: 'Ada Lovelace calls (one match)' }).click();
  await expect(alert).toContainText('Salesforce: setSoftphonePanelVisibility failed: No softphone utility (SOFTPHONE_CONTAINER_ERROR)');
  expect(await callState(page)).toBe('ringing');
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await control(page, 'Dismiss').click();
  await expect(alert).toHaveText('');

  // saveLog answers errors: the wrap-up completes all the same and the message names the code.
  await page.getByRole('button', { name: 'saveLog fails next' }).click();
  await hangUpAndWrapUp(page, 'Sale', 'x');
  await expect(alert).toContainText('Salesforce: Call logging failed: saveLog failed: Record locked by another user (SERVER_ERROR)');
  expect(await callState(page)).toBe('none');
  expect(await tasks(page)).toEqual([]);
  await control(page, 'Dismiss').click();

  // The search fails: the contact section says why; the call rings on and is answered.
  await page.getByRole('button', { name: 'search fails next' }).click();
  await page.getByRole('button', { name: 'Ada Lovelace calls (one match)' }).click();
  await expect(contactRegion(page)).toContainText('Contact search failed: searchAndScreenPop failed: Search is unavailable (GENERIC_ERROR)');
  expect(await callState(page)).toBe('ringing');
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await hangUpAndWrapUp(page, 'Sale', 'w');
  await expect.poll(async () => (await tasks(page)).length).toBe(1);
  await control(page, 'Dismiss').click();

  // A console that never answers: the call's time limit reports it.
  await page.getByRole('button', { name: 'saveLog hangs next' }).click();
  await page.getByRole('button', { name: 'Unknown caller (no match)' }).click();
  await control(page, 'Answer').click();
  await hangUpAndWrapUp(page, 'Sale', 'y');
  await expect(alert).toContainText('Salesforce: Call logging failed: Salesforce saveLog took longer than 1500 ms.');
  await expect(bar(page).locator('header')).toContainText('Ready');

  // A user without a call center: saveLog fails as Salesforce does, the agent is told.
  await page.getByRole('button', { name: 'User has no call center' }).click();
  await page.getByRole('button', { name: 'Unknown caller (no match)' }).click();
  await control(page, 'Answer').click();
  await hangUpAndWrapUp(page, 'Sale', 'z');
  await expect(alert).toContainText('not assigned to a call center (GENERIC_ERROR)');
  expect(await tasks(page)).toHaveLength(1);
});

/**
 * The bar as an Avaya POM desktop: `<agent-bar connector="pom">` in Chromium against the real POM
 * emulator process (`npm run emulator -- pom`), driven like an agent. After each step the set of
 * enabled controls is exactly what POM's capabilities allow in that state.
 */
import { test, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../fixtures/server-process.ts';

let emulator: ChildProcess | undefined;
let httpUrl = '';
let bridgeUrl = '';


test.beforeAll(async () => {
  const port = await freePort();
  emulator = spawn(process.execPath, ['--import', 'tsx', 'server/emulators/main.ts', 'pom', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${output}`)), 20_000);
    emulator!.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      if (/pom emulator listening on http:\/\/127\.0\.0\.1:\d+/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    emulator!.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${output}`)));
  });
  httpUrl = `http://127.0.0.1:${port}`;
  bridgeUrl = `ws://127.0.0.1:${port}/bridge`;
});

test.afterAll(() => {
  emulator?.kill('SIGTERM');
});

async function control(verb: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${httpUrl}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${verb}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Every visible, enabled button in the bar (through shadow roots), by name; keypad digits and the
 * recent-calls disclosure (the bar's own in-memory history, not a POM control) left out.
 */
function enabledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const names = new Set<string>();
    const walk = (root: Document | ShadowRoot | Element) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (el instanceof HTMLButtonElement && !el.disabled && el.getClientRects().length > 0) {
          const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ');
          if (!/^[0-9*#]$/.test(name) && name !== 'Dismiss' && !name.startsWith('Recent calls')) names.add(name);
        }
      }
    };
    walk(document);
    return [...names].sort();
  });
}

async function expectEnabled(page: Page, expected: string[]): Promise<void> {
  await expect.poll(() => enabledControls(page), { timeout: 5000 }).toEqual([...expected].sort());
}

const snapshot = (page: Page): Promise<any> => page.evaluate(() => (document.querySelector('agent-bar') as any).session?.snapshot);
const alert = (page: Page) => page.getByRole('alert');
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function open(page: Page): Promise<void> {
  await control('reset');
  await control('configure', { connectDelayMs: 300, acwMaxTime: 120 });
  await page.goto(`/test/fixtures/pom-bar.html?endpoint=${encodeURIComponent(bridgeUrl)}&agent=1001`);
  await expect.poll(async () => (await snapshot(page))?.connection, { timeout: 15_000 }).toBe('connected');
}

async function logOn(page: Page, password = '1234'): Promise<void> {
  await page.getByRole('textbox', { name: 'Extension', exact: true }).fill('5001');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('textbox', { name: 'Zone', exact: true }).fill('Default');
  await button(page, 'Log in').click();
}

async function readyAndNailed(page: Page): Promise<void> {
  await button(page, 'Ready').click();
  await expect(page.getByText('Phone line: connected')).toBeVisible();
}

async function wrapUpWith(page: Page, label: string): Promise<void> {
  await page.getByRole('radio', { name: label }).check();
  await button(page, 'Wrap up').click();
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(0);
}

test('log on (bad password, then good), ready, a call with every attribute type, hold, consult, conference, change owner, leave', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await expectEnabled(page, ['Log in']);

  await logOn(page, 'wrong');
  await expect(alert(page)).toContainText('Login failure. Authentication of agent failed.');
  expect((await snapshot(page)).lastError.vendorCode).toBe(17);
  expect((await snapshot(page)).agent.state).toBe('loggedOut');
  await logOn(page);
  await expect.poll(async () => (await snapshot(page)).agent.state).toBe('notReady');
  await expectEnabled(page, ['Log out', 'Ready']);

  await readyAndNailed(page);
  await expectEnabled(page, ['Not ready']);

  await control('offer-inbound', { to: '1001', from: '+441632960001', name: 'Alex Morgan' });
  const customer = page.getByRole('region', { name: 'Customer' });
  await expect(customer.getByText('First name')).toBeVisible();
  // READ_ONLY as text, WRITE as a text box, MASKED_WRITE never shown, SCREEN_POP as a link.
  await expect(customer.getByRole('textbox', { name: 'Email' })).toBeEditable();
  await expect(customer.getByRole('textbox', { name: 'First name' })).toHaveCount(0);
  await expect(customer).not.toContainText('4921');
  await expect(customer.getByRole('link')).toHaveAttribute('href', 'https://crm.example.com/contacts/4711');
  await expectEnabled(page, ['More', 'Hang up', 'Hold', 'Keypad', 'Not ready', 'Transfer']);
  // A WRITE attribute saved with AGTSetCustomerDetail; a value POM refuses is its error 642.
  await customer.getByRole('textbox', { name: 'Email' }).fill('alex@example.com');
  await customer.getByRole('textbox', { name: 'Email' }).press('Enter');
  await expect.poll(async () => (await snapshot(page)).calls[0].fields.find((f: any) => f.key === 'email').value).toBe('alex@example.com');
  await customer.getByRole('textbox', { name: 'Balance' }).fill('lots');
  await customer.getByRole('textbox', { name: 'Balance' }).press('Enter');
  await expect(alert(page)).toContainText('Invalid value entered. Unable to save attribute.');

  await button(page, 'Hold').click();
  await expectEnabled(page, ['More', 'Not ready', 'Retrieve']);
  await button(page, 'Retrieve').click();
  await expectEnabled(page, ['More', 'Hang up', 'Hold', 'Keypad', 'Not ready', 'Transfer']);

  await button(page, 'Transfer').click();
  const dialog = page.getByRole('dialog', { name: 'Transfer' });
  await dialog.getByRole('radio', { name: 'Sam Patel' }).check();
  await dialog.getByRole('button', { name: 'Consult', exact: true }).click();
  await expect(dialog.getByRole('status')).toContainText('Consult with Sam Patel: connected');
  await expectEnabled(page, ['More', 'Cancel consult', 'Complete transfer', 'Conference', 'Not ready']);

  await dialog.getByRole('button', { name: 'Conference', exact: true }).click();
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('conferenceOwner');
  await expectEnabled(page, ['More', 'Change owner', 'End conference', 'Not ready']);

  await dialog.getByRole('button', { name: 'Change owner' }).click();
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('conferencePassive');
  // The passive party: notes only, no customer edits.
  await expectEnabled(page, ['More', 'Leave conference', 'Not ready']);
  await expect(customer.getByRole('textbox', { name: 'Email' })).toBeDisabled();

  await dialog.getByRole('button', { name: 'Leave conference' }).click();
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(0);
  await expectEnabled(page, ['Not ready']);
});

test('wrap-up with a completion code, a scheduled callback, do-not-call and redial; pending not ready', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  await logOn(page);
  await readyAndNailed(page);
  const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960002', name: 'Priya Shah' });

  await button(page, 'Not ready').click();
  await page.getByRole('menuitem', { name: 'Lunch' }).click();
  await expect(page.getByText('Pending not ready: Lunch', { exact: false })).toBeVisible();

  await control('customer-hangup', { callId });
  await expect(page.getByRole('region', { name: 'Wrap-up' })).toBeVisible();
  await expectEnabled(page, ['Add to do-not-call', 'Extend wrap-up', 'Not ready', 'Ready', 'Redial', 'Schedule callback', 'Wrap up']);

  // The callback types and destinations POM offered (AGTGetCallbackTypes, AGTGetCallbackDestsForType): the agent's own first.
  const callbackFor = page.getByLabel('Callback for');
  await expect(callbackFor).toHaveValue('Agent');
  await expect(callbackFor.locator('option')).toHaveText(['Myself', 'Agent Sam Patel', 'Agent Jo Okafor', 'Agent Kim Novak', 'Agent Lee Chen', 'Agent Ana Ruiz', 'Any agent of the campaign', 'Campaign Renewals', 'Campaign Winback']);
  await callbackFor.selectOption({ label: 'Agent Sam Patel' });
  await page.getByLabel('Callback time').fill('2031-05-04T10:30');
  await button(page, 'Schedule callback').click();
  await expect.poll(async () => ((await (await fetch(`${httpUrl}/__state`)).json()) as any).callbacks).toMatchObject([
    { callbackType: 'Agent', callbackDest: { id: '1002', name: 'Sam Patel' }, contactNumber: { Number: '+441632960002' } },
  ]);

  // AGTAddToDNC with the contact's number; a second click gets POM's 621 (already listed), shown with its code.
  await button(page, 'Add to do-not-call').click();
  await expect(page.getByText('Number added to the do-not-call list.')).toBeVisible();
  await expect.poll(async () => ((await (await fetch(`${httpUrl}/__state`)).json()) as any).dnc).toEqual(['+441632960002']);
  await button(page, 'Add to do-not-call').click();
  await expect(alert(page)).toContainText('already present');
  await expect.poll(async () => (await snapshot(page)).lastError?.vendorCode).toBe(621);

  // An "Other number" on the site's do-not-call list (AGTIsInDNC says present): refused with the reason, nothing dialled.
  await control('dnc-add', { number: '+442079460999' });
  await page.getByLabel('Other number').fill('+44 20 7946 0999');
  await button(page, 'Redial').click();
  await expect(alert(page)).toContainText('+442079460999 is on the do-not-call list: it was not dialled.');
  expect((await snapshot(page)).calls[0].state).toBe('wrapup');
  const checks = ((await (await fetch(`${httpUrl}/__log`)).json()) as Array<{ message: string; body: string }>).filter((e) => e.message === 'AGTIsInDNC');
  expect(checks.map((e) => JSON.parse(e.body))).toEqual([{ addressValue: '+442079460999', sessionID: callId }]);

  // AGTRedial: the customer dropped by accident; the same contact is dialled again from wrap-up, on the number they gave.
  await page.getByLabel('Other number').fill('+44 20 7946 0111');
  await button(page, 'Redial').click();
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state, { timeout: 10_000 }).toBe('talking');
  expect((await snapshot(page)).calls[0].id).toBe(callId);
  const redials = ((await (await fetch(`${httpUrl}/__log`)).json()) as Array<{ message: string; body: string }>).filter((e) => e.message === 'AGTRedial');
  expect(redials.map((e) => JSON.parse(e.body))).toEqual([{ contactNumber: { Name: 'ExternalNumber', Number: '+442079460111' } }]);
  await button(page, 'Hang up').click();
  await expect(page.getByRole('region', { name: 'Wrap-up' })).toBeVisible();

  await wrapUpWith(page, 'Sale');
  await expect.poll(async () => (await snapshot(page)).agent.state).toBe('notReady');
  await expectEnabled(page, ['Log out', 'Ready']);
});

test('job detach and attach: the nailing drops when the job ends, a new job nails again and brings its own completion codes', async ({ page }) => {
  await open(page);
  await logOn(page);
  await readyAndNailed(page);
  // The job POM attached the agent to, shown with no call.
  await expect(page.getByText('Phone line: connected · job Renewals', { exact: true })).toBeVisible();
  await control('job-end', { to: '1001' });
  await expect(page.getByText('Phone line: waiting for a campaign', { exact: true })).toBeVisible();
  await expectEnabled(page, ['Not ready']);
  await control('job-start', { to: '1001', campaign: 'Winback' });
  await expect(page.getByText('Phone line: connected · job Winback', { exact: true })).toBeVisible();
  const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960003', name: 'Wendy Back' });
  await expect(page.getByText('Winback', { exact: true })).toBeVisible();
  await control('customer-hangup', { callId });
  await expect(page.getByRole('radio', { name: 'Won back' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Sale' })).toHaveCount(0);
  await wrapUpWith(page, 'Won back');
});

test('a timed preview dials itself at zero; a callback with timeout 0 dials at once', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  await logOn(page);
  await readyAndNailed(page);

  await control('preview', { to: '1001', number: '+441632960003', name: 'Tom Gallagher', timeoutSec: 3 });
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('timer', { name: 'Auto-dial in' })).toBeVisible();
  await expectEnabled(page, ['Dial', 'Not ready', 'Skip']);
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state, { timeout: 10_000 }).toBe('talking');
  await expectEnabled(page, ['More', 'Hang up', 'Hold', 'Keypad', 'Not ready', 'Transfer']);
  await button(page, 'Hang up').click();
  await wrapUpWith(page, 'Sale');

  await control('preview', { to: '1001', number: '+441632960004', name: 'Callback Cara', callback: true, timeoutSec: 0 });
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state, { timeout: 10_000 }).toBe('talking');
  const log = (await (await fetch(`${httpUrl}/__log`)).json()) as Array<{ message: string }>;
  expect(log.filter((e) => e.message === 'AGTPreviewDial')).toHaveLength(2);
  await button(page, 'Hang up').click();
  await wrapUpWith(page, 'Sale');

  // A timed callback record is shown as such, with its countdown, and the agent dials it.
  await control('preview', { to: '1001', number: '+441632960005', name: 'Callback Colm', callback: true, timeoutSec: 60 });
  await expect(preview.getByText('Callback', { exact: true })).toBeVisible();
  await expect(preview.getByRole('timer', { name: 'Auto-dial in' })).toBeVisible();
  await expectEnabled(page, ['Dial', 'Not ready', 'Reschedule', 'Skip']);
  await preview.getByRole('button', { name: 'Dial' }).click();
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state, { timeout: 10_000 }).toBe('talking');
  const after = (await (await fetch(`${httpUrl}/__log`)).json()) as Array<{ message: string }>;
  expect(after.filter((e) => e.message === 'AGTPreviewDial')).toHaveLength(3);
});

test('a callback record is rescheduled (AGTCreateCallback again), then skipped with a completion code', async ({ page }) => {
  await open(page);
  await logOn(page);
  await readyAndNailed(page);
  await control('preview', { to: '1001', number: '+441632960006', name: 'Callback Cleo', callback: true, timeoutSec: 120 });
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.getByText('Callback', { exact: true })).toBeVisible();
  await button(page, 'Reschedule').click();
  await expect(preview.getByRole('status')).toHaveText('Enter a callback time first.');
  await preview.getByLabel('Callback time').fill('2031-06-01T09:15');
  await button(page, 'Reschedule').click();
  await expect(preview.getByRole('status')).toHaveText('Callback rescheduled.');
  await expect.poll(async () => ((await (await fetch(`${httpUrl}/__state`)).json()) as any).callbacks).toMatchObject([
    { callbackType: 'Agent', callbackDest: null, contactNumber: { Number: '+441632960006' } },
  ]);
  // "Callback for" on the record too (AGTGetCallbackTypes / AGTGetCallbackDestsForType in Preview): a campaign callback.
  const callbackFor = preview.getByLabel('Callback for');
  await expect(callbackFor).toHaveValue('Agent');
  await callbackFor.selectOption({ label: 'Campaign Winback' });
  await button(page, 'Reschedule').click();
  await expect.poll(async () => ((await (await fetch(`${httpUrl}/__state`)).json()) as any).callbacks.at(-1)).toMatchObject({
    callbackType: 'Campaign',
    callbackDest: { id: 'Winback' },
    contactNumber: { Number: '+441632960006' },
  });
  await button(page, 'Skip').click();
  await expect(page.getByRole('region', { name: 'Wrap-up' })).toBeVisible();
  await wrapUpWith(page, 'Call back later');
});

test('walk-away: two calls with no click → Not ready (walked away)', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  await control('configure', { acwMaxTime: 2 });
  await logOn(page);
  await readyAndNailed(page);
  for (const n of [1, 2]) {
    const { callId } = await control('offer-inbound', { to: '1001', from: `+44163296001${n}` });
    await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('talking');
    await control('customer-hangup', { callId });
    await expect.poll(async () => (await snapshot(page)).calls.length, { timeout: 10_000 }).toBe(0);
  }
  await expect(page.getByText('Not ready: Walked away')).toBeVisible();
  await expectEnabled(page, ['Log out', 'Ready']);
});

test('the bridge drops mid-call: shown, reconnected, and POM\'s true state shown', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  await logOn(page);
  await readyAndNailed(page);
  const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960020', name: 'Dropped Dana' });
  await button(page, 'Hold').click();
  await expectEnabled(page, ['More', 'Not ready', 'Retrieve']);
  await control('drop-bridge', { to: '1001' });
  await control('customer-hangup', { callId });
  await expect.poll(async () => (await snapshot(page)).connection, { timeout: 10_000 }).toBe('connected');
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('wrapup');
  await expectEnabled(page, ['Add to do-not-call', 'Extend wrap-up', 'Not ready', 'Redial', 'Schedule callback', 'Wrap up']);
  await wrapUpWith(page, 'Not interested');
});

test('Redial is offered only when POM allows it (Originate in the wrap-up capabilities)', async ({ page }) => {
  await open(page);
  await control('configure', { allowRedial: false });
  await logOn(page);
  await readyAndNailed(page);
  const { callId } = await control('offer-inbound', { to: '1001', from: '+441632960030', name: 'No Redial' });
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('talking');
  await control('customer-hangup', { callId });
  await expect(page.getByRole('region', { name: 'Wrap-up' })).toBeVisible();
  await expectEnabled(page, ['Add to do-not-call', 'Extend wrap-up', 'Not ready', 'Schedule callback', 'Wrap up']);
  await expect(button(page, 'Redial')).toBeDisabled();
  await wrapUpWith(page, 'Sale');
});

test('the logon time zone is chosen from POM\'s (AGTGetTimezones); wrap-up offers the contact\'s numbers for Redial', async ({ page }) => {
  await open(page);
  // The log-in form lists POM's zones (asked once the bridge welcomed the bar), the logon default UTC first.
  const timeZone = page.getByRole('combobox', { name: 'Time zone', exact: true });
  await expect(timeZone.locator('option')).toHaveText(['(UTC) Coordinated Universal Time', '(UTC+00:00) London', '(UTC+01:00) Paris', '(UTC-05:00) New York']);
  await expect(timeZone).toHaveValue('UTC');
  await expect(page.getByRole('textbox', { name: 'Time zone' })).toHaveCount(0);
  await timeZone.selectOption({ label: '(UTC+01:00) Paris' });
  await logOn(page);
  await expect.poll(async () => (await snapshot(page)).agent.state).toBe('notReady');
  const logons = ((await (await fetch(`${httpUrl}/__log`)).json()) as Array<{ message: string; body: string }>).filter((e) => e.message === 'AGTLogon');
  expect(logons.map((e) => JSON.parse(e.body).timeZone)).toEqual(['Europe/Paris']);
  await readyAndNailed(page);

  await control('preview', { to: '1001', number: '+441632960040', name: 'Two Numbers', numbers: ['+442079460123'] });
  await page.getByRole('region', { name: 'Preview' }).getByRole('button', { name: 'Dial' }).click();
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state, { timeout: 10_000 }).toBe('talking');
  await button(page, 'Hang up').click();
  await expect(page.getByRole('region', { name: 'Wrap-up' })).toBeVisible();
  const numbers = page.getByRole('combobox', { name: /^Number/ });
  await expect(numbers.locator('option')).toHaveText(['+441632960040', '+442079460123']);
  await numbers.selectOption('+442079460123');
  await button(page, 'Redial').click();
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state, { timeout: 10_000 }).toBe('talking');
  const redials = ((await (await fetch(`${httpUrl}/__log`)).json()) as Array<{ message: string; body: string }>).filter((e) => e.message === 'AGTRedial' || e.message === 'AGTIsInDNC');
  // The contact's own second number: no do-not-call question, sent under its own name.
  expect(redials.map((e) => [e.message, JSON.parse(e.body)])).toEqual([['AGTRedial', { contactNumber: { Name: 'Phone2', Number: '+442079460123' } }]]);
  await button(page, 'Hang up').click();
  await wrapUpWith(page, 'Sale');
});

const sent = async (name: string): Promise<Array<Record<string, unknown>>> =>
  ((await (await fetch(`${httpUrl}/__log`)).json()) as Array<{ message: string; body: string }>).filter((e) => e.message === name).map((e) => JSON.parse(e.body));

test('keypad DTMF, a double click sent once, consult failed / cancelled / completed, free-form only where POM allows it, notes and extend wrap-up, codes fetched once per job, nailing lost and POM unavailable', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await logOn(page);
  await readyAndNailed(page);
  const first = await control('offer-inbound', { to: '1001', from: '+441632960050', name: 'Keypad Kai' });
  await expectEnabled(page, ['More', 'Hang up', 'Hold', 'Keypad', 'Not ready', 'Transfer']);

  // DTMF: POM has AGTSendDTMF, one digit per command.
  await button(page, 'Keypad').click();
  await page.getByRole('group', { name: 'Keypad' }).getByRole('button', { name: '7', exact: true }).click();
  await expect.poll(() => sent('AGTSendDTMF')).toEqual([{ dtmf: '7', sessionID: first.callId }]);

  // A command in flight blocks a second click: a double click holds once.
  await button(page, 'Hold').dblclick();
  await expectEnabled(page, ['More', 'Not ready', 'Retrieve']);
  expect(await sent('AGTHoldCall')).toHaveLength(1);
  await button(page, 'Retrieve').click();
  await expectEnabled(page, ['More', 'Hang up', 'Hold', 'Keypad', 'Not ready', 'Transfer']);

  // A typed number is a free-form consult (POM allows it on this job); its dial fails: shown, the customer kept.
  await control('consult-dial-fails', { reason: 'Busy' });
  await button(page, 'Transfer').click();
  const dialog = page.getByRole('dialog', { name: 'Transfer' });
  await dialog.getByRole('textbox', { name: 'Destination' }).fill('+442079460777');
  await dialog.getByRole('button', { name: 'Consult', exact: true }).click();
  await expect(alert(page)).toContainText('The consult call could not be connected');
  expect((await sent('AGTConsultCall')).map((a) => a.destination)).toEqual([{ destinationType: 'External', id: 'ExternalNumber', name: '+442079460777', address: '+442079460777' }]);
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('talking');
  await expectEnabled(page, ['More', 'Blind transfer', 'Consult', 'Hang up', 'Hold', 'Keypad', 'Not ready', 'Transfer', 'Close']);

  // Consult an agent, cancel it: back to the customer alone.
  await dialog.getByRole('radio', { name: 'Sam Patel' }).check();
  await dialog.getByRole('button', { name: 'Consult', exact: true }).click();
  await expect(dialog.getByRole('status')).toContainText('Consult with Sam Patel: connected');
  await dialog.getByRole('button', { name: 'Cancel consult' }).click();
  await expect(dialog.getByRole('status')).toHaveCount(0);
  expect(await sent('AGTCancelConsult')).toEqual([{ destAgentID: '1002', sessionID: first.callId }]);
  await expectEnabled(page, ['More', 'Blind transfer', 'Consult', 'Hang up', 'Hold', 'Keypad', 'Not ready', 'Transfer', 'Close']);

  // Consult again and complete the transfer: the call is the colleague's; POM sends this desktop straight to Idle.
  await dialog.getByRole('radio', { name: 'Jo Okafor' }).check();
  await dialog.getByRole('button', { name: 'Consult', exact: true }).click();
  await expect(dialog.getByRole('status')).toContainText('Consult with Jo Okafor: connected');
  await dialog.getByRole('button', { name: 'Complete transfer' }).click();
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(0);
  expect(await sent('AGTCompleteTransfer')).toEqual([{ sessionID: first.callId }]);
  await expectEnabled(page, ['Not ready']);

  // Extend wrap-up: POM's new window; agent notes go with the completion code.
  const wrapped = await control('offer-inbound', { to: '1001', from: '+441632960052', name: 'Wrap Wendy' });
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('talking');
  await control('customer-hangup', { callId: wrapped.callId });
  await expect(page.getByRole('region', { name: 'Wrap-up' })).toBeVisible();
  const deadline = (await snapshot(page)).calls[0].wrapup.deadline as number;
  await expect(page.getByRole('timer', { name: 'Wrap-up time left' })).toBeVisible();
  await button(page, 'Extend wrap-up').click();
  await expect.poll(async () => (await snapshot(page)).calls[0]?.wrapup?.deadline).toBeGreaterThan(deadline);
  expect(await sent('AGTExtendWrapup')).toEqual([{ sessionID: wrapped.callId }]);
  await page.getByRole('textbox', { name: 'Notes' }).fill('Wants the renewal letter by post');
  await wrapUpWith(page, 'Sale');
  expect(await sent('AGTAddAgentNote')).toEqual([{ agentNote: 'Wants the renewal letter by post' }]);
  expect((await sent('AGTWrapupContact')).at(-1)).toEqual({ completionCode: { code: 'SALE', name: 'Sale' }, sessionID: wrapped.callId });

  // A second call of the same job: the completion codes are not fetched again; free-form now refused by POM's job.
  await control('configure', { allowFreeForm: false });
  const second = await control('offer-inbound', { to: '1001', from: '+441632960051', name: 'Second Sid' });
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('talking');
  await button(page, 'Transfer').click();
  await dialog.getByRole('textbox', { name: 'Destination' }).fill('+442079460888');
  await dialog.getByRole('button', { name: 'Consult', exact: true }).click();
  await expect(alert(page)).toContainText('This campaign does not allow consulting a number typed by hand');
  expect(await sent('AGTConsultCall')).toHaveLength(3);
  await control('customer-hangup', { callId: second.callId });
  await expect(page.getByRole('region', { name: 'Wrap-up' })).toBeVisible();
  await wrapUpWith(page, 'Not interested');
  expect(await sent('AGTGetCompCodes')).toHaveLength(1);

  // Nailing lost: a problem in the alert region and the header.
  await control('nailing-lost', { to: '1001' });
  await expect(page.getByText('Phone line: lost', { exact: false })).toBeVisible();
  await expect.poll(async () => (await snapshot(page)).lastError?.vendorCode).toBe('NailingLost');

  // POM unavailable (the bridge has lost PAM): a connection problem with its code; back: resynchronised.
  await control('pom-down');
  await expect.poll(async () => (await snapshot(page)).connection).toBe('reconnecting');
  await expect.poll(async () => (await snapshot(page)).lastError?.vendorCode).toBe(9999);
  await expectEnabled(page, []);
  await control('pom-up');
  await expect.poll(async () => (await snapshot(page)).connection).toBe('connected');
  await expect.poll(async () => (await snapshot(page)).agent.state).toBe('ready');
});

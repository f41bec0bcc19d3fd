/**
 * The demo page driven like an agent: inbound call, hold, consult, transfer, conference, hang-up
 * and wrap-up, with the simulator panel playing the customer and the contact centre. After each
 * step the test checks which of the bar's controls are enabled and which are disabled.
 */
import {
  expect,
  test,
  answer,
  consult,
  consultAnswered,
  control,
  events,
  expectAgentState,
  expectControls,
  expectOnlyEnabled,
  inboundCall,
  loginReady,
  openDemo,
  recordEvents,
  region,
  simButton,
  talking,
  transferDialog,
  wrapUp,
} from './demo-kit.ts';

/** Controls of the transfer dialog. */
const DIALOG = ['Blind transfer', 'Consult', 'Alternate', 'Complete transfer', 'Cancel consult', 'Conference', 'Leave conference', 'End conference'];
/** What an agent may do while talking to the customer. */
// Start recording is allowed too, behind More (closed).
const TALKING = ['Not ready', 'Hang up', 'Hold', 'Keypad', 'Transfer', 'More'];

test('log in, answer, hold, retrieve, consult an agent and complete the transfer', async ({ page }) => {
  await openDemo(page);
  await expectOnlyEnabled(page, 'Log in');

  await control(page, 'Log in').click();
  await expectAgentState(page, 'Not ready');
  await expectOnlyEnabled(page, 'Log out', 'Ready', 'Dial');

  await control(page, 'Ready').click();
  await expectAgentState(page, 'Ready');
  await expectOnlyEnabled(page, 'Not ready', 'Dial');
  await expect(region(page, 'Call')).toContainText('No call');

  await inboundCall(page, { number: '+441632960555', name: 'Grace Hopper' });
  const call = region(page, 'Call');
  await expect(call.getByText('Grace Hopper', { exact: true })).toBeVisible();
  await expect(call.getByText('+441632960555', { exact: true })).toBeVisible();
  await expect(region(page, 'Customer')).toContainText('ACC-20417');
  await expectOnlyEnabled(page, 'Not ready', 'Answer');

  await answer(page);
  await expect(call.getByRole('timer', { name: 'Talk time' })).toHaveText(/^Talk \d+:\d\d$/);
  await expectOnlyEnabled(page, ...TALKING);

  await control(page, 'Hold').click();
  await expect(call).toContainText('On hold');
  await expect(call.getByRole('timer', { name: 'Hold time' })).toHaveText(/^Hold \d+:\d\d$/);
  await expectOnlyEnabled(page, 'Not ready', 'Retrieve');

  await control(page, 'Retrieve').click();
  await expect(call).toContainText('Talking');
  await expect(call.getByRole('timer', { name: 'Hold time' })).toHaveCount(0);
  await expectOnlyEnabled(page, ...TALKING);

  await control(page, 'Transfer').click();
  await expect(control(page, 'Transfer')).toHaveAttribute('aria-expanded', 'true');
  await expect(transferDialog(page)).toBeVisible();
  await expect(transferDialog(page).getByRole('textbox', { name: 'Destination' })).toBeFocused();
  await expectControls(page, {
    enabled: ['Blind transfer', 'Consult', 'Close'],
    disabled: ['Alternate', 'Complete transfer', 'Cancel consult', 'Conference', 'Leave conference', 'End conference'],
  });

  await consult(page, 'Sam Patel (1002)');
  // While the consulted agent's phone rings, only cancelling is possible; the dialog stays put.
  await expectControls(page, {
    enabled: ['Not ready', 'Cancel consult'],
    disabled: ['Answer', 'Hang up', 'Hold', 'Retrieve', 'Keypad', 'Transfer', 'Blind transfer', 'Consult', 'Alternate', 'Complete transfer', 'Conference'],
    absent: ['Close'],
  });

  await consultAnswered(page);
  await expectControls(page, {
    enabled: ['Not ready', 'Alternate', 'Complete transfer', 'Cancel consult', 'Conference'],
    disabled: ['Hang up', 'Hold', 'Retrieve', 'Transfer', 'Blind transfer', 'Consult', 'Leave conference', 'End conference'],
  });

  await control(page, 'Complete transfer').click();
  await expect(call).toContainText('No call');
  await expect(transferDialog(page)).toHaveCount(0);
  await expect(region(page, 'Customer')).toHaveCount(0);
  await expect(region(page, 'Wrap-up')).toHaveCount(0);
  await expectAgentState(page, 'Ready');
  await expectOnlyEnabled(page, 'Not ready', 'Dial');
  await expectControls(page, { absent: DIALOG });
});

test('consult, conference, end the conference, hang up and wrap up with a disposition', async ({ page }) => {
  await recordEvents(page);
  await openDemo(page);
  await talking(page);
  const call = region(page, 'Call');

  await consult(page, 'Jo Okafor (1003)');
  await consultAnswered(page);

  await control(page, 'Conference').click();
  await expect(call).toContainText('Conference (owner)');
  // The dialog stays open by itself during a conference: that is where the agent ends it.
  await expect(transferDialog(page)).toBeVisible();
  await expectControls(page, {
    enabled: ['Not ready', 'End conference'],
    disabled: ['Answer', 'Hang up', 'Hold', 'Retrieve', 'Transfer', 'Blind transfer', 'Consult', 'Alternate', 'Complete transfer', 'Cancel consult', 'Conference', 'Leave conference'],
    absent: ['Close'],
  });

  await control(page, 'End conference').click();
  await expect(call).toContainText('Talking');
  await expect(transferDialog(page)).toHaveCount(0);
  await expectOnlyEnabled(page, ...TALKING);

  await control(page, 'Hang up').click();
  const form = region(page, 'Wrap-up');
  await expect(form).toBeVisible();
  await expect(call).toContainText('Wrap-up');
  await expectControls(page, {
    enabled: ['Not ready', 'Wrap up', 'Extend wrap-up', 'Schedule callback'],
    disabled: ['Log out', 'Ready', 'Dial', 'Answer', 'Hang up', 'Hold', 'Retrieve', 'Keypad', 'Transfer'],
  });

  // Wrap up without a disposition sends nothing and says why.
  await control(page, 'Wrap up').click();
  await expect(form.getByRole('status')).toHaveText('Choose a disposition first.');
  await expect(form).toBeVisible();
  expect(await events(page, 'cti-wrapup-completed')).toEqual([]);

  await expect(form.getByRole('group', { name: 'Disposition' }).getByRole('radio')).toHaveCount(5);
  await wrapUp(page, 'Sale', 'Renewed for 12 months');

  await expectAgentState(page, 'Ready');
  await expect(call).toContainText('No call');
  await expectOnlyEnabled(page, 'Not ready', 'Dial');
  // The demo's event log shows the event by name, and a listener on the page got its detail.
  await expect(page.getByRole('list', { name: 'Event log' })).toContainText('cti-wrapup-completed');
  await expect.poll(async () => (await events(page, 'cti-wrapup-completed')).map((e) => e.detail.dispositionCode)).toEqual(['SALE']);
});

test('the customer hangs up while talking: wrap-up with its countdown, then wrap up', async ({ page }) => {
  await openDemo(page);
  await talking(page);

  await simButton(page, 'Customer hangs up').click();
  const form = region(page, 'Wrap-up');
  await expect(form).toBeVisible();
  await expect(form.getByRole('timer', { name: 'Wrap-up time left' })).toHaveText(/^\d+:\d\d left$/);
  await expect(region(page, 'Call').getByRole('timer', { name: 'Talk time' })).toHaveCount(0);
  await expectControls(page, {
    enabled: ['Not ready', 'Wrap up', 'Extend wrap-up'],
    disabled: ['Dial', 'Answer', 'Hang up', 'Hold', 'Retrieve', 'Keypad', 'Start recording', 'Transfer'],
  });

  await wrapUp(page, 'Not interested');
  await expectAgentState(page, 'Ready');
  await expectOnlyEnabled(page, 'Not ready', 'Dial');

  // The next call starts clean: ringing, and no leftover wrap-up form.
  await inboundCall(page);
  await expect(form).toHaveCount(0);
  await expectOnlyEnabled(page, 'Not ready', 'Answer');
  await answer(page);
  await expectOnlyEnabled(page, ...TALKING);
});

test('an inbound call shows the caller and the customer data as text', async ({ page }) => {
  await openDemo(page);
  await loginReady(page);
  await inboundCall(page, { number: '+441632960777', name: '<img src=x onerror=alert(1)>' });

  const call = region(page, 'Call');
  await expect(call.getByText('<img src=x onerror=alert(1)>', { exact: true })).toBeVisible();
  await expect(call.getByRole('img')).toHaveCount(0);
  const customer = region(page, 'Customer');
  await expect(customer.getByText('<img src=x onerror=alert(1)>', { exact: true })).toBeVisible();
  await expect(customer.getByRole('link', { name: 'https://crm.example.com/accounts/20417' })).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(customer.getByRole('textbox', { name: 'Email' })).toHaveValue('customer@example.com');
  // The masked field never shows its value.
  await expect(customer).not.toContainText('4111111111111111');
});

/**
 * What the agent sees when something goes wrong (a refused command, a mistyped number) — a
 * readable alert and nothing else changed — and the keypad and recording controls of a call.
 */
import {
  expect,
  test,
  alert,
  bar,
  control,
  events,
  expectAgentState,
  expectControls,
  expectEvents,
  expectOnlyEnabled,
  failNext,
  loginReady,
  openDemo,
  recordEvents,
  region,
  talking,
} from './demo-kit.ts';

// Start recording is allowed too, behind More (closed).
const TALKING = ['Not ready', 'Hang up', 'Hold', 'Keypad', 'Transfer', 'More'];

test('a refused Hold shows the POM message in the alert and changes nothing else', async ({ page }) => {
  await recordEvents(page);
  await openDemo(page);
  await talking(page);
  await expect(alert(page)).toHaveText('');
  await expectControls(page, { absent: ['Dismiss'] });

  await failNext(page, 'hold', 101);
  await control(page, 'Hold').click();
  await expect(alert(page)).toHaveText('Unable to hold.');
  const [failed] = await expectEvents(page, 'cti-operation-failed');
  expect(failed!.detail).toMatchObject({ operation: 'hold', error: { message: 'Unable to hold.', vendorCode: 101 } });

  // Still talking, the same controls, no hold timer.
  const call = region(page, 'Call');
  await expect(call).toContainText('Talking');
  await expect(call.getByRole('timer', { name: 'Hold time' })).toHaveCount(0);
  await expectOnlyEnabled(page, ...TALKING);
  expect(await events(page, 'cti-call-held')).toEqual([]);

  await control(page, 'Dismiss').click();
  await expect(alert(page)).toHaveText('');
  await expectControls(page, { absent: ['Dismiss'] });
  await expect(call).toContainText('Talking');

  // The fault was for one command only: Hold works now.
  await control(page, 'Hold').click();
  await expect(call).toContainText('On hold');
  await expectOnlyEnabled(page, 'Not ready', 'Retrieve');
  await expect(alert(page)).toHaveText('');
});

test('the next successful command clears the alert', async ({ page }) => {
  await openDemo(page);
  await talking(page);
  await failNext(page, 'startRecording', 9004);
  // Recording is a rare action: behind More.
  await control(page, 'More').click();
  await control(page, 'Start recording').click();
  await expect(alert(page)).not.toHaveText('');
  await expectControls(page, { enabled: ['Start recording', 'Dismiss'], disabled: ['Stop recording'] });

  await control(page, 'Start recording').click();
  await expect(alert(page)).toHaveText('');
  await expectControls(page, { enabled: ['Stop recording'], disabled: ['Start recording'], absent: ['Dismiss'] });
});

test('an invalid phone number is refused before anything is sent', async ({ page }) => {
  await recordEvents(page);
  await openDemo(page);
  await loginReady(page);
  const number = bar(page).getByRole('textbox', { name: 'Phone number' });
  const call = region(page, 'Call');

  for (const typed of ['12ab', '+44 12']) {
    await number.fill(typed);
    await control(page, 'Dial').click();
    // A readable message that quotes what was typed; the text stays for correction.
    await expect(alert(page)).toContainText(`"${typed}"`);
    await expect(alert(page)).toContainText('phone number');
    await expect(number).toHaveValue(typed);
    await expect(call).toContainText('No call');
    await expectAgentState(page, 'Ready');
    await expectOnlyEnabled(page, 'Not ready', 'Dial');
  }
  const failures = await expectEvents(page, 'cti-operation-failed', 2);
  expect(failures.map((e) => [e.detail.operation, e.detail.error.code])).toEqual([
    ['dial', 'INVALID_ARGUMENT'],
    ['dial', 'INVALID_ARGUMENT'],
  ]);
  expect(await events(page, 'cti-call-offered')).toEqual([]);

  // Corrected and dialled with Enter: the call is placed, the box and the alert are cleared.
  await number.fill('+44 20 7946 0123');
  await number.press('Enter');
  await expect(call).toContainText(/Dialing|Talking/);
  await expect(number).toHaveValue('');
  await expect(alert(page)).toHaveText('');
});

test('the keypad sends DTMF digits and recording starts and stops', async ({ page }) => {
  await openDemo(page);
  await talking(page);
  const keypadButton = control(page, 'Keypad');
  const keypad = bar(page).getByRole('group', { name: 'Keypad' });
  await expect(keypad).toHaveCount(0);

  await keypadButton.click();
  await expect(keypadButton).toHaveAttribute('aria-expanded', 'true');
  await expect(keypad.getByRole('button')).toHaveText(['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']);
  const sent = bar(page).getByRole('status', { name: 'Digits sent' });
  await expect(sent).toHaveText('');

  for (const digit of ['1', '2', '#']) {
    await keypad.getByRole('button', { name: digit, exact: true }).click();
  }
  await expect(sent).toHaveText('12#');

  // A digit the backend refuses is not read back; the alert says why.
  await failNext(page, 'sendDtmf', 341);
  await keypad.getByRole('button', { name: '9', exact: true }).click();
  await expect(alert(page)).not.toHaveText('');
  await expect(sent).toHaveText('12#');
  await keypad.getByRole('button', { name: '*', exact: true }).click();
  await expect(sent).toHaveText('12#*');
  await expect(alert(page)).toHaveText('');

  await keypadButton.click();
  await expect(keypadButton).toHaveAttribute('aria-expanded', 'false');
  await expect(keypad).toHaveCount(0);

  const call = region(page, 'Call');
  await control(page, 'More').click();
  await control(page, 'Start recording').click();
  await expect(call.getByText('Recording', { exact: true })).toBeVisible();
  await expectControls(page, { enabled: ['Stop recording', 'Hold', 'Hang up'], disabled: ['Start recording'] });

  await control(page, 'Stop recording').click();
  await expect(call.getByText('Recording', { exact: true })).toHaveCount(0);
  // More stays open: Start recording is offered again inside it.
  await expectOnlyEnabled(page, ...TALKING, 'Start recording');

  // On hold there is no keypad and no recording control.
  await control(page, 'Hold').click();
  await expectOnlyEnabled(page, 'Not ready', 'Retrieve');
});

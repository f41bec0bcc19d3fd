/**
 * Agent state on the demo page: not ready with a reason (mouse and keyboard), a break requested
 * during a call (pending not ready, applied after wrap-up), logging out.
 */
import {
  expect,
  test,
  bar,
  control,
  expectAgentState,
  expectControls,
  expectOnlyEnabled,
  inboundCall,
  loginReady,
  openDemo,
  region,
  talking,
  wrapUp,
} from './demo-kit.ts';

const REASONS = ['Break', 'Lunch', 'Training', 'Meeting'];

test('not ready with a reason picked from the menu, then ready again and log out', async ({ page }) => {
  await openDemo(page);
  await loginReady(page);

  await control(page, 'Not ready').click();
  const menu = bar(page).getByRole('menu', { name: 'Not ready reasons' });
  await expect(menu).toBeVisible();
  await expect(control(page, 'Not ready')).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitem')).toHaveText(REASONS);

  await menu.getByRole('menuitem', { name: 'Lunch', exact: true }).click();
  await expect(menu).toHaveCount(0);
  await expectAgentState(page, 'Not ready: Lunch');
  await expectOnlyEnabled(page, 'Log out', 'Ready', 'Dial');

  await control(page, 'Ready').click();
  await expectAgentState(page, 'Ready');
  await expectOnlyEnabled(page, 'Not ready', 'Dial');

  // Logging out needs not ready (POM): Log out is disabled until then.
  await control(page, 'Not ready').click();
  await bar(page).getByRole('menuitem', { name: 'Break', exact: true }).click();
  await expectAgentState(page, 'Not ready: Break');
  await control(page, 'Log out').click();
  await expectAgentState(page, 'Logged out');
  await expectOnlyEnabled(page, 'Log in');
});

test('the reasons menu works from the keyboard', async ({ page }) => {
  await openDemo(page);
  await loginReady(page);

  await control(page, 'Not ready').focus();
  await page.keyboard.press('Enter');
  const menu = bar(page).getByRole('menu', { name: 'Not ready reasons' });
  await expect(menu.getByRole('menuitem', { name: 'Break', exact: true })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Meeting', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Break', exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(control(page, 'Not ready')).toBeFocused();
  await expectAgentState(page, 'Ready');

  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Lunch', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expectAgentState(page, 'Not ready: Lunch');
  await expect(menu).toHaveCount(0);
});

test('not ready during a call is pending until the wrap-up is done', async ({ page }) => {
  await openDemo(page);
  await talking(page);

  await control(page, 'Not ready').click();
  await bar(page).getByRole('menuitem', { name: 'Training', exact: true }).click();
  await expectAgentState(page, 'Pending not ready: Training');
  // The call is untouched; Ready stays available to take the break request back.
  await expect(region(page, 'Call')).toContainText('Talking');
  await expectControls(page, {
    enabled: ['Ready', 'Hang up', 'Hold', 'Keypad', 'Transfer'],
    disabled: ['Log in', 'Log out', 'Dial', 'Answer', 'Retrieve'],
  });

  await control(page, 'Hang up').click();
  await expect(region(page, 'Wrap-up')).toBeVisible();
  await expectAgentState(page, 'Pending not ready: Training');
  await expectControls(page, { enabled: ['Wrap up'], disabled: ['Log out', 'Dial', 'Hang up'] });

  await wrapUp(page, 'No outcome');
  await expectAgentState(page, 'Not ready: Training');
  await expect(region(page, 'Call')).toContainText('No call');
  await expectOnlyEnabled(page, 'Log out', 'Ready', 'Dial');
});

test('a break requested by mistake during a call is taken back with Ready', async ({ page }) => {
  await openDemo(page);
  await loginReady(page);
  await inboundCall(page);
  // Not ready while the call is still ringing is pending too.
  await control(page, 'Not ready').click();
  await bar(page).getByRole('menuitem', { name: 'Meeting', exact: true }).click();
  await expectAgentState(page, 'Pending not ready: Meeting');
  await expectControls(page, { enabled: ['Answer', 'Ready'] });

  await control(page, 'Ready').click();
  await expectAgentState(page, 'Ready');
  await expectControls(page, { enabled: ['Answer', 'Not ready'], disabled: ['Ready', 'Hang up'] });
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await control(page, 'Hang up').click();
  await wrapUp(page, 'Sale');
  await expectAgentState(page, 'Ready');
});

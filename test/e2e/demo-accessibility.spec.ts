/**
 * axe-core on the agent bar (shadow roots included) in every state an agent meets: no violations.
 * Each test walks through a few states and checks each one; violations are printed in full.
 */
import {
  expect,
  test,
  alert,
  bar,
  consult,
  consultAnswered,
  control,
  expectAgentState,
  expectNoAxeViolations,
  failNext,
  inboundCall,
  loginReady,
  openDemo,
  region,
  sim,
  simButton,
  talking,
  transferDialog,
} from './demo-kit.ts';

test('logged out, not ready, ready, ringing, talking, held and an error have no axe violations', async ({ page }) => {
  await openDemo(page);
  await expectNoAxeViolations(page, 'logged out');

  await control(page, 'Log in').click();
  await expectAgentState(page, 'Not ready');
  await expectNoAxeViolations(page, 'not ready');

  await control(page, 'Ready').click();
  await expectAgentState(page, 'Ready');
  await expectNoAxeViolations(page, 'ready, idle');

  await control(page, 'Not ready').click();
  await expect(bar(page).getByRole('menu', { name: 'Not ready reasons' })).toBeVisible();
  await expectNoAxeViolations(page, 'not-ready reasons menu open');
  await page.keyboard.press('Escape');

  await inboundCall(page);
  await expectNoAxeViolations(page, 'ringing');

  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await expectNoAxeViolations(page, 'talking');

  await control(page, 'Keypad').click();
  await expect(bar(page).getByRole('group', { name: 'Keypad' })).toBeVisible();
  await control(page, 'Transfer').click();
  await expect(transferDialog(page)).toBeVisible();
  await expectNoAxeViolations(page, 'talking, keypad and transfer dialog open');
  await control(page, 'Close').click();

  await control(page, 'Hold').click();
  await expect(region(page, 'Call')).toContainText('On hold');
  await expectNoAxeViolations(page, 'held');

  await failNext(page, 'retrieve', 9004);
  await control(page, 'Retrieve').click();
  await expect(alert(page)).not.toHaveText('');
  await expectNoAxeViolations(page, 'error shown');
});

test('consult, conference and wrap-up have no axe violations', async ({ page }) => {
  await openDemo(page);
  await talking(page);

  await consult(page, 'Sam Patel (1002)');
  await expectNoAxeViolations(page, 'consult dialing');
  await consultAnswered(page);
  await expectNoAxeViolations(page, 'consult connected');

  await control(page, 'Conference').click();
  await expect(region(page, 'Call')).toContainText('Conference (owner)');
  await expectNoAxeViolations(page, 'conference');

  await control(page, 'End conference').click();
  await expect(region(page, 'Call')).toContainText('Talking');
  await simButton(page, 'Customer hangs up').click();
  await expect(region(page, 'Wrap-up')).toBeVisible();
  await expectNoAxeViolations(page, 'wrap-up');

  await control(page, 'Wrap up').click();
  await expect(region(page, 'Wrap-up').getByRole('status')).toHaveText('Choose a disposition first.');
  await expectNoAxeViolations(page, 'wrap-up with a hint');
});

test('preview and not ready with a reason have no axe violations', async ({ page }) => {
  await openDemo(page);
  await loginReady(page);

  // A long countdown: the state under test must not dial away during the check.
  await sim(page).getByRole('spinbutton', { name: 'Preview seconds' }).fill('600');
  await simButton(page, 'Preview record').click();
  await expect(region(page, 'Preview').getByRole('timer', { name: 'Auto-dial in' })).toBeVisible();
  await expectNoAxeViolations(page, 'preview');

  await control(page, 'Skip').click();
  await expect(region(page, 'Wrap-up')).toBeVisible();
  await region(page, 'Wrap-up').getByRole('radio', { name: 'Not interested', exact: true }).check();
  await control(page, 'Wrap up').click();
  await expectAgentState(page, 'Ready');

  await control(page, 'Not ready').click();
  await bar(page).getByRole('menuitem', { name: 'Lunch', exact: true }).click();
  await expectAgentState(page, 'Not ready: Lunch');
  await expectNoAxeViolations(page, 'not ready: Lunch');
});

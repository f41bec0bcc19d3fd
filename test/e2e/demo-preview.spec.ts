/**
 * Preview records on the demo page: a timed preview counts down and auto-dials at zero (the
 * countdown is the subject, so the test waits for it, using the shortest practical one), an
 * untimed one waits for the agent, who dials or skips it.
 */
import type { Page } from '@playwright/test';
import { expect, test, control, expectAgentState, expectControls, expectOnlyEnabled, loginReady, openDemo, region, sim, simButton, wrapUp } from './demo-kit.ts';

/** The contact centre presents a preview record with `seconds` before auto-dial (0 = untimed). */
async function presentPreview(page: Page, seconds: number): Promise<void> {
  await sim(page).getByRole('spinbutton', { name: 'Preview seconds' }).fill(String(seconds));
  await simButton(page, 'Preview record').click();
  await expect(sim(page).getByRole('status')).toHaveText('Preview record presented.');
  await expect(region(page, 'Preview')).toBeVisible();
}

/** In a preview the preview card's Dial is the only Dial; the dial box is gone. */
async function expectPreviewControls(page: Page): Promise<void> {
  await expect(page.getByRole('textbox', { name: 'Phone number' })).toHaveCount(0);
  await expect(control(page, 'Dial')).toHaveCount(1);
  await expectControls(page, {
    enabled: ['Dial', 'Skip', 'Not ready'],
    disabled: ['Next record', 'Answer', 'Hang up', 'Hold', 'Retrieve', 'Keypad', 'Transfer', 'Log out'],
  });
}

test('a timed preview shows its countdown and dials by itself at zero', async ({ page }) => {
  await openDemo(page);
  await loginReady(page);
  await presentPreview(page, 2);

  const preview = region(page, 'Preview');
  await expect(preview).toContainText('Ada Lovelace');
  await expect(preview).toContainText('Renewals');
  await expect(preview).toContainText('+442079460123');
  await expect(preview.getByRole('timer', { name: 'Auto-dial in' })).toHaveText(/^Auto-dial in 0:0[0-2]$/);
  await expectPreviewControls(page);

  // Nobody clicks: at zero the desktop dials, the card goes and the call dials, then connects.
  await expect(preview).toHaveCount(0, { timeout: 10_000 });
  const call = region(page, 'Call');
  await expect(call).toContainText(/Dialing|Talking/);
  await expect(call).toContainText('Talking', { timeout: 10_000 });
  await expect(call.getByRole('timer', { name: 'Talk time' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Phone number' })).toBeVisible();
  await expectOnlyEnabled(page, 'Not ready', 'Hang up', 'Hold', 'Keypad', 'Transfer', 'More');
});

test('an untimed preview waits for the agent; Skip goes to wrap-up', async ({ page }) => {
  await openDemo(page);
  await loginReady(page);
  await presentPreview(page, 0);

  const preview = region(page, 'Preview');
  await expect(preview.getByRole('timer', { name: 'Auto-dial in' })).toHaveCount(0);
  await expectPreviewControls(page);

  await control(page, 'Skip').click();
  await expect(preview).toHaveCount(0);
  await expect(region(page, 'Wrap-up')).toBeVisible();
  await expectControls(page, { enabled: ['Wrap up'], disabled: ['Dial', 'Hang up'], absent: ['Skip', 'Next record'] });

  await wrapUp(page, 'Not interested');
  await expectAgentState(page, 'Ready');
  await expectOnlyEnabled(page, 'Not ready', 'Dial');
  await expectControls(page, { enabled: ['Next record'] });
});

test('Next record between calls asks the dialler for a preview record', async ({ page }) => {
  await openDemo(page);
  await expectControls(page, { absent: ['Next record'] });
  await loginReady(page);
  await expectControls(page, { enabled: ['Next record', 'Dial'] });

  await control(page, 'Next record').click();
  const preview = region(page, 'Preview');
  await expect(preview).toBeVisible();
  await expect(preview).toContainText('Alex Morgan');
  await expect(preview.getByRole('timer', { name: 'Auto-dial in' })).toHaveCount(0);
  await expectPreviewControls(page);
});

test('an untimed preview dialled by the agent', async ({ page }) => {
  await openDemo(page);
  await loginReady(page);
  await presentPreview(page, 0);

  await control(page, 'Dial').click();
  await expect(region(page, 'Preview')).toHaveCount(0);
  const call = region(page, 'Call');
  await expect(call).toContainText(/Dialing|Talking/);
  await expect(call).toContainText('Talking', { timeout: 10_000 });
  await expectOnlyEnabled(page, 'Not ready', 'Hang up', 'Hold', 'Keypad', 'Transfer', 'More');
});

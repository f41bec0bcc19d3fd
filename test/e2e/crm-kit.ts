/**
 * Helpers for the CRM bridge end-to-end tests (crm-salesforce.spec.ts, crm-dynamics.spec.ts): the
 * bar in a fake CRM shell (demo/salesforce.html, demo/dynamics.html), driven by role and name,
 * and the fake read from the page (`window[fakeName]`).
 */
import { expect, type Page } from '@playwright/test';

export const bar = (page: Page) => page.locator('agent-bar');
export const control = (page: Page, name: string) => bar(page).getByRole('button', { name, exact: true });
export const region = (page: Page, name: string) => bar(page).getByRole('region', { name, exact: true });
export const contactRegion = (page: Page) => region(page, 'Contact');

/** Evaluates `read` in the page with `f` bound to the fake (`window[fakeName]`). */
export const readFake = <T>(page: Page, fakeName: string, read: string): Promise<T> =>
  page.evaluate(`(() => { const f = window[${JSON.stringify(fakeName)}]; return ${read}; })()`) as Promise<T>;

/** The state of the bar's call (`none` without one). */
export const callState = (page: Page): Promise<string> =>
  page.evaluate(() => (document.querySelector('agent-bar') as any).session?.snapshot.calls[0]?.state ?? 'none');

/** The number the bar's call is with. */
export const callNumber = (page: Page): Promise<string> => page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.calls[0].remote.number);

/**
 * Opens a shell: waits until the CRM has enabled click-to-dial (`ready` reads it from the fake),
 * checks the softphone panel starts closed, opens it with `openPanel`, logs in and goes ready.
 */
export async function openShell(page: Page, url: string, fakeName: string, ready: string, openPanel: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => readFake<boolean>(page, fakeName, ready), { message: 'click-to-dial enabled', timeout: 20_000 }).toBe(true);
  await expect(page.locator('#softphone')).toBeHidden();
  await page.getByRole('button', { name: openPanel }).click();
  await expect(page.locator('#softphone')).toBeVisible();
  await expect(bar(page).locator('header')).toContainText('Connected');
  await control(page, 'Log in').click();
  await control(page, 'Ready').click();
  await expect(bar(page).locator('header')).toContainText('Ready');
}

/** Hangs up, picks the disposition, types notes, wraps up; the form goes away. */
export async function hangUpAndWrapUp(page: Page, disposition: string, notes: string): Promise<void> {
  await control(page, 'Hang up').click();
  const form = region(page, 'Wrap-up');
  await form.getByRole('radio', { name: disposition, exact: true }).check();
  await form.getByRole('textbox', { name: 'Notes' }).fill(notes);
  await control(page, 'Wrap up').click();
  await expect(form).toHaveCount(0);
}

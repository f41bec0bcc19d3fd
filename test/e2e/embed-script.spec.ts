/**
 * The classic-script build (dist/agent-bar.iife.js) on a page that loads no module at all, and
 * click-to-dial from the page's tel: links (opt-in attribute, validated, confirmed by the agent).
 */
import { test, expect, type Page } from '@playwright/test';
import { startEmbedSites, type EmbedSites } from '../fixtures/embed-sites.ts';

let sites: EmbedSites;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  test.setTimeout(120_000);
  sites = await startEmbedSites();
});
test.afterAll(async () => {
  await sites?.close();
});

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto(`${sites.host.origin}/classic.html`);
  await button(page, 'Log in').click();
  await button(page, 'Ready').click();
  await expect(button(page, 'Not ready')).toBeEnabled();
  return { errors, scripts };
}

test('one classic script gives a working bar: no module, no other file loaded', async ({ page }) => {
  const { errors, scripts } = await open(page);
  expect(await page.evaluate(() => typeof (window as any).AgentBar?.Session)).toBe('function');
  // Phone validation is inside the one file too.
  await page.getByRole('textbox', { name: 'Phone number' }).fill('+44 12');
  await button(page, 'Dial').click();
  await expect(page.getByRole('alert')).toContainText('+44 12');
  await page.evaluate(() => document.querySelector('agent-bar')!.simulator!.offerCall({ number: '+442079460555', name: 'Grace Hopper' }));
  await button(page, 'Answer').click();
  await expect(button(page, 'Hold')).toBeEnabled();
  expect(scripts).toEqual(['/classic.js', '/agent-bar.iife.js']);
  expect(errors).toEqual([]);
});

test('click-to-dial: a tel: link asks the agent, and dials only once confirmed', async ({ page }) => {
  await open(page);
  await page.getByRole('link', { name: 'Ada Lovelace' }).click();
  const prompt = page.getByRole('region', { name: 'Click to dial' });
  await expect(prompt).toContainText('Dial +442079460018 from the page?');
  expect(await page.evaluate(() => (window as any).telClicks)).toEqual([true]);
  // Nothing is dialled yet: no call, so no call controls.
  await expect(button(page, 'Hang up')).toHaveCount(0);
  await button(page, 'Cancel dial').click();
  await expect(prompt).toHaveCount(0);
  await expect(button(page, 'Hang up')).toHaveCount(0);

  await page.getByRole('link', { name: 'Ada Lovelace' }).click();
  await button(page, 'Confirm dial').click();
  await expect(button(page, 'Hang up')).toBeEnabled();
  expect(await page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.calls[0]!.remote.number)).toBe('+442079460018');
});

test('click-to-dial: a bad number is refused with the reason; without the attribute links are left alone', async ({ page }) => {
  await open(page);
  await page.getByRole('link', { name: 'Broken number' }).click();
  const prompt = page.getByRole('region', { name: 'Click to dial' });
  await expect(prompt).toContainText('Cannot dial from the page');
  await expect(prompt).toContainText('"12"');
  await expect(button(page, 'Confirm dial')).toHaveCount(0);
  await button(page, 'Close').click();
  await expect(prompt).toHaveCount(0);

  await page.evaluate(() => {
    document.querySelector('agent-bar')!.removeAttribute('click-to-dial');
  });
  await page.getByRole('link', { name: 'Ada Lovelace' }).click();
  await page.waitForTimeout(300);
  await expect(prompt).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).telClicks)).toEqual([true, false]);
});

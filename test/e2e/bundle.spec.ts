/**
 * The built bundle, loaded the way an integrator loads it: `dist/agent-bar.js` by a script tag on a
 * plain page served over HTTP (no Vite, no esbuild in between, so a broken bundle cannot hide).
 * It builds the bundle first (a few seconds), so `npm test` proves what `npm run build` ships.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { startServer, type RunningServer } from '../../server/app.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let site: { url: string; close: () => Promise<void> };
let backend: RunningServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build:bundle'], { cwd: ROOT, stdio: 'pipe' });
  site = await startStaticServer({ root: ROOT });
  backend = await startServer({ port: 0, host: '127.0.0.1' });
});

test.afterAll(async () => {
  await site?.close();
  await backend?.close();
});

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto(`${site.url}/test/fixtures/bundle-page.html`);
  return { errors, scripts };
}

test('one script tag (loaded twice) gives a working bar on the simulator', async ({ page }) => {
  const { errors, scripts } = await open(page);
  await expect(button(page, 'Log in')).toBeEnabled();
  await button(page, 'Log in').click();
  await expect(button(page, 'Ready')).toBeEnabled();
  await button(page, 'Ready').click();
  // Ready, not merely in flight: Not ready is enabled only once the agent is Ready.
  await expect(button(page, 'Not ready')).toBeEnabled();
  await page.evaluate(() => document.querySelector('agent-bar')!.simulator!.offerCall({ number: '+442079460555', name: 'Grace Hopper' }));
  await button(page, 'Answer').click();
  await expect(button(page, 'Hold')).toBeEnabled();
  await expect(page.getByText('Grace Hopper').first()).toBeVisible();
  expect(errors, 'no page errors, including from the second registration').toEqual([]);
  // The remote connectors' module is not fetched by a bar on the simulator.
  expect(scripts).not.toContain('/dist/agent-bar-remote.js');
});

test('phone validation loads lazily from the bundle folder and refuses a bad number', async ({ page }) => {
  const { scripts } = await open(page);
  await button(page, 'Log in').click();
  await expect(button(page, 'Ready')).toBeEnabled();
  await page.getByRole('textbox', { name: 'Phone number' }).fill('+44 12');
  await button(page, 'Dial').click();
  await expect(page.getByRole('alert')).toContainText('+44 12');
  expect(scripts).toContain('/dist/agent-bar-phone.js');
  await page.getByRole('textbox', { name: 'Phone number' }).fill('020 7946 0018');
  await button(page, 'Dial').click();
  await expect(button(page, 'Hang up')).toBeEnabled();
});

test('connector="server" loads the remote module and works against the reference server', async ({ page }) => {
  const { scripts, errors } = await open(page);
  await page.evaluate((endpoint) => {
    const bar = document.querySelector('agent-bar')!;
    bar.setAttribute('endpoint', endpoint);
    bar.setAttribute('connector', 'server');
  }, backend.wsUrl);
  await expect(button(page, 'Log in')).toBeEnabled();
  await button(page, 'Log in').click();
  await expect(button(page, 'Ready')).toBeEnabled();
  expect(scripts).toContain('/dist/agent-bar-remote.js');
  expect(errors).toEqual([]);
});

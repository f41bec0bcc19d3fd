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
import { createTokenIssuer } from '../../server/tokens.ts';
import { start as startPomEmulator } from '../../server/emulators/pom/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let site: { url: string; close: () => Promise<void> };
let backend: RunningServer;
let gateway: RunningServer;
const TOKEN_SECRET = 'bundle-test-secret-0123456789abcdef-0123';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build:bundle'], { cwd: ROOT, stdio: 'pipe' });
  site = await startStaticServer({ root: ROOT });
  backend = await startServer({ port: 0, host: '127.0.0.1' });
  gateway = await startServer({ port: 0, host: '127.0.0.1', gateway: true, tokenSecret: TOKEN_SECRET, connectorConfig: { latencyMs: 0 } });
});

test.afterAll(async () => {
  await site?.close();
  await backend?.close();
  await gateway?.close();
});

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function open(page: Page, path = '/test/fixtures/bundle-page.html') {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto(`${site.url}${path}`);
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
  // The lazy elements, built on this bundle's Lit: the customer card and wrap-up form come with the
  // first call, the transfer dialog only when opened.
  expect(scripts).toContain('/dist/agent-bar-customer.js');
  expect(scripts).toContain('/dist/agent-bar-wrapup.js');
  expect(scripts).not.toContain('/dist/agent-bar-transfer.js');
  await button(page, 'Transfer').click();
  await expect(page.getByRole('dialog', { name: 'Transfer' }).getByRole('textbox', { name: 'Destination' })).toBeVisible();
  expect(scripts).toContain('/dist/agent-bar-transfer.js');
  await button(page, 'Close').click();
  await button(page, 'Hang up').click();
  await page.getByRole('radio').first().check();
  await button(page, 'Wrap up').click();
  await expect(button(page, 'Wrap up')).toHaveCount(0);
  expect(errors, 'no page errors, including from the second registration').toEqual([]);
  // The simulator's own module is fetched; no remote connector's module is.
  expect(scripts).toContain('/dist/agent-bar-simulator.js');
  expect(scripts).not.toContain('/dist/agent-bar-server.js');
  expect(scripts).not.toContain('/dist/agent-bar-gateway.js');
});

test('Spanish loads lazily: the locale runtime and the Spanish table are fetched only once a bar asks for Spanish', async ({ page }) => {
  const { errors, scripts } = await open(page);
  await expect(button(page, 'Log in')).toBeEnabled();
  await button(page, 'Log in').click();
  await expect(button(page, 'Ready')).toBeEnabled();
  expect(scripts.filter((s) => s.includes('-locale')), 'an English page fetches no translation').toEqual([]);
  await page.evaluate(() => document.querySelector('agent-bar')!.setAttribute('lang', 'es'));
  await expect(button(page, 'Disponible')).toBeEnabled();
  await expect(page.getByRole('group', { name: 'Estado del agente' })).toBeVisible();
  expect(scripts).toContain('/dist/agent-bar-locale.js');
  expect(scripts).toContain('/dist/agent-bar-locale-es.js');
  // The lazy elements take the same table from the main bundle (the kit): the customer card of a call.
  await button(page, 'Disponible').click();
  // Ready, not merely in flight: Not ready is enabled only once the agent is Ready.
  await expect(button(page, 'No disponible')).toBeEnabled();
  await page.evaluate(() => document.querySelector('agent-bar')!.simulator!.offerCall({ number: '+442079460555', name: 'Grace Hopper' }));
  await button(page, 'Contestar').click();
  await expect(button(page, 'Colgar')).toBeEnabled();
  await button(page, 'Transferir').click();
  await expect(page.getByRole('dialog', { name: 'Transferir' }).getByRole('textbox', { name: 'Destino' })).toBeVisible();
  // Back to English at run time: the same names as ever.
  await page.evaluate(() => document.querySelector('agent-bar')!.setAttribute('lang', 'en'));
  await expect(page.getByRole('dialog', { name: 'Transfer' }).getByRole('textbox', { name: 'Destination' })).toBeVisible();
  await expect(button(page, 'Hang up')).toBeEnabled();
  expect(errors).toEqual([]);
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

test('connector="server" loads the server module and works against the reference server', async ({ page }) => {
  const { scripts, errors } = await open(page);
  await page.evaluate((endpoint) => {
    const bar = document.querySelector('agent-bar')!;
    bar.setAttribute('endpoint', endpoint);
    bar.setAttribute('connector', 'server');
  }, backend.wsUrl);
  // Switching connector fetches the server module and opens a WebSocket: allow for a slow machine.
  await expect(button(page, 'Log in')).toBeEnabled({ timeout: 20_000 });
  await button(page, 'Log in').click();
  await expect(button(page, 'Ready')).toBeEnabled();
  expect(scripts).toContain('/dist/agent-bar-server.js');
  expect(errors).toEqual([]);
});

test('a page on the gateway loads the gateway module and no simulator code', async ({ page }) => {
  const { scripts, errors } = await open(page, '/test/fixtures/bundle-gateway-page.html');
  await page.waitForFunction(() => (window as unknown as { bundleReady?: boolean }).bundleReady === true);
  const token = await createTokenIssuer(TOKEN_SECRET).issue('3001');
  await page.evaluate(([endpoint, t]) => (window as unknown as { addBar: (e: string, t: string) => void }).addBar(endpoint!, t!), [gateway.wsUrl, token]);
  await expect(button(page, 'Log in')).toBeEnabled();
  await button(page, 'Log in').click();
  await expect(button(page, 'Ready')).toBeEnabled();
  expect(scripts).toContain('/dist/agent-bar-gateway.js');
  expect(scripts).not.toContain('/dist/agent-bar-simulator.js');
  expect(scripts).not.toContain('/dist/agent-bar-server.js');
  expect(errors).toEqual([]);
});

test('a vendor connector is known to the bundle by name only: its declaration and code arrive in its own module', async ({ page }) => {
  const pom = await startPomEmulator();
  try {
    const { scripts, errors } = await open(page, '/test/fixtures/bundle-vendor-page.html');
    await page.waitForFunction(() => (window as unknown as { bundleReady?: boolean }).bundleReady === true);
    expect(scripts).not.toContain('/dist/agent-bar-pom.js');
    await page.evaluate((endpoint) => (window as unknown as { addBar: (c: string, e: string) => void }).addBar('pom', endpoint), pom.bridgeUrl);
    // POM's own login form, which only its declaration knows, once its module is here.
    await expect(page.getByRole('textbox', { name: 'Extension', exact: true })).toBeVisible();
    expect(scripts).toContain('/dist/agent-bar-pom.js');
    // agent-bar-tabs.js: a bar on a network backend shares its connection with the other tabs;
    // agent-bar-log.js: every session's diagnostic log; agent-bar-recent.js: the recent-calls list.
    const allowed = ['/dist/agent-bar.js', '/dist/agent-bar-phone.js', '/dist/agent-bar-pom.js', '/dist/agent-bar-tabs.js', '/dist/agent-bar-log.js', '/dist/agent-bar-recent.js'];
    expect(scripts.filter((s) => s.startsWith('/dist/') && !allowed.includes(s)), 'no other connector module').toEqual([]);
    expect(scripts).not.toContain('/dist/agent-bar-simulator.js');
    // A config the declaration refuses is a readable error at connect, from the same module.
    await page.evaluate((endpoint) => {
      document.querySelector('agent-bar')!.remove();
      (window as unknown as { addBar: (c: string, e: string, config: unknown) => void }).addBar('pom', endpoint, { commandTimeoutMs: -5 });
    }, pom.bridgeUrl);
    await expect(page.getByRole('alert').filter({ hasText: /commandTimeoutMs/ })).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await pom.close();
  }
});

test('crm="salesforce-voice": the built connector module (Salesforce’s SDK inside) answers SETUP_CONNECTOR and publishes a call', async ({ page }) => {
  const { errors, scripts } = await open(page, '/test/fixtures/bundle-crm-page.html?crm=salesforce-voice');
  await page.waitForFunction(() => (document.querySelector('agent-bar') as any)?.salesforceVoice !== undefined);
  expect(scripts).toContain('/dist/agent-bar-crm-salesforce-voice.js');
  await page.evaluate(() => {
    const channel = new MessageChannel();
    const posted: any[] = [];
    channel.port1.onmessage = (e) => posted.push(e.data);
    Object.assign(window, { sfPosted: posted });
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'SETUP_CONNECTOR', connectorConfig: {} }, origin: 'https://acme.lightning.force.com', ports: [channel.port2] }));
  });
  const posted = () => page.evaluate(() => (window as any).sfPosted as { type: string; payload: any }[]);
  await expect.poll(async () => (await posted()).find((m) => m.type === 'CONNECTOR_READY')?.payload.capabilities.MUTE).toBe(true);
  await expect(button(page, 'Ready')).toBeEnabled();
  await button(page, 'Ready').click();
  await expect(button(page, 'Not ready')).toBeEnabled();
  await page.evaluate(() => (document.querySelector('agent-bar') as any).simulator.offerCall({ number: '+442079460555' }));
  await expect
    .poll(async () => (await posted()).find((m) => m.type === 'TELEPHONY_EVENT_DISPATCHED' && m.payload.telephonyEventType === 'CALL_STARTED')?.payload.telephonyEventPayload.phoneNumber)
    .toBe('+442079460555');
  expect(errors).toEqual([]);
});

test('crm="salesforce" outside Salesforce: the built bridge module loads and says why it cannot start; the bar works on', async ({ page }) => {
  const { errors, scripts } = await open(page, '/test/fixtures/bundle-crm-page.html?crm=salesforce');
  await expect(page.getByRole('alert')).toContainText('Salesforce: Loading Open CTI failed: the page is not inside Salesforce');
  expect(scripts).toContain('/dist/agent-bar-crm-salesforce.js');
  expect(scripts).not.toContain('/dist/agent-bar-crm-dynamics.js');
  await button(page, 'Log in').click();
  await expect(button(page, 'Ready')).toBeEnabled();
  expect(errors).toEqual([]);
});

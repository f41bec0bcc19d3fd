/**
 * The bar on uContact's Integra REST API through the gateway, end to end: Chromium →
 * `<agent-bar connector="gateway">` → the real gateway process (CONNECTOR=ucontact, the SuperUser
 * and agent passwords only in its environment) → the uContact emulator over HTTP. Proven: a wrong
 * agent password is a readable alert; login; pause with a motive (a break) and unpause; AgentCall
 * shows the call by its GUID; a `0` answer is a readable alert with uContact's code; hang up;
 * disposition with a reschedule; no password or token ever reaches the page.
 */
import { test, expect as baseExpect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createTokenIssuer } from '../../server/tokens.ts';
import { start, SUPERUSER } from '../../server/emulators/ucontact/index.ts';
import { freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';

// A loaded 2-core machine runs the whole suite: every wait on a state gets room.
const expect = baseExpect.configure({ timeout: 15_000 });
const SECRET = randomBytes(32).toString('hex');
const issuer = createTokenIssuer(SECRET);
let emulator: Awaited<ReturnType<typeof start>>;
let gateway: ServerProcess | undefined;

test.describe.configure({ mode: 'serial' });
// The callback time typed in the page and the gateway's clock read the same zone.
test.use({ timezoneId: 'UTC' });

test.beforeAll(async () => {
  emulator = await start();
  gateway = await launchServer({
    port: await freePort(),
    env: {
      TZ: 'UTC',
      GATEWAY: '1',
      TOKEN_SECRET: SECRET,
      CONNECTOR: 'ucontact',
      CONNECTOR_ENDPOINT: emulator.url,
      CONNECTOR_CONFIG: JSON.stringify({
        mode: 'rest',
        user: SUPERUSER.user,
        password: SUPERUSER.password,
        agentPassword: 'agent1-pass',
        campaign: 'Sales->',
        callerid: '24000000',
        dispositions: { SALE: { label: 'Sale', levels: ['Sale', 'Product A'], tag: 'sale-won' }, CB: { label: 'Call back', levels: ['Callback'], isCallback: true } },
      }),
    },
  });
});

test.afterAll(async () => {
  await stopServer(gateway);
  await emulator?.close();
});

async function emu(verb: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${emulator.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status, verb).toBe(200);
}
const emuState = async () =>
  (await (await fetch(`${emulator.url}/__state`)).json()) as {
    agents: Array<{ name: string; status: Record<string, string> }>;
    calls: Array<{ guid: string; state: string }>;
    dispositions: Array<Record<string, string>>;
  };
const agentStatus = async () => (await emuState()).agents.find((a) => a.name === 'agent1')!.status;
const snapshot = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify(document.querySelector('agent-bar')?.session?.snapshot ?? null)));

test('login, a break with its motive and a pause, unpause, AgentCall, a 0 answer, hang up, disposition with a reschedule', async ({ page }) => {
  await emu('reset');
  await page.exposeFunction('mintToken', (id: string) => issuer.issue(id));
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate((endpoint) => (window as any).addMintingBar('agent1', endpoint), gateway!.wsUrl);
  const bar = page.getByRole('region', { name: 'Agent agent1' });
  const alert = bar.getByRole('alert');
  await expect.poll(async () => (await snapshot(page))?.connection, { timeout: 15_000 }).toBe('connected');
  expect((await snapshot(page)).agent.state).toBe('loggedOut');

  // A wrong password: uContact's 0 to AgentLogin, said plainly.
  await page.evaluate(() => document.querySelector('agent-bar')!.session!.command('login', { password: 'not-the-password' }).catch(() => undefined));
  await expect(alert).toContainText('uContact refused the agent name or password (answer 0)');
  expect(await agentStatus()).toEqual({ state: 'loggedOut' });

  await bar.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Not ready', exact: true })).toBeEnabled();
  expect(await agentStatus()).toEqual({ state: 'available' });

  await bar.getByRole('button', { name: 'Not ready', exact: true }).click();
  await bar.getByRole('menuitem', { name: 'Lunch', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Ready', exact: true })).toBeEnabled();
  expect(await agentStatus()).toEqual({ state: 'break', motive: 'Lunch' });
  await bar.getByRole('button', { name: 'Ready', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Not ready', exact: true })).toBeEnabled();
  expect(await agentStatus()).toEqual({ state: 'available' });
  // A plain pause: AgentPause with its reason as the message, then AgentUnPause.
  await bar.getByRole('button', { name: 'Not ready', exact: true }).click();
  await bar.getByRole('menuitem', { name: 'Pause', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Ready', exact: true })).toBeEnabled();
  expect(await agentStatus()).toEqual({ state: 'paused', message: 'Pause' });
  await bar.getByRole('button', { name: 'Ready', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Not ready', exact: true })).toBeEnabled();
  expect(await agentStatus()).toEqual({ state: 'available' });

  await emu('fail-next', { status: 200, body: '0', match: '/Agents/AgentCall' });
  await bar.getByRole('textbox', { name: 'Phone number' }).fill('+442079460018');
  await bar.getByRole('button', { name: 'Dial', exact: true }).click();
  await expect(alert).toContainText('uContact could not make the call (answer 0)');
  expect((await snapshot(page)).calls).toEqual([]);

  await bar.getByRole('button', { name: 'Dial', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Hang up', exact: true })).toBeEnabled();
  const [call] = (await emuState()).calls;
  expect((await snapshot(page)).calls.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([[call!.guid, 'dialing']]);

  await bar.getByRole('button', { name: 'Hang up', exact: true }).click();
  await expect(bar.getByRole('radio', { name: 'Call back', exact: true })).toBeVisible();
  expect((await emuState()).calls[0]!.state).toBe('finished');
  await bar.getByLabel('Callback time').fill('2030-05-06T14:30');
  await bar.getByRole('button', { name: 'Schedule callback', exact: true }).click();
  await expect(bar.getByText('Callback scheduled.')).toBeVisible();
  await bar.getByRole('radio', { name: 'Call back', exact: true }).check();
  await bar.getByRole('button', { name: 'Wrap up', exact: true }).click();
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(0);
  expect((await emuState()).dispositions).toEqual([
    { campaign: 'Sales->', agent: 'agent1', callerid: '24000000', guid: call!.guid, l1: 'Callback', schedule: '2030-05-06 14:30:00', camptoreschedule: 'Sales->' },
  ]);

  // Nothing secret reached the page.
  const seen = JSON.stringify(await snapshot(page)) + (await page.content()) + JSON.stringify(await page.evaluate(() => (window as any).ctiEvents ?? []));
  for (const secret of [SUPERUSER.password, 'agent1-pass']) expect(seen).not.toContain(secret);
  expect(gateway!.output()).not.toContain(SUPERUSER.password);
});

test('"Callback for" Myself: a Dialers/DialerTask for the agent\'s phone; a tagged disposition tags the recording', async ({ page }) => {
  // Serial after the day above: the gateway may hold the agent's uContact session already.
  await page.exposeFunction('mintToken', (id: string) => issuer.issue(id));
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate((endpoint) => (window as any).addMintingBar('agent1', endpoint), gateway!.wsUrl);
  const bar = page.getByRole('region', { name: 'Agent agent1' });
  await expect.poll(async () => (await snapshot(page))?.connection, { timeout: 15_000 }).toBe('connected');
  if ((await snapshot(page)).agent.state === 'loggedOut') await bar.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect.poll(async () => (await snapshot(page)).agent.state).toBe('ready');
  await bar.getByRole('textbox', { name: 'Phone number' }).fill('+442079460018');
  await bar.getByRole('button', { name: 'Dial', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Hang up', exact: true })).toBeEnabled();
  await bar.getByRole('button', { name: 'Hang up', exact: true }).click();
  const callbackFor = bar.getByLabel('Callback for');
  await expect(callbackFor.locator('option')).toHaveText(['Any agent of the campaign', 'Myself']);
  await callbackFor.selectOption({ label: 'Myself' });
  await bar.getByLabel('Callback time').fill('2030-05-06T14:30');
  await bar.getByRole('button', { name: 'Schedule callback', exact: true }).click();
  await expect(bar.getByText('Callback scheduled.')).toBeVisible();
  const tasks = ((await (await fetch(`${emulator.url}/__state`)).json()) as { dialerTasks: Array<Record<string, unknown>> }).dialerTasks;
  expect(tasks.slice(-1)).toEqual([
    { calldate: '2030-05-06 14:30:00', campaign: 'Sales->', destination: '+442079460018', alternatives: '', agent: '9001', data: '', source: 'agent-bar', bulk: false, automatic: true },
  ]);
  await bar.getByRole('radio', { name: 'Sale', exact: true }).check();
  await bar.getByRole('button', { name: 'Wrap up', exact: true }).click();
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(0);
  expect((await emuState()).dispositions.at(-1)).toMatchObject({ l1: 'Sale', l2: 'Product A', tag: 'sale-won' });
  expect((await emuState()).dispositions.at(-1)!.schedule).toBeUndefined();
});

/**
 * The bar on Noojee through the gateway, end to end: Chromium → `<agent-bar connector="gateway">`
 * → the real gateway process (CONNECTOR=noojee, the API key only in its environment) → the real
 * Noojee emulator process over HTTP. A click-to-dial for a CRM record shows dialling then
 * connected from `subscribe`; recording on with the record's tag and off; hang up; a disposition;
 * an inbound call answered from the bar; Noojee's errors as readable alerts; a dropped long poll,
 * injected 500s on it and a gateway restart (a recording started meanwhile included) end with the
 * bar showing the emulator's truth; an extension Noojee does not know is refused at once.
 */
import { test, expect, type Page, type Locator } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createTokenIssuer } from '../../server/tokens.ts';
import { freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { startEmulatorProcess, stopEmulatorProcess, type EmulatorProcess } from '../fixtures/emulator-process.ts';

const API_KEY = `noojee-${randomBytes(8).toString('hex')}`;
const SECRET = randomBytes(32).toString('hex');
const issuer = createTokenIssuer(SECRET);
const CAMPAIGN = { templateId: 1, campaignId: 11, allocationId: 111 };

let emulator: EmulatorProcess | undefined;
let gateway: ServerProcess | undefined;
let gatewayPort = 0;

function gatewayEnv(apiKey = API_KEY): Record<string, string> {
  return {
    GATEWAY: '1',
    TOKEN_SECRET: SECRET,
    CONNECTOR: 'noojee',
    CONNECTOR_ENDPOINT: emulator!.url,
    CONNECTOR_CONFIG: JSON.stringify({ apiKey, handset: 'Yealink', campaign: CAMPAIGN, pollTimeoutS: 5 }),
  };
}

async function emu(verb: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator!.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, `${verb}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}

/** Recording is behind More on a live call: opens it unless it is open already. */
async function openMore(bar: Locator): Promise<void> {
  const more = bar.getByRole('button', { name: 'More', exact: true });
  await expect(more).toBeEnabled();
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
}

async function emuState(): Promise<{ calls: Array<{ uniqueId: string; status: string; recording: { tag: string } | null }>; leads: Array<{ njExternalLeadId: string; njDisposition: string }> }> {
  return (await (await fetch(`${emulator!.url}/__state`)).json()) as never;
}

async function openBar(page: Page, agentId = '100'): Promise<Locator> {
  await page.exposeFunction('mintToken', (id: string) => issuer.issue(id));
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate(({ id, endpoint }) => (window as any).addMintingBar(id, endpoint), { id: agentId, endpoint: gateway!.wsUrl });
  return page.getByRole('region', { name: `Agent ${agentId}` });
}

async function connected(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.querySelector('agent-bar')?.session?.snapshot.connection), { timeout: 15_000 }).toBe('connected');
  await expect(page.getByRole('button', { name: 'Dial', exact: true })).toBeEnabled();
}

const callState = (page: Page) => page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.calls[0]?.state ?? 'none');

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  emulator = await startEmulatorProcess('noojee', { NOOJEE_API_KEY: API_KEY });
  gatewayPort = await freePort();
  gateway = await launchServer({ port: gatewayPort, env: gatewayEnv() });
});

test.afterAll(async () => {
  await stopServer(gateway);
  await stopEmulatorProcess(emulator);
});

test.beforeEach(async () => {
  await emu('reset');
  await emu('configure', { connectDelayMs: 800 });
});

test('a full Noojee call through the bar: click-to-dial for a CRM record, recording with its tag, hang up, disposition; then an inbound call answered', async ({ page }) => {
  const bar = await openBar(page);
  await connected(page);
  // Noojee has no agent states, hold, transfer or DTMF: those controls are never usable.
  for (const name of ['Log in', 'Hold', 'Transfer', 'Keypad']) {
    const control = bar.getByRole('button', { name, exact: true });
    if ((await control.count()) > 0) await expect(control).toBeDisabled();
  }

  // The CRM page's click-to-dial, with the record the agent is looking at.
  await page.evaluate(() => (document.querySelector('agent-bar') as any).dial('+61412345678', { recordId: 'ACC-1001' }));
  await expect(bar.getByRole('timer', { name: 'Dialing time' })).toBeVisible();
  await expect(bar.getByRole('button', { name: 'Hang up', exact: true })).toBeEnabled();
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible({ timeout: 10_000 });
  expect(await callState(page)).toBe('talking');
  await expect(bar.getByText('ACC-1001').first()).toBeVisible();

  // On a connected call too, nothing Noojee lacks is offered: Ready and Not ready stay in place,
  // disabled; Log in and Log out (which Noojee has not) and the call controls it lacks are not
  // shown at all (only the operations the gateway's welcome lists can ever be enabled).
  for (const name of ['Ready', 'Not ready']) {
    await expect(bar.getByRole('button', { name, exact: true })).toBeDisabled();
  }
  for (const name of ['Log in', 'Log out']) {
    await expect(bar.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  for (const name of ['Hold', 'Retrieve', 'Mute', 'Keypad', 'Transfer']) {
    await expect(bar.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  expect(await page.evaluate(() => [...document.querySelector('agent-bar')!.session!.connector.supports].sort())).toEqual(
    ['answer', 'dial', 'hangup', 'startRecording', 'stopRecording', 'wrapUp'],
  );
  await bar.getByRole('button', { name: 'More', exact: true }).click();
  await bar.getByRole('button', { name: 'Start recording', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Stop recording', exact: true })).toBeEnabled();
  expect((await emuState()).calls[0]!.recording).toEqual({ tag: 'ACC-1001', username: 'agent100' });
  await bar.getByRole('button', { name: 'Stop recording', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Start recording', exact: true })).toBeEnabled();
  expect((await emuState()).calls[0]!.recording).toBeNull();

  await bar.getByRole('button', { name: 'Hang up', exact: true }).click();
  await expect(bar.getByRole('radio', { name: 'Sale', exact: true })).toBeVisible();
  expect((await emuState()).calls).toHaveLength(0);
  await bar.getByRole('radio', { name: 'Sale', exact: true }).check();
  await bar.getByRole('button', { name: 'Wrap up', exact: true }).click();
  await expect.poll(async () => (await emuState()).leads.find((l) => l.njExternalLeadId === 'ACC-1001')!.njDisposition).toBe('Sale');
  await expect.poll(() => callState(page)).toBe('none');

  // Inbound: it rings, the agent answers from the bar, the customer hangs up.
  const { callId } = (await emu('offer-inbound', { to: '100', from: '0298765432' })) as { callId: string };
  await expect(bar.getByRole('button', { name: 'Answer', exact: true })).toBeEnabled();
  await expect(bar.getByText('0298765432').first()).toBeVisible();
  await bar.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();
  expect((await emuState()).calls[0]!.status).toBe('Connected');
  await emu('customer-hangup', { callId });
  await expect.poll(() => callState(page)).toBe('none');
  await expect(bar.getByRole('textbox', { name: 'Phone number' })).toBeEnabled();
});

test('Noojee errors are readable alerts with the code, and change nothing', async ({ page }) => {
  const bar = await openBar(page);
  const alert = bar.getByRole('alert');
  await connected(page);

  await emu('fail-next', { status: 500, body: 'Internal Server Error', match: '/dial' });
  await page.evaluate(() => (document.querySelector('agent-bar') as any).dial('+61412345678').catch(() => undefined));
  await expect(alert).toContainText('Noojee had a server error');
  await expect(alert).toContainText('HTTP 500');
  expect((await emuState()).calls).toHaveLength(0);

  await emu('configure', { connectDelayMs: -1 });
  await page.evaluate(() => (document.querySelector('agent-bar') as any).dial('+61412345678', { recordId: 'ACC-1002' }));
  await expect(bar.getByRole('timer', { name: 'Dialing time' })).toBeVisible();
  await emu('customer-answer', { callId: (await emuState()).calls[0]!.uniqueId });
  await openMore(bar);
  await expect(bar.getByRole('button', { name: 'Start recording', exact: true })).toBeEnabled();
  await emu('fail-next', { status: 200, body: '{"Message":"Call 1.2 is already recording","Code":-7}', match: '/start' });
  await bar.getByRole('button', { name: 'Start recording', exact: true }).click();
  await expect(alert).toContainText('already being recorded');
  await expect(alert).toContainText('-7');
  await expect(bar.getByRole('button', { name: 'Start recording', exact: true })).toBeEnabled();
  const text = (await alert.textContent()) ?? '';
  expect(text).not.toContain(API_KEY);
  await bar.getByRole('button', { name: 'Hang up', exact: true }).click();
  await bar.getByRole('radio', { name: 'No sale', exact: true }).check();
  await bar.getByRole('button', { name: 'Wrap up', exact: true }).click();
  await expect.poll(() => callState(page)).toBe('none');
});

test('a dropped long poll and a gateway restart: the bar shows the emulator\'s truth, nothing twice', async ({ page }) => {
  const bar = await openBar(page);
  await connected(page);
  const first = (await emu('offer-inbound', { to: '100', from: '0298765432' })) as { callId: string };
  await expect(bar.getByRole('button', { name: 'Answer', exact: true })).toBeEnabled();

  // The gateway's held poll is cut; meanwhile the customer gives up and another call rings.
  await emu('fail-next', { drop: true, match: '/subscribe' });
  await emu('restart-sequence');
  await emu('customer-hangup', { callId: first.callId });
  const second = (await emu('offer-inbound', { to: '100', from: '0387654321' })) as { callId: string };
  await expect(bar.getByText('0387654321').first()).toBeVisible({ timeout: 10_000 });
  await expect(bar.getByText('0298765432')).toHaveCount(0);
  expect(await page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.calls.length)).toBe(1);

  // The gateway dies; while it is down the agent's handset answers and Noojee starts recording
  // (from Noojee's own client); a new gateway reads Noojee again, its recording legs included.
  await stopServer(gateway);
  await emu('customer-answer', { callId: second.callId });
  const started = await fetch(`${emulator!.url}/servicemanager/rest/CallManagementAPI/start?apiKey=${API_KEY}&extenOrUniqueId=${second.callId}&tag=ACC-2001`, { method: 'POST' });
  expect(((await started.json()) as { Code: number }).Code).toBe(0);
  gateway = await launchServer({ port: gatewayPort, env: gatewayEnv() });
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible({ timeout: 20_000 });
  await openMore(bar);
  await expect(bar.getByRole('button', { name: 'Stop recording', exact: true })).toBeEnabled({ timeout: 10_000 });
  const calls = await page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.calls.map((c) => [c.id, c.state, c.recording]));
  expect(calls).toEqual([[second.callId, 'talking', true]]);
  await bar.getByRole('button', { name: 'Stop recording', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Start recording', exact: true })).toBeEnabled();
  expect((await emuState()).calls[0]!.recording).toBeNull();
  await bar.getByRole('button', { name: 'Hang up', exact: true }).click();
  await expect.poll(() => callState(page)).toBe('none');
  expect((await emuState()).calls).toHaveLength(0);
});

test('injected 500s on the long poll: the gateway backs off, the bar says it is reconnecting, then shows the emulator\'s truth once', async ({ page }) => {
  const bar = await openBar(page);
  await connected(page);
  // Every status the bar goes through, so a short "reconnecting" is not missed.
  await page.evaluate(() => {
    const seen: string[] = ((window as any).statuses = []);
    document.querySelector('agent-bar')!.session!.subscribe((s) => {
      if (seen.at(-1) !== s.connection) seen.push(s.connection);
    });
  });
  const first = (await emu('offer-inbound', { to: '100', from: '0298765432' })) as { callId: string };
  await expect(bar.getByRole('button', { name: 'Answer', exact: true })).toBeEnabled();
  // The next three subscribes fail (past the two-poll grace); meanwhile the first call ends and
  // a second one rings.
  for (let i = 0; i < 3; i++) await emu('fail-next', { status: 500, body: 'Internal Server Error', match: '/subscribe' });
  await emu('customer-hangup', { callId: first.callId });
  await expect.poll(() => page.evaluate(() => (window as any).statuses as string[]), { timeout: 15_000 }).toContain('reconnecting');
  const second = (await emu('offer-inbound', { to: '100', from: '0387654321' })) as { callId: string };
  await expect(bar.getByText('0387654321').first()).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.connection), { timeout: 15_000 }).toBe('connected');
  const calls = await page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.calls.map((c) => [c.id, c.state]));
  expect(calls).toEqual([[second.callId, 'ringing']]);
  await bar.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();
  expect((await emuState()).calls.map((c) => c.status)).toEqual(['Connected']);
  await emu('customer-hangup', { callId: second.callId });
  await expect.poll(() => callState(page)).toBe('none');
});

test('a gateway with a bad API key shows a readable refusal and offers nothing', async ({ page }) => {
  await stopServer(gateway);
  gateway = await launchServer({ port: gatewayPort, env: gatewayEnv('not-the-key-123') });
  try {
    const bar = await openBar(page);
    await expect(bar.getByRole('alert')).toContainText('API key', { timeout: 15_000 });
    expect((await bar.getByRole('alert').textContent()) ?? '').not.toContain('not-the-key-123');
    await expect(bar.getByRole('button', { name: 'Dial', exact: true })).toBeDisabled();
  } finally {
    await stopServer(gateway);
    gateway = await launchServer({ port: gatewayPort, env: gatewayEnv() });
  }
});

test('an extension Noojee does not know: the bar shows Noojee\'s -3 at once (not a timeout) and offers nothing', async ({ page }) => {
  const bar = await openBar(page, '999');
  // Noojee refuses the first subscribe at once; the connect timeout is 15 s.
  await expect(bar.getByRole('alert')).toContainText('does not know this extension', { timeout: 10_000 });
  await expect(bar.getByRole('alert')).toContainText('-3');
  expect((await bar.getByRole('alert').textContent()) ?? '').not.toContain('within 15');
  await expect(bar.getByRole('button', { name: 'Dial', exact: true })).toBeDisabled();
  expect((await emuState()).calls).toHaveLength(0);
});

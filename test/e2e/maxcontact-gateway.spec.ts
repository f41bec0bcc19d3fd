/**
 * The bar on MaxContact through the gateway, end to end: Chromium → `<agent-bar connector="gateway">`
 * → the real gateway process (CONNECTOR=maxcontact, the API login only in its environment, the
 * token fetched there) → the real MaxContact emulator process over HTTP, in XML and in JSON. The
 * agent goes ready, dials, the call connects, hold, retrieve, recording on and off, the customer
 * hangs up → wrap-up with the result codes → dispose; an inbound call appears by polling; a warm
 * transfer with connectcalls; a wrong login, `Success:false`, injected 500s, a timeout and dropped
 * connections end with readable alerts and the bar showing the emulator's truth.
 */
import { test, expect as baseExpect, type Page, type Locator } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createTokenIssuer } from '../../server/tokens.ts';
import { freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { startEmulatorProcess, stopEmulatorProcess, type EmulatorProcess } from '../fixtures/emulator-process.ts';

// Every step waits for a state (no sleeps); a loaded 2-core machine gets time to reach it.
const expect = baseExpect.configure({ timeout: 15_000 });

const LOGIN = 'bar-e2e';
const PASSWORD = `mc-${randomBytes(8).toString('hex')}`;
const SECRET = randomBytes(32).toString('hex');
const issuer = createTokenIssuer(SECRET);
const AGENT = '1001';

let emulator: EmulatorProcess | undefined;
let gateway: ServerProcess | undefined;
let gatewayPort = 0;

function gatewayEnv(format: 'xml' | 'json', password = PASSWORD): Record<string, string> {
  return {
    GATEWAY: '1',
    TOKEN_SECRET: SECRET,
    CONNECTOR: 'maxcontact',
    CONNECTOR_ENDPOINT: emulator!.url,
    CONNECTOR_CONFIG: JSON.stringify({
      apiLogin: LOGIN,
      apiPassword: password,
      format,
      pollIntervalMs: 200,
      idlePollIntervalMs: 300,
      pollTimeoutMs: 1500,
      commandTimeoutMs: 3000,
      backoff: { initialMs: 100, maxMs: 500 },
      queueNumbers: { 22: '+442071230122' },
      transferDestinations: { 'Sales desk': '+442071230100' },
    }),
  };
}

async function restartGateway(format: 'xml' | 'json', password = PASSWORD): Promise<void> {
  await stopServer(gateway);
  gateway = await launchServer({ port: gatewayPort, env: gatewayEnv(format, password) });
}

async function emu(verb: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator!.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, `${verb}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}

interface EmuState {
  agents: Array<{ id: number; state: string }>;
  calls: Array<{ CallId: number; line: string; recording: string; userId: number }>;
  dispositions: Array<{ callId: number; resultCode: string }>;
  bridges: Array<{ call1: number; call2: number; resultCode1: string; resultCode2: string }>;
}
const emuState = async (): Promise<EmuState> => (await (await fetch(`${emulator!.url}/__state`)).json()) as EmuState;
const emuLog = async (): Promise<Array<{ path: string; headers: Record<string, string> }>> => (await (await fetch(`${emulator!.url}/__log`)).json()) as never;

async function openBar(page: Page): Promise<Locator> {
  await page.exposeFunction('mintToken', (id: string) => issuer.issue(id));
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate(({ id, endpoint }) => (window as any).addMintingBar(id, endpoint), { id: AGENT, endpoint: gateway!.wsUrl });
  const bar = page.getByRole('region', { name: `Agent ${AGENT}` });
  await expect.poll(() => page.evaluate(() => document.querySelector('agent-bar')?.session?.snapshot.connection), { timeout: 20_000 }).toBe('connected');
  return bar;
}

const snapshot = (page: Page) => page.evaluate(() => {
  const s = document.querySelector('agent-bar')!.session!.snapshot;
  return { agent: s.agent.state, calls: s.calls.map((c) => ({ id: c.id, state: c.state, recording: c.recording, consult: c.consult?.state })) };
});
const callState = async (page: Page) => (await snapshot(page)).calls[0]?.state ?? 'none';
const button = (bar: Locator, name: string) => bar.getByRole('button', { name, exact: true });

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  emulator = await startEmulatorProcess('maxcontact', { MAXCONTACT_API_LOGIN: LOGIN, MAXCONTACT_API_PASSWORD: PASSWORD, MAXCONTACT_TOKEN_KEY: randomBytes(12).toString('hex') });
  gatewayPort = await freePort();
});

test.afterAll(async () => {
  await stopServer(gateway);
  await stopEmulatorProcess(emulator);
});

for (const format of ['xml', 'json'] as const) {
  test(`${format}: ready, dial, connect, hold, retrieve, recording on/off, customer hangs up → result codes → dispose; then an inbound call by polling`, async ({ page }) => {
    // The previous test's gateway is stopped before the log is cleared: its last polls (in the
    // other format) must not be counted as this test's requests.
    await stopServer(gateway);
    await emu('reset');
    await emu('configure', { format, connectDelayMs: -1, ringMs: 600 });
    await restartGateway(format);
    // Everything the gateway sends the page, to check below: no token, no password, nothing twice.
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    const bar = await openBar(page);
    // MaxContact has no login, not-ready, answer or DTMF: those controls are never usable.
    for (const name of ['Log in', 'Log out', 'Not ready', 'Answer', 'Keypad']) {
      const control = button(bar, name);
      if ((await control.count()) > 0) await expect(control).toBeDisabled();
    }
    await expect(bar.getByText('Not ready').first()).toBeVisible();
    await button(bar, 'Ready').click();
    await expect.poll(async () => (await snapshot(page)).agent).toBe('ready');
    await expect.poll(async () => (await emuState()).agents.find((a) => a.id === 1001)!.state).toBe('ready');

    await bar.getByRole('textbox', { name: 'Phone number' }).fill('+44 7911 123456');
    await button(bar, 'Dial').click();
    await expect(bar.getByRole('timer', { name: 'Dialing time' })).toBeVisible();
    await expect(bar.getByText('Alex Morgan').first()).toBeVisible();
    const id = Number((await snapshot(page)).calls[0]!.id);
    await emu('customer-answer', { callId: id });
    await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible({ timeout: 10_000 });

    await button(bar, 'Hold').click();
    await expect(bar.getByRole('timer', { name: 'Hold time' })).toBeVisible();
    expect((await emuState()).calls[0]!.line).toBe('held');
    await button(bar, 'Retrieve').click();
    await expect(button(bar, 'Hold')).toBeEnabled();
    expect((await emuState()).calls[0]!.line).toBe('connected');
    await button(bar, 'More').click(); // recording: behind More
    await button(bar, 'Start recording').click();
    await expect(button(bar, 'Stop recording')).toBeEnabled();
    expect((await emuState()).calls[0]!.recording).toBe('recording');
    await button(bar, 'Stop recording').click();
    await expect(button(bar, 'Start recording')).toBeEnabled();
    expect((await emuState()).calls[0]!.recording).toBe('stopped');

    await emu('customer-hangup', { callId: id });
    for (const label of ['Sale', 'No sale', 'Call back', 'Wrong number', 'Transferred']) await expect(bar.getByRole('radio', { name: label, exact: true })).toBeVisible();
    await expect(bar.getByRole('radio', { name: 'Abandoned (system)' })).toHaveCount(0);
    await bar.getByRole('radio', { name: 'Sale', exact: true }).check();
    await button(bar, 'Wrap up').click();
    await expect.poll(() => callState(page)).toBe('none');
    expect((await emuState()).dispositions).toEqual([{ callId: id, resultCode: 'SALE' }]);

    // Inbound: MaxContact tells nobody; the next getcalls shows it ringing, then connected.
    const { callId } = (await emu('offer-inbound', { to: AGENT, from: '+447911654321' })) as { callId: string };
    await expect(bar.getByText('Sam Lee').first()).toBeVisible();
    await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible({ timeout: 10_000 });
    expect((await snapshot(page)).calls).toHaveLength(1);
    await button(bar, 'Hang up').click();
    await bar.getByRole('radio', { name: 'No sale', exact: true }).check();
    await button(bar, 'Wrap up').click();
    await expect.poll(() => callState(page)).toBe('none');
    expect((await emuState()).dispositions.at(-1)).toEqual({ callId: Number(callId), resultCode: 'NOSALE' });

    // The exact wire: every request carried the cookie, and JSON was asked for only in JSON mode.
    const requests = (await emuLog()).filter((e) => e.path.startsWith('/webservices/services/telephony/'));
    expect(requests.length).toBeGreaterThan(5);
    for (const r of requests) {
      expect(r.headers.cookie).toMatch(/^TokenKey=[0-9a-f]{48}$/);
      expect(r.headers['content-type']).toBe(format === 'json' ? 'application/json' : undefined);
    }
    // The token (fetched by the gateway) and the API password never reach the page.
    const tokens = new Set(requests.map((r) => r.headers.cookie!.slice('TokenKey='.length)));
    const seen = frames.join('\n');
    for (const secret of [...tokens, PASSWORD]) expect(seen).not.toContain(secret);
    // Numbered events, none delivered twice in a row.
    const events = frames.map((f) => JSON.parse(f) as { t: string; seq?: number; event?: unknown }).filter((f) => f.t === 'event');
    expect(events.length).toBeGreaterThan(10);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.seq!).toBeGreaterThan(events[i - 1]!.seq!);
      expect(JSON.stringify(events[i]!.event)).not.toBe(JSON.stringify(events[i - 1]!.event));
    }
  });
}

test('a warm transfer: consult an ACD queue (by its number) while the customer is held, then connectcalls with both result codes', async ({ page }) => {
  await emu('reset');
  await emu('configure', { connectDelayMs: -1 });
  await restartGateway('json');
  await emu('go-ready', { userId: AGENT });
  const bar = await openBar(page);
  await page.evaluate(() => (document.querySelector('agent-bar') as any).dial('+447911123456', { recordId: '5001' }));
  await expect(bar.getByRole('timer', { name: 'Dialing time' })).toBeVisible();
  const customer = Number((await snapshot(page)).calls[0]!.id);
  await emu('customer-answer', { callId: customer });
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible({ timeout: 10_000 });

  await button(bar, 'Transfer').click();
  // MaxContact's own ACD queue "Support" (given a number by the deployment) and a configured desk.
  await expect(bar.getByRole('radio', { name: 'Sales desk', exact: true })).toBeVisible();
  await bar.getByRole('radio', { name: 'Support', exact: true }).check();
  await button(bar, 'Consult').click();
  await expect(bar.getByText('Consult with Support: dialing')).toBeVisible();
  let state = await emuState();
  expect(state.calls.map((c) => [c.line, c.CallId === customer])).toEqual([['held', true], ['dialing', false]]);
  expect((state.calls[1] as unknown as { PhoneNumber: string }).PhoneNumber).toBe('+442071230122');
  const second = state.calls[1]!.CallId;
  await expect(button(bar, 'Complete transfer')).toBeDisabled();
  await emu('customer-answer', { callId: second });
  await expect(bar.getByText('Consult with Support: connected')).toBeVisible();
  await button(bar, 'Complete transfer').click();
  await expect.poll(() => callState(page)).toBe('none');
  state = await emuState();
  expect(state.calls).toHaveLength(0);
  expect(state.bridges).toEqual([{ userId: 1001, call1: customer, call2: second, resultCode1: 'XFER', resultCode2: 'XFER' }]);
  await expect(bar.getByRole('textbox', { name: 'Phone number' })).toBeEnabled();
});

test('errors: Success:false, injected 500s, a timeout and dropped connections are readable, change nothing, and the bar shows the emulator\'s truth', async ({ page }) => {
  await emu('reset');
  await emu('configure', { connectDelayMs: -1 });
  await restartGateway('xml');
  await emu('go-ready', { userId: AGENT });
  const bar = await openBar(page);
  const alert = bar.getByRole('alert');
  await page.evaluate(() => (document.querySelector('agent-bar') as any).dial('+447911123456'));
  await expect(bar.getByRole('timer', { name: 'Dialing time' })).toBeVisible();
  const id = Number((await snapshot(page)).calls[0]!.id);
  await emu('customer-answer', { callId: id });
  await expect(button(bar, 'Hold')).toBeEnabled({ timeout: 10_000 });

  // Success:false, in XML, with MaxContact's code.
  await emu('fail-next', {
    status: 200,
    contentType: 'application/xml',
    body: '<CallActionResponse><Success>false</Success><Data /><ResponseCode>3</ResponseCode><ResponseDetail>Call is busy</ResponseDetail></CallActionResponse>',
    match: '/hold/',
  });
  await button(bar, 'Hold').click();
  await expect(alert).toContainText('not in a state that allows this');
  await expect(alert).toContainText('MaxContact code 3');
  expect((await emuState()).calls[0]!.line).toBe('connected');
  await expect(button(bar, 'Hold')).toBeEnabled();

  // A timeout: MaxContact acts, but too late for the connector (3 s); the next polls show the truth.
  await emu('stall-next', { ms: 4000, match: '/hold/' });
  await button(bar, 'Hold').click();
  await expect(alert).toContainText('did not answer within 3 s', { timeout: 10_000 });
  await expect(bar.getByRole('timer', { name: 'Hold time' })).toBeVisible({ timeout: 10_000 });
  await button(bar, 'Retrieve').click();
  await expect(button(bar, 'Hold')).toBeEnabled();

  // A 500 on a command (never retried), garbage, a dropped connection.
  await emu('fail-next', { status: 500, body: 'Internal Server Error', match: '/startrecord/' });
  await button(bar, 'More').click(); // recording: behind More
  await button(bar, 'Start recording').click();
  await expect(alert).toContainText('HTTP 500');
  await emu('fail-next', { status: 200, body: 'this is not xml', match: '/startrecord/' });
  await button(bar, 'Start recording').click();
  await expect(alert).toContainText('neither XML nor JSON');
  await emu('fail-next', { drop: true, match: '/startrecord/' });
  await button(bar, 'Start recording').click();
  await expect(alert).toContainText('could not be reached');
  expect((await emuState()).calls[0]!.recording).toBe('off');
  expect((await emuLog()).filter((e) => e.path.includes('/startrecord/'))).toHaveLength(3);

  // Polls fail (500, a drop) while the customer hangs up: afterwards the bar shows the truth.
  await emu('fail-next', { status: 500, match: '/getcalls/' });
  await emu('fail-next', { drop: true, match: '/getcalls/' });
  await emu('customer-hangup', { callId: id });
  await expect.poll(() => callState(page), { timeout: 10_000 }).toBe('wrapup');
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(1);
  await bar.getByRole('radio', { name: 'Wrong number', exact: true }).check();
  await button(bar, 'Wrap up').click();
  await expect.poll(() => callState(page)).toBe('none');
  const text = (await alert.textContent()) ?? '';
  expect(text).not.toContain(PASSWORD);
});

test('the gateway restarts mid-call while the customer hangs up: the new gateway reads MaxContact again and the bar shows the call in wrap-up', async ({ page }) => {
  await emu('reset');
  await emu('configure', { connectDelayMs: -1 });
  await restartGateway('json');
  await emu('go-ready', { userId: AGENT });
  const bar = await openBar(page);
  // Connected comes before the first poll's Ready reaches the bar; Dial is allowed only then.
  await expect(button(bar, 'Dial')).toBeEnabled();
  await page.evaluate(() => (document.querySelector('agent-bar') as any).dial('+447911123456'));
  await expect(bar.getByRole('timer', { name: 'Dialing time' })).toBeVisible();
  const id = (await snapshot(page)).calls[0]!.id;
  await emu('customer-answer', { callId: Number(id) });
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();

  await stopServer(gateway);
  await emu('customer-hangup', { callId: Number(id) });
  gateway = await launchServer({ port: gatewayPort, env: gatewayEnv('json') });
  await expect.poll(() => callState(page), { timeout: 30_000 }).toBe('wrapup');
  expect((await snapshot(page)).calls.map((c) => c.id)).toEqual([id]);
  await bar.getByRole('radio', { name: 'Call back', exact: true }).check();
  await button(bar, 'Wrap up').click();
  await expect.poll(() => callState(page)).toBe('none');
  expect((await emuState()).dispositions).toEqual([{ callId: Number(id), resultCode: 'CALLBACK' }]);
});

test('a wrong API password: a readable refusal, nothing offered, the password nowhere', async ({ page }) => {
  await emu('reset');
  await restartGateway('xml', 'not-the-password-123');
  const bar = page.getByRole('region', { name: `Agent ${AGENT}` });
  await page.exposeFunction('mintToken', (id: string) => issuer.issue(id));
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate(({ id, endpoint }) => (window as any).addMintingBar(id, endpoint), { id: AGENT, endpoint: gateway!.wsUrl });
  await expect(bar.getByRole('alert')).toContainText('refused the API login', { timeout: 20_000 });
  expect((await bar.getByRole('alert').textContent()) ?? '').not.toContain('not-the-password-123');
  await expect(button(bar, 'Dial')).toBeDisabled();
  await expect(button(bar, 'Ready')).toBeDisabled();
});

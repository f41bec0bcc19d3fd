/**
 * The bar on Noetica, end to end in Chromium: `<agent-bar connector="noetica">` in the page (a
 * short-lived token from getToken) and `<agent-bar connector="gateway">` → the real gateway process
 * (CONNECTOR=noetica, the API token only in its environment) → the real Noetica emulator process
 * over HTTP. Issue 11's proof: log on (a refused one first), break with a reason, cancel it,
 * busy/free, the dialler's next record dialled, the customer answers, hold, retrieve, consult,
 * alternate, complete transfer, an inbound call answered, an incoming transfer, wrap-up with a
 * disposition, log off; Operation Failed, a refused token, injected faults, a dropped poll and bad
 * input end as readable alerts with Noetica's code, nothing applied twice, the emulator's truth shown.
 */
import { test, expect, type Page, type Locator } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createTokenIssuer } from '../../server/tokens.ts';
import { freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';

const API_TOKEN = `nt-${randomBytes(12).toString('hex')}`;
const AGENT_PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const AGENT = '1001';

let emulator: { child: ChildProcess; url: string } | undefined;
let gateway: ServerProcess | undefined;

async function startEmulator(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/emulators/main.ts', 'noetica', '--port', String(port)], {
    env: { ...process.env, NOETICA_API_TOKEN: API_TOKEN, NOETICA_AGENT_PASSWORD: AGENT_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('listening on http://127.0.0.1:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function emu(verb: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator!.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, `${verb}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}

interface EmuUser {
  id: string;
  status: string;
  breakReason?: { code: string };
  calls: Array<{ callId: string; state: string; recordId?: string; number: string; consultation?: { state: string; active: string } }>;
  dialler: { status: string; record: { recordId: string } | null };
}
const emuState = async () =>
  (await (await fetch(`${emulator!.url}/__state`)).json()) as { users: EmuUser[]; dispositions: Array<{ callId: string; code: string; recordId?: string }>; requests: Array<{ method: string }> };
const emuUser = async (): Promise<EmuUser | undefined> => (await emuState()).users.find((u) => u.id === AGENT);
const emuLog = async (): Promise<Array<{ method: string; path: string; headers: Record<string, string> }>> => (await (await fetch(`${emulator!.url}/__log`)).json()) as never;
const posts = async () => (await emuLog()).filter((e) => e.method === 'POST').length;

const snapshot = (page: Page) =>
  page.evaluate(() => {
    const s = document.querySelector('agent-bar')!.session!.snapshot;
    return { agent: s.agent.state, connection: s.connection, pending: s.pending, calls: s.calls.map((c) => ({ id: c.id, state: c.state, consult: c.consult?.state, active: c.consult?.activeParty })) };
  });
const callState = async (page: Page) => (await snapshot(page)).calls[0]?.state ?? 'none';
const button = (scope: Locator | Page, name: string) => scope.getByRole('button', { name, exact: true });
const alert = (bar: Locator) => bar.getByRole('alert');
/** The agent state as the bar's header shows it. */
const shownState = (bar: Locator) => bar.locator('header .state');

async function openInPage(page: Page, mint: () => Promise<string> = async () => (await emu('issue-token', { ttlMs: 600_000 })).token as string): Promise<Locator> {
  await page.exposeFunction('mintNoeticaToken', mint);
  await page.goto('/test/fixtures/noetica-bar.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate(({ id, endpoint }) => (window as any).addNoeticaBar(id, endpoint), { id: AGENT, endpoint: emulator!.url });
  return page.getByRole('region', { name: `Agent ${AGENT}` });
}

async function connected(page: Page): Promise<void> {
  await expect.poll(async () => (await snapshot(page)).connection, { timeout: 20_000 }).toBe('connected');
}

async function logOn(bar: Locator, password = AGENT_PASSWORD): Promise<void> {
  await bar.getByRole('textbox', { name: 'Extension', exact: true }).fill('2001');
  await bar.getByLabel('Password').fill(password);
  await button(bar, 'Log in').click();
}

/** The session keeps an accepted command's control disabled while the state still offers it (at most 2 s). */
async function settled(page: Page, operation: string): Promise<void> {
  await expect.poll(async () => (await snapshot(page)).pending.includes(operation as never)).toBe(false);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  emulator = await startEmulator();
});

test.afterAll(async () => {
  await stopServer(gateway);
  if (emulator && emulator.child.exitCode === null) {
    await new Promise<void>((resolve) => {
      emulator!.child.once('exit', () => resolve());
      emulator!.child.kill('SIGTERM');
    });
  }
});

test('in the page: log on, break, busy/free, next record dialled, hold, consult, alternate, complete transfer, inbound, incoming transfer, wrap-up, log off', async ({ page }) => {
  test.setTimeout(120_000);
  await emu('reset');
  await emu('configure', { answerDelayMs: -1, consultAnswerMs: -1 });
  const bar = await openInPage(page);
  await connected(page);
  await expect(shownState(bar)).toHaveText('Logged out');
  // What Noetica has not got stays disabled whatever the state.
  await expect(button(bar, 'Log in')).toBeEnabled();

  // A refused log on: Operation Failed, readable, with Noetica's code; nothing changed.
  await logOn(bar, 'not-the-password');
  await expect(alert(bar)).toContainText('Noetica refused the log on');
  await expect(alert(bar)).toContainText('LOGIN_REFUSED');
  expect((await emuUser())!.status).toBe('LoggedOff');
  await settled(page, 'login');
  await logOn(bar);
  await expect(shownState(bar)).toHaveText('Ready');
  expect((await emuUser())!.status).toBe('Available');

  // Break with a reason from Get Break Reason, then cancel it.
  await button(bar, 'Not ready').click();
  await bar.getByRole('menuitem', { name: 'Lunch' }).click();
  await expect(shownState(bar)).toHaveText('Not ready: Lunch');
  expect((await emuUser())!.breakReason?.code).toBe('LUNCH');
  await button(bar, 'Ready').click();
  await expect.poll(async () => (await emuUser())!.status).toBe('Available');
  await expect.poll(async () => (await snapshot(page)).agent).toBe('ready');

  // Busy (a control only a backend with the state shows), then Ready sets the user free.
  await button(bar, 'Busy').click();
  await expect(shownState(bar)).toHaveText('Busy');
  expect((await emuUser())!.status).toBe('Busy');
  await expect(button(bar, 'Next record')).toBeDisabled();
  await button(bar, 'Ready').click();
  await expect.poll(async () => (await emuUser())!.status).toBe('Available');
  await expect.poll(async () => (await snapshot(page)).agent).toBe('ready');

  // The dialler: the next record as a preview, dialled on its second number.
  await button(bar, 'Next record').click();
  const preview = bar.getByRole('region', { name: 'Preview' });
  await expect(preview.getByText('Alex Morgan')).toBeVisible();
  await expect(bar.getByText('HX-22817')).toBeVisible();
  await preview.getByLabel('Number to dial').selectOption('+441612345678');
  await button(preview, 'Dial').click();
  await expect(bar.getByRole('timer', { name: 'Dialing time' })).toBeVisible();
  let user = (await emuUser())!;
  expect(user.calls).toHaveLength(1);
  expect(user.calls[0]).toMatchObject({ state: 'Dialling', recordId: 'R-5001', number: '+441612345678' });
  const dialled = user.calls[0]!.callId;
  await emu('customer-answer', { callId: dialled });
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();
  await button(bar, 'Hold').click();
  await expect(bar.getByRole('timer', { name: 'Hold time' })).toBeVisible();
  expect((await emuUser())!.calls[0]!.state).toBe('Held');
  await button(bar, 'Retrieve').click();
  await expect(button(bar, 'Hold')).toBeEnabled();
  expect((await emuUser())!.calls[0]!.state).toBe('Connected');

  // Consult, alternate, complete the transfer.
  await button(bar, 'Transfer').click();
  const dialog = bar.getByRole('dialog', { name: 'Transfer' });
  await dialog.getByRole('textbox', { name: 'Destination' }).fill('+442071230100');
  await button(dialog, 'Consult').click();
  await expect(dialog.getByText(/Consult with .*: dialing/)).toBeVisible();
  await expect(button(dialog, 'Complete transfer')).toBeDisabled();
  expect((await emuUser())!.calls[0]!.consultation).toMatchObject({ state: 'Dialling' });
  await emu('consult-answer', { callId: dialled });
  await expect(dialog.getByText(/Consult with .*: connected/)).toBeVisible();
  await button(dialog, 'Alternate').click();
  await expect(dialog.getByText(/talking\s+to the customer/)).toBeVisible();
  expect((await emuUser())!.calls[0]!.consultation!.active).toBe('Customer');
  await settled(page, 'alternate');
  await button(dialog, 'Alternate').click();
  await expect.poll(async () => (await emuUser())!.calls[0]!.consultation!.active).toBe('Consultation');
  await settled(page, 'alternate');
  await button(dialog, 'Complete transfer').click();
  await expect.poll(() => callState(page)).toBe('none');
  expect((await emuUser())!.calls).toHaveLength(0);
  expect((await emuState()).dispositions).toEqual([{ userId: AGENT, callId: dialled, recordId: 'R-5001', code: 'TRANSFERRED' }]);

  // An inbound call answered; the customer hangs up; wrap-up with a disposition.
  const { callId: inbound } = (await emu('offer-inbound', { to: AGENT, from: '+447700900999', name: 'Sam Carter' })) as { callId: string };
  await expect(bar.getByText('Sam Carter').first()).toBeVisible();
  await button(bar, 'Answer').click();
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();
  expect((await emuUser())!.calls[0]!.state).toBe('Connected');
  await emu('customer-hangup', { callId: inbound });
  const wrapUp = bar.getByRole('region', { name: 'Wrap-up' });
  for (const label of ['Sale', 'Not interested', 'Call back later', 'Wrong number']) await expect(wrapUp.getByRole('radio', { name: label, exact: true })).toBeVisible();
  await wrapUp.getByRole('radio', { name: 'Sale', exact: true }).check();
  await button(wrapUp, 'Wrap up').click();
  await expect.poll(() => callState(page)).toBe('none');
  expect((await emuState()).dispositions.at(-1)).toEqual({ userId: AGENT, callId: inbound, code: 'SALE' });

  // Connected Incoming Transfer: shown as such.
  await emu('offer-transfer', { to: AGENT, from: '+447700900123', name: 'Priya Shah', by: 'Agent 1002 (Dana)' });
  await expect(alert(bar)).toContainText('Incoming transfer from Agent 1002 (Dana): Priya Shah');
  await expect(bar.getByRole('region', { name: 'Customer' }).getByText('Transferred by')).toBeVisible();
  await expect(bar.getByRole('region', { name: 'Customer' }).getByText('Agent 1002 (Dana)')).toBeVisible();
  await button(bar, 'Hang up').click();
  await wrapUp.getByRole('radio', { name: 'Not interested', exact: true }).check();
  await button(wrapUp, 'Wrap up').click();
  await expect.poll(() => callState(page)).toBe('none');

  // A Message from the supervisor: text, never markup.
  await emu('message', { to: AGENT, text: 'Huddle at <b>3pm</b>', from: 'Supervisor' });
  await expect(alert(bar)).toHaveText('Message from Supervisor: Huddle at 3pm');

  // Log off (from a break).
  await button(bar, 'Not ready').click();
  await bar.getByRole('menuitem', { name: 'Team meeting' }).click();
  await expect(shownState(bar)).toHaveText('Not ready: Team meeting');
  await button(bar, 'Log out').click();
  await expect(shownState(bar)).toHaveText('Logged out');
  expect((await emuUser())!.status).toBe('LoggedOff');

  // Every request carried a short-lived token; none of them is anywhere in the page.
  const requests = (await emuLog()).filter((e) => e.path.startsWith('/sdk/v08/') && e.method !== 'OPTIONS');
  for (const r of requests) expect(r.headers.authorization).toMatch(/^Bearer [0-9a-f]{36}$/);
  const html = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  for (const token of new Set(requests.map((r) => r.headers.authorization!.slice(7)))) {
    expect(html).not.toContain(token);
    expect(storage).not.toContain(token);
  }
});

test('errors: Operation Failed, refusals, injected faults, a dropped poll and bad input are readable, change nothing, and the bar shows the truth', async ({ page }) => {
  test.setTimeout(90_000);
  await emu('reset');
  await emu('configure', { answerDelayMs: -1, consultAnswerMs: -1 });
  await emu('logon', { userId: AGENT, extension: '2001' });
  const bar = await openInPage(page);
  await connected(page);
  await expect.poll(async () => (await snapshot(page)).agent).toBe('ready');

  // Operation Failed: the dial was accepted, then the telephony could not reach the number.
  await emu('fail-operation', { method: 'Dial', code: 'NUMBER_UNOBTAINABLE', message: 'Number unobtainable' });
  await bar.getByRole('textbox', { name: 'Phone number' }).fill('+44 20 7946 0018');
  await button(bar, 'Dial').click();
  await expect(alert(bar)).toContainText('The number could not be reached. (Noetica NUMBER_UNOBTAINABLE: Number unobtainable)');
  expect((await emuUser())!.calls).toHaveLength(0);
  expect(await callState(page)).toBe('none');

  // Bad input: refused in the bar, nothing sent.
  await settled(page, 'dial');
  const before = await posts();
  await bar.getByRole('textbox', { name: 'Phone number' }).fill('call me maybe');
  await button(bar, 'Dial').click();
  await expect(alert(bar)).not.toContainText('NUMBER_UNOBTAINABLE');
  await expect(alert(bar)).not.toHaveText('');
  expect(await posts()).toBe(before);

  // A call; then a poll is cut while the customer hangs up.
  await bar.getByRole('textbox', { name: 'Phone number' }).fill('+44 20 7946 0018');
  await button(bar, 'Dial').click();
  await expect(bar.getByRole('timer', { name: 'Dialing time' })).toBeVisible();
  const callId = (await emuUser())!.calls[0]!.callId;
  await emu('customer-answer', { callId });
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();
  // A dropped poll: the customer hangs up meanwhile; the bar shows the truth once, in wrap-up.
  const states: string[] = [];
  await page.exposeFunction('recordState', (s: string) => states.push(s));
  await page.evaluate(() => {
    let last = '';
    document.querySelector('agent-bar')!.session!.subscribe((s) => {
      const state = s.calls[0]?.state ?? 'none';
      if (state !== last) (window as any).recordState((last = state));
    });
  });
  await emu('fail-next', { drop: true, match: '/events' });
  await emu('message', { to: AGENT, text: 'nudge' });
  await expect(alert(bar)).toContainText('nudge');
  await emu('customer-hangup', { callId });
  await expect(bar.getByRole('region', { name: 'Wrap-up' })).toBeVisible({ timeout: 15_000 });
  await bar.getByRole('radio', { name: 'Wrong number', exact: true }).check();
  await button(bar, 'Wrap up').click();
  await expect.poll(() => callState(page)).toBe('none');
  expect(states.filter((s) => s === 'wrapup')).toHaveLength(1);
  expect((await emuState()).dispositions).toEqual([{ userId: AGENT, callId, code: 'WRONG_NUMBER' }]);
  // Nothing was applied twice: one dial, one disposition.
  expect((await emuState()).requests.filter((r) => r.method === 'Dial')).toHaveLength(2);

  // System degraded: said so.
  await emu('system-status', { status: 'Degraded', detail: 'Trunk group B down' });
  await expect(alert(bar)).toHaveText('The Noetica system is degraded (Trunk group B down): calls may fail.');
  await emu('system-status', { status: 'Online' });
  await expect(alert(bar)).toHaveText('The Noetica system is back online.');
});

test('a refused token: readable, offline and retrying, then back with a good one', async ({ page }) => {
  await emu('reset');
  let good = false;
  const bar = await openInPage(page, async () => (good ? ((await emu('issue-token', { ttlMs: 600_000 })).token as string) : 'expired-token-0000'));
  // The connector's module loads first (lazily): a generous wait on a loaded machine.
  await expect(alert(bar)).toContainText('Noetica refused the API token', { timeout: 20_000 });
  await expect(bar.getByText(/retrying in/)).toBeVisible();
  expect((await emuLog()).filter((e) => e.method === 'POST')).toHaveLength(0);
  good = true;
  await button(bar, 'Retry').click();
  await connected(page);
  await expect(button(bar, 'Log in')).toBeEnabled();
});

test('in the gateway: the API token stays on the server; log on, an inbound call, injected faults, wrap-up, log off', async ({ page }) => {
  test.setTimeout(90_000);
  await emu('reset');
  await emu('configure', { answerDelayMs: -1 });
  const secret = randomBytes(32).toString('hex');
  const issuer = createTokenIssuer(secret);
  const port = await freePort();
  gateway = await launchServer({
    port,
    env: {
      GATEWAY: '1',
      TOKEN_SECRET: secret,
      CONNECTOR: 'noetica',
      CONNECTOR_ENDPOINT: emulator!.url,
      CONNECTOR_CONFIG: JSON.stringify({ apiToken: API_TOKEN, longPollWaitS: 5, backoff: { initialMs: 100, maxMs: 500 } }),
    },
  });
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
  await page.exposeFunction('mintToken', (id: string) => issuer.issue(id));
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate(({ id, endpoint }) => (window as any).addMintingBar(id, endpoint), { id: AGENT, endpoint: gateway!.wsUrl });
  const bar = page.getByRole('region', { name: `Agent ${AGENT}` });
  await connected(page);
  // The gateway's welcome announces Noetica's login form, so the bar behind it asks for the same
  // extension and password as in the page; the password travels only in the login command.
  await logOn(bar);
  await expect.poll(async () => (await snapshot(page)).agent).toBe('ready');
  expect((await emuUser())!.status).toBe('Available');
  const { callId } = (await emu('offer-inbound', { to: AGENT, from: '+447700900999', name: 'Sam Carter' })) as { callId: string };
  await expect(bar.getByText('Sam Carter').first()).toBeVisible({ timeout: 10_000 });
  await button(bar, 'Answer').click();
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();
  // Injected faults (answered without CORS headers, so only the gateway reads them): an HTML 500 and
  // a refusal with Noetica's code; neither changes anything.
  await emu('fail-next', { status: 500, body: '<html><body>Internal Server Error</body></html>', contentType: 'text/html', match: '/calls/hold' });
  await button(bar, 'Hold').click();
  await expect(alert(bar)).toHaveText('Noetica had a server error. (Noetica HTTP 500)');
  expect((await emuUser())!.calls[0]!.state).toBe('Connected');
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();
  await settled(page, 'hold');
  await emu('fail-next', { status: 409, contentType: 'application/json', body: '{"error":{"code":"INVALID_CALL_STATE","message":"Call is being recorded"}}', match: '/calls/hold' });
  await button(bar, 'Hold').click();
  await expect(alert(bar)).toHaveText('The call is not in a state that allows this. (Noetica INVALID_CALL_STATE: Call is being recorded)');
  expect((await emuUser())!.calls[0]!.state).toBe('Connected');

  await button(bar, 'Hang up').click();
  await bar.getByRole('radio', { name: 'Call back later', exact: true }).check();
  await button(bar, 'Wrap up').click();
  await expect.poll(() => callState(page)).toBe('none');
  expect((await emuState()).dispositions).toEqual([{ userId: AGENT, callId, code: 'CALL_BACK' }]);
  await button(bar, 'Not ready').click();
  await bar.getByRole('menuitem', { name: 'Lunch' }).click();
  await expect(shownState(bar)).toHaveText('Not ready: Lunch');
  await button(bar, 'Log out').click();
  await expect.poll(async () => (await emuUser())!.status).toBe('LoggedOff');
  expect(frames.join('\n')).not.toContain(API_TOKEN);
  expect(frames.join('\n'), 'the agent password is never echoed back').not.toContain(AGENT_PASSWORD);
  await stopServer(gateway);
  gateway = undefined;
});

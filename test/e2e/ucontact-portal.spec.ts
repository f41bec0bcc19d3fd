/**
 * The bar on uContact through the portal's legacy Porthole proxy, in Chromium with real pages of
 * different origins over HTTP: the uContact emulator's portal page (origin P, the real porthole.js
 * 1.0) frames the CRM page with the bar (origin C, vite). Proven: the bar starts logged in with
 * Dial usable; a dial goes out as exactly one Porthole envelope to P's exact origin, its `{guid}`
 * reply shows as the call; hang up and a disposition reach the emulator; an inbound `gettingCall`
 * shows an offered call with a screen pop; a `0` answer is a readable error; a third origin's
 * forged, malformed and oversized messages, and odd messages from the portal itself, change
 * nothing; a parent page on an origin that is not allowed is not heard and hears nothing.
 */
import { test, expect as baseExpect, type Frame, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { start } from '../../server/emulators/ucontact/index.ts';
import { startStaticOrigin } from '../fixtures/static-origin.ts';

// A loaded 2-core machine runs the whole suite: every wait on a state gets room.
const expect = baseExpect.configure({ timeout: 15_000 });
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
type Emulator = Awaited<ReturnType<typeof start>>;

let emulator: Emulator;
let impostorPortal: Emulator;
let thirdOrigin: { origin: string; close(): Promise<void> };

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  emulator = await start();
  impostorPortal = await start();
  thirdOrigin = await startStaticOrigin(ROOT);
});

test.afterAll(async () => {
  await Promise.all([emulator?.close(), impostorPortal?.close(), thirdOrigin?.close()]);
});

test.beforeEach(async () => {
  await control(emulator, 'reset');
});

async function control(emu: Emulator, verb: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${emu.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, `${verb}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}

interface EmuState {
  calls: Array<{ guid: string; direction: string; number: string; state: string }>;
  dispositions: Array<Record<string, string>>;
  proxyActions: Array<Record<string, unknown>>;
}
const emuState = async (emu: Emulator = emulator): Promise<EmuState> => (await (await fetch(`${emu.url}/__state`)).json()) as EmuState;

function crmUrl(portal: string, extra = ''): string {
  return `${test.info().project.use.baseURL}/test/fixtures/ucontact-crm.html?portal=${encodeURIComponent(portal)}${extra}`;
}

/** The portal page of `host`, framing the CRM page whose bar talks to `portal`. */
async function openPortal(page: Page, options: { host?: Emulator; portal?: string; extra?: string } = {}): Promise<{ crm: Frame; pageErrors: string[] }> {
  const host = options.host ?? emulator;
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${host.url}/portal.html?crm=${encodeURIComponent(crmUrl(options.portal ?? emulator.url, options.extra ?? ''))}`);
  await page.waitForFunction(() => (window as any).portalReady === true);
  const crm = page.frame({ name: 'crm' })!;
  await expect.poll(() => crm.url()).toContain('ucontact-crm.html');
  await crm.waitForFunction(() => (window as any).barReady === true);
  return { crm, pageErrors };
}

const snapshot = (crm: Frame) => crm.evaluate(() => JSON.parse(JSON.stringify((document.querySelector('agent-bar') as any)?.session?.snapshot ?? null)));
const counters = (crm: Frame) => crm.evaluate(() => (document.querySelector('agent-bar') as any).session.connector.inner.counters as { accepted: number; dropped: number });

async function connected(crm: Frame): Promise<void> {
  await expect.poll(async () => (await snapshot(crm))?.connection, { timeout: 15_000 }).toBe('connected');
}

const bar = (crm: Frame) => crm.locator('agent-bar');

async function dial(crm: Frame, number: string): Promise<void> {
  await bar(crm).getByRole('textbox', { name: 'Phone number' }).fill(number);
  await bar(crm).getByRole('button', { name: 'Dial', exact: true }).click();
}

test('a dial through the portal: one Porthole envelope to the exact portal origin, the GUID shown as the call; hang up; disposition', async ({ page }) => {
  const { crm, pageErrors } = await openPortal(page);
  await connected(crm);
  const crmOrigin = new URL(crm.url()).origin;
  expect(crmOrigin).not.toBe(emulator.url);
  // Logged in to the portal already: no login form, Dial usable at once.
  expect((await snapshot(crm)).agent.state).toBe('ready');
  await expect(bar(crm).getByRole('button', { name: 'Dial', exact: true })).toBeEnabled();
  // The portal logs the agent in, not the bar: this connector has no login, so no Log in shown.
  await expect(bar(crm).getByRole('button', { name: 'Log in', exact: true })).toHaveCount(0);

  // What arrives at the portal window, byte for byte (next to Porthole's own listener).
  await page.evaluate(() => {
    (window as any).raw = [];
    window.addEventListener('message', (e) => (window as any).raw.push({ data: e.data, origin: e.origin }));
  });
  await dial(crm, '+442079460018');
  await expect.poll(async () => (await snapshot(crm)).calls.length).toBe(1);
  const [call] = (await emuState()).calls;
  const shown = (await snapshot(crm)).calls[0];
  expect(shown).toMatchObject({ id: call!.guid, direction: 'outbound', state: 'dialing', remote: { number: '+442079460018' }, campaign: 'Sales->' });
  await expect(bar(crm).getByText('+442079460018').first()).toBeVisible();

  const raw = await page.evaluate(() => (window as any).raw);
  expect(raw).toHaveLength(1);
  expect(raw[0].origin).toBe(crmOrigin);
  expect(raw[0].data).toBe(
    JSON.stringify({
      data: { action: 'call', campaign: 'Sales->', callerid: '24000000', destination: '+442079460018' },
      sourceOrigin: crmOrigin,
      targetOrigin: emulator.url,
      sourceWindowName: 'crm',
      targetWindowName: '',
    }),
  );
  // The real porthole.js read it as the portal would.
  expect(await page.evaluate(() => (window as any).received[0])).toEqual({
    data: { action: 'call', campaign: 'Sales->', callerid: '24000000', destination: '+442079460018' },
    origin: crmOrigin,
  });

  await bar(crm).getByRole('button', { name: 'Hang up', exact: true }).click();
  await expect(bar(crm).getByRole('radio', { name: 'Sale', exact: true })).toBeVisible();
  expect((await emuState()).calls[0]!.state).toBe('finished');
  expect((await emuState()).proxyActions[1]).toEqual({ action: 'hangup', guid: call!.guid });

  await bar(crm).getByRole('radio', { name: 'Sale', exact: true }).check();
  await bar(crm).getByRole('button', { name: 'Wrap up', exact: true }).click();
  await expect.poll(async () => (await snapshot(crm)).calls.length).toBe(0);
  expect((await emuState()).dispositions).toEqual([
    { campaign: 'Sales->', agent: 'agent1', callerid: '24000000', guid: call!.guid, l1: 'Sale', l2: 'Product A' },
  ]);
  await expect(bar(crm).getByRole('button', { name: 'Dial', exact: true })).toBeEnabled();
  expect(pageErrors).toEqual([]);
});

test('an inbound gettingCall shows an offered call with a screen pop; the customer hangs up; disposition', async ({ page }) => {
  const { crm } = await openPortal(page);
  await connected(crm);
  const { callId } = (await control(emulator, 'offer-inbound', { to: 'agent1', from: '+59899123456', name: 'Ana Pérez', fields: { account: 'ACC-77' } })) as { callId: string };
  await expect.poll(async () => (await snapshot(crm)).calls[0]?.state).toBe('ringing');
  const call = (await snapshot(crm)).calls[0];
  expect(call).toMatchObject({ id: callId, direction: 'inbound', remote: { number: '+59899123456', name: 'Ana Pérez' }, campaign: 'Support<-' });
  await expect(bar(crm).getByText('Ana Pérez').first()).toBeVisible();
  const pops = await crm.evaluate(() => (window as any).ctiEvents.filter((e: { type: string }) => e.type === 'cti-screen-pop'));
  expect(pops).toHaveLength(1);
  expect(pops[0].detail.url).toBe(`https://crm.example/contacts?phone=%2B59899123456&call=${callId}`);
  // uContact has no answer through the proxy: the agent answers on the portal's phone.
  const answer = bar(crm).getByRole('button', { name: 'Answer', exact: true });
  if ((await answer.count()) > 0) await expect(answer).toBeDisabled();

  await control(emulator, 'customer-hangup', { callId });
  await expect(bar(crm).getByRole('radio', { name: 'No answer', exact: true })).toBeVisible();
  await bar(crm).getByRole('radio', { name: 'No answer', exact: true }).check();
  await bar(crm).getByRole('button', { name: 'Wrap up', exact: true }).click();
  await expect.poll(async () => (await snapshot(crm)).calls.length).toBe(0);
  expect((await emuState()).dispositions).toEqual([{ campaign: 'Support<-', agent: 'agent1', callerid: '24000000', guid: callId, l1: 'NOANSWER' }]);
});

test('the portal\'s 0 answer is a readable error and changes nothing', async ({ page }) => {
  const { crm } = await openPortal(page);
  await connected(crm);
  await control(emulator, 'proxy-fail-next', { action: 'call' });
  await dial(crm, '+442079460018');
  await expect(bar(crm).getByRole('alert')).toContainText('uContact could not make the call (answer 0)');
  expect((await snapshot(crm)).calls).toEqual([]);
  expect((await snapshot(crm)).lastError).toMatchObject({ vendorCode: '0', operation: 'dial' });
  await expect(bar(crm).getByRole('button', { name: 'Dial', exact: true })).toBeEnabled();
});

test('a third origin\'s forged, malformed and oversized messages, and odd ones from the portal, change nothing', async ({ page }) => {
  const { crm, pageErrors } = await openPortal(page);
  await connected(crm);
  await dial(crm, '+442079460018');
  await expect.poll(async () => (await snapshot(crm)).calls.length).toBe(1);
  const before = await snapshot(crm);
  const beforeCounts = await counters(crm);

  // Another frame of the portal, on a third origin, reaches the CRM frame by name.
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.name = 'widget';
    frame.src = src;
    document.body.append(frame);
  }, `${thirdOrigin.origin}/test/fixtures/ucontact-forger.html?portal=${encodeURIComponent(emulator.url)}`);
  await expect.poll(() => page.frame({ name: 'widget' })?.url() ?? '').toContain('ucontact-forger.html');
  const forger = page.frame({ name: 'widget' })!;
  await forger.waitForFunction(() => (window as any).ready === true);
  const forged = await forger.evaluate(() => (window as any).forge());
  await expect.poll(async () => (await counters(crm)).dropped, { timeout: 15_000 }).toBe(beforeCounts.dropped + forged);

  // From the portal window itself: around Porthole (dropped by the transport) …
  await page.evaluate(() => {
    const p = (window as any).portal;
    p.postRaw({ action: 'gettingCall', params: { guid: 'raw' } });
    p.postRaw('{"data":{"guid":"x"}}');
    p.post([1, 2]); // a Porthole envelope whose data is not an object
  });
  await expect.poll(async () => (await counters(crm)).dropped).toBe(beforeCounts.dropped + forged + 3);
  // … and through Porthole, but shapes the connector does not read (accepted by the transport, ignored).
  await page.evaluate(() => {
    const p = (window as any).portal;
    p.post({ action: 'gettingCall', params: 'not an object' });
    p.post({ action: 'deleteEverything', params: {} });
    p.post({ action: 'hangup', guid: 'x' });
    p.post({ guid: { nested: true } });
    p.post({ guid: 'unasked-for-guid' });
    p.post({ action: 'finishedCall', params: { guid: 'no-such-call' } });
  });
  await expect.poll(async () => (await counters(crm)).accepted).toBe(beforeCounts.accepted + 6);
  const after = await snapshot(crm);
  expect(after.calls).toEqual(before.calls);
  expect(after.agent).toEqual(before.agent);
  expect(after.lastError).toEqual(before.lastError);
  expect(after.connection).toBe('connected');
  expect(pageErrors).toEqual([]);
  // And the real conversation still works.
  await bar(crm).getByRole('button', { name: 'Hang up', exact: true }).click();
  await expect(bar(crm).getByRole('radio', { name: 'Sale', exact: true })).toBeVisible();
});

test('a parent page on an origin that is not allowed is not heard, hears nothing, and the bar says why', async ({ page }) => {
  // Another "portal" (a second emulator: another origin) frames the CRM page configured for the real one.
  const { crm, pageErrors } = await openPortal(page, { host: impostorPortal, portal: emulator.url });
  await expect(bar(crm).getByRole('alert')).toContainText(`This page is framed by ${impostorPortal.url}, not by the uContact portal ${emulator.url}.`);
  expect((await snapshot(crm)).connection).toBe('offline');
  await expect(bar(crm).getByRole('button', { name: 'Dial', exact: true })).toBeDisabled();
  // Its Porthole talks to the CRM frame all the same: an offered call, a GUID.
  await crm.evaluate(() => {
    (window as any).rawSeen = [];
    window.addEventListener('message', (e) => (window as any).rawSeen.push(e.data));
  });
  await control(impostorPortal, 'offer-inbound', { to: 'agent1', from: '+15550100' });
  await page.evaluate(() => (window as any).portal.post({ guid: 'from-the-impostor' }));
  // A sentinel after them from the same window: once it is there, they had arrived.
  await page.evaluate(() => (window as any).portal.postRaw('sentinel'));
  await expect.poll(() => crm.evaluate(() => (window as any).rawSeen.length)).toBe(3);
  expect((await snapshot(crm)).calls).toEqual([]);
  expect(await page.evaluate(() => (window as any).received)).toEqual([]);
  expect((await emuState(impostorPortal)).proxyActions).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('a disposition configured with a tag tags the recording (tagRecord) before it is sent; closeForm after it when configured', async ({ page }) => {
  const { crm, pageErrors } = await openPortal(page, { extra: '&closeForm=1&tag=no-answer' });
  await connected(crm);
  const { callId } = (await control(emulator, 'offer-inbound', { to: 'agent1', from: '+59899123456' })) as { callId: string };
  await expect.poll(async () => (await snapshot(crm)).calls[0]?.state).toBe('ringing');
  await control(emulator, 'customer-hangup', { callId });
  await bar(crm).getByRole('radio', { name: 'No answer', exact: true }).check();
  await bar(crm).getByRole('button', { name: 'Wrap up', exact: true }).click();
  await expect.poll(async () => (await snapshot(crm)).calls.length).toBe(0);
  type Seen = { proxyActions: Array<Record<string, unknown>>; proxyEffects: Array<Record<string, unknown>>; dispositions: Array<Record<string, string>> };
  // closeForm follows the disposition's answer, so it may reach the portal just after the call is gone.
  await expect.poll(async () => ((await emuState()) as unknown as Seen).proxyActions.map((a) => a.action)).toEqual(['tagRecord', 'disposition', 'closeForm']);
  const state = (await emuState()) as unknown as Seen;
  expect(state.proxyActions[0]).toEqual({ action: 'tagRecord', guid: callId, tag: 'no-answer' });
  expect(state.proxyEffects).toEqual([{ action: 'tagRecord', guid: callId, tag: 'no-answer' }, { action: 'closeForm' }]);
  expect(state.dispositions).toEqual([{ campaign: 'Support<-', agent: 'agent1', callerid: '24000000', guid: callId, l1: 'NOANSWER', tag: 'no-answer' }]);
  expect(pageErrors).toEqual([]);
});

test('callWithPhone (config.dialAction) through the real porthole.js: its documented payload, the GUID as the call; a callback without a call is the portal\'s schedule', async ({ page }) => {
  const { crm, pageErrors } = await openPortal(page, { extra: '&dialAction=callWithPhone' });
  await connected(crm);
  const crmOrigin = new URL(crm.url()).origin;
  await dial(crm, '+442079460019');
  await expect.poll(async () => (await snapshot(crm)).calls.length).toBe(1);
  // The documented callWithPhone sample: destination, then campaign; no callerid.
  expect(await page.evaluate(() => (window as any).received[0])).toEqual({ data: { action: 'callWithPhone', destination: '+442079460019', campaign: 'Sales->' }, origin: crmOrigin });
  const [call] = (await emuState()).calls;
  expect((await snapshot(crm)).calls[0]).toMatchObject({ id: call!.guid, direction: 'outbound', state: 'dialing', remote: { number: '+442079460019' } });
  await bar(crm).getByRole('button', { name: 'Hang up', exact: true }).click();
  await bar(crm).getByRole('radio', { name: 'Sale', exact: true }).check();
  await bar(crm).getByRole('button', { name: 'Wrap up', exact: true }).click();
  await expect.poll(async () => (await snapshot(crm)).calls.length).toBe(0);

  // A host asks for a callback with no call on hand (there is no form for it in the bar): the portal's schedule.
  await crm.evaluate(() => (document.querySelector('agent-bar') as any).session.command('createCallback', { time: '2030-05-06T14:30:00', number: '+442079460020' }));
  const state = (await emuState()) as unknown as { proxyActions: Array<Record<string, unknown>>; schedules: unknown[] };
  expect(state.proxyActions.at(-1)).toEqual({ action: 'schedule', calldate: '2030-05-06 14:30:00', campaign: 'Sales->', destination: '+442079460020' });
  expect(state.schedules).toEqual([{ calldate: '2030-05-06 14:30:00', campaign: 'Sales->', destination: '+442079460020' }]);
  expect(pageErrors).toEqual([]);
});

/**
 * The bar on uContact through the uPhone v6 window proxy, in Chromium with real pages of different
 * origins over HTTP: the CRM page with the bar (vite's origin) frames the emulator's uPhone page
 * (the emulator's origin). Proven: the flavour is detected (the CRM page is not framed); Dial posts
 * `{action:'makeCall', params:{number, campaign}}` into the frame with its exact origin and the
 * call shows from uPhone's `makeCall` event; `gettingCall` shows an offered call with a screen pop;
 * `finishedCall` → wrap-up, `sentDispositions` → gone; a third origin's messages and odd ones from
 * uPhone change nothing; when the frame is taken by another origin, nothing reaches it.
 */
import { test, expect as baseExpect, type Frame, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { start } from '../../server/emulators/ucontact/index.ts';
import { startStaticOrigin } from '../fixtures/static-origin.ts';

// A loaded 2-core machine runs the whole suite: every wait on a state gets room.
const expect = baseExpect.configure({ timeout: 15_000 });
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let emulator: Awaited<ReturnType<typeof start>>;
let thirdOrigin: { origin: string; close(): Promise<void> };

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  emulator = await start();
  thirdOrigin = await startStaticOrigin(ROOT);
});
test.afterAll(async () => {
  await Promise.all([emulator?.close(), thirdOrigin?.close()]);
});
test.beforeEach(async () => {
  await control('reset');
});

async function control(verb: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, `${verb}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}
const emuState = async () => (await (await fetch(`${emulator.url}/__state`)).json()) as { calls: Array<{ guid: string }>; proxyActions: unknown[] };
const snapshot = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((document.querySelector('agent-bar') as any)?.session?.snapshot ?? null)));
const counters = (page: Page) => page.evaluate(() => (document.querySelector('agent-bar') as any).session.connector.inner.counters as { accepted: number; dropped: number });

async function openCrm(page: Page): Promise<{ uphone: Frame; pageErrors: string[] }> {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`/test/fixtures/ucontact-crm.html?portal=${encodeURIComponent(emulator.url)}&uphone=1`);
  await expect.poll(() => page.frame({ name: 'uphone' })?.url() ?? '').toContain('uphone.html');
  const uphone = page.frame({ name: 'uphone' })!;
  await uphone.waitForFunction(() => (window as any).portalReady === true);
  await expect.poll(async () => (await snapshot(page))?.connection, { timeout: 15_000 }).toBe('connected');
  return { uphone, pageErrors };
}

test('Dial posts makeCall into uPhone with its exact origin; uPhone\'s events drive the call to the end', async ({ page }) => {
  const { uphone, pageErrors } = await openCrm(page);
  const bar = page.locator('agent-bar');
  const crmOrigin = new URL(page.url()).origin;
  expect((await snapshot(page)).agent.state).toBe('ready');
  await bar.getByRole('textbox', { name: 'Phone number' }).fill('+442079460018');
  await bar.getByRole('button', { name: 'Dial', exact: true }).click();
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(1);
  expect(await uphone.evaluate(() => (window as any).received)).toEqual([
    { data: { action: 'makeCall', params: { number: '+442079460018', campaign: 'Sales->' } }, origin: crmOrigin },
  ]);
  const [call] = (await emuState()).calls;
  expect((await snapshot(page)).calls[0]).toMatchObject({ id: call!.guid, state: 'dialing', direction: 'outbound', campaign: 'Sales->' });
  // uPhone documents no hang-up or disposition into the frame: the agent does those in uPhone, so
  // the bar shows no Hang up at all.
  await expect(bar.getByRole('button', { name: 'Hang up', exact: true })).toHaveCount(0);

  await control('customer-hangup', { callId: call!.guid });
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('wrapup');
  await control('portal-event', { action: 'sentDispositions', params: { guid: call!.guid } });
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(0);

  // Inbound.
  const { callId } = (await control('offer-inbound', { to: 'agent1', from: '+59899123456', name: 'Ana' })) as { callId: string };
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('ringing');
  expect((await snapshot(page)).calls[0]).toMatchObject({ id: callId, direction: 'inbound', remote: { number: '+59899123456', name: 'Ana' } });
  const pops = await page.evaluate(() => (window as any).ctiEvents.filter((e: { type: string }) => e.type === 'cti-screen-pop'));
  expect(pops.map((p: { detail: { url: string } }) => p.detail.url)).toEqual([`https://crm.example/contacts?phone=%2B59899123456&call=${callId}`]);
  await control('customer-hangup', { callId });
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('wrapup');
  expect(pageErrors).toEqual([]);
});

test('a third origin\'s messages and odd ones from uPhone change nothing; a usurped frame receives nothing', async ({ page }) => {
  const { uphone, pageErrors } = await openCrm(page);
  const { callId } = (await control('offer-inbound', { to: 'agent1', from: '+59899123456' })) as { callId: string };
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(1);
  const before = await snapshot(page);
  const start = await counters(page);

  // A frame of a third origin in the CRM page posts uPhone's vocabulary to it.
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.name = 'widget';
    frame.src = src;
    document.body.append(frame);
  }, `${thirdOrigin.origin}/test/fixtures/porthole-peer.html?role=foreign&host=${encodeURIComponent(new URL(page.url()).origin)}`);
  await expect.poll(() => page.frame({ name: 'widget' })?.url() ?? '').toContain('porthole-peer.html');
  const widget = page.frame({ name: 'widget' })!;
  await widget.waitForFunction(() => (window as any).ready === true);
  await widget.evaluate(() => {
    const w = window as any;
    w.postRaw({ action: 'finishedCall', params: {} });
    w.postRaw({ action: 'gettingCall', params: { guid: 'forged', number: '+15550100' } });
    w.postRaw('{"action":"finishedCall"}');
  });
  // From uPhone's own window: junk and oversized (dropped) …
  await uphone.evaluate(() => {
    const u = (window as any).uphone;
    u.postRaw('{"action":"finishedCall","params":{}}');
    u.postRaw(null);
    u.postRaw([{ action: 'finishedCall' }]);
    u.postRaw({ action: 'gettingCall', params: { number: 'x'.repeat(20_000) } });
  });
  await expect.poll(async () => (await counters(page)).dropped).toBe(start.dropped + 7);
  // … and well-formed objects the connector does not read (accepted, ignored).
  await uphone.evaluate(() => {
    const u = (window as any).uphone;
    u.post({ action: 'finishedCall', params: 'nope' });
    u.post({ action: 'dropTables', params: {} });
    u.post({ guid: 'unasked' });
    u.post({ action: 'finishedCall', params: { guid: 'no-such-call' } });
  });
  await expect.poll(async () => (await counters(page)).accepted).toBe(start.accepted + 4);
  const after = await snapshot(page);
  expect(after.calls).toEqual(before.calls);
  expect(after.agent).toEqual(before.agent);
  expect(pageErrors).toEqual([]);

  // The uPhone frame is taken by another origin: a dial posted for uPhone's origin never reaches it.
  await control('customer-hangup', { callId });
  await control('portal-event', { action: 'sentDispositions', params: { guid: callId } });
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(0);
  await page.evaluate((src) => {
    (document.querySelector('iframe[name="uphone"]') as HTMLIFrameElement).src = src;
  }, `${thirdOrigin.origin}/test/fixtures/porthole-peer.html?role=usurper&host=${encodeURIComponent(new URL(page.url()).origin)}`);
  await expect.poll(() => page.frame({ name: 'uphone' })?.url() ?? '').toContain('role=usurper');
  const usurper = page.frame({ name: 'uphone' })!;
  await usurper.waitForFunction(() => (window as any).ready === true);
  await usurper.evaluate(() => {
    (window as any).raw = [];
    window.addEventListener('message', (e) => (window as any).raw.push(e.data));
  });
  await page.locator('agent-bar').getByRole('textbox', { name: 'Phone number' }).fill('+442079460018');
  await page.locator('agent-bar').getByRole('button', { name: 'Dial', exact: true }).click();
  await expect.poll(async () => (await snapshot(page)).pending).toEqual([]);
  // A sentinel posted after the dial: messages from one window arrive in order, so once it is
  // there, the dial would have been too.
  await page.evaluate(() => (document.querySelector('iframe[name="uphone"]') as HTMLIFrameElement).contentWindow!.postMessage('sentinel', '*'));
  await expect.poll(() => usurper.evaluate(() => (window as any).raw)).toEqual(['sentinel']);
  expect((await emuState()).proxyActions).toEqual([]);
});

test('the v6 Events API from the uContact frame: assignedInteraction offers a call with its screen pop, finishedInteraction wraps it up, sentDisposition ends it; a chat changes nothing', async ({ page }) => {
  const { uphone, pageErrors } = await openCrm(page);
  const start = await counters(page);
  // Not calls: a chat assigned, the theme changed.
  await control('events-api', { event: 'assignedInteraction', data: { guid: 'chat-1', campaign: 'Web<-', channel: 'webchat', clientId: 'C-9' } });
  await control('events-api', { event: 'changedTheme', data: { theme: 'dark' } });
  // Both are uContact's own well-formed messages (read from its frame), and neither is a call.
  await expect.poll(async () => (await counters(page)).accepted).toBe(start.accepted + 2);
  expect((await snapshot(page)).calls).toEqual([]);

  const { callId } = (await control('offer-interaction', { to: 'agent1', campaign: 'Support<-', clientId: 'C-42' })) as { callId: string };
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('ringing');
  expect(await uphone.evaluate(() => (window as any).sent.at(-1))).toEqual({ event: 'assignedInteraction', data: { guid: callId, campaign: 'Support<-', channel: 'telephony', clientId: 'C-42' } });
  expect((await snapshot(page)).calls[0]).toMatchObject({ id: callId, direction: 'inbound', campaign: 'Support<-' });
  await expect(page.locator('agent-bar').getByText('C-42')).toBeVisible();
  const pops = await page.evaluate(() => (window as any).ctiEvents.filter((e: { type: string }) => e.type === 'cti-screen-pop'));
  expect(pops.map((p: { detail: { url: string } }) => p.detail.url)).toEqual([`https://crm.example/contacts?phone=&call=${callId}`]);

  await control('customer-hangup', { callId });
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('wrapup');
  await control('events-api', { event: 'sentDisposition', data: { guid: callId } });
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(0);
  expect(pageErrors).toEqual([]);
});

test('a call dialled in uPhone itself (its makeCall event) shows as the call; agentLogin keeps the agent logged in; finishedSms changes nothing', async ({ page }) => {
  const { pageErrors } = await openCrm(page);
  const before = await counters(page);
  await control('portal-event', { action: 'makeCall', params: { number: '+442079460021', campaign: 'Sales->', guid: 'up-guid-1' } });
  await expect.poll(async () => (await snapshot(page)).calls.length).toBe(1);
  expect((await snapshot(page)).calls[0]).toMatchObject({ id: 'up-guid-1', direction: 'outbound', state: 'dialing', remote: { number: '+442079460021' }, campaign: 'Sales->' });
  await expect(page.locator('agent-bar').getByText('+442079460021').first()).toBeVisible();
  await control('portal-event', { action: 'agentLogin', params: { agent: 'agent1' } });
  await control('portal-event', { action: 'finishedSms', params: { number: '+442079460021' } });
  await expect.poll(async () => (await counters(page)).accepted).toBe(before.accepted + 3);
  const after = await snapshot(page);
  expect(after.agent.state).toBe('ready');
  expect(after.calls.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([['up-guid-1', 'dialing']]);
  await control('portal-event', { action: 'finishedCall', params: { guid: 'up-guid-1' } });
  await expect.poll(async () => (await snapshot(page)).calls[0]?.state).toBe('wrapup');
  expect(pageErrors).toEqual([]);
});

/**
 * The browser phone end to end (issue 15): `<agent-bar connector="sip">` in Chromium with a fake
 * microphone (a steady 440 Hz tone), registered over ws:// to a real Kamailio on 127.0.0.1 that the
 * test starts; a far-end page of plain JsSIP user agents in another browser context. Audio is
 * proven with `getStats()`: packets and energy both ways, none to the held side, no energy while
 * muted. Media stays on loopback: the pages see only their 127.0.0.1 candidates (an init script
 * filters the rest out of the signalled SDP) and every selected candidate pair is checked.
 */
import { test, expect, type Browser, type BrowserContext, type Page, type Locator } from '@playwright/test';
import { Kamailio, SIP_DOMAIN, SIP_USERS } from '../fixtures/phone/kamailio.ts';
import { mediaProbe } from '../fixtures/phone/media-probe.ts';
import { closePhoneTest, expectAudioBothWays, openFarEnd, openPhoneBar, over, phoneLaunch, type Stats } from '../fixtures/phone/phone-kit.ts';

const { home, launchOptions } = await phoneLaunch('phone-e2e');
test.use({ launchOptions });

const [AGENT, AGENT_PW] = SIP_USERS.agent;
const [FAR] = SIP_USERS.far;
const [OFFLINE] = SIP_USERS.offline;
const [TRANSFER, TRANSFER_PW] = SIP_USERS.transfer;

let kamailio: Kamailio;
let farContext: BrowserContext;
let far: Page;
let barContext: BrowserContext;
let page: Page;
let credentials: { password: string } = { password: AGENT_PW };

const button = (scope: Locator | Page, name: string) => scope.getByRole('button', { name, exact: true });
const barStats = async (): Promise<Stats> => (await page.evaluate(() => (window as any).lastPeerStats())) as Stats;
const farStats = async (user: string = FAR): Promise<Stats> => (await far.evaluate((u) => (window as any).farEnd.stats(u), user)) as Stats;
const farState = (user: string = FAR) => far.evaluate((u) => (window as any).farEnd.state(u), user) as Promise<{ established: boolean; ended: string[]; dtmf: string[]; incoming: number; referrals: number }>;
const snapshot = (p: Page = page) =>
  p.evaluate(() => {
    const s = document.querySelector('agent-bar')!.session!.snapshot;
    return { connection: s.connection, error: s.lastError?.message, calls: s.calls.map((c) => ({ id: c.id, state: c.state, muted: c.muted === true, number: c.remote.number, direction: c.direction })) };
  });
const callState = async () => (await snapshot()).calls[0]?.state ?? 'none';

async function openBar(context: BrowserContext, extra: Record<string, unknown> = {}): Promise<Page> {
  return openPhoneBar(context, kamailio, AGENT, () => credentials, extra);
}

async function registered(p: Page = page): Promise<void> {
  await expect.poll(async () => (await snapshot(p)).connection, { timeout: 15_000 }).toBe('connected');
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  kamailio = await Kamailio.start();
  ({ context: farContext, page: far } = await openFarEnd(browser, kamailio, SIP_USERS.far));
  barContext = await browser.newContext();
  await barContext.addInitScript(mediaProbe);
});

test.afterAll(() => closePhoneTest(home, kamailio, barContext, farContext));

test('wrong credentials: a readable registration error, then the right ones register on the retry', async () => {
  credentials = { password: 'not-the-password' };
  page = await openBar(barContext);
  const bar = page.locator('agent-bar');
  await expect(bar.getByRole('alert')).toContainText("refused the phone's user name or password", { timeout: 15_000 });
  await expect(bar.getByRole('alert')).toContainText('SIP 401');
  await expect(bar.locator('.connection')).toContainText('Offline');
  expect((await snapshot()).connection).toBe('offline');
  // The password is asked for again at the next attempt (never kept): the retry registers.
  credentials = { password: AGENT_PW };
  await registered();
  await expect(bar.locator('.connection')).toHaveText('Connected');
});

test('the agent dials, the far end answers: audio both ways on loopback; hold, mute, DTMF, hang up', async () => {
  test.setTimeout(40_000);
  const bar = page.locator('agent-bar');
  await bar.getByRole('textbox', { name: 'Phone number' }).fill(FAR);
  await button(bar, 'Dial').click();
  await expect.poll(async () => (await farState()).incoming, { timeout: 10_000 }).toBe(1);
  expect(await callState()).toBe('dialing');
  await far.evaluate((u) => (window as any).farEnd.answer(u), FAR);
  await expect.poll(callState, { timeout: 10_000 }).toBe('talking');
  await expect(bar.getByRole('timer', { name: 'Talk time' })).toBeVisible();

  // Audio both ways: packets and energy at each end, over loopback only.
  const { toFar } = await expectAudioBothWays(barStats, () => farStats());

  // Mute: the far end still gets packets, but no energy.
  await button(bar, 'Mute').click();
  await expect(button(bar, 'Unmute')).toBeVisible();
  expect((await snapshot()).calls[0]!.muted).toBe(true);
  // The far end's jitter buffer still plays the last of the tone: wait for the silence, then measure it.
  await expect.poll(async () => (await over(() => farStats(), 400)).power, { timeout: 5000 }).toBeLessThan(toFar.power / 100);
  const muted = await over(() => farStats(), 1000);
  expect(muted.packets).toBeGreaterThan(20);
  expect(muted.power).toBeLessThan(toFar.power / 100);
  await button(bar, 'Unmute').click();
  await expect(button(bar, 'Mute')).toBeVisible();
  await expect.poll(async () => (await over(() => farStats(), 500)).power, { timeout: 5000 }).toBeGreaterThan(1e-4);

  // Hold (re-INVITE): the held far end receives no packets; Retrieve brings them back.
  await button(bar, 'Hold').click();
  await expect(bar.getByRole('timer', { name: 'Hold time' })).toBeVisible();
  await expect.poll(async () => (await over(() => farStats(), 400)).packets, { timeout: 5000 }).toBe(0);
  const held = await over(() => farStats(), 1000);
  expect(held.packets).toBe(0);
  await button(bar, 'Retrieve').click();
  await expect.poll(callState, { timeout: 5000 }).toBe('talking');
  await expect.poll(async () => (await over(() => farStats(), 500)).packets, { timeout: 5000 }).toBeGreaterThan(10);

  // DTMF as RFC 4733 telephone-events: checked on the sending side (a browser has no API to receive them).
  await page.evaluate(() => {
    const w = window as any;
    w.tonesSent = '';
    const pc = (w.peerConnections as RTCPeerConnection[]).filter((p) => p.connectionState !== 'closed').at(-1)!;
    const sender = pc.getSenders().find((s) => s.track?.kind === 'audio')!;
    sender.dtmf!.addEventListener('tonechange', (e) => (w.tonesSent += (e as RTCDTMFToneChangeEvent).tone));
  });
  await button(bar, 'Keypad').click();
  await button(bar, '5').click();
  await button(bar, '#').click();
  await expect.poll(() => page.evaluate(() => (window as any).tonesSent), { timeout: 5000 }).toBe('5#');
  expect((await farState()).dtmf).toEqual([]);

  // The agent hangs up: the far end sees the BYE.
  await button(bar, 'Hang up').click();
  await expect.poll(callState, { timeout: 5000 }).toBe('none');
  await expect.poll(async () => (await farState()).ended.at(-1), { timeout: 5000 }).toBe('remote:Terminated');
});

test('an inbound call rings, is answered from the bar, and the far end hangs up', async () => {
  const bar = page.locator('agent-bar');
  const disconnected = page.evaluate(
    () => new Promise<any>((resolve) => document.querySelector('agent-bar')!.addEventListener('cti-call-disconnected', (e) => resolve((e as CustomEvent).detail.call), { once: true })),
  );
  await far.evaluate(({ u, to }) => (window as any).farEnd.call(u, to), { u: FAR, to: `sip:${AGENT}@${SIP_DOMAIN}` });
  await expect.poll(callState, { timeout: 10_000 }).toBe('ringing');
  const ringing = (await snapshot()).calls[0]!;
  expect(ringing).toMatchObject({ direction: 'inbound', number: FAR });
  await button(bar, 'Answer').click();
  await expect.poll(callState, { timeout: 10_000 }).toBe('talking');
  await expect.poll(async () => (await over(barStats, 500)).packets, { timeout: 5000 }).toBeGreaterThan(10);
  // The quality indicator (sampled every 2 s during the call): loopback is good.
  await expect(bar.getByRole('status', { name: 'Audio quality' })).toHaveText('Audio good', { timeout: 5000 });
  await far.evaluate((u) => (window as any).farEnd.hangup(u), FAR);
  await expect.poll(callState, { timeout: 5000 }).toBe('none');
  await expect(bar.getByRole('status', { name: 'Audio quality' })).toHaveCount(0);
  // The call's last quality sample goes with cti-call-disconnected.
  const ended = await disconnected;
  expect(ended.state).toBe('talking');
  expect(ended.quality).toMatchObject({ rating: 'good', lossPct: expect.any(Number), jitterMs: expect.any(Number), packetsReceived: expect.any(Number), packetsSent: expect.any(Number) });
  expect(ended.quality.packetsReceived).toBeGreaterThan(10);
});

test('calls to an unknown and to an offline user fail with readable errors keeping the SIP code', async () => {
  const bar = page.locator('agent-bar');
  const dial = async (number: string) => {
    await bar.getByRole('textbox', { name: 'Phone number' }).fill(number);
    await button(bar, 'Dial').click();
  };
  await dial('1099');
  await expect(bar.getByRole('alert')).toContainText('there is no such number or user (SIP 404)', { timeout: 10_000 });
  expect(await callState()).toBe('none');
  await dial(OFFLINE);
  await expect(bar.getByRole('alert')).toContainText('not available (offline or not registered) (SIP 480)', { timeout: 10_000 });
  expect(await callState()).toBe('none');
});

test('DTMF over SIP INFO, busy (486) and declined (603) as readable errors, blind transfer (REFER)', async () => {
  test.setTimeout(30_000);
  await page.close();
  page = await openBar(barContext, { dtmf: 'info' });
  await registered();
  const bar = page.locator('agent-bar');
  const dialFar = async () => {
    const before = (await farState()).incoming;
    await bar.getByRole('textbox', { name: 'Phone number' }).fill(FAR);
    await button(bar, 'Dial').click();
    await expect.poll(async () => (await farState()).incoming, { timeout: 10_000 }).toBe(before + 1);
  };
  // Refused after ringing: the call goes, the reason stays on screen with its SIP code.
  await dialFar();
  await far.evaluate((u) => (window as any).farEnd.reject(u, 486), FAR);
  await expect(bar.getByRole('alert')).toContainText('the line is busy (SIP 486)', { timeout: 5000 });
  await expect.poll(callState, { timeout: 5000 }).toBe('none');
  await dialFar();
  await far.evaluate((u) => (window as any).farEnd.reject(u, 603), FAR);
  await expect(bar.getByRole('alert')).toContainText('the call was declined (SIP 603)', { timeout: 5000 });
  await expect.poll(callState, { timeout: 5000 }).toBe('none');

  // Answered; a digit as SIP INFO arrives at the far end.
  await dialFar();
  await far.evaluate((u) => (window as any).farEnd.answer(u), FAR);
  await expect.poll(callState, { timeout: 10_000 }).toBe('talking');
  await button(bar, 'Keypad').click();
  await button(bar, '7').click();
  await expect.poll(async () => (await farState()).dtmf, { timeout: 5000 }).toEqual(['7']);

  // Blind transfer to 1004: the far end accepts the REFER and calls 1004; the agent's leg ends.
  await far.evaluate(({ url, user, pw, domain }) => (window as any).farEnd.register(url, user, pw, domain, true), { url: kamailio.url, user: TRANSFER, pw: TRANSFER_PW, domain: SIP_DOMAIN });
  await button(bar, 'Transfer').click();
  const dialog = bar.getByRole('dialog', { name: 'Transfer' });
  await dialog.getByRole('textbox', { name: 'Destination' }).fill(TRANSFER);
  await button(dialog, 'Blind transfer').click();
  await expect.poll(callState, { timeout: 10_000 }).toBe('none');
  expect((await farState()).referrals).toBe(1);
  await expect.poll(async () => (await farState(TRANSFER)).established, { timeout: 10_000 }).toBe(true);
  await far.evaluate((u) => (window as any).farEnd.hangup(u), FAR);
  // The BYE crosses Kamailio to the transfer target: as long as the other signalling waits here.
  await expect.poll(async () => (await farState(TRANSFER)).ended.length, { timeout: 10_000 }).toBe(1);
});

test('Kamailio killed and restarted: the phone registers again by itself', async () => {
  test.setTimeout(30_000);
  await kamailio.restart();
  await expect.poll(async () => (await snapshot()).connection, { timeout: 5000 }).not.toBe('connected');
  await registered();
  // Registered for real: the far end (also back by itself) reaches the agent.
  await expect
    .poll(async () => {
      await far.evaluate(({ u, to }) => (window as any).farEnd.call(u, to), { u: FAR, to: `sip:${AGENT}@${SIP_DOMAIN}` });
      await new Promise((r) => setTimeout(r, 1000));
      return callState();
    }, { timeout: 15_000 })
    .toBe('ringing');
  await button(page.locator('agent-bar'), 'Hang up').click();
  await expect.poll(callState, { timeout: 5000 }).toBe('none');
  await expect.poll(async () => (await farState()).ended.at(-1), { timeout: 5000 }).toMatch(/Rejected|Declined|SIP Failure Code/);
});

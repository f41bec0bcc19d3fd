/**
 * The phone's audio devices (issue 15), end to end with Chromium's fake devices ("Fake Audio
 * Input 1/2", "Fake Audio Output 1/2") and no automatic permission: the bar's context is granted
 * the microphone, another one is not. Proven: the microphones and speakers are listed by name; a
 * choice is remembered by the browser as device ids only and survives a reload; the microphone
 * check's level meter moves with the fake tone; a call uses the remembered microphone, and during
 * the call another microphone and a speaker are switched in (the sent track's device, the audio
 * element's sink) while audio keeps flowing; a context without the permission gets the guidance.
 */
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { Kamailio, SIP_USERS } from '../fixtures/phone/kamailio.ts';
import { mediaProbe } from '../fixtures/phone/media-probe.ts';
import { closePhoneTest, openFarEnd, openPhoneBar, over, phoneLaunch, type Stats } from '../fixtures/phone/phone-kit.ts';

const { home, launchOptions } = await phoneLaunch('phone-devices-e2e', { prompt: true });
test.use({ launchOptions });
test.describe.configure({ mode: 'serial' });

const [AGENT, AGENT_PW] = SIP_USERS.agent;
const [FAR] = SIP_USERS.far;

let kamailio: Kamailio;
let farContext: BrowserContext;
let far: Page;
let barContext: BrowserContext;

/** Records every speaker an audio element is switched to. */
function recordSinks(): void {
  const w = window as unknown as { sinks: string[] };
  w.sinks = [];
  const native = HTMLMediaElement.prototype.setSinkId;
  HTMLMediaElement.prototype.setSinkId = function (this: HTMLMediaElement, id: string) {
    w.sinks.push(id);
    return native.call(this, id);
  };
}

const openBar = (context: BrowserContext) => openPhoneBar(context, kamailio, AGENT, () => ({ password: AGENT_PW }));

const devicesOf = (page: Page) => page.locator('agent-bar').getByRole('group', { name: 'Audio devices' });
const deviceId = (page: Page, label: string) =>
  page.evaluate(async (l) => (await navigator.mediaDevices.enumerateDevices()).find((d) => d.label === l)!.deviceId, label);
/** The device of the microphone track the call sends. */
const sentDevice = (page: Page) =>
  page.evaluate(() => {
    const pc = ((window as any).peerConnections as RTCPeerConnection[]).filter((p) => p.connectionState !== 'closed').at(-1)!;
    return pc.getSenders().find((s) => s.track?.kind === 'audio')!.track!.getSettings().deviceId;
  });
const callState = (page: Page) => page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.calls[0]?.state ?? 'none');

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  kamailio = await Kamailio.start();
  ({ context: farContext, page: far } = await openFarEnd(browser, kamailio, SIP_USERS.far, { permissions: ['microphone'] }));
  barContext = await browser.newContext({ permissions: ['microphone'] });
  await barContext.addInitScript(mediaProbe);
  await barContext.addInitScript(recordSinks);
});

test.afterAll(() => closePhoneTest(home, kamailio, barContext, farContext));

test('microphone and speaker chosen before and during a call, remembered as ids, with a level meter', async () => {
  test.setTimeout(40_000);
  let page = await openBar(barContext);
  let bar = page.locator('agent-bar');
  await bar.getByRole('button', { name: 'Audio devices' }).click();
  const mic = devicesOf(page).getByRole('combobox', { name: 'Microphone' });
  await expect(mic.getByRole('option')).toContainText(['Fake Default Audio Input', 'Fake Audio Input 1', 'Fake Audio Input 2'], { timeout: 5000 });
  await expect(devicesOf(page).getByRole('combobox', { name: 'Speaker' }).getByRole('option')).toContainText(['Fake Default Audio Output', 'Fake Audio Output 1', 'Fake Audio Output 2']);

  // Chosen before any call: stored as the device id and nothing else.
  const input2 = await deviceId(page, 'Fake Audio Input 2');
  await mic.selectOption({ label: 'Fake Audio Input 2' });
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem('agent-bar.phone.devices')))!)).toEqual({ inputDeviceId: input2 });

  // The microphone check: the meter follows the fake tone, and stops.
  await devicesOf(page).getByRole('button', { name: 'Check microphone' }).click();
  const meter = devicesOf(page).getByRole('meter', { name: 'Microphone level' });
  await expect.poll(async () => Number(await meter.evaluate((m: HTMLMeterElement) => m.value)), { timeout: 5000 }).toBeGreaterThan(0.1);
  await devicesOf(page).getByRole('button', { name: 'Stop check' }).click();
  await expect(meter).toHaveCount(0);

  // Remembered by the browser: a new page shows the choice, and the call uses it.
  await page.close();
  page = await openBar(barContext);
  bar = page.locator('agent-bar');
  await expect.poll(() => page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.connection), { timeout: 15_000 }).toBe('connected');
  await bar.getByRole('button', { name: 'Audio devices' }).click();
  await expect(devicesOf(page).getByRole('combobox', { name: 'Microphone' })).toHaveValue(input2, { timeout: 5000 });
  await bar.getByRole('textbox', { name: 'Phone number' }).fill(FAR);
  await bar.getByRole('button', { name: 'Dial', exact: true }).click();
  await expect.poll(async () => (await far.evaluate((u) => (window as any).farEnd.state(u), FAR)).incoming, { timeout: 10_000 }).toBeGreaterThan(0);
  await far.evaluate((u) => (window as any).farEnd.answer(u), FAR);
  await expect.poll(() => callState(page), { timeout: 10_000 }).toBe('talking');
  expect(await sentDevice(page)).toBe(input2);

  // During the call: another microphone is switched in, and the far end still hears the tone.
  const input1 = await deviceId(page, 'Fake Audio Input 1');
  await devicesOf(page).getByRole('combobox', { name: 'Microphone' }).selectOption({ label: 'Fake Audio Input 1' });
  await expect.poll(() => sentDevice(page), { timeout: 5000 }).toBe(input1);
  await expect.poll(async () => (await over(async () => (await far.evaluate((u) => (window as any).farEnd.stats(u), FAR)) as Stats, 500)).power, { timeout: 5000 }).toBeGreaterThan(1e-4);
  // And a speaker (setSinkId on the call's audio).
  const output1 = await deviceId(page, 'Fake Audio Output 1');
  await devicesOf(page).getByRole('combobox', { name: 'Speaker' }).selectOption({ label: 'Fake Audio Output 1' });
  await expect.poll(() => page.evaluate(() => (window as any).sinks as string[]), { timeout: 5000 }).toContain(output1);
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem('agent-bar.phone.devices')))!)).toEqual({ inputDeviceId: input1, outputDeviceId: output1 });

  await bar.getByRole('button', { name: 'Hang up', exact: true }).click();
  await expect.poll(() => callState(page), { timeout: 5000 }).toBe('none');
  await page.close();
});

test('a browser that blocks the microphone: the devices panel says what to do', async ({ browser }) => {
  const blocked = await browser.newContext();
  try {
    const page = await openBar(blocked);
    await page.locator('agent-bar').getByRole('button', { name: 'Audio devices' }).click();
    await expect(devicesOf(page).getByRole('alert')).toHaveText(/^The browser blocks the microphone for this site: allow it in the site settings/, { timeout: 5000 });
    await expect(devicesOf(page).getByRole('button', { name: 'Check microphone' })).toHaveCount(0);
  } finally {
    await blocked.close();
  }
});

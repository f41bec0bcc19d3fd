/**
 * The bar's phone next to a contact-centre connector (issue 15), end to end: `<agent-bar
 * connector="gateway">` on uContact's Integra REST API (the real gateway process and the uContact
 * emulator) with `bar.phone` registered as agent1's SIP phone (9001) to a real Kamailio on
 * 127.0.0.1. uContact's two-step AgentCall rings the agent's phone first: the emulator's PBX leg
 * is a JsSIP user agent (8000) in a far-end page that calls 9001 with `Call-Info: answer-after=0`.
 * Proven: the bar answers by itself, audio flows both ways on loopback (getStats), the call card
 * is the backend's call (its GUID, the customer's number) and not the phone's; the quality shows
 * in the bar and travels in `cti-call-disconnected`; the agent's hang-up (HangupPhone) clears the
 * PBX leg; a call without the marker rings in the phone panel for the agent to take or decline.
 */
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createTokenIssuer } from '../../server/tokens.ts';
import { start, SUPERUSER } from '../../server/emulators/ucontact/index.ts';
import { freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { Kamailio, SIP_DOMAIN, SIP_USERS } from '../fixtures/phone/kamailio.ts';
import { mediaProbe } from '../fixtures/phone/media-probe.ts';
import { closePhoneTest, expectAudioBothWays, openFarEnd, phoneLaunch, type Stats } from '../fixtures/phone/phone-kit.ts';

const { home, launchOptions } = await phoneLaunch('phone-backend-e2e');
test.use({ launchOptions });
test.describe.configure({ mode: 'serial' });

const SECRET = randomBytes(32).toString('hex');
const issuer = createTokenIssuer(SECRET);
const [PHONE, PHONE_PW] = SIP_USERS.ucontactAgent;
const [PBX] = SIP_USERS.pbx;
const CUSTOMER = '+442079460018';

let kamailio: Kamailio;
let emulator: Awaited<ReturnType<typeof start>>;
let gateway: ServerProcess | undefined;
let farContext: BrowserContext;
let far: Page;
let barContext: BrowserContext;
let page: Page;
/** What the PBX leg was asked to do (ring / clear), in order. */
const pbxLog: string[] = [];

const farState = () => far.evaluate((u) => (window as any).farEnd.state(u), PBX) as Promise<{ established: boolean; ended: string[]; incoming: number }>;
const farStats = async (): Promise<Stats> => (await far.evaluate((u) => (window as any).farEnd.stats(u), PBX)) as Stats;
const barStats = async (): Promise<Stats> => (await page.evaluate(() => (window as any).lastPeerStats())) as Stats;
const snapshot = () =>
  page.evaluate(() => {
    const s = document.querySelector('agent-bar')!.session!.snapshot;
    return { connection: s.connection, agent: s.agent.state, calls: s.calls.map((c) => ({ id: c.id, state: c.state, number: c.remote.number })) };
  });
/** The phone's own calls (the companion in the phone panel). */
const phoneCalls = () =>
  page.evaluate(() => {
    const panel = document.querySelector('agent-bar')!.shadowRoot!.querySelector('phone-panel') as any;
    return (panel?.companion?.calls ?? []).map((c: any) => ({ state: c.state, number: c.remote.number, auto: c.autoAnswerAfterS }));
  }) as Promise<Array<{ state: string; number: string; auto?: number }>>;
const button = (name: string) => page.locator('agent-bar').getByRole('button', { name, exact: true });

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  test.setTimeout(60_000);
  kamailio = await Kamailio.start();
  emulator = await start();
  gateway = await launchServer({
    port: await freePort(),
    env: {
      GATEWAY: '1',
      TOKEN_SECRET: SECRET,
      CONNECTOR: 'ucontact',
      CONNECTOR_ENDPOINT: emulator.url,
      CONNECTOR_CONFIG: JSON.stringify({ mode: 'rest', user: SUPERUSER.user, password: SUPERUSER.password, agentPassword: 'agent1-pass', campaign: 'Sales->', callerid: '24000000' }),
    },
  });
  ({ context: farContext, page: far } = await openFarEnd(browser, kamailio, SIP_USERS.pbx));
  // uContact's PBX: AgentCall rings the agent's phone marked for auto-answer; HangupPhone clears it.
  emulator.center.agentPhone = {
    ring: ({ phone, destination }) => {
      pbxLog.push(`ring ${phone} for ${destination}`);
      void far.evaluate(({ u, to, headers }) => (window as any).farEnd.call(u, to, headers), { u: PBX, to: `sip:${phone}@${SIP_DOMAIN}`, headers: [`Call-Info: <sip:${SIP_DOMAIN}>;answer-after=0`] });
    },
    clear: ({ phone }) => {
      pbxLog.push(`clear ${phone}`);
      void far.evaluate((u) => (window as any).farEnd.hangup(u), PBX);
    },
  };
  barContext = await browser.newContext();
  await barContext.addInitScript(mediaProbe);
  page = await barContext.newPage();
  await page.exposeFunction('mintToken', (id: string) => issuer.issue(id));
  await page.exposeFunction('sipCredentials', () => ({ password: PHONE_PW }));
  await page.goto('/test/fixtures/phone/bar.html');
  await page.waitForFunction(() => (window as any).barsReady === true, undefined, { timeout: 10_000 });
  await page.evaluate(({ gw, sip, uri }) => (window as any).addBackendBar(gw, 'agent1', sip, uri), { gw: gateway!.wsUrl, sip: kamailio.url, uri: `sip:${PHONE}@${SIP_DOMAIN}` });
});

test.afterAll(async () => {
  await stopServer(gateway);
  await emulator?.close();
  await closePhoneTest(home, kamailio, barContext, farContext);
});

test('two-step AgentCall: the bar answers the PBX leg by itself, audio flows, the call card is the backend\'s call', async () => {
  test.setTimeout(40_000);
  const bar = page.locator('agent-bar');
  await expect.poll(async () => (await snapshot()).connection, { timeout: 15_000 }).toBe('connected');
  await expect(bar.getByRole('region', { name: 'Phone' }).getByRole('status').first()).toHaveText('Phone ready', { timeout: 15_000 });
  await button('Log in').click();
  await expect(button('Not ready')).toBeEnabled({ timeout: 15_000 });

  const disconnected = page.evaluate(
    () => new Promise<any>((resolve) => document.querySelector('agent-bar')!.addEventListener('cti-call-disconnected', (e) => resolve((e as CustomEvent).detail.call), { once: true })),
  );
  await bar.getByRole('textbox', { name: 'Phone number' }).fill(CUSTOMER);
  await button('Dial').click();
  // uContact rang the agent's phone; the phone answered it without a click.
  await expect.poll(async () => (await farState()).established, { timeout: 10_000 }).toBe(true);
  expect(pbxLog).toEqual([`ring ${PHONE} for ${CUSTOMER}`]);
  await expect.poll(phoneCalls, { timeout: 5000 }).toEqual([{ state: 'talking', number: PBX, auto: 0 }]);

  // The call card is uContact's call: its GUID and the customer's number, one call only.
  const [guid] = ((await emulator.center.state()) as { calls: Array<{ guid: string }> }).calls.map((c) => c.guid);
  expect(await snapshot()).toMatchObject({ calls: [{ id: guid, state: 'dialing', number: CUSTOMER }] });
  await expect(bar.getByRole('button', { name: 'Answer phone' })).toHaveCount(0);

  // Audio both ways between the bar's phone and the PBX leg, on loopback.
  await expectAudioBothWays(barStats, farStats);

  // The quality indicator: sampled every 2 s during the call; loopback is good.
  await expect(bar.getByRole('status', { name: 'Audio quality' })).toHaveText('Audio good', { timeout: 5000 });
  await expect(bar.getByRole('status', { name: 'Audio quality' })).toHaveAttribute('title', /^loss \d+(\.\d)? %, jitter \d+(\.\d)? ms/);

  // The agent hangs up the backend's call: HangupPhone, and uContact clears the PBX leg.
  await button('Hang up').click();
  await expect.poll(async () => (await farState()).ended.length, { timeout: 10_000 }).toBe(1);
  expect(pbxLog).toEqual([`ring ${PHONE} for ${CUSTOMER}`, `clear ${PHONE}`]);
  await expect.poll(phoneCalls, { timeout: 5000 }).toEqual([]);
  const call = await disconnected;
  expect(call.id).toBe(guid);
  expect(call.quality).toMatchObject({ rating: 'good', lossPct: expect.any(Number), jitterMs: expect.any(Number), packetsReceived: expect.any(Number), packetsSent: expect.any(Number) });
  expect(call.quality.packetsReceived).toBeGreaterThan(50);
  expect(call.quality.lossPct).toBeLessThan(3);
});

test('a call to the phone without an auto-answer marker rings in the phone panel; the agent declines it', async () => {
  const bar = page.locator('agent-bar');
  const before = (await farState()).ended.length;
  await far.evaluate(({ u, to }) => (window as any).farEnd.call(u, to), { u: PBX, to: `sip:${PHONE}@${SIP_DOMAIN}` });
  await expect(bar.getByText(`Phone call from ${PBX}`)).toBeVisible({ timeout: 10_000 });
  expect(await phoneCalls()).toEqual([{ state: 'ringing', number: PBX }]);
  // Not a backend call: the call card has nothing.
  expect((await snapshot()).calls.filter((c) => c.state !== 'wrapup')).toEqual([]);
  await button('Decline phone').click();
  await expect.poll(async () => (await farState()).ended.length, { timeout: 5000 }).toBe(before + 1);
  expect((await farState()).ended.at(-1)).toMatch(/^remote:(Rejected|Declined)/);
  await expect.poll(phoneCalls, { timeout: 5000 }).toEqual([]);
});

test('a second tab: the phone stays registered in the first one, and moves to the second when the first closes', async () => {
  const second = await barContext.newPage();
  await second.exposeFunction('mintToken', (id: string) => issuer.issue(id));
  await second.exposeFunction('sipCredentials', () => ({ password: PHONE_PW }));
  await second.goto('/test/fixtures/phone/bar.html');
  await second.waitForFunction(() => (window as any).barsReady === true, undefined, { timeout: 10_000 });
  await second.evaluate(({ gw, sip, uri }) => (window as any).addBackendBar(gw, 'agent1', sip, uri), { gw: gateway!.wsUrl, sip: kamailio.url, uri: `sip:${PHONE}@${SIP_DOMAIN}` });
  const phoneState = (p: Page) => p.locator('agent-bar').getByRole('region', { name: 'Phone' }).getByRole('status').first();
  await expect(phoneState(second)).toHaveText('Phone in another tab', { timeout: 15_000 });
  await expect(phoneState(page)).toHaveText('Phone ready');
  // The PBX rings the agent's phone: the first tab's phone takes it, the second has none.
  await far.evaluate(({ u, to }) => (window as any).farEnd.call(u, to), { u: PBX, to: `sip:${PHONE}@${SIP_DOMAIN}` });
  await expect(page.locator('agent-bar').getByText(`Phone call from ${PBX}`)).toBeVisible({ timeout: 10_000 });
  await expect(second.locator('agent-bar').getByText(`Phone call from ${PBX}`)).toHaveCount(0);
  await page.locator('agent-bar').getByRole('button', { name: 'Decline phone', exact: true }).click();
  await expect.poll(phoneCalls, { timeout: 5000 }).toEqual([]);

  await page.close();
  page = second;
  await expect(phoneState(second)).toHaveText('Phone ready', { timeout: 15_000 });
});

/**
 * One tab owns the audio (issue 15): two tabs of one origin, each with `<agent-bar
 * connector="sip">` for the same phone. The tab-share leader (src/embed/tab-share.ts) alone opens
 * a WebSocket to the SIP server and registers; a far-end call rings once (one INVITE), in the leader's phone,
 * while the other tab mirrors the call; answered from the follower tab, the audio is the leader's.
 * When the leader tab closes, the other one registers and takes the next call.
 */
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { Kamailio, SIP_DOMAIN, SIP_USERS } from '../fixtures/phone/kamailio.ts';
import { mediaProbe } from '../fixtures/phone/media-probe.ts';
import { closePhoneTest, openFarEnd, openPhoneBar, over, phoneLaunch, type Stats } from '../fixtures/phone/phone-kit.ts';

const { home, launchOptions } = await phoneLaunch('phone-tabs-e2e');
test.use({ launchOptions });

const [AGENT, AGENT_PW] = SIP_USERS.agent;
const [FAR] = SIP_USERS.far;

let kamailio: Kamailio;
let farContext: BrowserContext;
let far: Page;
let context: BrowserContext;

/** Counts the page's WebSockets to the SIP server and the INVITEs they bring (the init script wraps the constructor). */
function countSockets(): void {
  const Native = window.WebSocket;
  const w = window as unknown as { sipSockets: number; sipInvites: number };
  w.sipSockets = 0;
  w.sipInvites = 0;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      if (![protocols].flat().includes('sip')) return;
      w.sipSockets += 1;
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.startsWith('INVITE ')) w.sipInvites += 1;
      });
    }
  } as typeof WebSocket;
}

const sockets = (p: Page) => p.evaluate(() => (window as any).sipSockets as number);
const invites = (p: Page) => p.evaluate(() => (window as any).sipInvites as number);
const peerConnections = (p: Page) => p.evaluate(() => ((window as any).peerConnections as RTCPeerConnection[]).length);
const snapshot = (p: Page) =>
  p.evaluate(() => {
    const s = document.querySelector('agent-bar')!.session!.snapshot;
    return { connection: s.connection, calls: s.calls.map((c) => ({ state: c.state, number: c.remote.number })) };
  });
const farState = () => far.evaluate((u) => (window as any).farEnd.state(u), FAR) as Promise<{ established: boolean; ended: string[]; incoming: number }>;

async function openTab(): Promise<Page> {
  const p = await openPhoneBar(context, kamailio, AGENT, () => ({ password: AGENT_PW }));
  await expect.poll(async () => (await snapshot(p)).connection, { timeout: 15_000 }).toBe('connected');
  return p;
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  kamailio = await Kamailio.start();
  ({ context: farContext, page: far } = await openFarEnd(browser, kamailio, SIP_USERS.far));
  context = await browser.newContext();
  await context.addInitScript(mediaProbe);
  await context.addInitScript(countSockets);
});

test.afterAll(() => closePhoneTest(home, kamailio, context, farContext));

test('two tabs: only the leader registers, a call rings once in its phone, the follower mirrors and answers through it', async () => {
  test.setTimeout(40_000);
  const leader = await openTab();
  const follower = await openTab();
  // The follower is connected through the leader: no SIP socket of its own.
  expect(await sockets(leader)).toBe(1);
  expect(await sockets(follower)).toBe(0);

  await far.evaluate(({ u, to }) => (window as any).farEnd.call(u, to), { u: FAR, to: `sip:${AGENT}@${SIP_DOMAIN}` });
  await expect.poll(async () => (await snapshot(follower)).calls, { timeout: 10_000 }).toEqual([{ state: 'ringing', number: FAR }]);
  expect((await snapshot(leader)).calls).toEqual([{ state: 'ringing', number: FAR }]);
  // One phone rang: one INVITE, in the leader's phone; none reached the follower.
  expect(await invites(leader)).toBe(1);
  expect(await invites(follower)).toBe(0);

  // Answered from the follower tab: the command goes through the leader, whose phone carries the audio.
  await follower.locator('agent-bar').getByRole('button', { name: 'Answer', exact: true }).click();
  await expect.poll(async () => (await farState()).established, { timeout: 10_000 }).toBe(true);
  await expect.poll(async () => (await snapshot(follower)).calls[0]?.state, { timeout: 5000 }).toBe('talking');
  const audio = await over(async () => (await leader.evaluate(() => (window as any).lastPeerStats())) as Stats, 1000);
  expect(audio.packets).toBeGreaterThan(20);
  expect(await peerConnections(leader)).toBe(1);
  expect(await peerConnections(follower)).toBe(0);
  expect(await sockets(follower)).toBe(0);

  await far.evaluate((u) => (window as any).farEnd.hangup(u), FAR);
  await expect.poll(async () => (await snapshot(follower)).calls, { timeout: 5000 }).toEqual([]);

  // The leader tab closes: the other one takes the lock, registers, and its phone takes the next call.
  await leader.close();
  await expect.poll(() => sockets(follower), { timeout: 15_000 }).toBe(1);
  await expect.poll(async () => (await snapshot(follower)).connection, { timeout: 15_000 }).toBe('connected');
  await expect
    .poll(
      async () => {
        // Kamailio may still hold the closed tab's registration for a moment: call until the new one answers the ring.
        if ((await snapshot(follower)).calls.length === 0) await far.evaluate(({ u, to }) => (window as any).farEnd.call(u, to), { u: FAR, to: `sip:${AGENT}@${SIP_DOMAIN}` });
        await new Promise((r) => setTimeout(r, 1000));
        return (await snapshot(follower)).calls[0]?.state;
      },
      { timeout: 15_000 },
    )
    .toBe('ringing');
  expect(await invites(follower)).toBeGreaterThanOrEqual(1);
  await follower.locator('agent-bar').getByRole('button', { name: 'Hang up', exact: true }).click();
  await expect.poll(async () => (await snapshot(follower)).calls, { timeout: 5000 }).toEqual([]);
});

/**
 * The bar never gives up on its backend (audit findings 12 and 13), proven in Chromium against
 * the real gateway:
 *  - a token refused on reconnect (the gateway closed the socket, or answered the held long-poll,
 *    at expiry and `getToken()` then handed back the stale token: 4401 / 401) shows why, fires `cti-token-needed`, and retries with backoff,
 *    calling `getToken()` again, until a fresh token gets the bar back to work;
 *  - a server that is down when the page loads: "Offline — retrying in N s" with a Retry button,
 *    retries that keep coming with growing delays, and a bar that connects by itself (or at once
 *    with Retry) once the server is up.
 */
import { test, expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { startServer, type RunningServer } from '../../server/app.ts';
import { createTokenIssuer } from '../../server/tokens.ts';

const SECRET = randomBytes(32).toString('hex');
const issuer = createTokenIssuer(SECRET);
let gateway: RunningServer | undefined;
// Real backoff delays (1 s doubling) make these tests wait for seconds on purpose; room for a loaded machine.
test.setTimeout(90_000);

test.afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** A port nothing listens on (yet): the gateway is started on it later. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Adds a gateway bar whose `getToken()` is the host's: it hands out the token it holds (cached,
 * as a host might) and asks the test for a new one only when it holds none. `forgetAfter`: how
 * many `cti-token-needed` events it takes before the host drops its stale token.
 */
async function addHostBar(page: Page, agentId: string, endpoint: string, options: { forgetAfter?: number; config?: Record<string, unknown> } = {}) {
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate(
    ({ agentId, endpoint, forgetAfter, config }) => {
      const w = window as any;
      w.tokenNeeded = [];
      w.tokenCalls = 0;
      let cached: string | undefined;
      const section = document.createElement('section');
      section.setAttribute('aria-label', `Agent ${agentId}`);
      const bar = document.createElement('agent-bar') as any;
      bar.setAttribute('connector', 'gateway');
      bar.setAttribute('endpoint', endpoint);
      bar.setAttribute('agent-id', agentId);
      bar.config = {
        ...config,
        getToken: async () => {
          w.tokenCalls++;
          cached ??= await w.mintToken(agentId);
          return cached;
        },
      };
      // Heard where a CRM page would listen: on the document (the event bubbles and is composed).
      document.addEventListener('cti-token-needed', (e: Event) => {
        const detail = (e as CustomEvent).detail;
        w.tokenNeeded.push({ detail, bubbles: e.bubbles, composed: e.composed });
        if (w.tokenNeeded.length >= forgetAfter) cached = undefined;
      });
      section.append(bar);
      document.body.append(section);
    },
    { agentId, endpoint, forgetAfter: options.forgetAfter ?? 1, config: options.config ?? {} },
  );
  return page.getByRole('region', { name: `Agent ${agentId}` });
}

const snapshot = (page: Page) => page.evaluate(() => {
  const s = (document.querySelector('agent-bar') as any).session.snapshot;
  return { connection: s.connection as string, retryAt: s.retryAt as number | undefined, error: s.lastError?.message as string | undefined };
});

for (const transport of ['websocket', 'polling'] as const) test(`a token refused on reconnect (${transport}): the agent is told, the host is asked for a fresh token, and the bar retries`, async ({ page }) => {
  gateway = await startServer({ port: 0, host: '127.0.0.1', gateway: true, tokenSecret: SECRET });
  const endpoint = transport === 'websocket' ? gateway.wsUrl : gateway.url;
  const minted: string[] = [];
  // The first token lives 3 s (the gateway closes the socket then); the next ones 15 minutes.
  await page.exposeFunction('mintToken', async (agentId: string) => {
    const token = await issuer.issue(agentId, minted.length === 0 ? 3 : 900);
    minted.push(token);
    return token;
  });
  // The host keeps handing out its expired token until the third cti-token-needed (so the bar
  // stays offline for a few seconds: 1 s, then 2 s, then 4 s between attempts).
  const bar = await addHostBar(page, '4201', endpoint, { forgetAfter: 3 });
  await expect(bar.getByRole('button', { name: 'Log in', exact: true })).toBeEnabled();
  await bar.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Ready', exact: true })).toBeEnabled();

  // Refused on reconnect: not a silent "Offline".
  const alert = bar.getByRole('alert');
  await expect(alert).toContainText("The gateway refused the agent's token", { timeout: 15_000 });
  await expect(alert).toContainText(/expired/i);
  await expect(bar.getByText(/^Offline — retrying in \d+ s$/)).toBeVisible();
  await expect(bar.getByRole('button', { name: 'Retry', exact: true })).toBeVisible();

  // It retried with backoff, asking getToken() each time, until the host had a fresh token.
  await expect.poll(() => snapshot(page).then((s) => s.connection), { timeout: 30_000 }).toBe('connected');
  const heard = await page.evaluate(() => (window as any).tokenNeeded as Array<{ detail: any; bubbles: boolean; composed: boolean }>);
  expect(heard.length).toBe(3);
  for (const { detail, bubbles, composed } of heard) {
    expect(bubbles && composed).toBe(true);
    expect(detail.error.code).toBe('UNAUTHORIZED');
    expect(detail.error.message).toMatch(/expired/i);
    expect(detail.retryInMs).toBeGreaterThan(0);
    expect(detail.retryInMs).toBeLessThanOrEqual(39_000); // capped: 30 s + 30 % jitter
  }
  // The waits grow (backoff: 1 s, 2 s, 4 s, each ±30 %).
  expect(heard[2]!.detail.retryInMs).toBeGreaterThan(heard[0]!.detail.retryInMs);
  expect(await page.evaluate(() => (window as any).tokenCalls)).toBeGreaterThanOrEqual(5);
  expect(minted).toHaveLength(2);
  // No token in any event, and the alert is gone once the bar is back.
  expect(JSON.stringify(heard)).not.toContain(minted[0]!);
  await expect(alert).toBeEmpty();
  await expect(bar.getByRole('button', { name: 'Retry', exact: true })).toHaveCount(0);

  // Back at work on the fresh token, where it was left (logged in, resumed from its cursor).
  await expect(bar.getByRole('button', { name: 'Ready', exact: true })).toBeEnabled();
  await bar.getByRole('button', { name: 'Ready', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Not ready', exact: true })).toBeEnabled();
});

test('server down at page load: "Offline — retrying in N s", retries keep coming, and the bar connects by itself', async ({ page }) => {
  const port = await freePort();
  await page.exposeFunction('mintToken', (agentId: string) => issuer.issue(agentId, 900));
  // Each attempt gives up after 2 s: the old bar stayed offline for good after its first one.
  const bar = await addHostBar(page, '4202', `ws://127.0.0.1:${port}/ws`, { config: { connectTimeoutMs: 2000 } });
  await expect(bar.getByText(/^Offline — retrying in \d+ s$/)).toBeVisible({ timeout: 15_000 });
  await expect(bar.getByRole('button', { name: 'Retry', exact: true })).toBeVisible();
  await expect(bar.getByRole('alert')).toContainText(/could not reach the server/i);
  await expect(bar.getByRole('button', { name: 'Log in', exact: true })).toBeDisabled();

  // Three failed attempts, each followed by another scheduled one.
  const retries = new Set<number>();
  await expect
    .poll(async () => {
      const s = await snapshot(page);
      if (s.retryAt !== undefined) retries.add(s.retryAt);
      return retries.size;
    }, { timeout: 30_000, intervals: [100] })
    .toBeGreaterThanOrEqual(3);

  gateway = await startServer({ port, host: '127.0.0.1', gateway: true, tokenSecret: SECRET });
  await expect.poll(() => snapshot(page).then((s) => s.connection), { timeout: 30_000 }).toBe('connected');
  await expect(bar.getByText('Connected', { exact: true })).toBeVisible();
  await expect(bar.getByRole('alert')).toBeEmpty();
  await bar.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Ready', exact: true })).toBeEnabled();
});

test('server down at page load: Retry connects at once once the server is up', async ({ page }) => {
  const port = await freePort();
  await page.exposeFunction('mintToken', (agentId: string) => issuer.issue(agentId, 900));
  const bar = await addHostBar(page, '4203', `ws://127.0.0.1:${port}/ws`, { config: { connectTimeoutMs: 1500 } });
  // Wait for a retry scheduled far enough ahead that connecting before it proves the button.
  let scheduled = 0;
  await expect
    .poll(async () => {
      const s = await snapshot(page);
      scheduled = s.retryAt ?? 0;
      return scheduled - Date.now();
    }, { timeout: 45_000, intervals: [100] })
    .toBeGreaterThan(4000);
  gateway = await startServer({ port, host: '127.0.0.1', gateway: true, tokenSecret: SECRET });
  await bar.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect.poll(() => snapshot(page).then((s) => s.connection), { timeout: 15_000 }).toBe('connected');
  // Connected before the retry that was scheduled: the button did it.
  expect(Date.now()).toBeLessThan(scheduled);
  await expect(bar.getByRole('button', { name: 'Retry', exact: true })).toHaveCount(0);
});

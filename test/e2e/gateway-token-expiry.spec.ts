/**
 * A gateway grant lasts as long as its token, not as long as the socket (audit findings 4, 5):
 * a token issued in the future is refused; an open WebSocket is closed at the token's `exp` with
 * a "reconnect" code (4001, not the final 4401); a held long-poll answers by then; and the bar
 * reconnects on its own, asking its `getToken()` again, and carries on working.
 */
import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { startServer, type RunningServer } from '../../server/app.ts';
import { createTokenIssuer, TOKEN_AUDIENCE } from '../../server/tokens.ts';
import { RecordingClient, getJson } from './server-test-kit.ts';

const SECRET = randomBytes(32).toString('hex');
const issuer = createTokenIssuer(SECRET);
let gateway: RunningServer;

test.beforeEach(async () => {
  gateway = await startServer({ gateway: true, tokenSecret: SECRET });
});

test.afterEach(async () => {
  await gateway?.close();
});

test('a token issued in the future is refused (4401) even though its lifetime is short', async () => {
  const iat = Math.floor(Date.now() / 1000) + 365 * 24 * 3600;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('4001')
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 900)
    .sign(new TextEncoder().encode(SECRET));
  const client = await RecordingClient.open(gateway.wsUrl);
  const reply = await client.hello('4001', { token });
  expect(reply.t).toBe('error');
  expect(reply.error.code).toBe('UNAUTHORIZED');
  expect(reply.error.message).toMatch(/future/);
  expect(await client.waitForClose()).toBe(4401);
  expect(gateway.registry.get('4001')).toBeUndefined();
});

test('an open socket is closed when its token expires, with a code that says "reconnect"', async () => {
  const client = await RecordingClient.open(gateway.wsUrl);
  const welcome = await client.hello('4002', { token: await issuer.issue('4002', 2) });
  expect(welcome.t).toBe('welcome');
  const login = await client.command('l', 'login');
  expect(login.ok).toBe(true);
  const started = Date.now();
  const code = await client.waitForClose(6000);
  expect(code).toBe(4001);
  expect(client.closeReason).toMatch(/expired/i);
  expect(Date.now() - started).toBeLessThan(4000);
});

test('a held long-poll answers by the time its token expires', async () => {
  const auth = { Authorization: `Bearer ${await issuer.issue('4003', 2)}` };
  const first = await getJson(`${gateway.url}/api/agents/4003/events?after=0`, auth);
  expect(first.status).toBe(200);
  const started = Date.now();
  const held = await fetch(`${gateway.url}/api/agents/4003/events?after=${first.body.seq}&wait=30000`, {
    headers: auth,
    signal: AbortSignal.timeout(8000),
  });
  expect(held.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(4000);
});

test('the bar reconnects with a fresh token from getToken() when the gateway closes at expiry', async ({ page }) => {
  const minted: number[] = [];
  // The first token is short-lived; the ones asked for on reconnect last the full 15 minutes.
  await page.exposeFunction('mintToken', async (agentId: string) => {
    minted.push(Date.now());
    return issuer.issue(agentId, minted.length === 1 ? 3 : 900);
  });
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  await page.evaluate((endpoint) => (window as any).addMintingBar('4004', endpoint), gateway.wsUrl);
  const bar = page.getByRole('region', { name: 'Agent 4004' });
  await expect(bar.getByRole('button', { name: 'Log in', exact: true })).toBeEnabled();
  expect(minted).toHaveLength(1);
  // The gateway closes the socket at the first token's expiry; the bar asks for another.
  await expect.poll(() => minted.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  await expect
    .poll(() => page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.connection), { timeout: 10_000 })
    .toBe('connected');
  // Still a working bar on the new token.
  await bar.getByRole('button', { name: 'Log in', exact: true }).click();
  await bar.getByRole('button', { name: 'Ready', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Not ready', exact: true })).toBeEnabled();
  const res = await fetch(`${gateway.url}/control/4004/offer-call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.issue('4004')}` },
    body: JSON.stringify({ number: '+442079460111', name: 'After Expiry' }),
  });
  expect(res.status).toBe(200);
  await bar.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect(bar.getByRole('button', { name: 'Hold', exact: true })).toBeEnabled();
  expect(minted).toHaveLength(2);
});

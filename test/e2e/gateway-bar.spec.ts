/**
 * Gateway mode seen from the browser: `<agent-bar connector="gateway">` with a short-lived signed
 * token. Two agents on one gateway each see only their own calls; a forged, expired or other
 * agent's token is refused with a readable message and shows no agent state.
 */
import { test, expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { startServer, type RunningServer } from '../../server/app.ts';
import { createTokenIssuer, TOKEN_AUDIENCE } from '../../server/tokens.ts';

const SECRET = randomBytes(32).toString('hex');
let gateway: RunningServer;
const issuer = createTokenIssuer(SECRET);

test.beforeEach(async () => {
  gateway = await startServer({ port: 0, host: '127.0.0.1', gateway: true, tokenSecret: SECRET });
});

test.afterEach(async () => {
  await gateway?.close();
});

async function addBar(page: Page, agentId: string, token: string) {
  await page.evaluate(({ agentId, endpoint, token }) => (window as any).addBar(agentId, endpoint, token), {
    agentId,
    endpoint: gateway.wsUrl,
    token,
  });
  return page.getByRole('region', { name: `Agent ${agentId}` });
}

async function control(agentId: string, action: string, body: unknown) {
  const res = await fetch(`${gateway.url}/control/${agentId}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.issue(agentId)}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

test('two agents on one gateway each see only their own calls', async ({ page }) => {
  await page.goto('/test/fixtures/gateway-bars.html');
  await page.waitForFunction(() => (window as any).barsReady === true);
  const alice = await addBar(page, '3001', await issuer.issue('3001'));
  const bob = await addBar(page, '3002', await issuer.issue('3002'));
  for (const bar of [alice, bob]) {
    await bar.getByRole('button', { name: 'Log in', exact: true }).click();
    await bar.getByRole('button', { name: 'Ready', exact: true }).click();
    await expect(bar.getByRole('button', { name: 'Not ready', exact: true })).toBeEnabled();
  }
  await control('3001', 'offer-call', { number: '+442079460111', name: 'Alice Customer' });
  await expect(alice.getByRole('button', { name: 'Answer', exact: true })).toBeEnabled();
  await expect(alice.getByText('Alice Customer').first()).toBeVisible();
  await control('3002', 'offer-call', { number: '+442079460222', name: 'Bob Customer' });
  await expect(bob.getByText('Bob Customer').first()).toBeVisible();
  // Neither bar ever shows the other agent's customer.
  await expect(alice.getByText('Bob Customer')).toHaveCount(0);
  await expect(bob.getByText('Alice Customer')).toHaveCount(0);
  await alice.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect(alice.getByRole('button', { name: 'Hold', exact: true })).toBeEnabled();
  await expect(bob.getByRole('button', { name: 'Answer', exact: true })).toBeEnabled();
});

for (const [what, token] of [
  ['forged (wrong secret)', async () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('3001').setAudience(TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(randomBytes(32))],
  ['expired', async () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('3001').setAudience(TOKEN_AUDIENCE).setIssuedAt(Math.floor(Date.now() / 1000) - 600).setExpirationTime(Math.floor(Date.now() / 1000) - 300).sign(new TextEncoder().encode(SECRET))],
  ["another agent's", () => issuer.issue('3002')],
  ['garbage', async () => 'hello'],
] as const) {
  test(`gateway refuses the token (${what}) with a readable message`, async ({ page }) => {
    await page.goto('/test/fixtures/gateway-bars.html');
    await page.waitForFunction(() => (window as any).barsReady === true);
    const value = await token();
    const bar = await addBar(page, '3001', value);
    await expect(bar.getByRole('alert')).not.toBeEmpty();
    const message = (await bar.getByRole('alert').textContent()) ?? '';
    expect(message.length).toBeGreaterThan(10);
    expect(message, 'the refusal never echoes the token').not.toContain(value);
    await expect(bar.getByRole('button', { name: 'Log in', exact: true })).toBeDisabled();
    // The refused agent got no state from the gateway.
    expect(await page.evaluate(() => document.querySelector('agent-bar')!.session!.snapshot.connection)).not.toBe('connected');
  });
}

/**
 * The visible bar through server crashes: `<agent-bar connector="server">` in a real page, the
 * reference server killed (SIGKILL) with a call on hold and restarted on the same port and
 * STATE_FILE, a few times. Each time the bar shows the server's state again (the held call:
 * `Retrieve` enabled) within 2 s of reconnecting.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { control, freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';
import { serverView } from '../fixtures/state-views.ts';

const AGENT = 'bar9';

test('the bar shows the server state again within 2 s of reconnecting after a crash', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'ws-bar-'));
  const port = await freePort();
  const env = { STATE_FILE: join(dir, 'state.json'), CONNECTOR_CONFIG: '{"latencyMs":0}' };
  let server: ServerProcess | undefined = await launchServer({ port, env });
  const snapshot = (): Promise<any> => page.evaluate(() => (document.querySelector('agent-bar') as any).session?.snapshot);
  try {
    await page.goto(`/test/fixtures/server-bar.html?endpoint=${encodeURIComponent(server.wsUrl)}&agent=${AGENT}`);
    await expect.poll(async () => (await snapshot())?.connection, { timeout: 10_000 }).toBe('connected');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(async () => (await snapshot()).agent.state).toBe('notReady');
    await page.getByRole('button', { name: 'Ready', exact: true }).click();
    await expect.poll(async () => (await snapshot()).agent.state).toBe('ready');

    for (let round = 0; round < 3; round++) {
      await control(server.httpUrl, AGENT, 'offer-call', { number: `+1555020${round}`, name: `Round ${round}` });
      await page.getByRole('button', { name: 'Answer' }).click();
      await page.getByRole('button', { name: 'Hold' }).click();
      await expect(page.getByRole('button', { name: 'Retrieve' })).toBeEnabled();

      await stopServer(server, 'SIGKILL');
      server = undefined;
      await expect.poll(async () => (await snapshot()).connection, { timeout: 10_000 }).not.toBe('connected');
      server = await launchServer({ port, env });
      await expect.poll(async () => (await snapshot()).connection, { timeout: 15_000 }).toBe('connected');
      const reconnectedAt = Date.now();
      const truth = await serverView(server.httpUrl, AGENT);
      const held = truth.calls.some((c) => c.state === 'held');
      // Whatever the server kept is what the bar shows, within 2 s.
      await expect.poll(async () => (await snapshot()).calls.map((c: any) => c.state), { timeout: 2000 }).toEqual(truth.calls.map((c) => c.state));
      if (held) await expect(page.getByRole('button', { name: 'Retrieve' })).toBeEnabled({ timeout: 2000 });
      expect(Date.now() - reconnectedAt).toBeLessThan(2500);

      await control(server.httpUrl, AGENT, 'customer-hangup');
      await expect.poll(async () => (await snapshot()).calls.map((c: any) => c.state).join()).toMatch(/^(wrapup)?$/);
      const s = await snapshot();
      if (s.calls.length > 0) {
        await page.evaluate((code) => (document.querySelector('agent-bar') as any).session.command('wrapUp', { code }), s.dispositions[0].code);
        await expect.poll(async () => (await snapshot()).calls.length).toBe(0);
      }
      if ((await snapshot()).agent.state !== 'ready') {
        await page.evaluate(() => (document.querySelector('agent-bar') as any).session.command('ready', {}));
        await expect.poll(async () => (await snapshot()).agent.state).toBe('ready');
      }
    }
  } finally {
    await stopServer(server, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

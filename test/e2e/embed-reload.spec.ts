/**
 * A page reload loses nothing: mid-call and mid-wrap-up, on the in-page simulator (its state is in
 * the tab's sessionStorage) and on the reference server (the server's snapshot), the bar comes back
 * to the same call, the same timers and the wrap-up form.
 */
import { test, expect, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../../server/app.ts';

let backend: RunningServer;
test.beforeAll(async () => {
  backend = await startServer({ port: 0, host: '127.0.0.1' });
});
test.afterAll(async () => {
  await backend?.close();
});

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const seconds = (text: string | null) => {
  const m = /(\d+):(\d\d)/.exec(text ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

type Backend = { name: string; params: (agent: string) => Record<string, string>; offer: (page: Page, agent: string) => Promise<void> };

const BACKENDS: Backend[] = [
  {
    name: 'simulator',
    params: (agent) => ({ agent }),
    offer: (page) =>
      page.evaluate(() =>
        document.querySelector('agent-bar')!.simulator!.offerCall({
          number: '+442079460321',
          name: 'Katherine Johnson',
          fields: [
            { key: 'acct', label: 'Account', value: 'A-77', type: 'readOnly' },
            { key: 'card', label: 'Card', value: '4111111111111111', type: 'maskedWrite' },
          ],
        }),
      ),
  },
  {
    name: 'server',
    params: (agent) => ({ agent, connector: 'server', endpoint: backend.wsUrl }),
    offer: async (_page, agent) => {
      const res = await fetch(`${backend.url}/control/${agent}/offer-call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number: '+442079460321', name: 'Katherine Johnson' }),
      });
      expect(res.ok).toBe(true);
    },
  },
];

for (const b of BACKENDS) {
  test(`${b.name}: a reload mid-call and mid-wrap-up comes back to the same call, timers and form`, async ({ page }) => {
    const agent = `reload-${b.name}-${Date.now() % 100000}`;
    await page.goto(`/test/fixtures/reload-page.html?${new URLSearchParams(b.params(agent))}`);
    await button(page, 'Log in').click();
    await button(page, 'Ready').click();
    await expect(button(page, 'Not ready')).toBeEnabled();
    await b.offer(page, agent);
    await button(page, 'Answer').click();
    await expect(button(page, 'Hold')).toBeEnabled();
    const talk = page.getByRole('timer', { name: 'Talk time' });
    await expect.poll(async () => seconds(await talk.textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    await page.reload();
    await expect(page.getByText('Katherine Johnson').first()).toBeVisible();
    await expect(button(page, 'Hang up')).toBeEnabled();
    // The talk timer goes on from where it was (not from 0).
    expect(seconds(await talk.textContent())).toBeGreaterThanOrEqual(2);
    if (b.name === 'simulator') {
      // The tab's sessionStorage holds the call, never the masked value; localStorage holds nothing.
      const storage = await page.evaluate(() => ({ session: JSON.stringify({ ...sessionStorage }), local: localStorage.length }));
      expect(storage.local).toBe(0);
      expect(storage.session).toContain('Katherine Johnson');
      expect(storage.session).not.toContain('4111111111111111');
    }

    await button(page, 'Hang up').click();
    await expect(button(page, 'Wrap up')).toBeVisible();
    const wrap = page.getByRole('timer', { name: /Wrap-up time/ });
    const before = seconds(await wrap.textContent());
    await page.waitForTimeout(1100);
    await page.reload();
    await expect(button(page, 'Wrap up')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Notes' })).toBeVisible();
    // The wrap-up timer continued across the reload (counting down or up, it moved on, not reset).
    const after = seconds(await wrap.textContent());
    expect(after).not.toBe(before);
    expect(Math.abs(after - before)).toBeGreaterThanOrEqual(1);
    await page.getByRole('radio').first().check();
    await button(page, 'Wrap up').click();
    await expect(button(page, 'Not ready')).toBeEnabled();
    await page.reload();
    await expect(button(page, 'Not ready')).toBeEnabled();
    // No call after the reload: no call controls.
    await expect(button(page, 'Hang up')).toHaveCount(0);
  });
}

test('removing the bar ends the simulated session: a new bar starts logged out', async ({ page }) => {
  await page.goto('/test/fixtures/reload-page.html?agent=reload-remove');
  await button(page, 'Log in').click();
  await expect(button(page, 'Ready')).toBeEnabled();
  await page.evaluate(() => {
    const bar = document.querySelector('agent-bar')!;
    bar.remove();
    document.body.append(bar);
  });
  await expect(button(page, 'Log in')).toBeEnabled();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});

/**
 * The demo switches between the in-page simulator and the reference server, over WebSocket,
 * long-polling and interval polling: the same bar, the same simulator control panel (it drives the
 * server's control API through `bar.simulator`), real sockets and real HTTP on 127.0.0.1.
 */
import { test, expect, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../../server/app.ts';

let server: RunningServer;

// A fresh server per test: the demo's agent id is fixed, so a shared server would carry state over.
test.beforeEach(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1' });
});

test.afterEach(async () => {
  await server?.close();
});

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** As a person does it: pick the backend, then the server URL box appears; type the URL. */
async function chooseBackend(page: Page, label: string) {
  await page.getByLabel('Backend').selectOption({ label });
  await page.getByLabel('Server URL').fill(server.url);
  await page.getByLabel('Server URL').dispatchEvent('change');
}

async function useBackend(page: Page, label: string) {
  await page.goto('/');
  await chooseBackend(page, label);
  await expect(page.getByRole('status').filter({ hasText: `Backend: ${label}.` })).toBeVisible();
}

for (const label of ['Server (WebSocket)', 'Server (long-polling)', 'Server (interval polling)']) {
  test(`the demo drives the reference server: ${label}`, async ({ page }) => {
    await useBackend(page, label);
    const logIn = button(page, 'Log in');
    await expect(logIn).toBeEnabled();
    await logIn.click();
    await expect(button(page, 'Ready')).toBeEnabled();
    await button(page, 'Ready').click();
    await expect(button(page, 'Not ready')).toBeEnabled();

    await button(page, 'Inbound call').click();
    await expect(button(page, 'Answer')).toBeEnabled();
    await button(page, 'Answer').click();
    await expect(button(page, 'Hold')).toBeEnabled();
    await button(page, 'Hold').click();
    await expect(button(page, 'Retrieve')).toBeEnabled();
    // Held: Retrieve takes Hold's place.
    await expect(button(page, 'Hold')).toHaveCount(0);

    // The server holds the state, not the page: a reload shows the held call again.
    await page.reload();
    await chooseBackend(page, label);
    await expect(button(page, 'Retrieve')).toBeEnabled();
    await button(page, 'Retrieve').click();
    await expect(button(page, 'Hold')).toBeEnabled();

    await button(page, 'Customer hangs up').click();
    await expect(page.getByRole('radio').first()).toBeVisible();
    await page.getByRole('radio').first().check();
    await button(page, 'Wrap up').click();
    await expect(button(page, 'Hang up')).toHaveCount(0);
    await button(page, 'Not ready').click();
    await page.getByRole('menuitem').first().click();
    await expect(button(page, 'Log out')).toBeEnabled();
    await button(page, 'Log out').click();
    await expect(button(page, 'Log in')).toBeEnabled();
  });
}

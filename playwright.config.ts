import { defineConfig } from '@playwright/test';
import { findBrowser, CHROMIUM_ARGS } from './scripts/find-browser.mjs';

const executablePath = await findBrowser();
const port = Number(process.env.E2E_PORT ?? 5199);

export default defineConfig({
  testDir: 'test/e2e',
  workers: 2,
  timeout: 60_000,
  forbidOnly: true,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    env: { AGENT_BAR_E2E: '1' },
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

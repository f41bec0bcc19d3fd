// Finds a Chromium/Chrome binary for the test runners, so `npm test` works here (Debian's
// /usr/bin/chromium), on a developer laptop (installed Chrome) and in CI images that ran
// `npx playwright install` (Playwright's own build). Order: explicit env var, system, Playwright.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/** Flags that make Chromium start as root in a closed sandbox without phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function onPath(name) {
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function playwrightOwn() {
  try {
    const { chromium } = await import('playwright');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** @returns {Promise<string>} */
export async function findBrowser() {
  const fromEnv = process.env.CHROMIUM_PATH || process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points at ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const found =
    CANDIDATES.find((p) => existsSync(p)) ??
    onPath('chromium') ??
    onPath('chromium-browser') ??
    onPath('google-chrome') ??
    (await playwrightOwn());
  if (!found) {
    throw new Error(
      'No Chromium or Chrome found. Install one (Debian: `apt-get install -y chromium`; ' +
        'elsewhere: `npx playwright install chromium`) or set CHROMIUM_PATH to its binary.',
    );
  }
  return found;
}

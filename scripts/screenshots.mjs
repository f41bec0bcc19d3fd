// `npm run screenshots`: every main state of the bar in every theme and both layouts, rendered by
// Chromium from the built bundle (dist/agent-bar.js on the in-page simulator) into
// docs/screenshots/<state>-<theme>-<layout>.png. Browser: $CHROMIUM_PATH, the system's or
// Playwright's (scripts/find-browser.mjs, as the tests). Every wait has a time limit.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { findBrowser, CHROMIUM_ARGS } from './find-browser.mjs';
import { startStaticServer } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}docs/screenshots`;
const THEMES = ['light', 'dark', 'salesforce', 'dynamics'];
/** The panel of a CRM's softphone slot and the strip across the top of a CRM page. */
const LAYOUTS = { panel: 340, strip: 960 };
/** Each state, reached from a fresh bar through the session (the simulator answers at once). */
const STATES = {
  ready: async (bar) => {
    await bar.session.command('login', {});
    await bar.session.command('ready', {});
  },
  ringing: async (bar) => {
    await STATES.ready(bar);
    bar.simulator.offerCall({ number: '+442079460555', name: 'Grace Hopper' });
    await until(() => bar.session.snapshot.capabilities.answer);
  },
  talking: async (bar) => {
    await STATES.ringing(bar);
    await bar.session.command('answer', {});
  },
  wrapup: async (bar) => {
    await STATES.talking(bar);
    await bar.session.command('hangup', {});
    await until(() => bar.session.snapshot.calls[0]?.state === 'wrapup');
  },
};

if (!process.argv.includes('--no-build')) execFileSync('npm', ['run', '--silent', 'build:bundle'], { cwd: root, stdio: 'inherit' });
mkdirSync(out, { recursive: true });
const server = await startStaticServer({ root });
const browser = await chromium.launch({ executablePath: await findBrowser(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  page.setDefaultTimeout(15_000);
  for (const [state, reach] of Object.entries(STATES)) {
    for (const theme of THEMES) {
      for (const [layout, width] of Object.entries(LAYOUTS)) {
        await page.goto(`${server.url}/scripts/screenshot-page.html`);
        await page.evaluate(
          async ({ theme, width }) => {
            const bar = document.querySelector('agent-bar');
            bar.config = { latencyMs: 0, persist: false };
            bar.setAttribute('theme', theme);
            document.getElementById('box').style.width = `${width}px`;
            await customElements.whenDefined('agent-bar');
          },
          { theme, width },
        );
        await page.waitForFunction(() => document.querySelector('agent-bar').session?.snapshot.capabilities.login === true);
        await page.evaluate(`(async () => {
          const until = async (ok) => { for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20)); if (!ok()) throw new Error('state not reached'); };
          const STATES = {${Object.entries(STATES).map(([k, f]) => `${k}: ${f.toString()}`).join(',')}};
          await STATES[${JSON.stringify(state)}](document.querySelector('agent-bar'));
        })()`);
        // The lazy wrap-up form, and two frames for the last render.
        if (state === 'wrapup') await page.waitForFunction(() => customElements.get('disposition-picker') !== undefined);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const file = `${out}/${state}-${theme}-${layout}.png`;
        await page.locator('#box').screenshot({ path: file });
        console.log(file.slice(root.length));
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}

/** Placeholder for the page-side helper of STATES (serialised into the page, never called here). */
function until() {
  throw new Error('runs in the page only');
}

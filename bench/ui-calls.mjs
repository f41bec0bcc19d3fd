// Whole calls through the demo's real UI, by clicks, in headless Chromium; then what the page holds
// after a forced GC. This is how an agent uses the bar for eight hours, so it is where a per-call
// leak shows: `Memory.getDOMCounters` counts every DOM node and listener still alive, detached
// ones included (a count of the live tree cannot see a detached section that something still holds).
//
// One call: the simulator panel's `Inbound call` → `Answer` → `Hang up` → a disposition →
// `Wrap up` (Playwright clicks, which wait for the control to be visible, enabled and still).
import { chromium } from 'playwright';
import { findBrowser, CHROMIUM_ARGS } from '../scripts/find-browser.mjs';

// Frames as fast as the machine allows: every Playwright click waits for animation frames (the
// element must be still) and for the input to be acknowledged, so at 60 Hz the frame rate, not the
// bar, would set the pace of 5,000 clicks.
const UNTHROTTLED = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

/**
 * Every DOM node, JS event listener and document alive in the page, and the JS heap, after GC.
 * Two collections: the first may only run finalizers that free more on the second.
 * @param {import('playwright').CDPSession} cdp
 */
export async function countersAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const heap = await cdp.send('Runtime.getHeapUsage');
  return { nodes: dom.nodes, listeners: dom.jsEventListeners, documents: dom.documents, heapBytes: heap.usedSize };
}

/**
 * @param {{ url: string, calls: number, warmUpCalls?: number, timeLimitMs: number, log?: (line: string) => void }} options
 *   `url`: the built demo page; `timeLimitMs` bounds the measured loop (the report then says how
 *   many calls it managed, and the caller's budget on the call count fails).
 */
export async function runUiCalls({ url, calls, warmUpCalls = 30, timeLimitMs, log = () => {} }) {
  const browser = await chromium.launch({ executablePath: await findBrowser(), args: [...CHROMIUM_ARGS, ...UNTHROTTLED] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const bar = page.locator('agent-bar');
    await page.waitForFunction(() => document.querySelector('agent-bar')?.session?.snapshot?.connection === 'connected');
    // No artificial backend latency: measure the bar, not the simulator's 20 ms per command.
    await page.evaluate(() => {
      document.querySelector('agent-bar').config = { latencyMs: 0 };
    });
    await page.waitForFunction(() => document.querySelector('agent-bar')?.session?.snapshot?.connection === 'connected');

    const button = (name) => bar.getByRole('button', { name, exact: true });
    const inbound = page.locator('sim-panel').getByRole('button', { name: 'Inbound call', exact: true });
    const form = bar.getByRole('region', { name: 'Wrap-up', exact: true });
    const disposition = form.getByRole('radio').first();
    await button('Log in').click();
    await button('Ready').click();
    await page.waitForFunction(() => document.querySelector('agent-bar').session.snapshot.agent.state === 'ready');

    await page.evaluate(() => {
      window.__wrapUps = 0;
      document.addEventListener('cti-wrapup-completed', () => window.__wrapUps++);
    });
    const oneCall = async () => {
      await inbound.click();
      await button('Answer').click();
      await button('Hang up').click();
      await disposition.click();
      await button('Wrap up').click();
      await form.waitFor({ state: 'detached' });
    };

    // Warm-up: the demo's event log fills to its cap (200 lines) and every code path has run once.
    for (let i = 0; i < warmUpCalls; i++) await oneCall();
    const cdp = await page.context().newCDPSession(page);
    const before = await countersAfterGc(cdp);
    const wrapUpsBefore = await page.evaluate(() => window.__wrapUps);
    const start = Date.now();
    let done = 0;
    while (done < calls && Date.now() - start < timeLimitMs) {
      await oneCall();
      done++;
      if (done % 100 === 0) log(`  ${done} calls through the UI (${((Date.now() - start) / 1000).toFixed(0)} s)`);
    }
    const elapsedS = (Date.now() - start) / 1000;
    const completed = (await page.evaluate(() => window.__wrapUps)) - wrapUpsBefore;
    const after = await countersAfterGc(cdp);
    const pct = (a, b) => (b === 0 ? 0 : +(((a - b) / b) * 100).toFixed(2));
    return {
      calls: done,
      wrapUpsCompleted: completed,
      elapsedS: +elapsedS.toFixed(1),
      msPerCall: done ? +((elapsedS * 1000) / done).toFixed(0) : 0,
      before,
      after,
      nodeGrowthPct: pct(after.nodes, before.nodes),
      listenerGrowthPct: pct(after.listeners, before.listeners),
      heapGrowthBytes: after.heapBytes - before.heapBytes,
      pageErrors: errors.slice(0, 5),
    };
  } finally {
    await browser.close();
  }
}

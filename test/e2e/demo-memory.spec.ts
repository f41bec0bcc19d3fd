/**
 * Memory over many calls, measured the way Chromium sees it: whole calls through the demo's UI by
 * clicks, then a forced GC and `Memory.getDOMCounters` (every node and JS listener alive, detached
 * ones included). A per-call leak — the wrap-up form or the transfer dialog kept alive after Lit
 * removed it — grows these counts by about a hundred nodes per call; a bar that leaks nothing
 * stays flat. Not timed: the figures for 1,000 calls are in `npm run bench`.
 */
import type { CDPSession, Page } from '@playwright/test';
import { expect, test, bar, control, loginReady, openDemo, region, simButton, transferDialog } from './demo-kit.ts';

const MEASURED_CALLS = 30;

async function countersAfterGc(cdp: CDPSession): Promise<{ nodes: number; listeners: number }> {
  // Twice: objects freed by the first collection's finalizers go in the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const dom = await cdp.send('Memory.getDOMCounters');
  return { nodes: dom.nodes, listeners: dom.jsEventListeners };
}

/** One call: offered, answered, a transfer destination chosen and the dialog closed, hung up, wrapped up. */
async function oneCall(page: Page): Promise<void> {
  await simButton(page, 'Inbound call').click();
  await control(page, 'Answer').click();
  await control(page, 'Transfer').click();
  await transferDialog(page).getByRole('radio', { name: 'Billing desk', exact: true }).check();
  await control(page, 'Close').click();
  await expect(transferDialog(page)).toHaveCount(0);
  await control(page, 'Hang up').click();
  const form = region(page, 'Wrap-up');
  await form.getByRole('radio', { name: 'Sale', exact: true }).check();
  await control(page, 'Wrap up').click();
  await expect(form).toHaveCount(0);
}

test('30 calls through the UI leave no DOM nodes or listeners behind', async ({ page }) => {
  test.setTimeout(240_000);
  await openDemo(page);
  await loginReady(page);
  // Warm up until the demo's event log is full (it keeps the last 200 events), so the log's own
  // growth is not counted; every code path has then run at least once.
  const logLines = page.locator('#event-log > li');
  for (let i = 0; i < 60 && (await logLines.count()) < 200; i++) await oneCall(page);
  await expect(logLines).toHaveCount(200);
  await oneCall(page);

  const cdp = await page.context().newCDPSession(page);
  const before = await countersAfterGc(cdp);
  for (let i = 0; i < MEASURED_CALLS; i++) await oneCall(page);
  await expect(bar(page).locator('header')).toContainText('Ready');
  const after = await countersAfterGc(cdp);

  // A leak of one wrap-up form is ~110 nodes and ~10 listeners per call; allow far less than one
  // node and listener per call (a timer text node or a cached template may come and go).
  expect(after.nodes - before.nodes, `nodes ${before.nodes} → ${after.nodes}`).toBeLessThanOrEqual(MEASURED_CALLS / 2);
  expect(after.listeners - before.listeners, `listeners ${before.listeners} → ${after.listeners}`).toBeLessThanOrEqual(MEASURED_CALLS / 10);
});

/**
 * Strict CSP: the CRM page (host SDK) and the framed bar run under
 * `script-src 'self'; style-src 'self'; connect-src …; frame-src <bar origin>` (no inline script or
 * style, no eval) with no violation reported, on either page, through a whole call.
 */
import { test, expect } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbedSites, type EmbedSites } from '../fixtures/embed-sites.ts';

let sites: EmbedSites;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  test.setTimeout(120_000);
  sites = await startEmbedSites();
  const hostCsp = `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src ${sites.bar.origin}`;
  const page = join(sites.host.dir, 'csp-host.html');
  writeFileSync(page, readFileSync(page, 'utf8').replace('__CSP__', hostCsp));
  // The frame page as deployed, plus the same kind of policy and a violation counter.
  const barCsp = `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'`;
  const frame = readFileSync(join(sites.bar.dir, 'frame.html'), 'utf8').replace(
    '<title>',
    `<meta http-equiv="Content-Security-Policy" content="${barCsp}" />\n    <script src="./csp-recorder.js"></script>\n    <title>`,
  );
  writeFileSync(join(sites.bar.dir, 'frame-csp.html'), frame);
});
test.afterAll(async () => {
  await sites?.close();
});

test('host SDK and framed bar under a strict CSP: a whole call, no violation', async ({ page }) => {
  const reports: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) reports.push(m.text());
  });
  await page.goto(`${sites.host.origin}/csp-host.html?${new URLSearchParams({ src: `${sites.bar.origin}/frame-csp.html`, agentId: '6001' })}`);
  expect(await page.evaluate(() => (window as any).connected)).toBe('ok');
  // The handshake is the frame's; the session connects once the simulator's module is loaded.
  await expect.poll(() => page.evaluate(() => (window as any).bar.snapshot?.connection)).toBe('connected');
  await page.evaluate(async () => {
    await (window as any).bar.login();
    await (window as any).bar.ready();
  });
  const frame = (await (await page.locator('iframe.agent-bar-frame').elementHandle())!.contentFrame())!;
  await frame.waitForFunction(() => document.querySelector('agent-bar')?.simulator);
  await frame.evaluate(() => document.querySelector('agent-bar')!.simulator!.offerCall({ number: '+442079460125', name: 'Ada' }));
  const framed = page.frameLocator('iframe.agent-bar-frame');
  await framed.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect(framed.getByRole('button', { name: 'Hold', exact: true })).toBeEnabled();
  await framed.getByRole('button', { name: 'Hang up', exact: true }).click();
  await expect(framed.getByRole('button', { name: 'Wrap up', exact: true })).toBeVisible();
  await expect(framed.getByText('Ada').first()).toBeVisible();
  expect(await page.evaluate(() => (window as any).cspViolations)).toEqual([]);
  expect(await frame.evaluate(() => (window as any).cspViolations)).toEqual([]);
  expect(reports).toEqual([]);
  // The counter does count: an inline style attribute is refused and reported.
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline</p>'));
  await expect.poll(() => page.evaluate(() => (window as any).cspViolations.length)).toBe(1);
});

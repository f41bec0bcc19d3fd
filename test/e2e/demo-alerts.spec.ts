/**
 * A ringing call while the agent looks elsewhere: the demo page is put in the background by
 * bringing another page to the front with Playwright's focus emulation off (so the demo's window
 * really loses focus: `document.hasFocus()` is false, as for a CRM window behind another one;
 * headless windows never become hidden, so the hidden-tab case is the same code path), notification permission is granted
 * through Playwright (the browser's own permission), and the page's `Notification` is wrapped
 * only to record what the bar showed and to click it (the desktop itself is outside the browser).
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test, bar, control, loginReady, openDemo, region } from './demo-kit.ts';

test.beforeEach(async ({ context, page }) => {
  await context.grantPermissions(['notifications']);
  await page.addInitScript(() => {
    const shown: Notification[] = [];
    (window as unknown as { __notifications: Notification[] }).__notifications = shown;
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(this);
      }
    }
    window.Notification = Recorded as typeof Notification;
  });
});

/** Opens another page in front of the demo, whose window then really loses focus. */
async function putInBackground(page: Page, context: BrowserContext): Promise<Page> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  const other = await context.newPage();
  await other.bringToFront();
  await expect.poll(() => page.evaluate(() => document.hasFocus())).toBe(false);
  return other;
}

/** The customer calls (the simulator's API: a click on the demo's panel would focus the page again). */
async function offerCall(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelector('agent-bar')!.simulator!.offerCall({ number: '+442079460123', name: 'Ada Lovelace' }));
}

const alerting = (page: Page) =>
  page.evaluate(() => (document.querySelector('agent-bar') as unknown as { alerting: string[] }).alerting);

test('in the background: ring tone, flashing title and a notification; clicking it answers and everything stops', async ({ page, context }) => {
  await openDemo(page);
  await loginReady(page);
  const originalTitle = await page.title();
  // The Log in click unlocked audio (the page had a user gesture): the ring can sound.
  const other = await putInBackground(page, context);

  await offerCall(page);
  await expect.poll(() => alerting(page)).toEqual(['ring', 'notification', 'title']);
  expect(await page.evaluate(() => (document.querySelector('agent-bar') as any).session.snapshot.calls[0].state)).toBe('ringing');
  await expect.poll(() => page.title()).toBe('☎ Incoming call');
  await expect.poll(() => page.title(), { timeout: 5000 }).toBe(originalTitle);
  const notes = await page.evaluate(() =>
    (window as unknown as { __notifications: Notification[] }).__notifications.map((n) => ({ title: n.title, body: n.body, requireInteraction: n.requireInteraction })),
  );
  expect(notes).toEqual([{ title: 'Incoming call', body: 'Ada Lovelace · +442079460123\nClick to answer.', requireInteraction: true }]);

  // The agent clicks the notification: the call is answered.
  await page.evaluate(() => (window as unknown as { __notifications: Notification[] }).__notifications[0]!.onclick?.(new Event('click')));
  await expect(region(page, 'Call')).toContainText('Talking');
  await expect.poll(() => alerting(page)).toEqual([]);
  expect(await page.title()).toBe(originalTitle);
  await other.close();
});

test('back in front while ringing: title and notification go, the ring goes on until Answer', async ({ page, context }) => {
  await openDemo(page);
  await loginReady(page);
  const other = await putInBackground(page, context);
  await offerCall(page);
  await expect.poll(() => alerting(page)).toEqual(['ring', 'notification', 'title']);
  await page.bringToFront();
  await expect.poll(() => alerting(page)).toEqual(['ring']);
  await control(page, 'Answer').click();
  await expect.poll(() => alerting(page)).toEqual([]);
  await other.close();
});

test('alerts="none": a ringing call in the background neither rings nor notifies', async ({ page, context }) => {
  await openDemo(page);
  await bar(page).evaluate((el) => el.setAttribute('alerts', 'none'));
  await loginReady(page);
  const other = await putInBackground(page, context);
  await offerCall(page);
  await expect(region(page, 'Call')).toContainText('Ringing');
  await page.waitForTimeout(300); // give a wrongly started alert time to show (bounded, not a sync point)
  expect(await alerting(page)).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications.length)).toBe(0);
  await other.close();
});

/**
 * An impatient agent on each transport (issue 17, findings 10 and 11): the complete bar in a real
 * page on the real reference server (in this process, 127.0.0.1) with a 150 ms backend. Every
 * control is clicked 20 times, 50 ms apart, as someone does who sees nothing happen at once; then
 * the keypad gets "1234567890" at 120 ms a key. Counted at the server: exactly one command per
 * intent and all 10 digits in order; and no error shown or reported (a command refused because a
 * duplicate arrived after the state changed is a false error).
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { startRecordingServer, type RecordingServer } from '../fixtures/recording-server.ts';

const LATENCY_MS = 150;
const CLICKS = 20;
const CLICK_GAP_MS = 50;
const KEY_GAP_MS = 120;

type Mode = 'websocket' | 'long-poll' | 'interval';

function pageUrl(mode: Mode, server: RecordingServer, agent: string): string {
  const endpoint = mode === 'websocket' ? server.server.wsUrl : server.server.url;
  const extra = mode === 'websocket' ? '' : `&transport=polling${mode === 'interval' ? '&longPoll=0' : ''}`;
  return `/test/fixtures/server-bar.html?endpoint=${encodeURIComponent(endpoint)}&agent=${agent}${extra}`;
}

/** Clicks like a person: at the control, every `gap` ms, whether or not it is enabled. */
async function impatientClicks(button: Locator, count = CLICKS, gap = CLICK_GAP_MS): Promise<void> {
  for (let i = 0; i < count; i++) {
    // force: no waiting for "enabled"; a disabled button simply ignores the click, as for a person.
    await button.click({ force: true, timeout: 1000 }).catch(() => {});
    await new Promise((r) => setTimeout(r, gap));
  }
}

const snapshot = (page: Page): Promise<any> => page.evaluate(() => (document.querySelector('agent-bar') as any).session?.snapshot);
const failures = (page: Page): Promise<any[]> =>
  page.evaluate(() => (window as any).ctiEvents.filter((e: any) => e.type === 'cti-operation-failed'));

for (const mode of ['websocket', 'long-poll', 'interval'] as const) {
  test(`impatient clicks over ${mode}: one command each at the server, no false error; keypad 10 of 10 in order`, async ({ page }) => {
    test.setTimeout(120_000);
    const server = await startRecordingServer({ latencyMs: LATENCY_MS });
    const agent = `impatient-${mode}`;
    try {
      await page.goto(pageUrl(mode, server, agent));
      await expect.poll(async () => (await snapshot(page))?.connection, { timeout: 15_000 }).toBe('connected');
      const button = (name: string) => page.getByRole('button', { name, exact: true });
      const alert = page.getByRole('alert');
      const state = async () => (await snapshot(page)).agent.state;
      const callState = async () => (await snapshot(page)).calls[0]?.state;

      await impatientClicks(button('Log in'));
      await expect.poll(state).toBe('notReady');
      await impatientClicks(button('Ready'));
      await expect.poll(state).toBe('ready');

      const offer = await fetch(`${server.server.url}/control/${agent}/offer-call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number: '+442079460123', name: 'Impatient Test' }),
      });
      expect(offer.status).toBe(200);
      await expect(button('Answer')).toBeEnabled();
      await impatientClicks(button('Answer'));
      await expect.poll(callState).toBe('talking');
      await impatientClicks(button('Hold'));
      await expect.poll(callState).toBe('held');
      await impatientClicks(button('Retrieve'));
      await expect.poll(callState).toBe('talking');

      // The keypad at 120 ms a key through the 150 ms backend.
      await button('Keypad').click();
      const keypad = page.getByRole('group', { name: 'Keypad' });
      for (const digit of '1234567890') {
        await keypad.getByRole('button', { name: digit, exact: true }).click({ force: true, timeout: 1000 }).catch(() => {});
        await new Promise((r) => setTimeout(r, KEY_GAP_MS));
      }
      await expect(page.getByRole('status', { name: 'Digits sent' })).toHaveText('1234567890', { timeout: 10_000 });

      await impatientClicks(button('Hang up'));
      await expect.poll(callState).toBe('wrapup');

      const received = server.commands(agent);
      const count = (operation: string) => received.filter((c) => c.operation === operation).length;
      const counts = Object.fromEntries(['login', 'ready', 'answer', 'hold', 'retrieve', 'hangup'].map((op) => [op, count(op)]));
      const digits = received.filter((c) => c.operation === 'sendDtmf').map((c) => (c.args as { digit: string }).digit).join('');
      const failed = await failures(page);
      console.log(`${mode}: commands at the server ${JSON.stringify(counts)}, digits "${digits}", errors ${JSON.stringify(failed.map((f) => f.detail))}`);
      if (failed.length > 0 || Object.values(counts).some((n) => n !== 1)) {
        console.log(received.map((c) => `${c.id} ${c.operation}`).join(', '));
        console.log(JSON.stringify(await page.evaluate(() => (window as any).ctiEvents.map((e: any) => [e.type, e.detail?.call?.state ?? e.detail?.state]))));
      }
      expect(counts).toEqual({ login: 1, ready: 1, answer: 1, hold: 1, retrieve: 1, hangup: 1 });
      expect(digits).toBe('1234567890');
      expect(failed).toEqual([]);
      await expect(alert).toHaveText('');
    } finally {
      await server.close();
    }
  });
}

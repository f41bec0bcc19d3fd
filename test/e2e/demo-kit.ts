/**
 * Helpers for the end-to-end tests of the demo page (`index.html`): they drive the agent bar
 * and the simulator panel the way a person does — by role and accessible name only (Playwright's
 * role locators pierce shadow roots) — and read what a person reads (visible text, timers, the
 * alert). No helper sleeps: every wait is one of Playwright's auto-retrying assertions.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/**
 * Playwright's `test` with one automatic check: the page must not reload during a test. A reload
 * (e.g. the dev server reloading after a source file changed under a running suite) resets the
 * simulator, and the failure it causes would otherwise look like a product bug.
 */
export const test = base.extend<{ noReload: void }>({
  noReload: [
    async ({ page }, use) => {
      let loads = 0;
      const count = (frame: { parentFrame(): unknown }) => {
        if (!frame.parentFrame()) loads += 1;
      };
      page.on('framenavigated', count);
      await use();
      page.off('framenavigated', count);
      expect(loads, 'the demo page reloaded during the test (a dev-server reload?)').toBeLessThanOrEqual(1);
    },
    { auto: true },
  ],
});
export { expect };

/** Every button of the bar whose enablement follows a capability (the accessible names of docs/elements.md). */
export const BAR_CONTROLS = [
  'Log in',
  'Log out',
  'Ready',
  'Not ready',
  'Dial',
  'Answer',
  'Hang up',
  'Hold',
  'Retrieve',
  'Keypad',
  'Start recording',
  'Stop recording',
  'Transfer',
] as const;

/** The documented `cti-` events (docs/elements.md); the recorder listens for all of them. */
export const CTI_EVENTS = [
  'cti-agent-state-changed',
  'cti-call-offered',
  'cti-call-connected',
  'cti-call-held',
  'cti-call-retrieved',
  'cti-call-disconnected',
  'cti-capabilities-changed',
  'cti-wrapup-completed',
  'cti-operation-failed',
  'cti-screen-pop',
] as const;

/** What the recorder keeps of each event heard on `document`. */
export interface RecordedEvent {
  type: string;
  bubbles: boolean;
  composed: boolean;
  cancelable: boolean;
  /** The tag of `event.target` as `document` sees it (the shadow host, after retargeting). */
  target: string;
  detail: any;
}

/** The agent bar (its shadow root holds every agent control). */
export function bar(page: Page): Locator {
  return page.locator('agent-bar');
}

/** The simulator control panel: the "outside world" (customer, contact centre, faults). */
export function sim(page: Page): Locator {
  return page.locator('sim-panel');
}

/** A button of the agent bar, by its exact accessible name. */
export function control(page: Page, name: string): Locator {
  return bar(page).getByRole('button', { name, exact: true });
}

/** A button of the simulator panel, by its exact accessible name. */
export function simButton(page: Page, name: string): Locator {
  return sim(page).getByRole('button', { name, exact: true });
}

/** The bar's alert region (the readable message of the last failed command). */
export function alert(page: Page): Locator {
  return bar(page).getByRole('alert');
}

/** A named region of the bar: `Call`, `Customer`, `Wrap-up`, `Preview`. */
export function region(page: Page, name: string): Locator {
  return bar(page).getByRole('region', { name, exact: true });
}

/** The transfer dialog (non-modal). */
export function transferDialog(page: Page): Locator {
  return bar(page).getByRole('dialog', { name: 'Transfer' });
}

/**
 * Asserts, control by control, which buttons are enabled, which are disabled and which are not
 * on the page at all. Each assertion auto-waits, so it can follow a click directly; the message
 * names the control that is wrong.
 */
export async function expectControls(
  page: Page,
  /** `disabled`: not clickable (disabled or not shown); `absent`: not shown. */
  want: { enabled?: readonly string[]; disabled?: readonly string[]; absent?: readonly string[] },
): Promise<void> {
  for (const name of want.enabled ?? []) {
    await expect(control(page, name), `"${name}" should be enabled`).toBeEnabled();
  }
  // Not clickable: disabled, or not shown at all (the bar shows only the controls that apply:
  // no call controls without a call, Retrieve instead of Hold while held, recording behind More).
  for (const name of want.disabled ?? []) {
    await expect(bar(page).getByRole('button', { name, exact: true, disabled: false }), `"${name}" should not be clickable`).toHaveCount(0);
  }
  for (const name of want.absent ?? []) {
    await expect(control(page, name), `"${name}" should not be shown`).toHaveCount(0);
  }
}

/** `BAR_CONTROLS` minus `enabled`: what must be disabled when exactly `enabled` are allowed. */
export function allBut(...enabled: string[]): string[] {
  return BAR_CONTROLS.filter((name) => !enabled.includes(name));
}

/** Asserts that exactly `enabled` of the bar's always-present controls are enabled. */
export async function expectOnlyEnabled(page: Page, ...enabled: string[]): Promise<void> {
  await expectControls(page, { enabled, disabled: allBut(...enabled) });
}

/** The header line shows the agent state (with its reason), as a person reads it. */
export async function expectAgentState(page: Page, label: string): Promise<void> {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  // "Connected Agent 1001 Not ready: Lunch 0:03" — the state sits between the agent and its timer
  // (regular expressions see the text unnormalised, hence \s+).
  await expect(bar(page).locator('header')).toHaveText(new RegExp(`Agent\\s+\\S+\\s+${escaped}(?:\\s+\\d|\\s*$)`));
}

/**
 * Records every `cti-` event that reaches `document`, from before the page's own scripts run.
 * Read them back with `events(page)`.
 */
export async function recordEvents(page: Page): Promise<void> {
  await page.addInitScript((names: readonly string[]) => {
    const seen: unknown[] = [];
    (window as unknown as { __ctiEvents: unknown[] }).__ctiEvents = seen;
    for (const type of names) {
      document.addEventListener(type, (event) => {
        seen.push({
          type,
          bubbles: event.bubbles,
          composed: event.composed,
          cancelable: event.cancelable,
          target: (event.target as Element | null)?.localName ?? '',
          // Details are plain JSON data (the canonical model); a deep copy freezes what was sent.
          detail: JSON.parse(JSON.stringify((event as CustomEvent).detail ?? null)),
        });
      });
    }
  }, CTI_EVENTS);
}

/** The `cti-` events recorded so far (optionally of one type), oldest first. */
export async function events(page: Page, type?: string): Promise<RecordedEvent[]> {
  const all = await page.evaluate(() => (window as unknown as { __ctiEvents: RecordedEvent[] }).__ctiEvents);
  return type ? all.filter((e) => e.type === type) : all;
}

/** Waits until at least `count` events of `type` were recorded; returns them. */
export async function expectEvents(page: Page, type: string, count = 1): Promise<RecordedEvent[]> {
  await expect.poll(async () => (await events(page, type)).length, { message: `${count}× ${type}` }).toBeGreaterThanOrEqual(count);
  return events(page, type);
}

/** Opens the demo and waits for the bar to be connected and logged out. */
export async function openDemo(page: Page): Promise<void> {
  await page.goto('/');
  await expect(bar(page).locator('header')).toContainText('Connected');
  await expectAgentState(page, 'Logged out');
  await expect(control(page, 'Log in')).toBeEnabled();
}

/** Log in (→ not ready) and go ready. */
export async function loginReady(page: Page): Promise<void> {
  await control(page, 'Log in').click();
  await expectAgentState(page, 'Not ready');
  await control(page, 'Ready').click();
  await expectAgentState(page, 'Ready');
}

/** The customer calls in (through the simulator panel) and the call rings. */
export async function inboundCall(page: Page, caller?: { number?: string; name?: string }): Promise<void> {
  if (caller?.number !== undefined) await sim(page).getByRole('textbox', { name: 'Caller number' }).fill(caller.number);
  if (caller?.name !== undefined) await sim(page).getByRole('textbox', { name: 'Caller name' }).fill(caller.name);
  await simButton(page, 'Inbound call').click();
  await expect(sim(page).getByRole('status')).toHaveText('Inbound call offered.');
  await expect(region(page, 'Call')).toContainText('Ringing');
}

/** Answer the ringing call; the call is then talking. */
export async function answer(page: Page): Promise<void> {
  await control(page, 'Answer').click();
  await expect(region(page, 'Call')).toContainText('Talking');
}

/** Log in, ready, an inbound call, answered: the usual starting point of a call scenario. */
export async function talking(page: Page): Promise<void> {
  await loginReady(page);
  await inboundCall(page);
  await answer(page);
}

/** Opens the transfer dialog (unless open) and consults a configured destination chosen by its radio label. */
export async function consult(page: Page, destination: string): Promise<void> {
  const dialog = transferDialog(page);
  if ((await control(page, 'Transfer').getAttribute('aria-expanded')) !== 'true') await control(page, 'Transfer').click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: destination, exact: true }).check();
  await expect(dialog.getByRole('textbox', { name: 'Destination' })).toHaveValue(destination);
  await control(page, 'Consult').click();
  await expect(dialog.getByRole('status')).toContainText(`Consult with ${destination}: dialing`);
}

/** The consulted party picks up (through the simulator panel). */
export async function consultAnswered(page: Page): Promise<void> {
  await simButton(page, 'Consult answered').click();
  await expect(transferDialog(page).getByRole('status')).toContainText(': connected');
}

/** The wrap-up form: choose a disposition, type notes, press `Wrap up`; the form goes away. */
export async function wrapUp(page: Page, disposition: string, notes?: string): Promise<void> {
  const form = region(page, 'Wrap-up');
  await form.getByRole('radio', { name: disposition, exact: true }).check();
  if (notes !== undefined) await form.getByRole('textbox', { name: 'Notes' }).fill(notes);
  await control(page, 'Wrap up').click();
  await expect(form).toHaveCount(0);
}

/** Tells the simulator to fail the next `operation` with the POM error `code`. */
export async function failNext(page: Page, operation: string, code: number): Promise<void> {
  await sim(page).getByRole('combobox', { name: 'Operation' }).selectOption(operation);
  await sim(page).getByRole('textbox', { name: 'Error code' }).fill(String(code));
  await simButton(page, 'Fail next command').click();
  await expect(sim(page).getByRole('status')).toHaveText(`The next ${operation} will fail with code ${code}.`);
}

/** Runs axe on the bar only and asserts no violations (printing them when there are some). */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).include('agent-bar').analyze();
  const report = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
  }));
  expect(report, `axe violations in state "${state}":\n${JSON.stringify(report, null, 2)}`).toEqual([]);
}

/**
 * Shared helpers of the element tests (`el-*.test.ts`): a real Session on a real
 * SimulatorConnector with zero latency (no mocks of our own code), and lookups by role and
 * accessible name through shadow roots, as a person (or Playwright) finds controls.
 */
import { fixture, html } from '@open-wc/testing';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { Session } from '../../../src/core/session.ts';
import { SimulatorConnector } from '../../../src/connectors/simulator/simulator-connector.ts';
import type { Snapshot } from '../../../src/core/model.ts';

export interface SimulatedSession {
  session: Session;
  connector: SimulatorConnector;
}

export async function simulatedSession(agentId = '1001'): Promise<SimulatedSession> {
  const connector = new SimulatorConnector({ agentId, latencyMs: 0 });
  const session = new Session(connector, { agentId });
  await session.connect();
  return { session, connector };
}

/**
 * Waits until `predicate` holds; fails the test with `what` otherwise. Bounded by 100 frames and
 * at least 5 s: on a loaded machine the first command also waits for the lazily loaded phone
 * module, which can take longer than 100 fast frames.
 */
export async function until(predicate: () => boolean, what = 'condition'): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < 100 || performance.now() - start < 5000; i++) {
    if (predicate()) return;
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Two animation frames: every SnapshotController has rendered what it had. */
export function settled(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
}

/** Every element under `root`, descending into open shadow roots. */
export function deepAll(root: ParentNode, selector: string): Element[] {
  const out: Element[] = [];
  const walk = (node: ParentNode) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.matches(selector)) out.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
  walk(root);
  return out;
}

function text(node: Node): string {
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** A simplified accessible name: aria-label, aria-labelledby, wrapping label, else content. */
export function accessibleName(el: Element): string {
  const aria = el.getAttribute('aria-label');
  if (aria) return aria.trim();
  const by = el.getAttribute('aria-labelledby');
  if (by) {
    const root = el.getRootNode() as Document | ShadowRoot;
    return by
      .split(/\s+/)
      .map((id) => root.getElementById(id))
      .filter((n): n is HTMLElement => !!n)
      .map(text)
      .join(' ');
  }
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) {
    const label = el.closest('label') ?? (el.labels?.[0] as HTMLLabelElement | undefined);
    if (label) {
      const copy = label.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('input, textarea, select').forEach((c) => c.remove());
      return text(copy);
    }
    return '';
  }
  return text(el);
}

const ROLE_SELECTORS: Record<string, string> = {
  button: 'button:not([role]), [role="button"]',
  menuitem: '[role="menuitem"]',
  textbox: 'input[type="text"], input[type="tel"], input:not([type]), textarea',
  radio: 'input[type="radio"]',
  combobox: 'select:not([multiple])',
  alert: '[role="alert"]',
  link: 'a[href]',
  timer: '[role="timer"]',
  status: 'output, [role="status"]',
};

/** All rendered elements of `role` named exactly `name` under `root` (through shadow roots). */
export function allByRole(root: ParentNode, role: keyof typeof ROLE_SELECTORS | string, name?: string): HTMLElement[] {
  const selector = ROLE_SELECTORS[role] ?? `[role="${role}"]`;
  return deepAll(root, selector).filter(
    (el): el is HTMLElement => el instanceof HTMLElement && (name === undefined || accessibleName(el) === name),
  );
}

/** Exactly one element of `role` named `name`; throws when there are none or several. */
export function byRole<T extends HTMLElement = HTMLElement>(root: ParentNode, role: string, name?: string): T {
  const found = allByRole(root, role, name);
  if (found.length !== 1) throw new Error(`Expected one ${role} "${name ?? ''}", found ${found.length}`);
  return found[0] as T;
}

export function isDisabled(el: HTMLElement): boolean {
  return (el as HTMLButtonElement).disabled === true || el.getAttribute('aria-disabled') === 'true';
}

/** Types into an input the way a person does (value + input event). */
export function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

export async function loginReady(session: Session): Promise<void> {
  await session.command('login', {});
  await until(() => session.snapshot.agent.state !== 'loggedOut', 'login');
  await session.command('ready', {});
  await until(() => session.snapshot.agent.state === 'ready', 'ready');
}

export async function inboundTalking(s: SimulatedSession, input = { number: '+442079460018', name: 'Pat Doe' }): Promise<void> {
  await loginReady(s.session);
  s.connector.simulator.offerCall(input);
  await until(() => s.session.snapshot.capabilities.answer, 'call offered');
  await s.session.command('answer', {});
  await until(() => s.session.snapshot.calls[0]?.state === 'talking', 'talking');
}

export function current(s: SimulatedSession): Snapshot {
  return s.session.snapshot;
}

/**
 * An `<agent-bar>` on the simulator (zero latency), connected and logged out. `lang`: the bar's
 * own language attribute; none: the page's.
 */
export async function simulatorBar(agentId: string, lang?: string): Promise<AgentBar> {
  const el = await fixture<AgentBar>(
    lang === undefined
      ? html`<agent-bar agent-id=${agentId} .config=${{ latencyMs: 0 }}></agent-bar>`
      : html`<agent-bar agent-id=${agentId} lang=${lang} .config=${{ latencyMs: 0 }}></agent-bar>`,
  );
  await until(() => el.session?.snapshot.capabilities.login === true, 'connected, logged out');
  return el;
}

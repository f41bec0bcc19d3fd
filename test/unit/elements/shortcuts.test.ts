import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { parseShortcutScope } from '../../../components/controllers/shortcut-controller.ts';
import { byRole, settled, until } from './fixtures.ts';
import { collectedAfterGc } from './leak-check.ts';

/** Alt+Shift+<letter> as the browser delivers it, from whatever has the focus (document.body when nothing). */
function press(letter: string, from: Element = deepActive()): KeyboardEvent {
  const event = new KeyboardEvent('keydown', {
    key: letter.toUpperCase(),
    code: `Key${letter.toUpperCase()}`,
    altKey: true,
    shiftKey: true,
    bubbles: true,
    composed: true,
    cancelable: true,
  });
  from.dispatchEvent(event);
  return event;
}

/** Waits until the button of `operation` would be enabled (its command may still be in flight after the state changed). */
async function enabled(bar: AgentBar, operation: 'mute' | 'unmute' | 'hold' | 'retrieve' | 'hangup' | 'ready'): Promise<void> {
  await until(() => bar.session!.snapshot.capabilities[operation] === true, `${operation} enabled`);
}

/** The focused element, through shadow roots. */
function deepActive(): Element {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el ?? document.body;
}

async function readyBar(shortcuts?: string): Promise<{ bar: AgentBar; failures: string[] }> {
  const bar = await fixture<AgentBar>(
    html`<div><button id="outside">Host button</button><agent-bar agent-id="1001" .config=${{ latencyMs: 0 }}></agent-bar></div>`,
  ).then((div) => div.querySelector('agent-bar')!);
  if (shortcuts !== undefined) bar.shortcuts = shortcuts;
  const failures: string[] = [];
  bar.addEventListener('cti-operation-failed', (e) => failures.push(e.detail.operation));
  await until(() => bar.session?.snapshot.connection === 'connected', 'connected');
  await bar.session!.command('login', {});
  await bar.session!.command('ready', {});
  await settled();
  return { bar, failures };
}

async function ringing(bar: AgentBar): Promise<void> {
  bar.simulator!.offerCall({ number: '+442079460018', name: 'Pat Doe' });
  await until(() => bar.session!.snapshot.capabilities.answer === true, 'offered');
  await settled();
}

describe('<agent-bar> keyboard shortcuts', () => {
  it('reads the shortcuts attribute (bar by default, page or none when asked)', () => {
    expect(parseShortcutScope(undefined)).to.equal('bar');
    expect(parseShortcutScope('PAGE')).to.equal('page');
    expect(parseShortcutScope('none')).to.equal('none');
    expect(parseShortcutScope('bogus')).to.equal('bar');
  });

  it('inside the bar, each key runs its button\'s command: answer, mute, hold, retrieve, unmute, hang up', async () => {
    const { bar, failures } = await readyBar();
    await ringing(bar);
    byRole(bar, 'button', 'Answer').focus();
    expect(press('a').defaultPrevented).to.equal(true);
    await until(() => bar.session!.snapshot.calls[0]?.state === 'talking', 'answered');
    // Answer is disabled now, which took the focus from it: the bar keeps it, so the keys go on working.
    await until(() => bar.shadowRoot!.activeElement !== null, 'focus kept in the bar');
    await enabled(bar, 'mute');
    press('m');
    await until(() => bar.session!.snapshot.calls[0]?.muted === true, 'muted');
    await enabled(bar, 'hold');
    press('o');
    await until(() => bar.session!.snapshot.calls[0]?.state === 'held', 'held');
    await enabled(bar, 'retrieve');
    press('o');
    await until(() => bar.session!.snapshot.calls[0]?.state === 'talking', 'retrieved');
    await enabled(bar, 'unmute');
    press('m');
    await until(() => bar.session!.snapshot.calls[0]?.muted !== true, 'unmuted');
    await enabled(bar, 'hangup');
    press('h');
    await until(() => bar.session!.snapshot.calls[0]?.state !== 'talking', 'hung up');
    expect(failures).to.deep.equal([]);
  });

  it('Not ready opens the reasons menu, Ready makes the agent ready, D focuses the dial box; axe finds nothing', async function () {
    this.timeout(60_000); // an axe run: slow on a loaded machine
    const { bar } = await readyBar();
    byRole(bar, 'button', 'Not ready').focus();
    press('n');
    await until(() => deepActive().getAttribute('role') === 'menuitem', 'first reason focused');
    (deepActive() as HTMLElement).click();
    await until(() => bar.session!.snapshot.agent.state === 'notReady', 'not ready');
    await enabled(bar, 'ready');
    // Focus goes to an enabled button only: wait until the DOM shows what the capability says.
    await until(() => !byRole<HTMLButtonElement>(bar, 'button', 'Ready').disabled, 'Ready button enabled');
    byRole(bar, 'button', 'Ready').focus();
    press('r');
    await until(() => bar.session!.snapshot.agent.state === 'ready', 'ready');
    await until(() => bar.shadowRoot!.activeElement !== null, 'focus kept in the bar');
    press('d');
    expect(deepActive()).to.equal(byRole(bar, 'textbox', 'Phone number'));
    // The bar's focusable outer box adds nothing axe objects to.
    await expect(bar).to.be.accessible();
  });

  it('does nothing while the agent types in the dial box', async () => {
    const { bar, failures } = await readyBar('page');
    await ringing(bar);
    const input = byRole<HTMLInputElement>(bar, 'textbox', 'Phone number');
    input.focus();
    const event = press('a', input);
    expect(event.defaultPrevented).to.equal(false);
    await settled();
    await settled();
    expect(bar.session!.snapshot.calls[0]?.state).to.equal('ringing');
    // contenteditable is text entry too, wherever it is in the page.
    const editable = document.createElement('div');
    editable.contentEditable = 'true';
    bar.parentElement!.append(editable);
    editable.focus();
    press('a', editable);
    await settled();
    expect(bar.session!.snapshot.calls[0]?.state).to.equal('ringing');
    expect(failures).to.deep.equal([]);
  });

  it('does nothing when the capability is off (hold while ringing, answer with no call)', async () => {
    const { bar, failures } = await readyBar();
    byRole(bar, 'button', 'Not ready').focus();
    press('a');
    press('h');
    await settled();
    await ringing(bar);
    byRole(bar, 'button', 'Answer').focus();
    press('o');
    press('m');
    await settled();
    await settled();
    expect(bar.session!.snapshot.calls[0]?.state).to.equal('ringing');
    // A command sent against a false capability would have failed (NOT_ALLOWED) and said so.
    expect(failures).to.deep.equal([]);
    expect(bar.session!.snapshot.lastError).to.equal(undefined);
  });

  it('works page-wide only when shortcuts="page"; shortcuts="none" turns them off in the bar too', async () => {
    const { bar } = await readyBar();
    await ringing(bar);
    const outside = bar.parentElement!.querySelector<HTMLButtonElement>('#outside')!;
    outside.focus();
    expect(press('a', outside).defaultPrevented).to.equal(false);
    await settled();
    await settled();
    expect(bar.session!.snapshot.calls[0]?.state).to.equal('ringing');

    bar.shortcuts = 'none';
    await bar.updateComplete;
    byRole(bar, 'button', 'Answer').focus();
    press('a');
    await settled();
    await settled();
    expect(bar.session!.snapshot.calls[0]?.state).to.equal('ringing');

    bar.shortcuts = 'page';
    await bar.updateComplete;
    outside.focus();
    expect(press('a', outside).defaultPrevented).to.equal(true);
    await until(() => bar.session!.snapshot.calls[0]?.state === 'talking', 'answered from the page');
  });

  it('a page-wide bar removed from the page stops listening and can be collected', async () => {
    let bar: AgentBar | undefined = document.createElement('agent-bar');
    bar.agentId = '1001';
    bar.config = { latencyMs: 0 };
    bar.shortcuts = 'page';
    document.body.append(bar);
    await until(() => bar!.session?.snapshot.connection === 'connected', 'connected');
    const ref = new WeakRef(bar);
    bar.remove();
    bar = undefined;
    // The document listener would keep it alive.
    expect(await collectedAfterGc(ref)).to.equal(true);
  });
});

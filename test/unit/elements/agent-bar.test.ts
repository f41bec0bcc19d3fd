import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import type { Operation } from '../../../src/core/operations.ts';
import { allByRole, byRole, deepAll, isDisabled, settled, type, until } from './fixtures.ts';

async function makeBar(agentId = 't1'): Promise<AgentBar> {
  const bar = await fixture<AgentBar>(html`<agent-bar agent-id=${agentId} .config=${{ latencyMs: 0 }}></agent-bar>`);
  await until(() => bar.session?.snapshot.connection === 'connected', 'connected');
  await until(() => (bar.session?.snapshot.reasons.length ?? 0) > 0, 'lists');
  await settled();
  return bar;
}

async function click(bar: AgentBar, name: string, role = 'button'): Promise<void> {
  const el = byRole(bar, role, name);
  expect(isDisabled(el), `${name} is enabled`).to.equal(false);
  el.click();
  await settled();
}

async function loggedInReady(bar: AgentBar): Promise<void> {
  await click(bar, 'Log in');
  await until(() => bar.session!.snapshot.agent.state !== 'loggedOut', 'logged in');
  await settled();
  await click(bar, 'Ready');
  await until(() => bar.session!.snapshot.agent.state === 'ready', 'ready');
  await settled();
}

async function talking(bar: AgentBar, call: Parameters<NonNullable<AgentBar['simulator']>['offerCall']>[0] = { number: '+442079460018', name: 'Pat Doe' }) {
  await loggedInReady(bar);
  bar.simulator!.offerCall(call);
  await until(() => bar.session!.snapshot.capabilities.answer, 'offered');
  await settled();
  await click(bar, 'Answer');
  await until(() => bar.session!.snapshot.calls[0]?.state === 'talking', 'talking');
  await settled();
}

/** Visible controls and the operation whose capability governs each. */
const CONTROL_OPERATIONS: [string, Operation][] = [
  ['Log in', 'login'],
  ['Log out', 'logout'],
  ['Ready', 'ready'],
  ['Not ready', 'notReady'],
  ['Dial', 'dial'],
  ['Answer', 'answer'],
  ['Hang up', 'hangup'],
  ['Hold', 'hold'],
  ['Retrieve', 'retrieve'],
  ['Keypad', 'sendDtmf'],
  ['Start recording', 'startRecording'],
  ['Stop recording', 'stopRecording'],
];

/** Controls behind the call panel's `More` (shown once it is opened). */
const IN_MORE = new Set(['Start recording', 'Stop recording']);

/**
 * The bar shows only what applies: a control it shows is disabled exactly when its capability is
 * false, and a control whose capability is true is always shown (those behind `More` once `More`
 * is, enabled).
 */
function expectControlsFollowCapabilities(bar: AgentBar): void {
  const caps = bar.session!.snapshot.capabilities;
  for (const [name, op] of CONTROL_OPERATIONS) {
    const shown = allByRole(bar, 'button', name);
    expect(shown.length, `at most one ${name}`).to.be.at.most(1);
    if (shown[0]) expect(isDisabled(shown[0]), `${name} disabled ⇔ ${op} false`).to.equal(!caps[op]);
    else if (IN_MORE.has(name) && caps[op]) expect(isDisabled(byRole(bar, 'button', 'More')), `More, for ${name}`).to.equal(false);
    else expect(caps[op], `${name} is not shown although ${op} is allowed`).to.equal(false);
  }
}

describe('<agent-bar>', () => {
  it('the agent-state controls keep their places across a login: no Log out where Log in was', async () => {
    const bar = await makeBar('t-places');
    const STATE_CONTROLS = ['Log in', 'Log out', 'Ready', 'Not ready'];
    const stateButtons = () => allByRole(bar, 'button').map((b) => b.textContent!.trim()).filter((n) => STATE_CONTROLS.includes(n));
    const before = stateButtons();
    expect(before).to.deep.equal(STATE_CONTROLS);
    await click(bar, 'Log in');
    await until(() => bar.session!.snapshot.agent.state === 'notReady', 'logged in');
    await settled();
    expect(stateButtons()).to.deep.equal(before);
    expect(isDisabled(byRole(bar, 'button', 'Log in')), 'Log in').to.equal(true);
    expect(isDisabled(byRole(bar, 'button', 'Log out')), 'Log out').to.equal(false);
  });

  it('connects to the simulator and, logged out, enables Log in only', async () => {
    const bar = await makeBar();
    expect(bar.simulator, 'bar.simulator').to.exist;
    expect(isDisabled(byRole(bar, 'button', 'Log in'))).to.equal(false);
    for (const name of ['Log out', 'Ready']) expect(isDisabled(byRole(bar, 'button', name)), name).to.equal(true);
    // No call: no call controls at all (the bar shows what applies).
    for (const name of ['Answer', 'Hang up', 'Hold', 'Retrieve', 'More']) expect(allByRole(bar, 'button', name), name).to.have.length(0);
    expectControlsFollowCapabilities(bar);
    expect(byRole(bar, 'textbox', 'Phone number')).to.exist;
    expect(allByRole(bar, 'alert')).to.have.length(1);
  });

  it('logs in and goes ready by clicks, dispatching cti-agent-state-changed out of the shadow root', async () => {
    const bar = await makeBar();
    const seen: CustomEvent[] = [];
    const listener = (e: Event) => seen.push(e as CustomEvent);
    document.addEventListener('cti-agent-state-changed', listener);
    try {
      await loggedInReady(bar);
    } finally {
      document.removeEventListener('cti-agent-state-changed', listener);
    }
    const last = seen.at(-1)!;
    expect(last.detail.state).to.equal('ready');
    expect(last.bubbles && last.composed).to.equal(true);
    expect(last.cancelable).to.equal(false);
    expect(bar.shadowRoot!.textContent).to.contain('Ready');
    expectControlsFollowCapabilities(bar);
  });

  it('Not ready opens a menu of reasons; picking one sends notReady with its code', async () => {
    const bar = await makeBar();
    await loggedInReady(bar);
    const button = byRole(bar, 'button', 'Not ready');
    expect(allByRole(bar, 'menuitem')).to.have.length(0);
    button.click();
    await settled();
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const reasons = bar.session!.snapshot.reasons;
    expect(allByRole(bar, 'menuitem').map((m) => m.textContent!.trim())).to.deep.equal(reasons.map((r) => r.label));
    await click(bar, reasons[1]!.label, 'menuitem');
    await until(() => bar.session!.snapshot.agent.state === 'notReady', 'not ready');
    expect(bar.session!.snapshot.agent.reason?.code).to.equal(reasons[1]!.code);
    expect(allByRole(bar, 'menuitem')).to.have.length(0);
  });

  it('takes an inbound call: controls follow the capabilities while talking and held', async () => {
    const bar = await makeBar();
    await talking(bar);
    expect(bar.shadowRoot!.textContent).to.not.contain('Pat Doe'); // rendered inside the call panel's shadow
    expect(deepAll(bar, 'call-panel')[0]!.shadowRoot!.textContent).to.contain('Pat Doe');
    expectControlsFollowCapabilities(bar);
    await click(bar, 'Hold');
    await until(() => bar.session!.snapshot.calls[0]?.state === 'held', 'held');
    await settled();
    expect(isDisabled(byRole(bar, 'button', 'Retrieve'))).to.equal(false);
    expectControlsFollowCapabilities(bar);
    expect(allByRole(bar, 'timer').map((t) => t.getAttribute('aria-label'))).to.include('Hold time');
  });

  it('a failed command shows its readable message in the alert, fires cti-operation-failed, and changes nothing else', async () => {
    const bar = await makeBar();
    await talking(bar);
    const before = bar.session!.snapshot.calls[0]!;
    const failures: CustomEvent[] = [];
    const listener = (e: Event) => failures.push(e as CustomEvent);
    document.addEventListener('cti-operation-failed', listener);
    bar.simulator!.failNext('hold', 101);
    try {
      await click(bar, 'Hold');
      await until(() => !!bar.session!.snapshot.lastError, 'error');
      await settled();
    } finally {
      document.removeEventListener('cti-operation-failed', listener);
    }
    const alert = byRole(bar, 'alert');
    const message = bar.session!.snapshot.lastError!.message;
    expect(message.length).to.be.greaterThan(0);
    expect(alert.textContent!.trim()).to.equal(message);
    expect(failures).to.have.length(1);
    expect(failures[0]!.detail.operation).to.equal('hold');
    expect(String(failures[0]!.detail.error.vendorCode)).to.equal('101');
    expect(failures[0]!.composed).to.equal(true);
    const after = bar.session!.snapshot.calls[0]!;
    expect(after.state).to.equal('talking');
    expect(after.id).to.equal(before.id);
    expect(isDisabled(byRole(bar, 'button', 'Hold'))).to.equal(false);
    await click(bar, 'Dismiss');
    expect(byRole(bar, 'alert').textContent!.trim()).to.equal('');
    expect(allByRole(bar, 'button', 'Dismiss')).to.have.length(0);
  });

  it('refuses an invalid phone number before sending, keeping the typed text', async () => {
    const bar = await makeBar();
    await loggedInReady(bar);
    const box = byRole<HTMLInputElement>(bar, 'textbox', 'Phone number');
    type(box, '12ab');
    await click(bar, 'Dial');
    await until(() => !!bar.session!.snapshot.lastError, 'error');
    await settled();
    expect(bar.session!.snapshot.lastError!.code).to.equal('INVALID_ARGUMENT');
    expect(byRole(bar, 'alert').textContent!.trim()).to.equal(bar.session!.snapshot.lastError!.message);
    expect(bar.session!.snapshot.calls).to.have.length(0);
    expect(box.value).to.equal('12ab');
  });

  it('dials a valid number from the dial box and clears it', async () => {
    const bar = await makeBar();
    await loggedInReady(bar);
    const box = byRole<HTMLInputElement>(bar, 'textbox', 'Phone number');
    type(box, '+442079460018');
    await click(bar, 'Dial');
    await until(() => bar.session!.snapshot.calls.length === 1, 'call');
    await settled();
    expect(bar.session!.snapshot.calls[0]!.remote.number).to.contain('2079460018');
    expect(box.value).to.equal('');
  });

  it('bar.dial() dials through the session', async () => {
    const bar = await makeBar();
    await loggedInReady(bar);
    await bar.dial('+442079460018');
    await until(() => bar.session!.snapshot.calls.length === 1, 'call');
    expect(bar.session!.snapshot.calls[0]!.direction).to.equal('outbound');
  });

  it('during a preview shows exactly one Dial button (the preview one) and a countdown', async () => {
    const bar = await makeBar();
    await loggedInReady(bar);
    bar.simulator!.offerPreview({ number: '+441632960001', name: 'Alex Morgan', timeoutSec: 60 });
    await until(() => bar.session!.snapshot.calls[0]?.state === 'preview', 'preview');
    await settled();
    expect(allByRole(bar, 'textbox', 'Phone number')).to.have.length(0);
    const dial = byRole(bar, 'button', 'Dial');
    expect(dial.closest('section')?.getAttribute('aria-label')).to.equal('Preview');
    expect(allByRole(bar, 'timer').map((t) => t.getAttribute('aria-label'))).to.include('Auto-dial in');
    expect(isDisabled(byRole(bar, 'button', 'Skip'))).to.equal(!bar.session!.snapshot.capabilities.previewSkip);
    await click(bar, 'Dial');
    await until(() => bar.session!.snapshot.calls[0]?.state !== 'preview', 'dialled');
    await settled();
    expect(byRole(bar, 'button', 'Dial').closest('section')?.getAttribute('aria-label')).to.not.equal('Preview');
  });

  it('renders customer data as text, masks masked fields and links only http(s) screen pops', async () => {
    const bar = await makeBar();
    const w = window as unknown as { __xss?: number };
    delete w.__xss;
    // What any script on the host page can read: every cti-* event and bar.session.snapshot.
    const heard: unknown[] = [];
    const hear = (e: Event) => heard.push((e as CustomEvent).detail);
    const types = ['cti-call-offered', 'cti-call-connected', 'cti-call-held', 'cti-screen-pop'];
    for (const t of types) document.addEventListener(t, hear);
    await talking(bar, {
      number: '+442079460018',
      name: '<img src=x onerror="window.__xss=1">',
      fields: [
        { key: 'note', label: 'Note', value: '<b>bold</b><img src=y onerror="window.__xss=2">', type: 'readOnly' },
        { key: 'card', label: 'Card', value: '4111111111111111', type: 'maskedWrite' },
        { key: 'bad', label: 'Bad pop', value: 'javascript:window.__xss=3', type: 'screenPop' },
        { key: 'creds', label: 'Creds pop', value: 'https://user:pass@crm.example.com/a/0', type: 'screenPop' },
        { key: 'crm', label: 'CRM', value: 'https://crm.example.com/a/1', type: 'screenPop' },
      ],
    });
    expect(deepAll(bar, 'img, b')).to.have.length(0);
    const texts = deepAll(bar, 'call-panel, customer-card').map((e) => e.shadowRoot!.textContent).join(' ');
    expect(texts).to.contain('<img src=x onerror="window.__xss=1">');
    expect(texts).to.contain('<b>bold</b>');
    expect(texts).to.not.contain('4111111111111111');
    expect(deepAll(bar, 'input').some((i) => (i as HTMLInputElement).value.includes('4111'))).to.equal(false);
    const links = allByRole(bar, 'link');
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://crm.example.com/a/1']);
    expect(links[0]!.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(texts).to.contain('javascript:window.__xss=3'); // shown as text, not a link
    // Credentials: never a link, and shown without them.
    expect(texts).to.contain('https://crm.example.com/a/0');
    expect(texts).to.not.contain('user:pass');
    expect(w.__xss).to.equal(undefined);
    for (const t of types) document.removeEventListener(t, hear);
    expect(heard.length).to.be.greaterThan(1);
    expect(JSON.stringify(heard)).to.not.contain('4111');
    expect(JSON.stringify(bar.session!.snapshot)).to.not.contain('4111');
    // The raw value stays with the connector (the backend's side of the bar).
    // (The bar's connector is the lazy wrapper; `inner` is the simulator it loaded.)
    const connector = (bar.session!.connector as unknown as { inner: { engine: { snapshotEvents(): unknown[] } } }).inner;
    expect(JSON.stringify(connector.engine.snapshotEvents())).to.contain('4111111111111111');
  });

  it('shows URLs in customer data without their credentials (user:password@, token parameters)', async () => {
    const bar = await makeBar();
    await talking(bar, {
      number: '+442079460018',
      name: 'Ada Lovelace',
      fields: [
        { key: 'creds', label: 'Creds pop', value: 'https://agent:hunter2pass@crm.example.com/a/0', type: 'screenPop' },
        { key: 'tok', label: 'Token pop', value: 'https://crm.example.com/a/2?id=7&access_token=SECRETTOKEN123', type: 'screenPop' },
        { key: 'ref', label: 'Reference', value: 'https://files.example.com/f?sig=SIGNATURE99&name=a.pdf#token=FRAGTOKEN7', type: 'readOnly' },
        { key: 'note', label: 'Note', value: 'Ada from london: key=value', type: 'readOnly' },
      ],
    });
    const card = deepAll(bar, 'customer-card')[0]!.shadowRoot!.textContent!;
    for (const secret of ['hunter2pass', 'agent:', 'SECRETTOKEN123', 'SIGNATURE99', 'FRAGTOKEN7']) expect(card).to.not.contain(secret);
    expect(card).to.contain('https://crm.example.com/a/0');
    expect(card).to.contain('https://crm.example.com/a/2?id=7');
    expect(card).to.contain('https://files.example.com/f?name=a.pdf');
    expect(card).to.contain('Ada from london: key=value'); // plain text is left exactly as it is
    // A safe link still opens its real target; only what is shown loses the credential.
    const link = allByRole(bar, 'link').find((a) => a.textContent === 'https://crm.example.com/a/2?id=7');
    expect(link?.getAttribute('href')).to.equal('https://crm.example.com/a/2?id=7&access_token=SECRETTOKEN123');
  });

  it('dispatches a cancelable, composed cti-screen-pop with the http(s) URL', async () => {
    const bar = await makeBar();
    const pops: CustomEvent[] = [];
    const listener = (e: Event) => {
      pops.push(e as CustomEvent);
      e.preventDefault();
    };
    document.addEventListener('cti-screen-pop', listener);
    try {
      await loggedInReady(bar);
      bar.simulator!.offerCall({
        number: '+442079460018',
        fields: [{ key: 'crm', label: 'CRM', value: 'https://crm.example.com/a/2', type: 'screenPop' }],
      });
      await until(() => pops.length > 0, 'screen pop');
    } finally {
      document.removeEventListener('cti-screen-pop', listener);
    }
    expect(pops[0]!.detail.url).to.equal('https://crm.example.com/a/2');
    expect(pops[0]!.cancelable && pops[0]!.composed && pops[0]!.bubbles).to.equal(true);
    expect(pops[0]!.defaultPrevented).to.equal(true);
  });

  it('re-creates the session when agent-id changes and destroys it when removed', async () => {
    const bar = await makeBar('first');
    const first = bar.session!;
    bar.setAttribute('agent-id', 'second');
    await bar.updateComplete;
    const second = bar.session!;
    expect(second).to.not.equal(first);
    expect(second.snapshot.agent.id).to.equal('second');
    let rejected: unknown;
    await first.command('login', {}).catch((e) => (rejected = e));
    expect((rejected as { code?: string }).code).to.equal('DESTROYED');
    bar.remove();
    expect(bar.session).to.equal(undefined);
    await second.command('login', {}).catch((e) => (rejected = e));
    expect((rejected as { code?: string }).code).to.equal('DESTROYED');
  });

  it('explains a bad configuration in the alert instead of failing silently', async () => {
    const bar = await fixture<AgentBar>(html`<agent-bar agent-id="t1" connector="no-such-backend"></agent-bar>`);
    await settled();
    expect(bar.session).to.equal(undefined);
    expect(byRole(bar, 'alert').textContent).to.contain('no-such-backend');
  });
});

import { expect, fixture } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import { Session } from '../../../src/core/session.ts';
import { OPERATIONS } from '../../../src/core/operations.ts';
import type { Connector, EventSink } from '../../../src/core/connector.ts';
import type { Snapshot } from '../../../src/core/model.ts';
import { SnapshotController } from '../../../components/controllers/snapshot-controller.ts';
import { clockText } from '../../../components/directives/clock-text.ts';
import { defineElement } from '../../../components/define.ts';

/** A backend whose events the test pushes by hand (a test double of the backend, not of our code). */
class ScriptedBackend implements Connector {
  readonly name = 'scripted';
  readonly supports = new Set(OPERATIONS);
  sink: EventSink = () => {};
  connect(sink: EventSink): Promise<void> {
    this.sink = sink;
    sink({ type: 'connection', status: 'connected' });
    return Promise.resolve();
  }
  execute(): Promise<void> {
    return Promise.resolve();
  }
  disconnect(): void {}
  toggle(i: number): void {
    this.sink({ type: 'agentState', state: i % 2 ? 'ready' : 'notReady' });
  }
}

class CountingHost extends LitElement {
  session?: Session;
  renders = 0;
  frames: number[] = [];
  select?: (s: Snapshot) => readonly unknown[];
  readonly snapshots = new SnapshotController(this, () => this.session, (s) => (this.select ? this.select(s) : [s]));
  clockOn = false;
  override render() {
    this.renders++;
    return html`${this.snapshots.snapshot?.agent.state ?? 'none'}${this.clockOn ? html` <span>${clockText((now) => String(Math.floor(now / 1000)))}</span>` : ''}`;
  }
}
defineElement('counting-host', CountingHost);

async function setup(select?: (s: Snapshot) => readonly unknown[]) {
  const backend = new ScriptedBackend();
  const session = new Session(backend, { agentId: 'a1', desktopDuties: false });
  await session.connect();
  const el = document.createElement('counting-host') as CountingHost;
  el.session = session;
  el.select = select;
  await fixture(el);
  await el.updateComplete;
  // Let the controller return to idle.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return { backend, session, el };
}

describe('SnapshotController', () => {
  it('renders an isolated change at once, without waiting for an animation frame', async () => {
    const { backend, el } = await setup();
    const before = el.renders;
    let framed = false;
    requestAnimationFrame(() => (framed = true));
    backend.toggle(1);
    await el.updateComplete;
    expect(framed, 'rendered before the next frame').to.equal(false);
    expect(el.renders).to.equal(before + 1);
    expect(el.shadowRoot!.textContent).to.contain('ready');
  });

  it('renders a synchronous burst of 50 changes once, showing the last state', async () => {
    const { backend, el } = await setup();
    const before = el.renders;
    for (let i = 0; i < 50; i++) backend.toggle(i);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(el.renders).to.equal(before + 1);
    expect(el.shadowRoot!.textContent).to.contain('ready');
  });

  it('renders a burst spread over many tasks at most once per animation frame', async () => {
    const { backend, el } = await setup();
    let frames = 0;
    let counting = true;
    const tick = () => {
      frames++;
      if (counting) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const before = el.renders;
    for (let i = 0; i < 120; i++) {
      backend.toggle(i);
      await new Promise((r) => setTimeout(r, 0));
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    counting = false;
    const renders = el.renders - before;
    expect(renders).to.be.greaterThan(0);
    // One immediate render from idle plus at most one per frame callback.
    expect(renders).to.be.at.most(frames + 2);
    expect(el.shadowRoot!.textContent).to.contain('ready');
  });

  it('a render for another reason counts as the frame\'s render: a change in that frame waits for the next', async () => {
    const { backend, el } = await setup();
    el.requestUpdate();
    await el.updateComplete;
    const before = el.renders;
    backend.toggle(1);
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
    expect(el.renders, 'not a second render in the same frame').to.equal(before);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(el.renders).to.equal(before + 1);
    expect(el.shadowRoot!.textContent).to.contain('ready');
  });

  it('with a timer on screen, a stream of changes still renders at most once per frame', async () => {
    const { backend, el } = await setup();
    el.clockOn = true;
    el.requestUpdate();
    await el.updateComplete;
    const counts = new Map<number, number>();
    let frame = 0;
    let counting = true;
    const tick = () => {
      frame++;
      if (counting) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const original = el.render.bind(el);
    el.render = () => {
      counts.set(frame, (counts.get(frame) ?? 0) + 1);
      return original();
    };
    // Bounded: a little over two clock ticks of changes every few milliseconds.
    const end = performance.now() + 2_300;
    for (let i = 0; performance.now() < end; i++) {
      backend.toggle(i);
      await new Promise((r) => setTimeout(r, 4));
    }
    counting = false;
    el.clockOn = false;
    expect(counts.size).to.be.greaterThan(10);
    expect(Math.max(...counts.values())).to.equal(1);
  });

  it('in a hidden page (no animation callbacks) changes still render, a few times a second', async () => {
    const { backend, el } = await setup();
    const raf = globalThis.requestAnimationFrame;
    globalThis.requestAnimationFrame = () => 1; // what a background tab does: never calls back
    try {
      backend.toggle(1);
      await el.updateComplete;
      expect(el.shadowRoot!.textContent).to.contain('ready');
      backend.toggle(2);
      await el.updateComplete;
      expect(el.shadowRoot!.textContent, 'held for the end of the frame').to.contain('ready');
      await new Promise((r) => setTimeout(r, 600));
      expect(el.shadowRoot!.textContent).to.contain('notReady');
    } finally {
      globalThis.requestAnimationFrame = raf;
    }
  });

  it('does not render when the selected slice did not change', async () => {
    const { backend, el } = await setup((s) => [s.calls]);
    const before = el.renders;
    backend.toggle(1);
    backend.toggle(2);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(el.renders).to.equal(before);
  });

  it('stops listening when disconnected', async () => {
    const { backend, el } = await setup();
    el.remove();
    const before = el.renders;
    backend.toggle(1);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(el.renders).to.equal(before);
  });
});

// Browser half of `npm run bench`: loads the built bundle in headless Chromium (the same binary the
// tests use) and measures event → DOM latency, renders per frame in a burst, and heap/DOM growth over
// 10,000 calls driven through the session API (ui-calls.mjs drives calls through the UI by clicks).
// Chromium's own counters come from the DevTools protocol (precise GC).
import { chromium } from 'playwright';
import { findBrowser, CHROMIUM_ARGS } from '../scripts/find-browser.mjs';
import { startStaticServer } from '../scripts/static-server.mjs';

const LATENCY_SAMPLES = 300;
const BURST_EVENTS = 500;
const CALLS = 10_000;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function runBrowserBench(root) {
  const server = await startStaticServer({ root });
  const browser = await chromium.launch({ executablePath: await findBrowser(), args: CHROMIUM_ARGS });
  try {
    // One page per phase: the simulator answers commands after `latencyMs`. Event → DOM uses a
    // backend's latency (20 ms, the simulator's default) so the event is not in the same frame as
    // the render of the agent's own click (the command in flight disables its button at once, and
    // that render is the frame's one render); the burst and the 10,000 calls use 0 to go fast.
    const openPage = async (latencyMs) => {
      const page = await browser.newPage();
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(`${server.url}/bench/bench.html?latency=${latencyMs}`);
      await page.waitForFunction(() => document.querySelector('agent-bar')?.session?.snapshot?.connection === 'connected');

      // Instrument: count element updates per animation frame and time the first DOM commit after
      // an event reaches the session. Patching `updated` of the element classes touches no product code.
      await page.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__bench = { frame: 0, updatesByFrame: new Map(), t0: 0, latencies: [], waiting: false };
        const b = w.__bench;
        // A visible browser makes a frame every vsync; headless Chromium only when something on
        // screen changed. A one-pixel change per frame keeps frames coming as on an agent's screen,
        // so the rest of the page is not paced by whatever happens to repaint next.
        const pixel = document.body.appendChild(document.createElement('div'));
        pixel.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px';
        const tick = () => { b.frame++; pixel.style.opacity = String(b.frame % 2 ? 0.99 : 1); requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
        const tags = ['agent-bar', 'call-panel', 'status-menu', 'disposition-picker', 'transfer-dialog', 'customer-card', 'preview-card'];
        for (const tag of tags) {
          const ctor = customElements.get(tag);
          if (!ctor) continue;
          const original = ctor.prototype.updated;
          ctor.prototype.updated = function (changed) {
            original?.call(this, changed);
            const key = `${tag}@${b.frame}`;
            b.updatesByFrame.set(key, (b.updatesByFrame.get(key) ?? 0) + 1);
            if (b.waiting) {
              b.latencies.push(performance.now() - b.t0);
              b.waiting = false;
            }
          };
        }
        const bar = document.querySelector('agent-bar');
        b.completed = 0;
        bar.session.onHostEvent((e) => { if (e.type === 'wrapup-completed') b.completed++; });
        // t0: the moment the simulator's call event has been applied (the call's state changed);
        // t1: the first element update (DOM committed) after it.
        bar.session.subscribe((snap, prev) => {
          if (b.armed && snap.calls[0]?.state !== prev.calls[0]?.state) {
            b.t0 = performance.now();
            b.waiting = true;
            b.armed = false;
          }
        });
      });

      // Log in, go ready, take one call so hold/retrieve have something to act on.
      await page.evaluate(async () => {
        const bar = document.querySelector('agent-bar');
        const s = bar.session;
        await s.command('login', {});
        await s.command('ready', {});
        bar.simulator.offerCall({ number: '+442079460018', name: 'Bench Customer' });
        await new Promise((r) => setTimeout(r, 50));
        await s.command('answer', {});
      });
      return page;
    };

    let page = await openPage(20);

    // 1. Event → DOM: isolated events (two frames apart) so each measures one render.
    await page.evaluate(async (n) => {
      const bar = document.querySelector('agent-bar');
      const b = window.__bench;
      const twoFrames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      // A random pause puts events anywhere in the second (the timers' one-second clock renders
      // too, and an event in the same frame as a clock render waits for the next frame), as a
      // backend's would be.
      const pause = () => new Promise((r) => setTimeout(r, 20 + Math.random() * 60));
      for (let i = 0; i < n; i++) {
        await twoFrames();
        await pause();
        b.armed = true;
        await bar.session.command(i % 2 ? 'retrieve' : 'hold', {});
        await twoFrames();
      }
    }, LATENCY_SAMPLES);
    const latencies = (await page.evaluate(() => window.__bench.latencies)).sort((a, b) => a - b);
    await page.close();
    page = await openPage(0);
    const cdp = await page.context().newCDPSession(page);

    // 2. Burst: 500 state-changing events inside one second; count updates per element per frame.
    const burst = await page.evaluate(async (events) => {
      const bar = document.querySelector('agent-bar');
      const b = window.__bench;
      b.updatesByFrame.clear();
      const applied = { n: 0 };
      const off = bar.session.subscribe(() => applied.n++);
      const start = performance.now();
      const firstFrame = b.frame;
      let i = 0;
      // Spread over about a second (one command every ~2 ms, each producing call + capability
      // events), the way a busy backend streams them, so the count spans many frames.
      while (applied.n < events && performance.now() - start < 1000) {
        await bar.session.command(i++ % 2 ? 'retrieve' : 'hold', {});
        await new Promise((r) => setTimeout(r, 2));
      }
      const elapsed = performance.now() - start;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      off();
      const counts = [...b.updatesByFrame.values()];
      return {
        events: applied.n,
        elapsedMs: +elapsed.toFixed(1),
        frames: b.frame - firstFrame,
        updates: counts.reduce((a, c) => a + c, 0),
        maxRendersPerFrame: Math.max(0, ...counts),
      };
    }, BURST_EVENTS);
    if (burst.events < BURST_EVENTS) console.warn(`burst produced only ${burst.events} events in 1 s`);

    // 3. 10,000 calls: heap and DOM nodes after GC, compared with a warmed-up baseline.
    const measure = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const dom = await cdp.send('Memory.getDOMCounters');
      // Nodes in the live tree, through every shadow root: what "DOM node count flat" means.
      const live = await page.evaluate(() => {
        const count = (root) => {
          let n = 0;
          for (const el of root.querySelectorAll('*')) {
            n++;
            if (el.shadowRoot) n += count(el.shadowRoot);
          }
          return n;
        };
        return count(document);
      });
      const completed = await page.evaluate(() => window.__bench.completed);
      return { heap: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners, live, completed };
    };
    const runCalls = (count) =>
      page.evaluate(async (count) => {
        const bar = document.querySelector('agent-bar');
        const s = bar.session;
        if (s.snapshot.calls[0]?.state === 'held') await s.command('retrieve', {});
        if (s.snapshot.calls[0]) {
          await s.command('hangup', {});
          await s.command('wrapUp', { code: s.snapshot.dispositions.find((d) => !d.isCallback && !d.isDnc).code });
        }
        const waitFor = async (pred) => { for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 0)); };
        for (let i = 0; i < count; i++) {
          // Let the page paint every tenth call so the elements really render thousands of calls.
          if (i % 10 === 0) await new Promise((r) => requestAnimationFrame(r));
          bar.simulator.offerCall({ number: '+442079460' + String(i % 1000).padStart(3, '0'), name: `Customer ${i}`, fields: { account: `A-${i}` } });
          await waitFor(() => s.snapshot.capabilities.answer);
          await s.command('answer', {});
          bar.simulator.customerHangup();
          await waitFor(() => s.snapshot.calls[0]?.state === 'wrapup');
          await s.command('wrapUp', { code: s.snapshot.dispositions.find((d) => !d.isCallback && !d.isDnc).code, notes: `call ${i}` });
        }
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }, count);
    await runCalls(200);
    const before = await measure();
    const t = Date.now();
    await runCalls(CALLS);
    const elapsedS = (Date.now() - t) / 1000;
    const after = await measure();

    return {
      eventToDom: {
        samples: latencies.length,
        p50Ms: +percentile(latencies, 50).toFixed(2),
        p95Ms: +percentile(latencies, 95).toFixed(2),
        maxMs: +latencies[latencies.length - 1].toFixed(2),
      },
      burst,
      calls: {
        calls: CALLS,
        elapsedS: +elapsedS.toFixed(1),
        heapBeforeBytes: before.heap,
        heapAfterBytes: after.heap,
        wrapUpsCompleted: after.completed - before.completed,
        heapGrowthBytes: after.heap - before.heap,
        liveDomNodesBefore: before.live,
        liveDomNodesAfter: after.live,
        domNodeGrowth: after.live - before.live,
        chromiumNodeCounterBefore: before.nodes,
        chromiumNodeCounterAfter: after.nodes,
        chromiumListenerCounterBefore: before.listeners,
        chromiumListenerCounterAfter: after.listeners,
      },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

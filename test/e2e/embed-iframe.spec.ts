/**
 * Iframe mode, end to end with the built files on three real origins (test/fixtures/embed-sites.ts):
 * the host SDK on the CRM origin drives the bar framed from the bar origin; a third origin tries to
 * get in. Reload tests run on the reference server so the call lives outside both pages.
 */
import { test, expect, type Page, type Frame } from '@playwright/test';
import { startEmbedSites, type EmbedSites } from '../fixtures/embed-sites.ts';
import { startServer, type RunningServer } from '../../server/app.ts';

let sites: EmbedSites;
let backend: RunningServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  sites = await startEmbedSites();
  backend = await startServer({ port: 0, host: '127.0.0.1' });
});

test.afterAll(async () => {
  await sites?.close();
  await backend?.close();
});

type Recorded = { type: string; detail: any };
declare global {
  interface Window {
    bar: any;
    events: Recorded[];
    frameErrors: { code: string; message: string }[];
    connected: Promise<string>;
    handshakes: number;
    got: unknown[];
    portReplies: unknown[];
    forge: () => void;
  }
}

function hostUrl(origin: string, params: Record<string, string>): string {
  return `${origin}/host-auto.html?${new URLSearchParams(params)}`;
}

async function barFrame(page: Page, origin: string): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => f.url().startsWith(origin))).toBe(true);
  return page.frames().find((f) => f.url().startsWith(origin))!;
}

const eventTypes = (page: Page) => page.evaluate(() => window.events.map((e) => e.type));
const agentState = (page: Page) => page.evaluate(() => window.bar.snapshot?.agent.state);

test('the host SDK drives a whole call in the framed bar and hears every cti-* event', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(hostUrl(sites.host.origin, { src: `${sites.bar.origin}/frame.html`, agentId: '3001' }));
  expect(await page.evaluate(() => window.connected)).toBe('ok');
  const iframe = page.locator('iframe.agent-bar-frame');
  await expect(iframe).toHaveAttribute('allow', 'microphone; autoplay; clipboard-write');
  await expect(iframe).toHaveAttribute('title', 'Agent bar');
  const framed = page.frameLocator('iframe.agent-bar-frame');

  // The handshake is the frame's; the session connects once the simulator's module is loaded.
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.connection)).toBe('connected');
  await page.evaluate(() => window.bar.login());
  await expect.poll(() => agentState(page)).toBe('notReady');
  await page.evaluate(() => window.bar.ready());
  await expect.poll(() => agentState(page)).toBe('ready');
  await expect(framed.getByRole('button', { name: 'Not ready', exact: true })).toBeEnabled();

  // The customer calls (the simulator inside the frame), with a CRM link to pop.
  const frame = await barFrame(page, sites.bar.origin);
  await frame.evaluate(() =>
    document.querySelector('agent-bar')!.simulator!.offerCall({
      number: '+442079460123',
      name: 'Ada Lovelace',
      fields: [{ key: 'crm', label: 'CRM', value: 'https://crm.example.com/contact/7', type: 'screenPop' }],
    }),
  );
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('ringing');
  await page.evaluate(() => window.bar.answer());
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('talking');
  await expect(framed.getByText('Ada Lovelace').first()).toBeVisible();
  await page.evaluate(() => window.bar.hold());
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('held');
  await page.evaluate(() => window.bar.retrieve());
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('talking');
  await page.evaluate(() => window.bar.hangup());
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('wrapup');
  await page.evaluate(() => window.bar.wrapUp({ code: window.bar.snapshot.dispositions[0].code, notes: 'Called about the invoice' }));
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls.length)).toBe(0);

  // A refused command rejects with the bar's coded error and is heard as cti-operation-failed.
  const failure = await page.evaluate(() => window.bar.dial('+44 12').then(() => null, (e: any) => ({ code: e.code, name: e.name, message: e.message })));
  expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', name: 'EmbedError' });
  await expect(framed.getByRole('alert')).toContainText('+44 12');

  const types = await eventTypes(page);
  for (const type of [
    'cti-agent-state-changed',
    'cti-capabilities-changed',
    'cti-call-offered',
    'cti-screen-pop',
    'cti-call-connected',
    'cti-call-held',
    'cti-call-retrieved',
    'cti-call-disconnected',
    'cti-wrapup-completed',
    'cti-operation-failed',
  ]) {
    expect(types, type).toContain(type);
  }
  // In order, once each for this call.
  const callEvents = types.filter((t) => /call-|wrapup|screen-pop/.test(t));
  expect(callEvents).toEqual(['cti-call-offered', 'cti-screen-pop', 'cti-call-connected', 'cti-call-held', 'cti-call-retrieved', 'cti-call-disconnected', 'cti-wrapup-completed']);
  const pop = await page.evaluate(() => window.events.find((e) => e.type === 'cti-screen-pop')!.detail);
  expect(pop.url).toBe('https://crm.example.com/contact/7');
  const wrap = await page.evaluate(() => window.events.find((e) => e.type === 'cti-wrapup-completed')!.detail);
  expect(wrap.dispositionCode).toBeTruthy();
  // The framed bar's diagnostic log, for the host's support ticket: the call, not the customer.
  const log = await page.evaluate(() => window.bar.diagnosticLog());
  expect(JSON.parse(log).events.filter((e: any) => e.kind === 'call').map((e: any) => e.state)).toEqual(['ringing', 'talking', 'held', 'talking', 'wrapup']);
  for (const secret of ['+442079460123', 'Ada', 'Lovelace', 'crm.example.com', 'invoice', '+44 12']) expect(log).not.toContain(secret);
  expect(errors).toEqual([]);
});

test('a host on a third origin cannot connect to the bar, even with a hand-made connect', async ({ page }) => {
  await page.goto(hostUrl(sites.third.origin, { src: `${sites.bar.origin}/frame.html`, agentId: 'intruder', timeout: '1500' }));
  expect(await page.evaluate(() => window.connected)).toBe('CONNECT_TIMEOUT');
  // The SDK never got a hello (the bar addresses it to the allowed host only); try by hand.
  const replies = await page.evaluate(async (barOrigin) => {
    const { port1, port2 } = new MessageChannel();
    const got: unknown[] = [];
    port1.onmessage = (e) => got.push(e.data);
    window.bar.iframe.contentWindow.postMessage({ agentbar: 'connect', protocol: 'agentbar/1', options: { agentId: 'intruder' } }, barOrigin, [port2]);
    port1.postMessage({ t: 'q', i: 1, m: 'snapshot' });
    await new Promise((r) => setTimeout(r, 1000));
    return got;
  }, sites.bar.origin);
  expect(replies).toEqual([]);
  const frame = await barFrame(page, sites.bar.origin);
  expect(await frame.evaluate(() => document.querySelector('agent-bar')!.agentId)).toBe('');
});

test('a frame on a third origin is not accepted by the host SDK', async ({ page }) => {
  await page.goto(
    hostUrl(sites.host.origin, { src: `${sites.third.origin}/frame.html`, allowedOrigin: sites.bar.origin, agentId: '3002', timeout: '1500' }),
  );
  expect(await page.evaluate(() => window.connected)).toBe('CONNECT_TIMEOUT');
  // That frame did say hello (it allows this host), but got no connect: its bar has no agent.
  const frame = await barFrame(page, sites.third.origin);
  expect(await frame.evaluate(() => document.querySelector('agent-bar')!.agentId)).toBe('');
  await expect(page.evaluate(() => window.bar.login())).rejects.toThrow(/No handshake/);
});

test('forged messages from another frame reach neither the host SDK nor the bar', async ({ page }) => {
  await page.goto(hostUrl(sites.host.origin, { src: `${sites.bar.origin}/frame.html`, agentId: '3003' }));
  expect(await page.evaluate(() => window.connected)).toBe('ok');
  // The handshake is the frame's; the session connects once the simulator's module is loaded.
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.connection)).toBe('connected');
  await page.evaluate(() => window.bar.login());
  await expect.poll(() => agentState(page)).toBe('notReady');
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.src = src;
    f.name = 'forger';
    document.body.append(f);
    return new Promise((r) => f.addEventListener('load', r));
  }, `${sites.third.origin}/forger.html`);
  const forger = page.frames().find((f) => f.name() === 'forger')!;
  const before = await page.evaluate(() => window.events.length);
  await forger.evaluate(() => window.forge());
  await page.waitForTimeout(1000);
  // The host ignored the forged hello (no connect came back) and the forged event.
  expect(await forger.evaluate(() => window.got)).toEqual([]);
  expect(await page.evaluate(() => window.events.length)).toBe(before);
  // The bar ignored the forged connect: no answer on the forger's port, no call dialled.
  expect(await forger.evaluate(() => window.portReplies)).toEqual([]);
  expect(await page.evaluate(() => window.bar.snapshot.calls.length)).toBe(0);
  // And the real channel still works.
  await page.evaluate(() => window.bar.ready());
  await expect.poll(() => agentState(page)).toBe('ready');
});

test('a hello with an unknown major fails closed on the host; a connect with one is ignored by the bar', async ({ page }) => {
  await page.goto(hostUrl(sites.host.origin, { src: `${sites.bar.origin}/v2-frame.html?host=${encodeURIComponent(sites.host.origin)}`, timeout: '3000' }));
  expect(await page.evaluate(() => window.connected)).toBe('VERSION_MISMATCH');
  expect(await page.evaluate(() => window.frameErrors.map((e) => e.code))).toContain('VERSION_MISMATCH');
  const v2 = await barFrame(page, sites.bar.origin);
  await page.waitForTimeout(300);
  expect(await v2.evaluate(() => window.got)).toEqual([]);

  // The other way round: a real frame, a host speaking agentbar/2 by hand, then agentbar/1.
  await page.goto(`${sites.host.origin}/blank.html`);
  const answers = await page.evaluate(async (src) => {
    const origin = new URL(src).origin;
    const f = document.createElement('iframe');
    const hello = new Promise<void>((resolve) =>
      addEventListener('message', (e) => e.source === f.contentWindow && e.data?.agentbar === 'hello' && resolve()),
    );
    f.src = src;
    document.body.append(f);
    await hello;
    const attempt = async (protocol: string) => {
      const { port1, port2 } = new MessageChannel();
      const got: any[] = [];
      port1.onmessage = (e) => got.push(e.data);
      f.contentWindow!.postMessage({ agentbar: 'connect', protocol, options: { agentId: '3004' } }, origin, [port2]);
      await new Promise((r) => setTimeout(r, 1000));
      return got.map((m) => m.n);
    };
    return { v2: await attempt('agentbar/2'), v1: await attempt('agentbar/1') };
  }, `${sites.bar.origin}/frame.html`);
  expect(answers.v2).toEqual([]);
  expect(answers.v1).toContain('ready');
});

test('after destroy() nothing from the frame is heard and every call rejects', async ({ page }) => {
  await page.goto(hostUrl(sites.host.origin, { src: `${sites.bar.origin}/frame.html`, agentId: '3005' }));
  expect(await page.evaluate(() => window.connected)).toBe('ok');
  const result = await page.evaluate(async () => {
    const iframe = window.bar.iframe as HTMLIFrameElement;
    window.bar.destroy();
    const gone = !iframe.isConnected;
    const before = window.events.length;
    // Put the same iframe back: the frame loads again and says hello to a destroyed SDK.
    document.body.append(iframe);
    await new Promise((r) => setTimeout(r, 1500));
    const login = await window.bar.login().then(() => 'sent', (e: any) => e.code);
    const when = await window.bar.whenConnected().then(() => 'connected', (e: any) => e.code);
    return { gone, login, when, connected: window.bar.connected, newEvents: window.events.length - before };
  });
  expect(result).toEqual({ gone: true, login: 'DESTROYED', when: 'DESTROYED', connected: false, newEvents: 0 });
  // The re-attached frame (the same element, a new document) got no connect from anyone: no agent.
  const frame = await (await page.locator('iframe.agent-bar-frame').elementHandle())!.contentFrame();
  await frame!.waitForFunction(() => customElements.get('agent-bar'));
  expect(await frame!.evaluate(() => document.querySelector('agent-bar')!.agentId)).toBe('');
});

test.describe('reloads mid-call (reference server)', () => {
  async function openOnServer(page: Page, agentId: string) {
    await page.goto(
      hostUrl(sites.host.origin, { src: `${sites.bar.origin}/frame.html`, agentId, connector: 'server', endpoint: backend.wsUrl }),
    );
    expect(await page.evaluate(() => window.connected)).toBe('ok');
  }

  async function callInProgress(page: Page, agentId: string) {
    await openOnServer(page, agentId);
    await expect.poll(() => page.evaluate(() => window.bar.snapshot?.connection)).toBe('connected');
    await page.evaluate(() => window.bar.login());
    await expect.poll(() => agentState(page)).toBe('notReady');
    await page.evaluate(() => window.bar.ready());
    await expect.poll(() => agentState(page)).toBe('ready');
    const res = await fetch(`${backend.url}/control/${agentId}/offer-call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: '+442079460777', name: 'Grace Hopper' }),
    });
    expect(res.ok).toBe(true);
    await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('ringing');
    await page.evaluate(() => window.bar.answer());
    await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('talking');
  }

  async function hangUpAfterReload(page: Page) {
    const framed = page.frameLocator('iframe.agent-bar-frame');
    await expect(framed.getByText('Grace Hopper').first()).toBeVisible();
    await expect(framed.getByRole('button', { name: 'Hang up', exact: true })).toBeEnabled();
    await page.evaluate(() => window.bar.hangup());
    await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('wrapup');
    await expect.poll(() => eventTypes(page)).toContain('cti-call-disconnected');
  }

  test('the frame reloaded mid-call: the host re-handshakes and the call is still there', async ({ page }) => {
    await callInProgress(page, 'frame-reload-1');
    const frame = await barFrame(page, sites.bar.origin);
    expect(await page.evaluate(() => window.handshakes)).toBe(1);
    await frame.evaluate(() => location.reload());
    await expect.poll(() => page.evaluate(() => window.handshakes)).toBe(2);
    await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('talking');
    await hangUpAfterReload(page);
  });

  test('the host page reloaded mid-call: a new SDK, a new frame, the same call', async ({ page }) => {
    await callInProgress(page, 'host-reload-1');
    await page.reload();
    expect(await page.evaluate(() => window.connected)).toBe('ok');
    expect(await page.evaluate(() => window.handshakes)).toBe(1);
    await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('talking');
    await hangUpAfterReload(page);
  });
});

test('host hooks over the channel: contact search shown in the frame, the agent’s pick pops, wrap-up logs the call', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as any;
    w.hookCalls = { search: [], pop: [], log: [] };
    w.testHooks = {
      searchContacts: async (number: string) => {
        w.hookCalls.search.push(number);
        return [
          { id: 'c1', name: 'Ada Lovelace', detail: 'Engines Ltd', url: 'https://crm.example.com/c1' },
          { id: 'c2', name: 'Ada Byron', url: 'javascript:alert(1)' },
        ];
      },
      screenPop: (call: any, match: any) => void w.hookCalls.pop.push({ number: call.remote.number, match }),
      logCall: (record: any) => void w.hookCalls.log.push(record),
    };
  });
  await page.goto(hostUrl(sites.host.origin, { src: `${sites.bar.origin}/frame.html`, agentId: '3006', hooks: '1' }));
  expect(await page.evaluate(() => window.connected)).toBe('ok');
  // The handshake is the frame's; the session connects once the simulator's module is loaded.
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.connection)).toBe('connected');
  await page.evaluate(async () => {
    await window.bar.login();
    await window.bar.ready();
  });
  await expect.poll(() => agentState(page)).toBe('ready');
  const frame = await barFrame(page, sites.bar.origin);
  await frame.evaluate(() => document.querySelector('agent-bar')!.simulator!.offerCall({ number: '+442079460124', name: 'Ada' }));
  const framed = page.frameLocator('iframe.agent-bar-frame');
  await framed.getByRole('radio', { name: /Ada Byron/ }).click();
  await expect(framed.getByText('Contact: Ada Byron')).toBeVisible();
  const hookCalls = () => page.evaluate(() => (window as any).hookCalls);
  await expect.poll(async () => (await hookCalls()).pop.length).toBe(1);
  const calls = await hookCalls();
  expect(calls.search).toEqual(['+442079460124']);
  // The bar dropped the javascript: URL before anything else saw it.
  expect(calls.pop[0]).toEqual({ number: '+442079460124', match: { id: 'c2', name: 'Ada Byron' } });
  await page.evaluate(async () => {
    await window.bar.answer();
  });
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('talking');
  await page.evaluate(() => window.bar.hangup());
  await expect.poll(() => page.evaluate(() => window.bar.snapshot?.calls[0]?.state)).toBe('wrapup');
  await page.evaluate(() => window.bar.wrapUp({ code: window.bar.snapshot.dispositions[0].code, notes: 'Sent the invoice again' }));
  await expect.poll(async () => (await hookCalls()).log.length).toBe(1);
  const record = (await hookCalls()).log[0];
  expect(record).toMatchObject({ direction: 'inbound', number: '+442079460124', name: 'Ada', notes: ['Sent the invoice again'], recorded: false, contact: { id: 'c2' } });
  expect(record.disposition.code).toBeTruthy();
});

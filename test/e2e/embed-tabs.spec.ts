/**
 * One backend connection per agent across tabs: three pages of one browser context (three tabs of
 * one origin) open `<agent-bar connector="server">` for the same agent on the real reference
 * server. The server counts one WebSocket; commands from every tab work; the leader tab closed
 * mid-call, then the next leader reloaded mid-call, hand over within 1 s with the call kept; the
 * tab that stays open throughout raises every `cti-*` call event exactly once.
 */
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { control, freePort, launchServer, stopServer, type ServerProcess } from '../fixtures/server-process.ts';

const AGENT = 'tabs1';
const METRICS_TOKEN = 'metrics-token-for-the-tabs-test';

async function sockets(server: ServerProcess): Promise<number> {
  const response = await fetch(`${server.httpUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}`, accept: 'application/json' } });
  return ((await response.json()) as { sockets: number }).sockets;
}

const role = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => (document.querySelector('agent-bar') as any)?.session?.connector?.inner?.role);
const snapshot = (page: Page): Promise<any> => page.evaluate(() => (document.querySelector('agent-bar') as any).session?.snapshot);
const callStates = async (page: Page): Promise<string> => ((await snapshot(page))?.calls ?? []).map((c: any) => c.state).join();

async function openTab(context: BrowserContext, server: ServerProcess): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/test/fixtures/server-bar.html?endpoint=${encodeURIComponent(server.wsUrl)}&agent=${AGENT}`);
  await expect.poll(async () => (await snapshot(page))?.connection, { timeout: 15_000 }).toBe('connected');
  // When this tab becomes the leader (Date.now(), one clock for every page and the test).
  await page.evaluate(() => {
    const shared = (document.querySelector('agent-bar') as any).session.connector.inner;
    (window as any).ledAt = shared.role === 'leader' ? Date.now() : undefined;
    shared.onRole((r: string) => {
      if (r === 'leader') (window as any).ledAt = Date.now();
    });
  });
  return page;
}

/** The cti-* call events a page raised, by type (server-bar.html records them all). */
async function callEvents(page: Page): Promise<Record<string, number>> {
  const events: { type: string }[] = await page.evaluate(() => (window as any).ctiEvents);
  const out: Record<string, number> = {};
  for (const { type } of events) if (/^cti-(call|wrapup)/.test(type)) out[type] = (out[type] ?? 0) + 1;
  return out;
}

/** A reference server of its own for one test (its /metrics count is that test's alone). */
async function withServer(body: (server: ServerProcess) => Promise<void>): Promise<void> {
  const server = await launchServer({ port: await freePort(), env: { CONNECTOR_CONFIG: '{"latencyMs":0}', METRICS_TOKEN } });
  try {
    await body(server);
  } finally {
    await stopServer(server, 'SIGKILL');
  }
}

/** Waits for one of `pages` to lead; returns it and how long after `since` it took the lead. */
async function nextLeader(pages: Page[], since: number): Promise<{ leader: Page; ms: number }> {
  let leader: Page | undefined;
  await expect
    .poll(async () => {
      for (const page of pages) if ((await role(page)) === 'leader') leader = page;
      return leader !== undefined;
    }, { timeout: 5000, intervals: [20] })
    .toBe(true);
  const ledAt: number = await leader!.evaluate(() => (window as any).ledAt);
  return { leader: leader!, ms: ledAt - since };
}

test('three tabs share one connection; the leader closed or reloaded mid-call hands over within 1 s', async ({ context }) => {
  test.setTimeout(120_000);
  await withServer(async (server) => {
    const a = await openTab(context, server);
    const b = await openTab(context, server);
    const c = await openTab(context, server);
    expect([await role(a), await role(b), await role(c)]).toEqual(['leader', 'follower', 'follower']);
    // One connection at the server for three bars.
    await expect.poll(() => sockets(server)).toBe(1);
    // A follower's bar still offers the server's simulator controls (the demo's panel, any tab).
    expect(await c.evaluate(() => typeof (document.querySelector('agent-bar') as any).simulator?.offerCall)).toBe('function');

    // Commands from any tab; every tab shows the result.
    await b.getByRole('button', { name: 'Log in' }).click();
    for (const page of [a, b, c]) await expect.poll(async () => (await snapshot(page)).agent.state).toBe('notReady');
    await c.getByRole('button', { name: 'Ready', exact: true }).click();
    for (const page of [a, b, c]) await expect.poll(async () => (await snapshot(page)).agent.state).toBe('ready');

    await control(server.httpUrl, AGENT, 'offer-call', { number: '+15550100', name: 'Tab Test' });
    for (const page of [a, b, c]) await expect.poll(() => callStates(page)).toBe('ringing');
    await c.getByRole('button', { name: 'Answer' }).click();
    for (const page of [a, b, c]) await expect.poll(() => callStates(page)).toBe('talking');
    await b.getByRole('button', { name: 'Hold' }).click();
    for (const page of [a, b, c]) await expect.poll(() => callStates(page)).toBe('held');

    // The leader tab closes mid-call.
    const closedAt = Date.now();
    await a.close();
    const first = await nextLeader([b, c], closedAt);
    expect(first.ms, 'a new leader within 1 s of the close').toBeLessThan(1000);
    const other = first.leader === b ? c : b;
    for (const page of [b, c]) await expect.poll(async () => (await snapshot(page)).connection, { timeout: 5000 }).toBe('connected');
    for (const page of [b, c]) expect(await callStates(page)).toBe('held');
    await expect.poll(() => sockets(server)).toBe(1);
    await other.getByRole('button', { name: 'Retrieve' }).click();
    for (const page of [b, c]) await expect.poll(() => callStates(page)).toBe('talking');

    // The new leader reloads mid-call: the other tab takes over, the reloaded one follows.
    const reloadedAt = Date.now();
    await first.leader.reload();
    const second = await nextLeader([other], reloadedAt);
    expect(second.ms, 'a new leader within 1 s of the reload').toBeLessThan(1000);
    test.info().annotations.push({ type: 'hand-over', description: `close → leader ${first.ms} ms; reload → leader ${second.ms} ms` });
    await expect.poll(async () => (await snapshot(first.leader))?.connection, { timeout: 15_000 }).toBe('connected');
    expect(await role(first.leader)).toBe('follower');
    await expect.poll(() => callStates(first.leader)).toBe('talking');
    await expect(first.leader.getByRole('button', { name: 'Hold' })).toBeEnabled();
    await expect.poll(() => sockets(server)).toBe(1);

    // The customer hangs up; the reloaded follower wraps up.
    await control(server.httpUrl, AGENT, 'customer-hangup');
    for (const page of [b, c]) await expect.poll(() => callStates(page)).toBe('wrapup');
    const code = (await snapshot(first.leader)).dispositions[0].code;
    await first.leader.evaluate((code) => (document.querySelector('agent-bar') as any).session.command('wrapUp', { code }), code);
    for (const page of [b, c]) await expect.poll(() => callStates(page)).toBe('');

    // The tab open throughout saw every call event once: none lost, none twice across two hand-overs.
    expect(await callEvents(other)).toEqual({
      'cti-call-offered': 1,
      'cti-call-connected': 1,
      'cti-call-held': 1,
      'cti-call-retrieved': 1,
      'cti-call-disconnected': 1,
      'cti-wrapup-completed': 1,
    });
    const shared = await other.evaluate(() => (document.querySelector('agent-bar') as any).session.connector.inner.counters);
    expect(shared.repeated).toBe(0);
  });
});

test('own-connection opts a tab out: it keeps a connection of its own', async ({ context }) => {
  test.setTimeout(60_000);
  await withServer(async (server) => {
    const a = await openTab(context, server);
    const b = await context.newPage();
    await b.goto(`/test/fixtures/server-bar.html?endpoint=${encodeURIComponent(server.wsUrl)}&agent=${AGENT}&own=1`);
    await expect.poll(async () => (await snapshot(b))?.connection, { timeout: 15_000 }).toBe('connected');
    expect(await role(a)).toBe('leader');
    expect(await role(b)).toBeUndefined();
    await expect.poll(() => sockets(server)).toBe(2);
  });
});

/**
 * postMessage between real pages of different origins over HTTP: our PostMessageTransport in a
 * page of origin A (vite), the real porthole.js 1.0 in an iframe of origin B, an impostor iframe
 * of origin B and a foreign iframe of origin C (both also running porthole.js). Proven: round
 * trips in both directions; foreign-origin, wrong-window and malformed messages are ignored; a
 * fuzz loop of thousands of random messages raises nothing and changes nothing; and the exact
 * target origin means a message never reaches a page that took the portal's place.
 */
import { test, expect, type Frame, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { startStaticOrigin } from '../fixtures/static-origin.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type HostState = { status: string; received: number; accepted: number; dropped: number; targetOrigin?: string };

let origins: Array<{ origin: string; close(): Promise<void> }> = [];

test.beforeAll(async () => {
  origins = [await startStaticOrigin(ROOT), await startStaticOrigin(ROOT)];
});
test.afterAll(async () => {
  await Promise.all(origins.map((o) => o.close()));
});

async function openHost(page: Page): Promise<{ peer: Frame; impostor: Frame; foreign: Frame; pageErrors: string[] }> {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const [peerOrigin, foreignOrigin] = origins.map((o) => o.origin);
  await page.goto(`/test/fixtures/postmessage-host.html?peer=${encodeURIComponent(peerOrigin!)}&foreign=${encodeURIComponent(foreignOrigin!)}`);
  await page.waitForFunction(() => (window as any).host !== undefined);
  const frames: Record<string, Frame> = {};
  for (const name of ['portal', 'impostor', 'foreign']) {
    const frame = page.frame({ name });
    expect(frame, name).toBeTruthy();
    await frame!.waitForFunction(() => (window as any).ready === true);
    frames[name] = frame!;
  }
  return { peer: frames.portal!, impostor: frames.impostor!, foreign: frames.foreign!, pageErrors };
}

const hostState = (page: Page): Promise<HostState> => page.evaluate(() => (window as any).host.state());

test('round trips both ways with a real porthole.js peer of another origin', async ({ page }) => {
  const { peer, pageErrors } = await openHost(page);
  const peerOrigin = origins[0]!.origin;
  const hostOrigin = new URL(page.url()).origin;
  expect(peerOrigin).not.toBe(hostOrigin);

  // Host → peer → host: our request, answered by Porthole's post().
  const reply = await page.evaluate(() => (window as any).host.request('ping-1'));
  expect(reply).toMatchObject({ type: 'reply', echo: 'ping-1', from: 'peer' });
  // What the peer's Porthole saw: our message, from our exact origin.
  const seenByPeer = await peer.evaluate(() => (window as any).received);
  expect(seenByPeer[0].origin).toBe(hostOrigin);
  expect(seenByPeer[0].data).toMatchObject({ type: 'request', payload: 'ping-1' });

  // Peer → host → peer: the peer asks through Porthole, our transport answers.
  await peer.evaluate(() => (window as any).sendToHost({ type: 'request', id: 'p-1', payload: 'from-peer' }));
  await expect.poll(() => peer.evaluate(() => (window as any).received.length)).toBe(2);
  const answer = await peer.evaluate(() => (window as any).received[1]);
  expect(answer).toEqual({ data: { id: 'p-1', type: 'reply', echo: 'from-peer', from: 'host' }, origin: hostOrigin });

  const state = await hostState(page);
  expect(state).toMatchObject({ status: 'connected', received: 1, accepted: 2, targetOrigin: peerOrigin });
  expect(pageErrors).toEqual([]);
});

test('messages from a foreign origin, an unexpected window, or malformed are ignored', async ({ page }) => {
  const { peer, impostor, foreign, pageErrors } = await openHost(page);
  const before = await hostState(page);

  // Well-formed Porthole messages, but from origin C (not allowed)…
  await foreign.evaluate(() => (window as any).sendToHost({ type: 'request', id: 'f-1', payload: 'evil' }));
  // …and from origin B, but another window than the portal.
  await impostor.evaluate(() => (window as any).sendToHost({ type: 'request', id: 'i-1', payload: 'evil' }));
  // Malformed, from the right window.
  await peer.evaluate(() => {
    const w = window as any;
    const origin = location.origin;
    w.postRaw('not json at all');
    w.postRaw({ data: { type: 'request' }, sourceOrigin: origin }); // an object, not Porthole's string
    w.postRaw(JSON.stringify({ data: { type: 'request' }, sourceOrigin: 'http://evil.example', targetOrigin: '*', sourceWindowName: 'portal', targetWindowName: '' }));
    w.postRaw(JSON.stringify({ data: 'text', sourceOrigin: origin, targetOrigin: '*', sourceWindowName: 'portal', targetWindowName: '' }));
    w.postRaw(JSON.stringify({ data: { type: 'x' }, sourceOrigin: origin, targetOrigin: '*', sourceWindowName: 'impostor', targetWindowName: '' }));
    w.postRaw(null);
  });
  await expect.poll(async () => (await hostState(page)).dropped).toBe(before.dropped + 8);
  const after = await hostState(page);
  expect(after.received).toBe(before.received);
  expect(after.accepted).toBe(before.accepted);
  expect(after.status).toBe('connected');
  // Nobody got an answer: the host never reacted.
  expect(await foreign.evaluate(() => (window as any).received.length)).toBe(0);
  expect(await impostor.evaluate(() => (window as any).received.length)).toBe(0);
  expect(pageErrors).toEqual([]);
  expect(await page.evaluate(() => (window as any).host.errors)).toEqual([]);
});

test('a fuzz loop of thousands of random messages raises nothing and changes nothing', async ({ page }) => {
  const { peer, impostor, foreign, pageErrors } = await openHost(page);
  const before = await hostState(page);
  const PER_FRAME = 1500;
  // The same seeded generator in each frame; the real peer sends only invalid messages (a valid
  // one from it would rightly be accepted), the impostor and the foreign frame send anything.
  const fuzz = (frame: Frame, validToo: boolean, seed: number): Promise<number> =>
    frame.evaluate(
      ({ count, validToo, seed }) => {
        let s = seed;
        const random = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
        const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)]!;
        const w = window as any;
        const origin = location.origin;
        const junkString = (): string =>
          pick([
            () => Math.random().toString(36).repeat(Math.floor(random() * 5)),
            () => '{"data":' + '['.repeat(Math.floor(random() * 300)),
            () => JSON.stringify({ data: pick([1, 'x', null, [], true]), sourceOrigin: origin, targetOrigin: '*', sourceWindowName: 'portal', targetWindowName: '' }),
            () => JSON.stringify({ data: { type: 'request' }, sourceOrigin: pick(['http://evil.example', 5, null]), targetOrigin: '*', sourceWindowName: 'portal', targetWindowName: '' }),
            () => JSON.stringify({ data: { type: 'request' }, sourceOrigin: origin, targetOrigin: '*', sourceWindowName: pick(['', 'x', 'impostor']), targetWindowName: '' }),
            () => JSON.stringify({ sourceOrigin: origin }),
            () => '\u0000\uffff' + '"'.repeat(Math.floor(random() * 20)),
          ])();
        let sent = 0;
        for (let i = 0; i < count; i++) {
          const kind = random();
          if (validToo && kind < 0.3) w.sendToHost({ type: 'request', id: `z${i}`, payload: i });
          else if (kind < 0.45) w.postRaw(pick([null, 42, true, { a: 1 }, [1, 2], new ArrayBuffer(4), new Blob(['x'])]));
          else w.postRaw(junkString());
          sent++;
        }
        return sent;
      },
      { count: PER_FRAME, validToo, seed },
    );
  const sent = (await Promise.all([fuzz(peer, false, 1), fuzz(impostor, true, 2), fuzz(foreign, true, 3)])).reduce((a, b) => a + b, 0);
  expect(sent).toBe(PER_FRAME * 3);
  await expect.poll(async () => (await hostState(page)).dropped, { timeout: 15_000 }).toBe(before.dropped + sent);
  const after = await hostState(page);
  expect(after).toEqual({ ...before, dropped: before.dropped + sent });
  expect(pageErrors).toEqual([]);
  expect(await page.evaluate(() => (window as any).host.errors)).toEqual([]);
  // And the real conversation still works afterwards.
  expect(await page.evaluate(() => (window as any).host.request('after-fuzz'))).toMatchObject({ echo: 'after-fuzz' });
});

test('the exact target origin: when another origin takes the portal frame, nothing reaches it', async ({ page }) => {
  const { pageErrors } = await openHost(page);
  const foreignOrigin = origins[1]!.origin;
  // The portal frame navigates away to origin C (a redirect, a compromised link …).
  await page.evaluate((url) => {
    (document.querySelector('iframe[name="portal"]') as HTMLIFrameElement).src = url;
  }, `${foreignOrigin}/test/fixtures/porthole-peer.html?role=usurper&host=${encodeURIComponent(new URL(page.url()).origin)}`);
  const usurper = page.frame({ name: 'portal' })!;
  await expect.poll(() => usurper.url()).toContain('role=usurper');
  await usurper.waitForFunction(() => (window as any).ready === true);
  await page.evaluate(() => (window as any).host.send({ type: 'secret', value: 'for the portal only' }));
  const timedOut = await page.evaluate(() => (window as any).host.request('anyone?', 1000).then(() => 'answered', (e: { code: string }) => e.code));
  expect(timedOut).toBe('TIMEOUT');
  expect(await usurper.evaluate(() => (window as any).received.length)).toBe(0);
  expect(pageErrors).toEqual([]);
});

/**
 * Browser-phone benchmark (`npx tsx bench/phone-sip.ts`, part of `npm run bench`; needs the built
 * dist/ and Kamailio, see docs/phone.md). A real Kamailio on 127.0.0.1, Chromium with a fake
 * microphone, the built bundle served by our static server; RUNS times each:
 *  - register → ready: from appending `<agent-bar connector="sip">` to the page until the bar is
 *    connected (registered): the lazy module's fetch, the WebSocket, REGISTER, its 401 challenge
 *    and the authenticated REGISTER;
 *  - answer → audio: the far end (another sip bar) calls the agent; from the agent's `answer`
 *    command until its peer connection has received audio packets with energy (getStats).
 * Prints one JSON line: medians and p95s, and the gzipped size of dist/agent-bar-sip.js.
 * Bounded: fixed counts; every wait has a deadline.
 */
import { chromium, type Page } from 'playwright';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBrowser, CHROMIUM_ARGS } from '../scripts/find-browser.mjs';
import { startStaticServer } from '../scripts/static-server.mjs';
import { Kamailio, SIP_DOMAIN, SIP_USERS, writeTone } from '../test/fixtures/phone/kamailio.ts';
import { FAKE_MEDIA_ARGS, mediaProbe } from '../test/fixtures/phone/media-probe.ts';

const RUNS = Number(process.env.RUNS ?? 20);
const STEP_TIMEOUT_MS = 15_000;
const root = fileURLToPath(new URL('..', import.meta.url));

const home = mkdtempSync(join(tmpdir(), 'agent-bar-phone-bench-'));
const tone = join(home, 'tone.wav');
writeTone(tone);
const kamailio = await Kamailio.start();
const server = await startStaticServer({ root });
const browser = await chromium.launch({ executablePath: await findBrowser(), args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS(tone)], env: { ...process.env, HOME: home, TMPDIR: home } });

const median = (xs: number[]) => percentile(xs, 50);
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return +sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1);
}

async function openPhone(user: string, password: string): Promise<{ page: Page; registerMs: number }> {
  const context = await browser.newContext();
  // tsx keeps function names with a `__name` helper the page does not have.
  await context.addInitScript('window.__name = (f) => f;');
  await context.addInitScript(mediaProbe);
  const page = await context.newPage();
  await page.goto(`${server.url}/bench/phone.html`);
  await page.waitForFunction(() => (window as any).benchReady === true, undefined, { timeout: STEP_TIMEOUT_MS });
  const registerMs = await page.evaluate(
    ({ url, uri, password, timeout }) =>
      new Promise<number>((resolve, reject) => {
        const bar = (window as any).addPhoneBar(url, uri, password);
        const started = (window as any).addedAt as number;
        const deadline = setTimeout(() => reject(new Error('not registered in time')), timeout);
        const check = () => {
          if (bar.session?.snapshot.connection === 'connected') {
            clearTimeout(deadline);
            resolve(performance.now() - started);
          } else setTimeout(check, 2);
        };
        check();
      }),
    { url: kamailio.url, uri: `sip:${user}@${SIP_DOMAIN}`, password, timeout: STEP_TIMEOUT_MS },
  );
  return { page, registerMs };
}

try {
  const registerMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { page, registerMs: ms } = await openPhone(SIP_USERS.agent[0], SIP_USERS.agent[1]);
    registerMs.push(ms);
    // Removing the bar unregisters (a closed tab's contact would stay in Kamailio's location table).
    await page.evaluate(() => document.querySelector('agent-bar')!.remove());
    await page.waitForTimeout(300);
    await page.context().close();
  }

  const agent = (await openPhone(SIP_USERS.agent[0], SIP_USERS.agent[1])).page;
  const far = (await openPhone(SIP_USERS.far[0], SIP_USERS.far[1])).page;
  const answerMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await far.evaluate((to) => document.querySelector('agent-bar')!.session!.command('dial', { number: to }), SIP_USERS.agent[0]);
    await agent.waitForFunction(() => document.querySelector('agent-bar')!.session!.snapshot.calls[0]?.state === 'ringing', undefined, { timeout: STEP_TIMEOUT_MS });
    const ms = await agent.evaluate(
      (timeout) =>
        new Promise<number>((resolve, reject) => {
          const w = window as any;
          const before = new Set(w.peerConnections);
          const started = performance.now();
          const deadline = setTimeout(() => reject(new Error('no audio in time')), timeout);
          void document.querySelector('agent-bar')!.session!.command('answer', {});
          const check = async () => {
            const pc = (w.peerConnections as RTCPeerConnection[]).find((p) => !before.has(p));
            const stats = pc ? await w.audioStats(pc) : undefined;
            if (stats && stats.packetsReceived > 0 && stats.energy > 0) {
              clearTimeout(deadline);
              resolve(performance.now() - started);
            } else setTimeout(check, 5);
          };
          void check();
        }),
      STEP_TIMEOUT_MS,
    );
    answerMs.push(ms);
    await agent.evaluate(() => document.querySelector('agent-bar')!.session!.command('hangup', {}));
    await far.waitForFunction(() => document.querySelector('agent-bar')!.session!.snapshot.calls.length === 0, undefined, { timeout: STEP_TIMEOUT_MS });
    await agent.waitForFunction(() => document.querySelector('agent-bar')!.session!.snapshot.calls.length === 0, undefined, { timeout: STEP_TIMEOUT_MS });
  }
  const module = readFileSync(join(root, 'dist/agent-bar-sip.js'));
  console.log(
    JSON.stringify({
      runs: RUNS,
      registerToReadyMs: { median: median(registerMs), p95: percentile(registerMs, 95) },
      answerToAudioMs: { median: median(answerMs), p95: percentile(answerMs, 95) },
      moduleGzipBytes: gzipSync(module, { level: 9 }).length,
    }),
  );
} finally {
  await browser.close();
  await server.close();
  await kamailio.stop();
  rmSync(home, { recursive: true, force: true });
}

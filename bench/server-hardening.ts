/**
 * Server memory and descriptors under hostile load (`npx tsx bench/server-hardening.ts`, part of
 * `npm run bench`). Each scenario starts the real server (`server/main.ts`) as its own child process
 * on 127.0.0.1, so its peak resident memory (Linux `VmHWM`) belongs to that scenario alone:
 *
 * 1. notes flood — one agent on a call sends NOTES `addNote` commands of 60 KB (the audit's server
 *    died after ≈ 360), then fills the call with the most notes allowed and makes 2 × CHURN call
 *    events that each carry them all;
 * 2. non-reading client — a WebSocket client stops reading and sends up to REQUESTS requests whose
 *    replies pile up (the audit's server went from 87 to 719 MB);
 * 3. idle connections — IDLE connections from 8 loopback addresses send half a request and then
 *    neither read nor close, plus 100 more from one address past its bound.
 *
 * Prints one JSON line. Bounded: fixed counts, every wait has a deadline, each server is killed
 * at the end of its scenario.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { control, freePort, launchServer, stopServer, type ServerProcess } from '../test/fixtures/server-process.ts';

const NOTES = Number(process.env.NOTES ?? 2000);
const CHURN = Number(process.env.CHURN ?? 200);
const REQUESTS = Number(process.env.REQUESTS ?? 300_000);
const IDLE = Number(process.env.IDLE ?? 2000);
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
const STEP_TIMEOUT_MS = 60_000;
const MB = 1024 * 1024;

type Metrics = Record<string, any>;

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  return launchServer({
    port: await freePort(),
    env: { METRICS_TOKEN, CONNECTOR_CONFIG: JSON.stringify({ latencyMs: 0 }), ...env },
  });
}

async function metrics(server: ServerProcess): Promise<Metrics> {
  const res = await fetch(`${server.httpUrl}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
  return (await res.json()) as Metrics;
}

/** Resident and peak resident memory of the server process, MB (Linux; else from /metrics). */
async function memory(server: ServerProcess): Promise<{ rssMB: number; peakRssMB: number | null }> {
  try {
    const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMB: round(kb('VmRSS') / 1024), peakRssMB: round(kb('VmHWM') / 1024) };
  } catch {
    return { rssMB: round((await metrics(server)).memory.rssBytes / MB), peakRssMB: null };
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A WebSocket client that answers `command(...)` with the server's response. */
class Client {
  readonly ws: WebSocket;
  #waiting = new Map<string, (message: any) => void>();
  #next = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      const id = message.t === 'welcome' ? 'welcome' : message.id;
      const resolve = this.#waiting.get(id);
      if (resolve) {
        this.#waiting.delete(id);
        resolve(message);
      }
    });
    ws.on('error', () => {});
  }

  static async open(url: string, agentId: string): Promise<Client> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new Client(ws);
    const welcome = client.#wait('welcome');
    ws.send(JSON.stringify({ t: 'hello', agentId }));
    await welcome;
    return client;
  }

  command(operation: string, args: Record<string, unknown> = {}): Promise<any> {
    const id = `c${++this.#next}`;
    const reply = this.#wait(id);
    this.ws.send(JSON.stringify({ t: 'command', id, command: { id, operation, args } }));
    return reply;
  }

  #wait(id: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${id}`)), STEP_TIMEOUT_MS);
      this.#waiting.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }
}

/** Runs `count` commands, `window` at a time; returns how many succeeded and how many were refused. */
async function flood(client: Client, count: number, window: number, make: (i: number) => [string, Record<string, unknown>]) {
  let ok = 0;
  let refused = 0;
  const refusals = new Map<string, number>();
  for (let i = 0; i < count; i += window) {
    const replies = await Promise.all(
      Array.from({ length: Math.min(window, count - i) }, (_, k) => client.command(...make(i + k))),
    );
    for (const reply of replies) {
      if (reply.ok) ok++;
      else {
        refused++;
        const code = String(reply.error?.code);
        refusals.set(code, (refusals.get(code) ?? 0) + 1);
      }
    }
  }
  return { ok, refused, refusals: Object.fromEntries(refusals) };
}

async function notesFlood(): Promise<Record<string, unknown>> {
  const server = await start();
  try {
    await sleep(300);
    const baseline = await memory(server);
    const client = await Client.open(server.wsUrl, 'flood');
    await client.command('login');
    await client.command('ready');
    await control(server.httpUrl, 'flood', 'offer-call', { number: '+15550100', name: 'Flood' });
    await sleep(100);
    if (!(await client.command('answer')).ok) throw new Error('could not answer the call');
    const started = Date.now();
    const big = 'x'.repeat(60_000);
    const oversized = await flood(client, NOTES, 16, () => ['addNote', { note: big }]);
    const oversizedMs = Date.now() - started;
    const limits = (await metrics(server)).limits;
    const allowedNote = '.'.repeat(limits.textMaxChars);
    const allowed = await flood(client, limits.notesMaxPerCall + 10, 8, () => ['addNote', { note: allowedNote }]);
    // Each hold and retrieve event carries the whole call, every note included.
    const churnStarted = Date.now();
    const churn = await flood(client, 2 * CHURN, 1, (i) => [i % 2 === 0 ? 'hold' : 'retrieve', {}]);
    const churnMs = Date.now() - churnStarted;
    const after = await metrics(server);
    const mem = await memory(server);
    client.ws.terminate();
    return {
      oversizedNotes: { sent: NOTES, noteBytes: big.length, ...oversized, ms: oversizedMs },
      notesWithinBounds: { sent: limits.notesMaxPerCall + 10, noteChars: limits.textMaxChars, ...allowed },
      callCommands: { sent: 2 * CHURN, ok: churn.ok, ms: churnMs },
      replayBytes: after.replayBytes,
      replayMaxBytes: limits.replayMaxBytes,
      serverRssMB: { baseline: baseline.rssMB, peak: mem.peakRssMB, end: mem.rssMB },
      ms: Date.now() - started,
    };
  } finally {
    await stopServer(server);
  }
}

async function nonReadingClient(): Promise<Record<string, unknown>> {
  const server = await start();
  try {
    await sleep(300);
    const baseline = await memory(server);
    const client = await Client.open(server.wsUrl, 'slow-reader');
    // Stop reading: every reply stays queued somewhere (kernel buffers, then the server's).
    (client.ws as unknown as { _socket: Socket })._socket.pause();
    const request = JSON.stringify({ t: 'command', id: 'x'.repeat(120), command: { operation: 'not-an-operation' } });
    const started = Date.now();
    let sent = 0;
    let cutOff = false;
    for (let batch = 0; sent < REQUESTS; batch++) {
      if (client.ws.readyState !== client.ws.OPEN) break;
      for (let i = 0; i < 1000 && sent < REQUESTS; i++, sent++) client.ws.send(request);
      await sleep(5);
      if (batch % 20 === 19) {
        const m = await metrics(server);
        if (m.counters.slowClientCutoffs > 0) {
          cutOff = true;
          break;
        }
      }
    }
    const deadline = Date.now() + 20_000;
    let m = await metrics(server);
    while (!cutOff && m.counters.slowClientCutoffs === 0 && Date.now() < deadline) {
      await sleep(100);
      m = await metrics(server);
    }
    cutOff ||= m.counters.slowClientCutoffs > 0;
    const mem = await memory(server);
    client.ws.terminate();
    return {
      requestsSent: sent,
      cutOff,
      msToCutOff: Date.now() - started,
      sendBufferMaxMB: m.limits.sendBufferMaxBytes / MB,
      serverRssMB: { baseline: baseline.rssMB, peak: mem.peakRssMB, end: mem.rssMB },
    };
  } finally {
    await stopServer(server);
  }
}

async function idleConnections(): Promise<Record<string, unknown>> {
  // Long enough that every idle connection is open at once before the first one times out.
  const HEADERS_TIMEOUT_MS = 10_000;
  const server = await start({ HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS) });
  const sockets: Socket[] = [];
  const open = (localAddress: string): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect({ port: server.port, host: '127.0.0.1', localAddress, allowHalfOpen: true });
      sockets.push(socket);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.pause();
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
        resolve(socket);
      });
    });
  try {
    await sleep(300);
    const baseline = await memory(server);
    const perSource = (await metrics(server)).limits.connectionsPerSource as number;
    const sources = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
    const started = Date.now();
    for (let i = 0; i < IDLE; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, IDLE - i) }, (_, k) => open(sources[(i + k) % sources.length]!)));
    }
    const openedMs = Date.now() - started;
    // One source past its bound: refused at once.
    const extra = await Promise.all(Array.from({ length: 100 }, () => open(sources[0]!).catch(() => undefined)));
    await sleep(300);
    const loaded = await metrics(server);
    const healthStarted = Date.now();
    const health = await fetch(`${server.httpUrl}/health`, { signal: AbortSignal.timeout(10_000) });
    const healthMs = Date.now() - healthStarted;
    const mem = await memory(server);
    const deadline = Date.now() + HEADERS_TIMEOUT_MS + 15_000;
    let left = loaded.connections as number;
    while (left > 2 && Date.now() < deadline) {
      await sleep(250);
      left = (await metrics(server)).connections;
    }
    const drained = await metrics(server);
    return {
      idleConnections: IDLE,
      openedInMs: openedMs,
      sources: sources.length,
      connectionsPerSource: perSource,
      extraFromOneSource: extra.length,
      openWhileIdle: loaded.connections,
      refused: loaded.counters.connectionsRefused ?? 0,
      healthStatusWhileIdle: health.status,
      healthMsWhileIdle: healthMs,
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
      openAfterTimeout: drained.connections,
      destroyedByTimeout: drained.counters.connectionsTimedOut ?? 0,
      msUntilDrained: Date.now() - started,
      serverRssMB: { baseline: baseline.rssMB, peak: mem.peakRssMB, withIdleConnections: mem.rssMB },
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    await stopServer(server);
  }
}

const result = {
  notesFlood: await notesFlood(),
  nonReadingClient: await nonReadingClient(),
  idleConnections: await idleConnections(),
};
console.log(JSON.stringify(result));

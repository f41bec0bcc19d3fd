/**
 * The server's resource bounds seen over real sockets on loopback (audit findings 1, 2, 3, 8):
 * oversized notes refused over the wire, a client that never reads its replies cut off, timed-out
 * connections destroyed rather than half-closed, connections bounded per source address, and
 * counts only behind the metrics token. Every loop has a fixed bound; the servers are in-process
 * on 127.0.0.1. A second loopback address (127.0.0.2) plays the hostile source.
 */
import { test, expect } from '@playwright/test';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../../server/app.ts';
import { RecordingClient, getJson, postJson } from './server-test-kit.ts';

const METRICS_TOKEN = randomBytes(24).toString('hex');
// The JSON form of /metrics (its default is the Prometheus text format).
const metricsHeaders = { Authorization: `Bearer ${METRICS_TOKEN}`, Accept: 'application/json' };

let server: RunningServer | undefined;
const rawSockets: Socket[] = [];

test.afterEach(async () => {
  for (const socket of rawSockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

async function metrics(base: RunningServer): Promise<Record<string, any>> {
  const { status, body } = await getJson(`${base.url}/metrics`, metricsHeaders);
  expect(status).toBe(200);
  return body;
}

/** A TCP connection from `localAddress` that sends `payload` and then neither reads nor closes. */
function rudeConnection(port: number, localAddress: string, payload: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress, allowHalfOpen: true });
    rawSockets.push(socket);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.pause(); // never reads what the server sends
      if (payload) socket.write(payload);
      resolve(socket);
    });
  });
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000; i++) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('a 60 KB note is refused over the wire with a readable error, and the call is unchanged', async () => {
  server = await startServer({ metricsToken: METRICS_TOKEN });
  const client = await RecordingClient.open(server.wsUrl);
  await client.hello('notes-1');
  await client.command('l', 'login');
  await client.command('r', 'ready');
  await postJson(`${server.url}/control/notes-1/offer-call`, { number: '+15550100' });
  await client.waitFor((m) => m.t === 'event' && m.event.type === 'call');
  await client.command('a', 'answer');
  const before = client.events().length;
  const refused = await client.command('n1', 'addNote', { note: 'x'.repeat(60_000) });
  expect(refused.ok).toBe(false);
  expect(refused.error.code).toBe('INVALID_ARGUMENT');
  expect(refused.error.message).toMatch(/A note can be at most 2,000 characters/);
  const accepted = await client.command('n2', 'addNote', { note: 'a short note' });
  expect(accepted.ok).toBe(true);
  const call = await client.waitFor((m) => m.t === 'event' && m.event.type === 'call' && m.event.call.notes.length > 0, 5000, before);
  expect(call.event.call.notes).toEqual(['a short note']);
  client.close();
});

test('a client that sends requests and never reads the replies is cut off at the send bound', async () => {
  server = await startServer({ metricsToken: METRICS_TOKEN, limits: { sendBufferMaxBytes: 256 * 1024 } });
  const running = server;
  const client = await RecordingClient.open(running.wsUrl);
  await client.hello('slow-reader');
  const hub = running.registry.get('slow-reader')!;
  expect(hub.listenerCount).toBe(1);
  // Stop reading: replies pile up in the kernel's buffers, then in the server's.
  (client.ws as unknown as { _socket: Socket })._socket.pause();
  const request = JSON.stringify({ t: 'command', id: 'x'.repeat(120), command: { operation: 'not-an-operation' } });
  let sent = 0;
  for (let batch = 0; batch < 200 && hub.listenerCount > 0 && client.ws.readyState === client.ws.OPEN; batch++) {
    for (let i = 0; i < 1000; i++) client.ws.send(request);
    sent += 1000;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await eventually(() => hub.listenerCount === 0, 5000, 'the server to cut the non-reading client');
  const body = await metrics(running);
  expect(body.counters.slowClientCutoffs).toBeGreaterThanOrEqual(1);
  expect(sent).toBeLessThanOrEqual(200_000);
  client.close();
});

test('connections that time out are destroyed, not left half-closed', async () => {
  server = await startServer({ metricsToken: METRICS_TOKEN, limits: { headersTimeoutMs: 400 } });
  const running = server;
  for (let i = 0; i < 20; i++) {
    // Half a request: the headers never finish, and the client never reads or closes.
    await rudeConnection(running.port, '127.0.0.2', 'GET /health HTTP/1.1\r\nHost: x\r\n');
  }
  expect((await metrics(running)).connections).toBeGreaterThanOrEqual(21);
  await eventually(async () => (await metrics(running)).connections <= 2, 5000, 'the timed-out connections to be destroyed');
  const body = await metrics(running);
  expect(body.counters.connectionsTimedOut).toBeGreaterThanOrEqual(20);
});

test('one source address cannot hold more than its share of connections; others are still served', async () => {
  server = await startServer({ metricsToken: METRICS_TOKEN, limits: { connectionsPerSource: 10 } });
  const running = server;
  for (let i = 0; i < 10; i++) await rudeConnection(running.port, '127.0.0.2', '');
  await eventually(async () => (await metrics(running)).connections >= 11, 2000, 'ten idle connections to be counted');
  const eleventh = await rudeConnection(running.port, '127.0.0.2', '');
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 2000);
    const done = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    eleventh.resume();
    eleventh.once('end', done);
    eleventh.once('close', done);
    eleventh.once('error', done);
  });
  expect(closed, 'the eleventh connection from 127.0.0.2 is refused').toBe(true);
  // Another source (this test's own 127.0.0.1) is untouched.
  const health = await getJson(`${running.url}/health`);
  expect(health.status).toBe(200);
  expect((await metrics(running)).counters.connectionsRefused).toBeGreaterThanOrEqual(1);
});

test('/health says only that the gateway is alive; counts need the metrics token', async () => {
  server = await startServer({
    gateway: true,
    tokenSecret: randomBytes(32).toString('hex'),
    metricsToken: METRICS_TOKEN,
  });
  const health = await getJson(`${server.url}/health`);
  expect(health.status).toBe(200);
  expect(health.body).toEqual({ ok: true });
  expect((await getJson(`${server.url}/metrics`)).status).toBe(401);
  expect((await getJson(`${server.url}/metrics`, { Authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
  const body = await metrics(server);
  expect(body).toMatchObject({ ok: true, mode: 'gateway', connector: 'simulator', agents: 0, sockets: 0 });
  expect(typeof body.memory.rssBytes).toBe('number');
  expect(JSON.stringify(body)).not.toContain(METRICS_TOKEN);
});

test('without a metrics token there is no /metrics at all', async () => {
  server = await startServer({ gateway: true, tokenSecret: randomBytes(32).toString('hex') });
  const { status } = await getJson(`${server.url}/metrics`, metricsHeaders);
  expect(status).toBe(404);
  expect((await getJson(`${server.url}/health`)).body).toEqual({ ok: true });
});

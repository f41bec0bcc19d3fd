/**
 * Transport overhead per event: the time from a frame arriving on the socket to the canonical
 * event reaching the connector's sink — JSON parse, envelope check, request-id routing, seq
 * dedupe, renumbering — through the real WebSocketTransport and ServerConnector, with an in-memory
 * socket so that no network time is counted. Also the same for REST polling (a batch of events per
 * answer, Response body read included). Prints one JSON line.
 *
 * Run: `npx tsx bench/transport-overhead.ts` (EVENTS env to change the count).
 */
import { performance } from 'node:perf_hooks';
import { ServerConnector } from '../src/connectors/server/server-connector.ts';
import type { WebSocketLike } from '../src/transports/websocket-transport.ts';

const EVENTS = Number(process.env.EVENTS ?? 50_000);
const WARMUP = 5_000;
const BATCH = 100;

const call = {
  id: 'call-1',
  direction: 'inbound',
  state: 'talking',
  role: 'owner',
  remote: { number: '+15551234567', name: 'Ada Lovelace' },
  fields: [
    { key: 'account', label: 'Account', value: 'A-1029384', type: 'readOnly' },
    { key: 'tier', label: 'Tier', value: 'Gold', type: 'readOnly' },
  ],
  recording: false,
  notes: [],
  timestamps: { offeredAt: 1_700_000_000_000, connectedAt: 1_700_000_001_000 },
};

function frame(seq: number): string {
  return JSON.stringify({ t: 'event', seq, event: { type: 'call', call: { ...call, state: seq % 2 ? 'talking' : 'held' }, seq, at: 1_700_000_000_000 + seq } });
}

class MemorySocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  send(data: string): void {
    const message = JSON.parse(data) as { t: string };
    if (message.t === 'hello') queueMicrotask(() => this.onmessage?.({ data: JSON.stringify({ t: 'welcome', agentId: 'b', seq: 0 }) }));
  }
  close(): void {
    this.readyState = 3;
  }
}

async function websocketUsPerEvent(): Promise<number> {
  let socket: MemorySocket | undefined;
  let received = 0;
  const connector = new ServerConnector({
    agentId: 'b',
    endpoint: 'ws://127.0.0.1:1/ws',
    config: {
      heartbeatIntervalMs: 3_600_000,
      createSocket: () => {
        socket = new MemorySocket();
        queueMicrotask(() => {
          socket!.readyState = 1;
          socket!.onopen?.({});
        });
        return socket;
      },
    },
  });
  await connector.connect((event) => {
    if (event.type === 'call') received++;
  });
  const total = WARMUP + EVENTS;
  // Frames are built beforehand: the server's serialisation is not the client's overhead.
  const frames = Array.from({ length: total }, (_, i) => frame(i + 1));
  for (let i = 0; i < WARMUP; i++) socket!.onmessage!({ data: frames[i] });
  const started = performance.now();
  for (let i = WARMUP; i < total; i++) socket!.onmessage!({ data: frames[i] });
  const elapsed = performance.now() - started;
  connector.disconnect();
  if (received !== total) throw new Error(`delivered ${received} of ${total}`);
  return (elapsed * 1000) / EVENTS;
}

async function pollingUsPerEvent(): Promise<number> {
  const total = WARMUP + EVENTS;
  const bodies: string[] = [];
  for (let first = 1; first <= total; first += BATCH) {
    const events = [];
    for (let seq = first; seq < first + BATCH && seq <= total; seq++) events.push(JSON.parse(frame(seq)));
    bodies.push(JSON.stringify({ seq: Math.min(first + BATCH - 1, total), events: events.map((e) => ({ seq: e.seq, event: e.event })) }));
  }
  let next = 0;
  let received = 0;
  let startedAt = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const connector = new ServerConnector({
    agentId: 'b',
    endpoint: 'http://127.0.0.1:1',
    config: {
      transport: 'polling',
      longPoll: true,
      fetch: async () => {
        const body = next < bodies.length ? bodies[next++]! : '{"seq":0,"events":[]}';
        return new Response(body, { status: 200 });
      },
    },
  });
  await connector.connect((event) => {
    if (event.type !== 'call') return;
    received++;
    if (received === WARMUP) startedAt = performance.now();
    if (received === total) done();
  });
  await finished;
  const elapsed = performance.now() - startedAt;
  connector.disconnect();
  return (elapsed * 1000) / EVENTS;
}

const ws = await websocketUsPerEvent();
const polling = await pollingUsPerEvent();
console.log(
  JSON.stringify({
    transportOverheadUsPerEvent: Number(ws.toFixed(2)),
    pollingOverheadUsPerEvent: Number(polling.toFixed(2)),
    events: EVENTS,
    pollBatch: BATCH,
    node: process.version,
  }),
);

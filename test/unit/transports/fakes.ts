/** Hand-driven clock and WebSocket for the transport unit tests (no real time, no network). */
import type { Timers } from '../../../src/transports/timers.ts';
import type { WebSocketLike } from '../../../src/transports/websocket-transport.ts';

interface Scheduled {
  id: number;
  due: number;
  callback: () => void;
}

export class FakeTimers implements Timers {
  #now = 1_000_000;
  #queue: Scheduled[] = [];
  #next = 1;
  /** Every delay asked for, in order (to check backoff). */
  readonly delays: number[] = [];

  now(): number {
    return this.#now;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.delays.push(ms);
    this.#queue.push({ id, due: this.#now + Math.max(0, ms), callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#queue = this.#queue.filter((entry) => entry.id !== handle);
  }
  get pending(): number {
    return this.#queue.length;
  }
  /** Moves the clock forward, running every timer that falls due, in order (bounded). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      this.#queue.sort((a, b) => a.due - b.due || a.id - b.id);
      const first = this.#queue[0];
      if (!first || first.due > end) break;
      this.#queue.shift();
      this.#now = first.due;
      first.callback();
    }
    this.#now = end;
  }
}

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: Array<Record<string, unknown>> = [];
  closedWith: number | undefined;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number): void {
    this.closedWith = code ?? 1000;
    this.readyState = 3;
  }
  // --- the server's side ---
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  serverClose(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  last(): Record<string, unknown> | undefined {
    return this.sent.at(-1);
  }
}

/** A socket factory that remembers every socket it made. */
export function socketFactory(): { create: (url: string) => FakeSocket; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    create: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
  };
}

/** Lets pending promise callbacks run (bounded). */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

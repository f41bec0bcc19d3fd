/**
 * Every TCP connection the server accepts passes here first. One remote address may hold at most
 * `perSource` connections at once (idle, HTTP, long-poll or WebSocket alike); more are destroyed
 * at once, so one client cannot take every file descriptor and deny service to everyone else.
 * Behind a reverse proxy all connections come from the proxy's address: raise the bound or turn
 * it off there (0), and let the proxy bound its clients.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Counters } from './metrics.ts';

export class ConnectionGuard {
  readonly perSource: number;
  #bySource = new Map<string, number>();
  #open = 0;
  #counters?: Counters;

  constructor(server: Server, options: { perSource: number; counters?: Counters }) {
    this.perSource = options.perSource;
    this.#counters = options.counters;
    server.on('connection', (socket: Socket) => this.#admit(socket));
  }

  /** Connections open now. */
  get open(): number {
    return this.#open;
  }

  /** Remote addresses with at least one connection. */
  get sources(): number {
    return this.#bySource.size;
  }

  #admit(socket: Socket): void {
    const source = socket.remoteAddress ?? 'unknown';
    const count = this.#bySource.get(source) ?? 0;
    if (this.perSource > 0 && count >= this.perSource) {
      this.#counters?.add('connectionsRefused');
      socket.destroy();
      return;
    }
    this.#bySource.set(source, count + 1);
    this.#open++;
    socket.once('close', () => {
      this.#open--;
      const left = (this.#bySource.get(source) ?? 1) - 1;
      if (left <= 0) this.#bySource.delete(source);
      else this.#bySource.set(source, left);
    });
  }
}

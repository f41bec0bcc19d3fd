/**
 * Injected failures (`POST /__control/fail-next`): each entry fails exactly one later request
 * whose key contains `match` (any request when `match` is absent), then is gone. The key is
 * `"<METHOD> <path>?<query>"` for HTTP and the vendor's message name for WebSocket emulators, so a
 * test can aim at one operation without knowing what else the connector sends in between.
 */
export interface FailNext {
  /** HTTP status to answer with (HTTP emulators; default 500). */
  status?: number;
  /** Body to answer with: text, or the vendor's error envelope. */
  body?: string;
  contentType?: string;
  /** Substring of the request key; absent: the next request, whatever it is. */
  match?: string;
  /** Cut the connection instead of answering. */
  drop?: boolean;
}

export class FailureQueue {
  #queue: FailNext[] = [];

  add(failure: FailNext): void {
    this.#queue.push(failure);
  }

  /** The first queued failure that applies to `key`, removed from the queue. */
  take(key: string): FailNext | undefined {
    const index = this.#queue.findIndex((failure) => failure.match === undefined || key.includes(failure.match));
    if (index < 0) return undefined;
    return this.#queue.splice(index, 1)[0];
  }

  clear(): void {
    this.#queue = [];
  }

  get size(): number {
    return this.#queue.length;
  }
}

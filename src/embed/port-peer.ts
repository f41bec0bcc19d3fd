/**
 * Requests, answers and notifications over one private `MessagePort` (after the handshake in
 * protocol.ts). Symmetric: the host calls the bar's commands, the bar calls the host's hooks.
 * Requests carry ids and time out; failures travel as `{ code, message, … }` and are rejected on
 * the caller's side as an `EmbedError` with the same fields. Malformed messages are dropped.
 */
import { FrameErrorCode } from './protocol.ts';

type Wire =
  | { t: 'q'; i: number; m: string; a?: unknown }
  | { t: 'r'; i: number; v?: unknown; e?: ErrorInfo }
  | { t: 'n'; n: string; d?: unknown };

export interface ErrorInfo {
  code: string;
  message: string;
  operation?: string;
  vendorCode?: string | number;
}

/** The coded error every iframe-layer promise rejects with. */
export class EmbedError extends Error {
  readonly code: string;
  readonly operation?: string;
  readonly vendorCode?: string | number;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'EmbedError';
    this.code = info.code;
    if (info.operation !== undefined) this.operation = info.operation;
    if (info.vendorCode !== undefined) this.vendorCode = info.vendorCode;
  }
}

export type RequestHandler = (method: string, args: unknown) => unknown;
export type NotifyHandler = (name: string, data: unknown) => void;

/** Only plain, readable fields cross the channel (never a stack or a nested cause). */
export function errorInfo(error: unknown): ErrorInfo {
  const e = (error ?? {}) as Partial<ErrorInfo>;
  const info: ErrorInfo = {
    code: typeof e.code === 'string' ? e.code : 'REJECTED',
    message: typeof e.message === 'string' ? e.message : String(error),
  };
  if (typeof e.operation === 'string') info.operation = e.operation;
  if (typeof e.vendorCode === 'string' || typeof e.vendorCode === 'number') info.vendorCode = e.vendorCode;
  return info;
}

export class PortPeer {
  readonly #port: MessagePort;
  readonly #onRequest: RequestHandler;
  readonly #onNotify: NotifyHandler;
  readonly #pending = new Map<number, [(v: unknown) => void, (e: EmbedError) => void, ReturnType<typeof setTimeout>]>();
  #next = 1;
  #closed = false;

  constructor(port: MessagePort, onRequest: RequestHandler, onNotify: NotifyHandler) {
    this.#port = port;
    this.#onRequest = onRequest;
    this.#onNotify = onNotify;
    // Assigning onmessage also starts the port.
    port.onmessage = (event) => this.#receive(event.data as Wire);
  }

  request(method: string, args: unknown, timeoutMs: number): Promise<unknown> {
    if (this.#closed) return Promise.reject(new EmbedError({ code: FrameErrorCode.Disconnected, message: 'The agent bar channel is closed.' }));
    const i = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(i);
        reject(new EmbedError({ code: FrameErrorCode.Timeout, message: `No answer to "${method}" within ${timeoutMs} ms.` }));
      }, timeoutMs);
      this.#pending.set(i, [resolve, reject, timer]);
      this.#post({ t: 'q', i, m: method, a: args });
    });
  }

  notify(name: string, data?: unknown): void {
    if (!this.#closed) this.#post({ t: 'n', n: name, d: data });
  }

  /** Rejects every pending request with `code` and closes the port. Idempotent. */
  close(code: string = FrameErrorCode.Disconnected): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.onmessage = null;
    this.#port.close();
    for (const [, reject, timer] of this.#pending.values()) {
      clearTimeout(timer);
      reject(new EmbedError({ code, message: code === FrameErrorCode.Destroyed ? 'The agent bar frame was destroyed.' : 'The agent bar frame went away before answering.' }));
    }
    this.#pending.clear();
  }

  #post(message: Wire): void {
    try {
      this.#port.postMessage(message);
    } catch (error) {
      // Not cloneable (a function, a DOM node …): answer the request with an error instead.
      if (message.t === 'r') this.#port.postMessage({ t: 'r', i: message.i, e: { code: 'INVALID_ARGUMENT', message: `The answer could not be sent: ${errorInfo(error).message}` } });
      else if (message.t === 'q') this.#settle(message.i, undefined, { code: 'INVALID_ARGUMENT', message: errorInfo(error).message });
    }
  }

  #receive(w: Wire): void {
    if (this.#closed || !w || typeof w !== 'object') return;
    if (w.t === 'q' && typeof w.i === 'number' && typeof w.m === 'string') {
      const i = w.i;
      new Promise((resolve) => resolve(this.#onRequest(w.m, w.a))).then(
        (v) => this.#closed || this.#post({ t: 'r', i, v }),
        (error) => this.#closed || this.#post({ t: 'r', i, e: errorInfo(error) }),
      );
    } else if (w.t === 'r' && typeof w.i === 'number') {
      this.#settle(w.i, w.v, w.e && typeof w.e === 'object' ? errorInfo(w.e) : undefined);
    } else if (w.t === 'n' && typeof w.n === 'string') {
      this.#onNotify(w.n, w.d);
    }
  }

  #settle(i: number, value: unknown, error?: ErrorInfo): void {
    const entry = this.#pending.get(i);
    if (!entry) return;
    this.#pending.delete(i);
    clearTimeout(entry[2]);
    if (error) entry[1](new EmbedError(error));
    else entry[0](value);
  }
}

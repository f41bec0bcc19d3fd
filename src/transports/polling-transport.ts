/**
 * REST polling transport: a GET loop (interval polling, or long-polling where the server holds
 * the request until there are events or its wait ends) and one POST per request. Every HTTP
 * request has a timeout through `AbortController`; failed polls back off exponentially; the
 * connector keeps the cursor (it builds `pollUrl()` afresh for every poll, after it has applied
 * the previous answer), so a lost or garbled answer is simply asked for again and nothing is
 * lost or applied twice.
 *
 * Each successful poll answer (a JSON object) is delivered to the message handlers as is.
 */
import { Backoff, type BackoffOptions } from './backoff.ts';
import { TransportError, TransportErrorCode } from './errors.ts';
import { TransportBase } from './transport-base.ts';
import { Listeners } from './listeners.ts';
import { realTimers, type Timers } from './timers.ts';
import {
  isTransportMessage,
  type RequestOptions,
  type TransportMessage,
} from './transport.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface PollingTransportOptions {
  /** The next poll's URL (carries the cursor, and `wait` for long-polling). Must be http(s). */
  pollUrl(): string;
  /** Where a request is POSTed (as JSON). */
  requestUrl(message: TransportMessage): string;
  /** Extra headers per HTTP request (e.g. `Authorization`), built anew each time. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /**
   * HTTP method of a poll. Default GET; POST (with an empty body) for servers whose long poll is
   * a POST carrying everything in the query string (Noojee's `subscribe`).
   */
  pollMethod?: 'GET' | 'POST';
  /**
   * Checks a poll's answer before it is delivered; throwing counts the poll as failed (backoff,
   * status `reconnecting`), e.g. for a vendor that reports errors inside a 200 answer.
   */
  checkPoll?: (body: TransportMessage) => void;
  /**
   * Told of a poll the server answered with an error status (not 401/403) before it counts as a
   * failed poll, with the parsed body (`undefined` if not JSON): the server's own reason, which
   * a connector may want to show instead of retrying in silence.
   */
  onPollRefused?: (status: number, body: unknown) => void;
  /** `interval`: pause `intervalMs` between polls; `long`: poll again as soon as one returns. */
  mode?: 'interval' | 'long';
  /** Default 1 s. */
  intervalMs?: number;
  /** Abort a poll after this long. Default 10 s; for long-polls make it the server wait + margin. */
  pollTimeoutMs?: number;
  /**
   * Long-poll mode: an answer with nothing new arriving sooner than this after the previous poll
   * started waits out the rest, so a server (or proxy) that answers at once cannot make us spin.
   * Default 250 ms.
   */
  minPollSpacingMs?: number;
  /** Whether an answer carried anything (see `minPollSpacingMs`). Default: events or a snapshot. */
  hasNews?: (body: TransportMessage) => boolean;
  /** Whether to poll again at once, e.g. the server said more is waiting. Default: `more: true`. */
  pollAgainNow?: (body: TransportMessage) => boolean;
  backoff?: Backoff | BackoffOptions;
  /**
   * Once connected, this many failed polls in a row keep the status `connected` with `degraded`
   * set (one lost poll is not an outage: commands still go through); the next one makes it
   * `reconnecting`. Default 2 (so the third failure in a row is "down"); 0 = no grace.
   */
  degradedPolls?: number;
  /** Give up (status `offline`) after this many failed polls in a row. Default: never. */
  maxAttempts?: number;
  fetch?: FetchLike;
  timers?: Timers;
}

export class PollingTransport extends TransportBase {
  #options: PollingTransportOptions;
  #fetch: FetchLike;
  #timers: Timers;
  #backoff: Backoff;
  /** Aborted by destroy(): ends the loop's wait and every HTTP request in flight. */
  #lifetime = new AbortController();
  #everConnected = false;
  #failures = 0;
  #polls = 0;
  #degraded = false;
  readonly #degradedListeners = new Listeners<boolean>();
  /** Ends the current pause between polls early (set while the loop sleeps). */
  #wake: (() => void) | undefined;
  /** `pollNow()` came while a poll was in flight: its answer may predate what we wait for. */
  #pollAgain = false;

  constructor(options: PollingTransportOptions) {
    super();
    this.#options = options;
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.#timers = options.timers ?? realTimers;
    this.#backoff = options.backoff instanceof Backoff ? options.backoff : new Backoff(options.backoff);
  }

  /** Connected, but the last poll(s) failed (within the `degradedPolls` grace). */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** Told whenever `degraded` changes. */
  onDegraded(handler: (degraded: boolean) => void): () => void {
    return this.#degradedListeners.add(handler);
  }

  #setDegraded(value: boolean): void {
    if (this.#degraded === value) return;
    this.#degraded = value;
    this.#degradedListeners.emit(value);
  }

  /** Polls answered so far (for tests and diagnostics). */
  get pollCount(): number {
    return this.#polls;
  }

  protected override start(): void {
    void this.#loop();
  }

  /**
   * Polls as soon as possible instead of after the interval: a command's answer says it was
   * accepted, and its state change should show now, not at the next interval (until then its
   * control looks usable and an impatient agent sends it again). A poll in flight is followed at
   * once by another, since its answer may have been built before the change. A failed poll's
   * backoff is not cut short.
   */
  pollNow(): void {
    if (!this.started || this.status === 'offline') return;
    this.#pollAgain = true;
    if (this.#failures === 0) this.#wake?.();
  }

  /** Fire-and-forget POST; its failure is ignored (use `request` when the outcome matters). */
  send(message: TransportMessage): void {
    this.#assertConnected();
    this.request(message, { timeoutMs: 10_000 }).catch(() => {});
  }

  /**
   * POSTs `message` and resolves with the JSON object the server answered, whatever the HTTP
   * status (the protocol puts `ok`/`error` in the body). Rejects when there is no such object:
   * `TIMEOUT`, `UNAUTHORIZED` (401/403), `PROTOCOL` (garbage, HTML error page …), or
   * `CONNECTION_LOST` (network error). Never retried: the caller decides.
   */
  async request(message: TransportMessage, options: RequestOptions): Promise<TransportMessage> {
    this.#assertConnected();
    const url = checkedUrl(this.#options.requestUrl(message));
    const headers = { 'content-type': 'application/json', ...(await this.#headers()) };
    const { status, body } = await this.#http(url, { method: 'POST', headers, body: JSON.stringify(message) }, options.timeoutMs);
    if (status === 401 || status === 403) {
      throw new TransportError(TransportErrorCode.Unauthorized, errorMessage(body) ?? 'Refused by the server', status);
    }
    if (!isTransportMessage(body)) {
      throw new TransportError(TransportErrorCode.Protocol, `Unreadable answer from the server (HTTP ${status})`, status);
    }
    return body;
  }

  protected override stop(): void {
    // Aborting the lifetime ends the poll loop and every request in flight.
    this.#lifetime.abort();
  }

  // --- the poll loop -------------------------------------------------------------------------

  async #loop(): Promise<void> {
    const lifetime = this.#lifetime.signal;
    const mode = this.#options.mode ?? 'interval';
    const spacing = this.#options.minPollSpacingMs ?? 250;
    while (!lifetime.aborted) {
      const startedAt = this.#timers.now();
      this.#pollAgain = false;
      let delay: number;
      try {
        const body = await this.#pollOnce();
        if (lifetime.aborted) return;
        this.#failures = 0;
        this.#backoff.reset();
        this.#everConnected = true;
        this.#polls += 1;
        this.statusCell.set('connected');
        this.#setDegraded(false);
        this.messages.emit(body);
        if (this.#pollAgain || (this.#options.pollAgainNow ?? defaultPollAgainNow)(body)) delay = 0;
        else if (mode === 'interval') delay = this.#options.intervalMs ?? 1000;
        else if ((this.#options.hasNews ?? defaultHasNews)(body)) delay = 0;
        else delay = Math.max(0, spacing - (this.#timers.now() - startedAt));
      } catch (error) {
        if (lifetime.aborted) return;
        if (error instanceof TransportError && error.code === TransportErrorCode.Unauthorized) {
          this.statusCell.set('offline', error);
          return;
        }
        this.#failures += 1;
        if (this.#failures >= (this.#options.maxAttempts ?? Infinity)) {
          this.statusCell.set('offline', new TransportError(TransportErrorCode.NotConnected, `Gave up after ${this.#failures} failed polls`));
          return;
        }
        if (this.status === 'connected' && this.#failures <= (this.#options.degradedPolls ?? 2)) {
          // A lost poll or two is a bad link, not an outage: say so, keep the agent working.
          this.#setDegraded(true);
        } else {
          this.#setDegraded(false);
          this.statusCell.set(this.#everConnected ? 'reconnecting' : 'connecting');
        }
        delay = this.#backoff.next();
      }
      if (delay > 0) await this.#sleep(delay, lifetime);
    }
  }

  async #pollOnce(): Promise<TransportMessage> {
    const url = checkedUrl(this.#options.pollUrl());
    const headers = await this.#headers();
    const method = this.#options.pollMethod ?? 'GET';
    const init: RequestInit = method === 'POST' ? { method, headers, cache: 'no-store', body: '' } : { method, headers, cache: 'no-store' };
    const { status, body } = await this.#http(url, init, this.#options.pollTimeoutMs ?? 10_000);
    if (status === 401 || status === 403) {
      throw new TransportError(TransportErrorCode.Unauthorized, errorMessage(body) ?? 'Refused by the server', status);
    }
    if (status < 200 || status > 299) {
      this.#options.onPollRefused?.(status, body);
      throw new TransportError(TransportErrorCode.Protocol, `HTTP ${status}`, status);
    }
    if (!isTransportMessage(body)) throw new TransportError(TransportErrorCode.Protocol, 'The poll answer is not a JSON object', status);
    this.#options.checkPoll?.(body);
    return body;
  }

  /** One HTTP exchange with a timeout covering headers and body; the body parsed as JSON or `undefined`. */
  async #http(url: string, init: RequestInit, timeoutMs: number): Promise<{ status: number; body: unknown }> {
    const controller = new AbortController();
    const abortOnDestroy = (): void => controller.abort();
    this.#lifetime.signal.addEventListener('abort', abortOnDestroy, { once: true });
    let timedOut = false;
    const timer = this.#timers.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await this.#fetch(url, { ...init, signal: controller.signal });
      const text = await response.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, body };
    } catch (error) {
      if (this.#lifetime.signal.aborted) throw new TransportError(TransportErrorCode.Destroyed, 'The connection was closed');
      if (timedOut) throw new TransportError(TransportErrorCode.Timeout, `No answer within ${timeoutMs} ms`);
      throw new TransportError(TransportErrorCode.ConnectionLost, `Network error: ${(error as Error)?.message ?? 'unknown'}`);
    } finally {
      this.#timers.clearTimeout(timer);
      this.#lifetime.signal.removeEventListener('abort', abortOnDestroy);
    }
  }

  async #headers(): Promise<Record<string, string>> {
    return this.#options.headers ? await this.#options.headers() : {};
  }

  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#timers.setTimeout(done, ms);
      const self = this;
      this.#wake = onAbort;
      function done(): void {
        signal.removeEventListener('abort', onAbort);
        self.#wake = undefined;
        resolve();
      }
      const timers = this.#timers;
      function onAbort(): void {
        timers.clearTimeout(timer);
        done();
      }
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #assertConnected(): void {
    if (this.status !== 'connected') {
      throw new TransportError(
        TransportErrorCode.NotConnected,
        this.status === 'offline' ? 'Offline: not connected to the server' : 'Not connected to the server (reconnecting)',
      );
    }
  }
}

function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportError(TransportErrorCode.Config, `Not an HTTP URL: ${String(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TransportError(TransportErrorCode.Config, 'A polling endpoint must start with http:// or https://');
  }
  return parsed.href;
}

function errorMessage(body: unknown): string | undefined {
  if (!isTransportMessage(body)) return undefined;
  const error = body.error;
  if (isTransportMessage(error) && typeof error.message === 'string') return error.message;
  return undefined;
}

function defaultHasNews(body: TransportMessage): boolean {
  return (Array.isArray(body.events) && body.events.length > 0) || body.snapshot !== undefined;
}

function defaultPollAgainNow(body: TransportMessage): boolean {
  return body.more === true;
}

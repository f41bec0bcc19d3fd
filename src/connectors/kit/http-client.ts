/**
 * The HTTP client every REST/polling vendor connector uses (DOM-free: the page and Node alike).
 * One request = method, path, query, headers, body; a timeout through `AbortController`; cookies
 * where the runtime allows (`credentials: 'include'` in a browser; Node's fetch keeps none).
 *
 * Retries: only for reads (`GET`/`HEAD`, or a request explicitly marked `idempotent`), on network
 * errors, timeouts, 429 and 5xx, with the transports' `Backoff`. A call-control command is never
 * retried — sending "hang up" twice, or "dial" after a lost answer, can do real harm; its failure
 * is reported and the agent decides.
 */
import { Backoff, type BackoffOptions } from '../../transports/backoff.ts';
import type { FetchLike } from '../../transports/polling-transport.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method?: HttpMethod;
  /** Joined to the client's base URL (`/api/x` or `api/x`). */
  path: string;
  /** Encoded into the URL; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with its content type). */
  body?: unknown;
  /** Overrides the client's timeout for this request, ms. */
  timeoutMs?: number;
  /** A write that may safely be repeated (the vendor documents it so): retried like a read. */
  idempotent?: boolean;
  /** Aborts the request (and its retries) from outside, e.g. on `disconnect()`. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body as text (decode it with a codec: json or xml). */
  text: string;
}

export interface HttpClientOptions {
  /** `https://vendor.example/api` — requests are relative to it. */
  baseUrl: string;
  /** Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts for reads (default 2: at most 3 tries). 0 turns retries off. */
  retries?: number;
  backoff?: BackoffOptions;
  /** Headers sent with every request (an auth header built per request goes in `headers()`). */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** Send and keep cookies where the runtime allows (browser: `credentials: 'include'`). */
  cookies?: boolean;
  fetch?: FetchLike;
  /** Waits between retries (tests pass a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const READS = new Set<HttpMethod>(['GET', 'HEAD']);

/** Thrown for a network failure or a timeout (no answer at all); an HTTP error status is an answer. */
export class HttpError extends CtiError {}

export class HttpClient {
  readonly baseUrl: string;
  readonly #options: HttpClientOptions;
  readonly #fetch: FetchLike;

  constructor(options: HttpClientOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'The endpoint is not a URL.' });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'The endpoint must start with http:// or https://.' });
    }
    if (base.username || base.password) {
      // Credentials in a URL end up in logs and history.
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'The endpoint must not contain credentials.' });
    }
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.#options = options;
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** The full URL of a request (for logs, without secrets in query parameters: see `redactUrl`). */
  url(request: Pick<HttpRequest, 'path' | 'query'>): string {
    const url = new URL(`${this.baseUrl}/${request.path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.href;
  }

  /**
   * Sends one request; resolves with any HTTP answer (the caller maps error statuses with its
   * vendor-error table). Rejects with an `HttpError` (TIMEOUT or NOT_CONNECTED) when there was no
   * answer, after the retries a read is allowed.
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const method = request.method ?? 'GET';
    const retryable = READS.has(method) || request.idempotent === true;
    const attempts = retryable ? 1 + Math.max(0, this.#options.retries ?? 2) : 1;
    const backoff = new Backoff(this.#options.backoff ?? { initialMs: 200, maxMs: 2000 });
    let lastError: HttpError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.#sleep(backoff.next(), request.signal);
      try {
        const response = await this.#once(method, request);
        if (retryable && attempt < attempts - 1 && (response.status === 429 || response.status >= 500)) {
          lastError = new HttpError({ code: ErrorCode.NotConnected, message: `The contact centre answered HTTP ${response.status}.` });
          continue;
        }
        return response;
      } catch (error) {
        if (request.signal?.aborted) {
          throw new HttpError({ code: ErrorCode.Destroyed, message: 'The request was cancelled.' });
        }
        lastError = error as HttpError;
      }
    }
    throw lastError!;
  }

  async #once(method: HttpMethod, request: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = request.timeoutMs ?? this.#options.timeoutMs ?? 10_000;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onAbort);
    const timer = globalThis.setTimeout(() => controller.abort(), timeoutMs);
    const base = this.#options.headers;
    const headers: Record<string, string> = {
      ...(typeof base === 'function' ? await base() : base),
      ...request.headers,
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      if (typeof request.body === 'string') body = request.body;
      else {
        body = JSON.stringify(request.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const init: RequestInit = { method, headers, body, signal: controller.signal };
    if (this.#options.cookies) init.credentials = 'include';
    try {
      const response = await this.#fetch(this.url(request), init);
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch {
      // The underlying message may quote the URL (with a key in its query): never passed on.
      if (controller.signal.aborted && !request.signal?.aborted) {
        throw new HttpError({ code: ErrorCode.Timeout, message: `The contact centre did not answer within ${Math.round(timeoutMs / 100) / 10} s.` });
      }
      throw new HttpError({ code: ErrorCode.NotConnected, message: 'The contact centre could not be reached.' });
    } finally {
      globalThis.clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#options.sleep) return this.#options.sleep(ms, signal);
    return new Promise((resolve) => {
      const timer = globalThis.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        globalThis.clearTimeout(timer);
        resolve();
      });
    });
  }
}

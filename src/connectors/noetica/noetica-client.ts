/**
 * One Noetica request (docs/connectors/noetica.md §2): the path from the binding table, the token
 * header, a JSON body, and the answer read by the binding's status model — 200 with JSON for a
 * GET, 202 `{requestId}` for an accepted POST, `{error:{code,message}}` with a 4xx/5xx status for
 * a refusal. Built on the kit's `HttpClient` (timeouts; reads retried, commands never).
 *
 * The token: a fixed `apiToken` (gateway) or `getToken()` (page: a short-lived token asked for
 * when first needed and again after a 401, kept in memory only). A 401 is decided before anything
 * is done, so the one retry with a fresh token cannot apply a command twice.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import type { FetchLike } from '../../transports/polling-transport.ts';
import { HttpClient, type HttpResponse } from '../kit/http-client.ts';
import { decodeJson } from '../kit/codecs.ts';
import { TOKEN_HEADER, pathFor, type ResolvedBinding, type SdkCommand, type SdkMethod } from './binding.ts';
import { garbageError, httpError, noeticaError } from './noetica-errors.ts';
import type { AcceptedAnswer, CommandBodies } from './wire.ts';

export interface NoeticaClientOptions {
  endpoint: string;
  userId: string;
  binding: ResolvedBinding;
  apiToken?: string;
  getToken?: () => string | Promise<string>;
  timeoutMs: number;
  fetch?: FetchLike;
}

interface Context {
  operation?: Operation;
  commandId?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class NoeticaClient {
  readonly #options: NoeticaClientOptions;
  /** Reads: retried by the kit on network errors and 5xx. */
  readonly #reads: HttpClient;
  /** Commands and the long poll: never retried here (the poll loop has its own backoff). */
  readonly #once: HttpClient;
  #token: string | undefined;

  constructor(options: NoeticaClientOptions) {
    this.#options = options;
    const base = { baseUrl: options.endpoint, timeoutMs: options.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) };
    this.#reads = new HttpClient({ ...base, backoff: { initialMs: 100, maxMs: 1000 } });
    this.#once = new HttpClient({ ...base, retries: 0 });
    this.#token = options.apiToken;
  }

  /** A GET method's JSON answer. `once`: no retry (the long poll). */
  async get<T extends object>(method: SdkMethod, context: Context & { query?: Record<string, string | number | undefined>; once?: boolean } = {}): Promise<T> {
    const response = await this.#exchange(method, undefined, context, context.once ? this.#once : this.#reads);
    return this.#read<T>(response, 200, context);
  }

  /** A POST method, accepted (202) or refused (a `CtiError` with the vendor code). */
  async post<M extends SdkCommand>(method: M, body: CommandBodies[M], context: Context = {}): Promise<AcceptedAnswer> {
    const response = await this.#exchange(method, body, context, this.#once);
    const answer = this.#read<AcceptedAnswer>(response, 202, context);
    if (typeof answer.requestId !== 'string' || answer.requestId === '') throw garbageError(response.status, context.operation);
    return answer;
  }

  async #exchange(method: SdkMethod, body: unknown, context: Context & { query?: Record<string, string | number | undefined> }, http: HttpClient): Promise<HttpResponse> {
    const send = async (): Promise<HttpResponse> =>
      http.send({
        method: this.#options.binding[method].http,
        path: pathFor(this.#options.binding, method, this.#options.userId),
        ...(context.query ? { query: context.query } : {}),
        headers: { [TOKEN_HEADER]: `Bearer ${await this.#currentToken(context.operation)}`, accept: 'application/json' },
        ...(body !== undefined ? { body } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
        ...(context.timeoutMs !== undefined ? { timeoutMs: context.timeoutMs } : {}),
      });
    let response = await send();
    if (response.status === 401 && this.#options.getToken) {
      // A short-lived token ran out: ask for a fresh one, once.
      this.#token = undefined;
      response = await send();
    }
    return response;
  }

  async #currentToken(operation: Operation | undefined): Promise<string> {
    if (this.#token !== undefined) return this.#token;
    const getToken = this.#options.getToken;
    let token: unknown;
    try {
      token = getToken ? await getToken() : undefined;
    } catch {
      throw new CtiError({ code: ErrorCode.Unauthorized, severity: 'critical', message: 'No Noetica API token: getToken() failed.', ...(operation ? { operation } : {}) });
    }
    if (typeof token !== 'string' || token === '') {
      throw new CtiError({ code: ErrorCode.Unauthorized, severity: 'critical', message: 'No Noetica API token: getToken() returned none.', ...(operation ? { operation } : {}) });
    }
    this.#token = token;
    return token;
  }

  #read<T extends object>(response: HttpResponse, expected: number, context: Context): T {
    const { status, text } = response;
    let body: unknown;
    try {
      body = decodeJson(text);
    } catch {
      throw status === expected || status < 400 ? garbageError(status, context.operation) : httpError(status, context.operation);
    }
    if (status === expected || (expected === 202 && status === 200)) {
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw garbageError(status, context.operation);
      return body as T;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (status >= 400 && error && typeof error.code === 'string' && error.code !== '') {
      if (status === 401) this.#token = this.#options.apiToken;
      return throwing(noeticaError(error.code, error.message, { ...(context.operation ? { operation: context.operation } : {}), ...(context.commandId ? { commandId: context.commandId } : {}) }));
    }
    throw status >= 400 ? httpError(status, context.operation) : garbageError(status, context.operation);
  }
}

function throwing(error: CtiError): never {
  throw error;
}

/**
 * One MaxContact request, whole: the path (`/webservices/services/telephony/<method>/user/{id}/…`),
 * the `TokenKey` cookie, the `Content-Type` that picks JSON or XML, the answer read as a
 * `CallActionResponse` and every failure a readable error with the vendor code kept.
 *
 * The token is either fixed (`tokenKey`) or fetched from the token service with `apiLogin` +
 * `apiPassword` (and fetched again when it expires or MaxContact answers 401 — a 401 comes before
 * MaxContact acts, so sending the same request once more with a new token cannot do it twice).
 * The token goes into the cookie header and nowhere else.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import type { FetchLike } from '../../transports/polling-transport.ts';
import { HttpClient } from '../kit/http-client.ts';
import { readEnvelope } from './codec.ts';
import { garbageError, httpError, responseError } from './maxcontact-errors.ts';
import { TELEPHONY_API, TOKEN_API, TOKEN_COOKIE, type CallActionResponse, type TelephonyMethod, type TokenData } from './protocol.ts';

export interface ClientOptions {
  endpoint: string;
  userId: string;
  tokenKey?: string;
  apiLogin?: string;
  apiPassword?: string;
  /** `json`: ask for JSON (`Content-Type: application/json`); `xml`: MaxContact's default. */
  format: 'json' | 'xml';
  timeoutMs: number;
  fetch?: FetchLike;
}

export interface CallOptions {
  /** Path segments after `/user/{id}`, in the method's order: `[['call', '12'], ['phone', '+44…']]`. */
  segments?: ReadonlyArray<readonly [string, string]>;
  query?: Record<string, string | number | undefined>;
  operation?: Operation;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Refresh a fetched token this long before MaxContact said it expires. */
const EXPIRY_MARGIN_MS = 30_000;
const LIST_METHODS = new Set<TelephonyMethod>(['getcalls', 'campaigns', 'users', 'resultcodes', 'acdqueues', 'leadphones']);

export class MaxContactClient {
  readonly #options: ClientOptions;
  /** Commands and polls: never retried (a GET here can dial or hang up; the poll loop has its own backoff). */
  readonly #once: HttpClient;
  /** Reference lists (users, result codes …): reads, retried. */
  readonly #lists: HttpClient;
  #token: string | undefined;
  #tokenExpires = 0;
  #lastCalls: string | undefined;
  #tokenPending: Promise<string> | undefined;

  constructor(options: ClientOptions) {
    this.#options = options;
    this.#token = options.tokenKey;
    const base = { baseUrl: options.endpoint, timeoutMs: options.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) };
    this.#once = new HttpClient({ ...base, retries: 0 });
    this.#lists = new HttpClient({ ...base, retries: 2, backoff: { initialMs: 200, maxMs: 2000 } });
  }

  /** The request path of a method for this agent (for tests and docs). */
  path(method: TelephonyMethod, segments: CallOptions['segments'] = []): string {
    const tail = segments.map(([name, value]) => `/${name}/${encodeURIComponent(value)}`).join('');
    return `${TELEPHONY_API}/${method}/user/${encodeURIComponent(this.#options.userId)}${tail}`;
  }

  /** The full URL of a method's request (no token in it: that goes in the cookie). */
  url(method: TelephonyMethod): string {
    return this.#once.url({ path: this.path(method) });
  }

  /** Makes sure a token is at hand (connect: a bad login fails here, readably). */
  async ensureToken(signal?: AbortSignal): Promise<void> {
    await this.#currentToken(signal);
  }

  /** Calls one method; resolves with `Data` of a `Success:true` answer. */
  async call<D = unknown>(method: TelephonyMethod, options: CallOptions = {}): Promise<D> {
    return this.#read<D>(method, await this.#exchange(method, options), options.operation);
  }

  /**
   * `getcalls`, for the poll loop: `unchanged` when MaxContact answered exactly what it answered
   * last time (nothing is decoded then: most polls of an idle agent cost one string comparison).
   */
  async getCalls(options: CallOptions = {}): Promise<{ unchanged: true } | { unchanged: false; calls: unknown }> {
    const answer = await this.#exchange('getcalls', options);
    if (answer.status === 200 && answer.text === this.#lastCalls) return { unchanged: true };
    const calls = this.#read<unknown>('getcalls', answer, options.operation);
    this.#lastCalls = answer.text;
    return { unchanged: false, calls };
  }

  /** Forget the last getcalls answer: the next one is read in full (after the view changed by a command). */
  forgetCalls(): void {
    this.#lastCalls = undefined;
  }

  async #exchange(method: TelephonyMethod, options: CallOptions): Promise<{ status: number; text: string; contentType: string | null }> {
    let answer = await this.#send(method, options);
    if (answer.status === 401 && this.#canLogin()) {
      // The token expired or was revoked: MaxContact did nothing; ask for a new one and try once more.
      this.#token = undefined;
      answer = await this.#send(method, options);
    }
    return answer;
  }

  async #send(method: TelephonyMethod, options: CallOptions): Promise<{ status: number; text: string; contentType: string | null }> {
    const token = await this.#currentToken(options.signal);
    const http = LIST_METHODS.has(method) && method !== 'getcalls' ? this.#lists : this.#once;
    const response = await http.send({
      method: 'GET',
      path: this.path(method, options.segments),
      ...(options.query ? { query: options.query } : {}),
      headers: this.#headers(token),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    return { status: response.status, text: response.text, contentType: response.headers.get('content-type') };
  }

  #read<D>(method: TelephonyMethod | 'token', answer: { status: number; text: string; contentType: string | null }, operation?: Operation): D {
    let envelope: CallActionResponse;
    try {
      envelope = readEnvelope(answer.text, answer.contentType, method);
    } catch (error) {
      if (answer.status < 200 || answer.status > 299) throw httpError(operation, answer.status);
      throw garbageError(operation, answer.status, error);
    }
    if (!envelope.Success) throw responseError(operation, envelope.ResponseCode, envelope.ResponseDetail);
    if (answer.status < 200 || answer.status > 299) throw httpError(operation, answer.status);
    return envelope.Data as D;
  }

  #headers(token: string): Record<string, string> {
    const headers: Record<string, string> = { cookie: `${TOKEN_COOKIE}=${token}` };
    if (this.#options.format === 'json') headers['content-type'] = 'application/json';
    return headers;
  }

  #canLogin(): boolean {
    return this.#options.apiLogin !== undefined && this.#options.apiPassword !== undefined;
  }

  async #currentToken(signal?: AbortSignal): Promise<string> {
    if (!this.#canLogin()) {
      if (this.#token === undefined) throw new CtiError({ code: ErrorCode.Unauthorized, severity: 'critical', message: 'MaxContact connector: no token (give tokenKey, or apiLogin and apiPassword).' });
      return this.#token;
    }
    if (this.#token !== undefined && Date.now() < this.#tokenExpires) return this.#token;
    // One token request at a time, however many calls need it.
    this.#tokenPending ??= this.#login(signal).finally(() => (this.#tokenPending = undefined));
    return this.#tokenPending;
  }

  /** The token service: `GET …/apitoken/login/{login}`, the password Base64 in `Authorization`. */
  async #login(signal?: AbortSignal): Promise<string> {
    const response = await this.#lists.send({
      method: 'GET',
      path: `${TOKEN_API}/login/${encodeURIComponent(this.#options.apiLogin!)}`,
      headers: { authorization: base64(this.#options.apiPassword!), ...(this.#options.format === 'json' ? { 'content-type': 'application/json' } : {}) },
      ...(signal ? { signal } : {}),
    });
    const data = this.#read<TokenData | null>('token', { status: response.status, text: response.text, contentType: response.headers.get('content-type') });
    if (!data || typeof data.TokenKey !== 'string' || data.TokenKey === '') {
      throw new CtiError({ code: ErrorCode.Protocol, message: 'MaxContact\'s token service answered without a token.' });
    }
    const lifetimeMs = (typeof data.ExpiresIn === 'number' && data.ExpiresIn > 0 ? data.ExpiresIn : 3600) * 1000;
    this.#token = data.TokenKey;
    this.#tokenExpires = Date.now() + Math.max(lifetimeMs / 2, lifetimeMs - EXPIRY_MARGIN_MS);
    return data.TokenKey;
  }
}

/** Base64 of the password's bytes (UTF-8; plain ASCII stays ASCII), in the page and in Node. */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

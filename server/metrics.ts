/**
 * `GET /metrics`: counts and memory for operators — how many agents, sockets and connections,
 * and how often a bound refused or cut something. Not public: who is connected and how busy the
 * server is helps an attacker, so the endpoint exists only when a metrics token is configured
 * (`METRICS_TOKEN`, at least 16 characters) and answers only `Authorization: Bearer <that token>`.
 * Without one it is `404`, like any unknown path. `/health` says only that the process is alive.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CtiError, ErrorCode } from '../src/core/errors.ts';
import type { Redactor } from './redactor.ts';
import { bearerToken, sendJson } from './http-util.ts';
import type { PrometheusMetrics } from './prometheus.ts';

export const MIN_METRICS_TOKEN_LENGTH = 16;

/** Named event counters (cut-offs, refusals, evictions …), reported by `/metrics`. */
export class Counters {
  #values = new Map<string, number>();

  add(name: string, by = 1): void {
    this.#values.set(name, (this.#values.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.#values.get(name) ?? 0;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.#values].sort(([a], [b]) => a.localeCompare(b)));
  }
}

export interface MetricsEndpointOptions {
  /** Absent: the endpoint does not exist. */
  token?: string;
  redact: Redactor;
  /** The figures, read at request time (the JSON answer). */
  read: () => Record<string, unknown>;
  /** The Prometheus text answer, the default (JSON for `Accept: application/json`). */
  prometheus: PrometheusMetrics;
}

export class MetricsEndpoint {
  #digest?: Buffer;
  #options: MetricsEndpointOptions;

  constructor(options: MetricsEndpointOptions) {
    this.#options = options;
    if (options.token !== undefined) {
      if (options.token.length < MIN_METRICS_TOKEN_LENGTH) {
        throw new Error(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long.`);
      }
      this.#digest = sha256(options.token);
    }
  }

  /** Handles `GET /metrics` when enabled; returns false otherwise (the caller answers 404). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (url.pathname !== '/metrics' || !this.#digest) return false;
    const presented = bearerToken(req);
    // Digests have equal length, so the comparison time says nothing about the token.
    if (presented === undefined || !timingSafeEqual(sha256(presented), this.#digest)) {
      const error = new CtiError({ code: ErrorCode.Unauthorized, message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>.' });
      sendJson(res, 401, { ok: false, error: error.toJSON() }, this.#options.redact);
      return true;
    }
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      const error = new CtiError({ code: ErrorCode.InvalidArgument, message: 'Use GET for /metrics.' });
      sendJson(res, 405, { ok: false, error: error.toJSON() }, this.#options.redact);
      return true;
    }
    if (/\bapplication\/json\b/.test(req.headers.accept ?? '')) {
      sendJson(res, 200, { ok: true, ...this.#options.read() }, this.#options.redact);
      return true;
    }
    this.#options.prometheus.render().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': this.#options.prometheus.contentType, 'Cache-Control': 'no-store' });
        res.end(this.#options.redact(text));
      },
      () => {
        const error = new CtiError({ code: ErrorCode.Protocol, message: 'The metrics could not be collected.' });
        sendJson(res, 500, { ok: false, error: error.toJSON() }, this.#options.redact);
      },
    );
    return true;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Where the canonical protocol lives on a server, from the one `endpoint` an integrator gives:
 * `ws://host:port/ws` (WebSocket) or `http://host:port` (polling). Either form can be given for
 * either transport, so the demo can switch transports without a second URL.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';

export type ServerTransportKind = 'websocket' | 'polling';

export interface ServerEndpoints {
  kind: ServerTransportKind;
  /** `ws(s)://host:port/ws` */
  websocketUrl: string;
  /** `http(s)://host:port` plus any path prefix, without a trailing slash. */
  httpBase: string;
}

export function resolveEndpoints(endpoint: string | undefined, kind: ServerTransportKind | undefined): ServerEndpoints {
  if (!endpoint) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'The server connector needs an endpoint (ws://… or http://…).' });
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: `The endpoint is not a URL: ${endpoint}` });
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'The endpoint must start with ws://, wss://, http:// or https://.' });
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and history; tokens go in the hello or a header.
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'The endpoint must not contain credentials.' });
  }
  const isWs = url.protocol === 'ws:' || url.protocol === 'wss:';
  // The path prefix before `/ws` (or the http path) is kept, so a server behind a reverse proxy under /cti works.
  let prefix = url.pathname.replace(/\/+$/, '');
  if (isWs && prefix.endsWith('/ws')) prefix = prefix.slice(0, -3);
  const host = url.host;
  return {
    kind: kind ?? (isWs ? 'websocket' : 'polling'),
    websocketUrl: `${secure ? 'wss' : 'ws'}://${host}${prefix}/ws`,
    httpBase: `${secure ? 'https' : 'http'}://${host}${prefix}`,
  };
}

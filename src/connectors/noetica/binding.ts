/**
 * The REST binding of Noetica's Telephony & Dialler SDK (docs/connectors/noetica.md §1–§2): one
 * HTTP method and one path per SDK method. Noetica publishes the method names and nothing of the
 * wire, so this table *is* the contract: the connector builds its requests from it and the
 * emulator routes by it, so moving a method to another path is a one-line change here (or, for one
 * site, a `paths` entry in the connector's config). Data only, no I/O.
 */

/** Every path below is relative to the endpoint plus this prefix. */
export const API_PREFIX = '/sdk/v08';

/** The API token travels in this header as `Bearer <token>` on every request. */
export const TOKEN_HEADER = 'authorization';

/** The one placeholder a path may hold: the Noetica user (the bar's agent id), URL-encoded. */
export const USER_PLACEHOLDER = '{userId}';

export type SdkHttp = 'GET' | 'POST';

/** The SDK's 23 methods under the names the document gives them, without spaces. */
export const BINDING = {
  // GET methods (7)
  GetNextRecord: { http: 'GET', path: '/users/{userId}/dialler/next-record' },
  GetAvailableDispositions: { http: 'GET', path: '/users/{userId}/dialler/dispositions' },
  GetBreakReason: { http: 'GET', path: '/break-reasons' },
  PollEvent: { http: 'GET', path: '/users/{userId}/events' },
  DiallerStatus: { http: 'GET', path: '/users/{userId}/status/dialler' },
  SystemStatus: { http: 'GET', path: '/status/system' },
  TelephonyStatus: { http: 'GET', path: '/users/{userId}/status/telephony' },
  // POST methods (16)
  DispositionRecord: { http: 'POST', path: '/users/{userId}/dialler/disposition' },
  RequestLogin: { http: 'POST', path: '/users/{userId}/login' },
  RequestLogout: { http: 'POST', path: '/users/{userId}/logout' },
  RequestBreak: { http: 'POST', path: '/users/{userId}/break' },
  CancelBreak: { http: 'POST', path: '/users/{userId}/break/cancel' },
  SetUserBusy: { http: 'POST', path: '/users/{userId}/busy' },
  SetUserFree: { http: 'POST', path: '/users/{userId}/free' },
  Dial: { http: 'POST', path: '/users/{userId}/calls/dial' },
  Answer: { http: 'POST', path: '/users/{userId}/calls/answer' },
  HangUp: { http: 'POST', path: '/users/{userId}/calls/hangup' },
  HoldCall: { http: 'POST', path: '/users/{userId}/calls/hold' },
  RetrieveHeldCall: { http: 'POST', path: '/users/{userId}/calls/retrieve' },
  InitiateCallTransfer: { http: 'POST', path: '/users/{userId}/transfer/initiate' },
  AlternateLine: { http: 'POST', path: '/users/{userId}/transfer/alternate' },
  CompleteTransfer: { http: 'POST', path: '/users/{userId}/transfer/complete' },
  AbandonTransfer: { http: 'POST', path: '/users/{userId}/transfer/abandon' },
} as const satisfies Record<string, { http: SdkHttp; path: string }>;

export type SdkMethod = keyof typeof BINDING;
export type SdkCommand = { [M in SdkMethod]: (typeof BINDING)[M]['http'] extends 'POST' ? M : never }[SdkMethod];

export const SDK_METHODS = Object.keys(BINDING) as SdkMethod[];

export function isSdkMethod(value: unknown): value is SdkMethod {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(BINDING, value);
}

/** A site's path changes, method → path (same rules as the table). */
export type PathOverrides = Partial<Record<SdkMethod, string>>;

const PATH = /^\/[A-Za-z0-9._~\-/{}]*$/;

/**
 * Why a `paths` override cannot be used, or undefined: known methods only, a path starting with
 * `/`, no placeholder other than `{userId}`, a per-user method keeping `{userId}` (the user is
 * how Noetica tells agents apart), and no two methods on the same HTTP method and path.
 */
export function checkPathOverrides(paths: unknown): string | undefined {
  if (paths === undefined) return undefined;
  if (!paths || typeof paths !== 'object' || Array.isArray(paths)) return '"paths" maps SDK method names to paths';
  for (const [method, path] of Object.entries(paths as Record<string, unknown>)) {
    if (!isSdkMethod(method)) return `"paths" names an unknown SDK method "${method.slice(0, 40)}" (known: ${SDK_METHODS.join(', ')})`;
    if (typeof path !== 'string' || !PATH.test(path) || path.length > 200) return `"paths.${method}" must be a path starting with /`;
    const placeholders = path.match(/\{[^}]*\}/g) ?? [];
    if (placeholders.some((p) => p !== USER_PLACEHOLDER) || /[{}]/.test(path.replace(/\{userId\}/g, ''))) {
      return `"paths.${method}" may only hold the {userId} placeholder`;
    }
    if (BINDING[method].path.includes(USER_PLACEHOLDER) && !path.includes(USER_PLACEHOLDER)) return `"paths.${method}" must keep {userId}`;
  }
  const table = resolveBinding(paths as PathOverrides);
  const seen = new Set<string>();
  for (const method of SDK_METHODS) {
    const key = `${table[method].http} ${table[method].path}`;
    if (seen.has(key)) return `"paths" puts two SDK methods on ${key}`;
    seen.add(key);
  }
  return undefined;
}

export type ResolvedBinding = Record<SdkMethod, { http: SdkHttp; path: string }>;

/** The table with a site's overrides applied. */
export function resolveBinding(overrides: PathOverrides = {}): ResolvedBinding {
  const out = {} as ResolvedBinding;
  for (const method of SDK_METHODS) out[method] = { http: BINDING[method].http, path: overrides[method] ?? BINDING[method].path };
  return out;
}

/** The request path of one method for one user (prefix included). */
export function pathFor(binding: ResolvedBinding, method: SdkMethod, userId: string): string {
  return `${API_PREFIX}${binding[method].path.replace(USER_PLACEHOLDER, encodeURIComponent(userId))}`;
}

/**
 * The emulator's router: the method and the user a request is for, or undefined. Matches the
 * HTTP method too, so a GET on a POST path is told apart from an unknown path (405 vs 404).
 */
export function matchRequest(binding: ResolvedBinding, path: string): { method: SdkMethod; userId?: string }[] {
  if (!path.startsWith(`${API_PREFIX}/`)) return [];
  const rest = path.slice(API_PREFIX.length);
  const out: { method: SdkMethod; userId?: string }[] = [];
  for (const method of SDK_METHODS) {
    const template = binding[method].path;
    const pattern = new RegExp(`^${template.split(USER_PLACEHOLDER).map(escape).join('([^/]+)')}$`);
    const match = pattern.exec(rest);
    if (!match) continue;
    const encoded = match[1];
    if (encoded === undefined) {
      out.push({ method });
      continue;
    }
    try {
      out.push({ method, userId: decodeURIComponent(encoded) });
    } catch {
      // A malformed escape is no user.
    }
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

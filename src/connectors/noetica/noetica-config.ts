/**
 * The `noetica` connector's `config`, and the rules the option types cannot say. The API token
 * (or the function that gives one) is read here and goes nowhere but the request header.
 */
import { checkPathOverrides, type PathOverrides } from './binding.ts';
import { POLL_MAX_WAIT_S } from './wire.ts';

export interface NoeticaConfig {
  /** A long-lived API token (gateway only). */
  apiToken?: string;
  /** Returns a short-lived API token (in the page); called when needed, never stored. */
  getToken?: () => string | Promise<string>;
  /** A site's path changes: SDK method → path (see binding.ts). */
  paths?: PathOverrides;
  /** Seconds Noetica may hold a Poll Event (long poll); 0 polls at intervals instead. */
  longPollWaitS?: number;
  /** Interval polling (longPollWaitS 0): pause between polls, ms. */
  pollIntervalMs?: number;
  /** A request without an answer within this long fails with TIMEOUT, ms. */
  commandTimeoutMs?: number;
  backoff?: Record<string, unknown>;
}

export const DEFAULT_LONG_POLL_WAIT_S = 20;
export const DEFAULT_POLL_INTERVAL_MS = 1000;

export function checkNoeticaConfig(config: NoeticaConfig): string | undefined {
  if ((config.apiToken === undefined) === (config.getToken === undefined)) return 'give either "apiToken" (gateway) or "getToken" (page)';
  if (config.longPollWaitS !== undefined && (config.longPollWaitS < 0 || config.longPollWaitS > POLL_MAX_WAIT_S)) return `"longPollWaitS" is 0..${POLL_MAX_WAIT_S}`;
  return checkPathOverrides(config.paths);
}

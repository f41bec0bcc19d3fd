/**
 * The `maxcontact` connector's `config`, and the rules the option types cannot say. The token
 * (or the API password) is read here and goes nowhere but the client's cookie / token request.
 */
import { checkEnumOverride } from './enums.ts';
import { PHONE } from './protocol.ts';

export interface MaxContactConfig {
  /** A token from MaxContact's token service, used as is (secret; gateway only). */
  tokenKey?: string;
  /** API user for the token service (with apiPassword): the connector fetches and renews the token. */
  apiLogin?: string;
  apiPassword?: string;
  /** `xml` (MaxContact's default) or `json` (sent as `Content-Type: application/json`). */
  format?: 'xml' | 'json';
  /** Pause between getcalls polls while a call is up, ms. */
  pollIntervalMs?: number;
  /** Pause between polls with no call, ms. */
  idlePollIntervalMs?: number;
  /** Abort a poll after this long, ms. */
  pollTimeoutMs?: number;
  commandTimeoutMs?: number;
  backoff?: Record<string, unknown>;
  /** Override of the enumeration table: `{ callState: { "7": "held" } }`. */
  enums?: Record<string, unknown>;
  /** Result codes for connectcalls and a cancelled consult: `{ customer, consult, cancelled }`. */
  transferResultCodes?: Record<string, unknown>;
  /** User id → the number that reaches that agent (MaxContact dials numbers only). */
  userNumbers?: Record<string, unknown>;
  /** ACD queue id → the number (DDI) that reaches that queue. */
  queueNumbers?: Record<string, unknown>;
  /** Transfer destinations offered in the bar: `{ "Sales desk": "+442071230100" }` (label → number). */
  transferDestinations?: Record<string, unknown>;
}

export const DEFAULT_POLL_INTERVAL_MS = 1000;
export const DEFAULT_IDLE_POLL_INTERVAL_MS = 2000;

export function checkMaxContactConfig(config: MaxContactConfig): string | undefined {
  const login = config.apiLogin !== undefined || config.apiPassword !== undefined;
  if ((config.tokenKey === undefined) === !login || (login && !(config.apiLogin && config.apiPassword))) {
    return 'give either "tokenKey", or "apiLogin" with "apiPassword"';
  }
  for (const [key, code] of Object.entries(config.transferResultCodes ?? {})) {
    if (!['customer', 'consult', 'cancelled'].includes(key) || typeof code !== 'string' || !code) return '"transferResultCodes" is {customer, consult, cancelled}: result codes';
  }
  for (const [label, number] of Object.entries(config.transferDestinations ?? {})) {
    if (!label.trim() || typeof number !== 'string' || !PHONE.test(number)) return '"transferDestinations" maps labels to numbers';
  }
  for (const [key, map] of [['userNumbers', config.userNumbers], ['queueNumbers', config.queueNumbers]] as const) {
    for (const [id, number] of Object.entries(map ?? {})) {
      if (!/^[0-9]{1,10}$/.test(id) || typeof number !== 'string' || !PHONE.test(number)) return `"${key}" maps MaxContact ids to numbers`;
    }
  }
  return checkEnumOverride(config.enums);
}

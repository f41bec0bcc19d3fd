/**
 * Noojee's failures as readable `CtiError`s, the vendor's code always kept in `vendorCode`:
 * a negative `Code` in a CallManagementAPI answer, a CampaignAPI lead code (101–110), an HTTP
 * status (401 for a bad key, 404 for an unknown method, 5xx), or an answer that is not JSON. The
 * API key is never part of a message (nothing here sees it).
 */
import { CtiError, ErrorCode, type Severity } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import { LEAD_CODES, NOOJEE_CODES } from './protocol.ts';

const C = NOOJEE_CODES;

/** What each CallManagementAPI code means for the agent. */
export const CALL_CODE_TEXT: Readonly<Record<number, string>> = {
  [C.AUTH_FAILED]: 'Noojee refused the API key',
  [C.BAD_PARAMETER]: 'Noojee refused a value in the request',
  [C.UNKNOWN_EXTENSION]: 'Noojee does not know this extension (check the agent id and its technology)',
  [C.NO_SUCH_CALL]: 'There is no such call on Noojee any more',
  [C.EXTENSION_BUSY]: 'The extension has no free line',
  [C.NOT_RINGING]: 'The call is not ringing on this extension, so it cannot be answered',
  [C.ALREADY_RECORDING]: 'The call is already being recorded',
  [C.NOT_RECORDING]: 'The call is not being recorded',
  [C.NOT_CONNECTED]: 'Only a connected call can be recorded',
  [C.SERVER_ERROR]: 'Noojee had an internal error',
};

/** What each CampaignAPI lead code means. */
export const LEAD_CODE_TEXT: Readonly<Record<number, string>> = {
  101: 'Noojee has no lead for this CRM record in the campaign',
  102: 'The lead has no phone number',
  103: 'Noojee failed to update the lead',
  104: 'The number is on the do-not-call list',
  105: 'Noojee reports a duplicate lead',
  106: 'Noojee does not know this disposition',
  107: 'The lead needs a disposition',
  108: 'Noojee refused the lead update',
  109: 'Noojee is busy with other lead updates; try again',
  110: 'The lead was changed by someone else at the same time; try again',
};

const MAX_VENDOR_TEXT = 160;

/** The vendor's own message, as plain text of bounded length (never markup). */
function vendorText(message: unknown): string {
  if (typeof message !== 'string') return '';
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_VENDOR_TEXT ? `${flat.slice(0, MAX_VENDOR_TEXT)}…` : flat;
}

function make(operation: Operation | undefined, code: ErrorCode, text: string, vendorCode: string | number, vendorMessage = '', severity: Severity = 'major'): CtiError {
  const detail = vendorMessage ? `Noojee code ${vendorCode}: ${vendorMessage}` : `Noojee code ${vendorCode}`;
  return new CtiError({ code, message: `${text} (${detail}).`, vendorCode, severity, ...(operation ? { operation } : {}) });
}

/** A CallManagementAPI answer with a negative `Code`. */
export function callCodeError(operation: Operation | undefined, code: number, message?: unknown): CtiError {
  const text = CALL_CODE_TEXT[code] ?? 'Noojee refused the request';
  const kind = code === C.AUTH_FAILED ? ErrorCode.Unauthorized : ErrorCode.Rejected;
  const severity: Severity = code === C.AUTH_FAILED || code === C.SERVER_ERROR ? 'critical' : code === C.BAD_PARAMETER || code === C.UNKNOWN_EXTENSION ? 'major' : 'minor';
  return make(operation, kind, text, code, vendorText(message), severity);
}

/** A CampaignAPI answer with a non-zero `code` (lead codes are positive, auth is -1). */
export function leadCodeError(operation: Operation | undefined, code: number, message?: unknown): CtiError {
  if (code === C.AUTH_FAILED) return callCodeError(operation, code, message);
  const name = LEAD_CODES[code]?.[0];
  const text = LEAD_CODE_TEXT[code] ?? 'Noojee refused the campaign request';
  return make(operation, ErrorCode.Rejected, text, code, vendorText(message) || name || '', code === 103 ? 'major' : 'minor');
}

/**
 * An HTTP failure. When the body is Noojee's JSON with a code, that code is kept (and explained);
 * otherwise the HTTP status is the vendor code (`HTTP 503`).
 */
export function httpError(operation: Operation | undefined, status: number, body: string): CtiError {
  const json = parseObject(body);
  if (json) {
    if (typeof json.Code === 'number' && json.Code < 0) return callCodeError(operation, json.Code, json.Message);
    if (typeof json.code === 'number' && json.code !== 0) return leadCodeError(operation, json.code, json.message);
  }
  const vendorCode = `HTTP ${status}`;
  if (status === 401 || status === 403) return make(operation, ErrorCode.Unauthorized, 'Noojee refused the API key or this address', vendorCode, '', 'critical');
  if (status === 404) return make(operation, ErrorCode.Rejected, 'Noojee has no such method here (check the endpoint)', vendorCode, '', 'critical');
  if (status >= 500) return make(operation, ErrorCode.Rejected, 'Noojee had a server error', vendorCode, '', 'major');
  return make(operation, ErrorCode.Rejected, 'Noojee refused the request', vendorCode);
}

/** An answer that is not the JSON object Noojee sends. */
export function garbageError(operation: Operation | undefined): CtiError {
  return new CtiError({ code: ErrorCode.Protocol, message: 'Noojee sent an answer that is not JSON.', ...(operation ? { operation } : {}) });
}

export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

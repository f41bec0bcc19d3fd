/**
 * Noojee's failures as readable `CtiError`s, the vendor's code always kept in `vendorCode`:
 * a negative `Code` in a CallManagementAPI answer, a CampaignAPI lead code (101–110), an HTTP
 * status (401 for a bad key, 404 for an unknown method, 5xx), or an answer that is not JSON. The
 * API key is never part of a message (nothing here sees it).
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { vendorDetail, vendorErrorTable, vendorWords, type VendorErrorTable } from '../kit/vendor-errors.ts';
import type { Operation } from '../../core/operations.ts';
import { LEAD_CODES, NOOJEE_CODES } from './protocol.ts';

const C = NOOJEE_CODES;

/** What each CallManagementAPI code means for the agent (docs §4). */
export const CALL_ERRORS = vendorErrorTable('Noojee', {
  [C.AUTH_FAILED]: { message: 'Noojee refused the API key.', code: ErrorCode.Unauthorized, severity: 'critical' },
  [C.BAD_PARAMETER]: { message: 'Noojee refused a value in the request.' },
  [C.UNKNOWN_EXTENSION]: { message: 'Noojee does not know this extension (check the agent id and its technology).' },
  [C.NO_SUCH_CALL]: { message: 'There is no such call on Noojee any more.', severity: 'minor' },
  [C.EXTENSION_BUSY]: { message: 'The extension has no free line.', severity: 'minor' },
  [C.NOT_RINGING]: { message: 'The call is not ringing on this extension, so it cannot be answered.', severity: 'minor' },
  [C.ALREADY_RECORDING]: { message: 'The call is already being recorded.', severity: 'minor' },
  [C.NOT_RECORDING]: { message: 'The call is not being recorded.', severity: 'minor' },
  [C.NOT_CONNECTED]: { message: 'Only a connected call can be recorded.', severity: 'minor' },
  [C.SERVER_ERROR]: { message: 'Noojee had an internal error.', severity: 'critical' },
});

/** What each CampaignAPI lead code means. */
export const LEAD_ERRORS = vendorErrorTable('Noojee', {
  101: { message: 'Noojee has no lead for this CRM record in the campaign.', severity: 'minor' },
  102: { message: 'The lead has no phone number.', severity: 'minor' },
  103: { message: 'Noojee failed to update the lead.' },
  104: { message: 'The number is on the do-not-call list.', severity: 'minor' },
  105: { message: 'Noojee reports a duplicate lead.', severity: 'minor' },
  106: { message: 'Noojee does not know this disposition.', severity: 'minor' },
  107: { message: 'The lead needs a disposition.', severity: 'minor' },
  108: { message: 'Noojee refused the lead update.', severity: 'minor' },
  109: { message: 'Noojee is busy with other lead updates; try again.', severity: 'minor' },
  110: { message: 'The lead was changed by someone else at the same time; try again.', severity: 'minor' },
});

/** HTTP statuses without a Noojee code in the body. */
const HTTP_ERRORS = vendorErrorTable('Noojee', {
  'HTTP 401': { message: 'Noojee refused the API key or this address.', code: ErrorCode.Unauthorized, severity: 'critical' },
  'HTTP 403': { message: 'Noojee refused the API key or this address.', code: ErrorCode.Unauthorized, severity: 'critical' },
  'HTTP 404': { message: 'Noojee has no such method here (check the endpoint).', severity: 'critical' },
});

const vendorText = vendorWords;
const detail = (vendorCode: string | number, vendorMessage: string): string => vendorDetail('Noojee', vendorCode, vendorMessage);

function context(operation: Operation | undefined, vendorCode: string | number, message: unknown): { operation?: Operation; detail: string } {
  return { ...(operation ? { operation } : {}), detail: detail(vendorCode, vendorText(message)) };
}

/** The table's error for a known code; a code Noojee added later still reads as a refusal. */
function fromTable(table: VendorErrorTable, code: number, operation: Operation | undefined, message: unknown, fallback: string): CtiError {
  const ctx = context(operation, code, message);
  if (table.lookup(code)) return table.toError(code, ctx);
  return new CtiError({ code: ErrorCode.Rejected, severity: 'major', vendorCode: code, message: `${fallback} ${ctx.detail}`, ...(operation ? { operation } : {}) });
}

/** A CallManagementAPI answer with a negative `Code`. */
export function callCodeError(operation: Operation | undefined, code: number, message?: unknown): CtiError {
  return fromTable(CALL_ERRORS, code, operation, message, 'Noojee refused the request.');
}

/** A CampaignAPI answer with a non-zero `code` (lead codes are positive, auth is -1). */
export function leadCodeError(operation: Operation | undefined, code: number, message?: unknown): CtiError {
  if (code === C.AUTH_FAILED) return callCodeError(operation, code, message);
  return fromTable(LEAD_ERRORS, code, operation, vendorText(message) || LEAD_CODES[code]?.[0], 'Noojee refused the campaign request.');
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
  if (HTTP_ERRORS.lookup(vendorCode)) return HTTP_ERRORS.toError(vendorCode, context(operation, vendorCode, ''));
  const message = status >= 500 ? 'Noojee had a server error.' : 'Noojee refused the request.';
  return new CtiError({ code: ErrorCode.Rejected, severity: 'major', vendorCode, message: `${message} ${detail(vendorCode, '')}`, ...(operation ? { operation } : {}) });
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

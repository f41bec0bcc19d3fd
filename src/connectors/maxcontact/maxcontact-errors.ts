/**
 * MaxContact's failures as readable `CtiError`s with the vendor's code kept: a `Success:false`
 * answer (its `ResponseCode`, MaxContact's `ResponseDetail` as bounded plain text), an HTTP status
 * without an envelope (`HTTP 503`), a refused token (HTTP 401). The token never reaches this file.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import { vendorDetail, vendorErrorTable, vendorWords } from '../kit/vendor-errors.ts';
import { RESPONSE_CODES as R } from './protocol.ts';

export const RESPONSE_ERRORS = vendorErrorTable('MaxContact', {
  [R.USER_NOT_LOGGED_IN]: { message: 'The agent is not logged in to MaxContact (log in to the MaxContact web agent first).', severity: 'critical' },
  [R.NO_SUCH_CALL]: { message: 'MaxContact has no such call any more.', severity: 'minor' },
  [R.WRONG_CALL_STATE]: { message: 'The call is not in a state that allows this.', severity: 'minor' },
  [R.INVALID_PHONE]: { message: 'MaxContact refused the phone number.', severity: 'minor' },
  [R.UNKNOWN_RESULT_CODE]: { message: 'MaxContact does not know this result code.', severity: 'minor' },
  [R.AGENT_BUSY]: { message: 'The agent is busy with another call.', severity: 'minor' },
  [R.AWAITING_DISPOSITION]: { message: 'A call still needs a result code first.', severity: 'minor' },
  [R.BAD_PARAMETER]: { message: 'MaxContact refused a value in the request.' },
  [R.UNKNOWN_LEAD]: { message: 'MaxContact does not know this lead.', severity: 'minor' },
  [R.BAD_LOGIN]: { message: 'MaxContact refused the API login.', code: ErrorCode.Unauthorized, severity: 'critical' },
  [R.INVALID_TOKEN]: { message: 'MaxContact refused the token.', code: ErrorCode.Unauthorized, severity: 'critical' },
  [R.INTERNAL]: { message: 'MaxContact had an internal error.', severity: 'critical' },
});

const HTTP_ERRORS = vendorErrorTable('MaxContact', {
  'HTTP 401': { message: 'MaxContact refused the token.', code: ErrorCode.Unauthorized, severity: 'critical' },
  'HTTP 403': { message: 'MaxContact refused the token.', code: ErrorCode.Unauthorized, severity: 'critical' },
  'HTTP 404': { message: 'MaxContact has no such method here (check the endpoint).', severity: 'critical' },
});

const vendorText = vendorWords;
const detail = (vendorCode: string | number, words: string): string => vendorDetail('MaxContact', vendorCode, words);

/** A `Success:false` answer. */
export function responseError(operation: Operation | undefined, code: number, responseDetail: unknown): CtiError {
  const context = { ...(operation ? { operation } : {}), detail: detail(code, vendorText(responseDetail)) };
  return RESPONSE_ERRORS.toError(code, context);
}

/** An HTTP error status whose body is not a readable envelope. */
export function httpError(operation: Operation | undefined, status: number): CtiError {
  const vendorCode = `HTTP ${status}`;
  const context = { ...(operation ? { operation } : {}), detail: detail(vendorCode, '') };
  if (HTTP_ERRORS.lookup(vendorCode)) return HTTP_ERRORS.toError(vendorCode, context);
  const message = status >= 500 ? 'MaxContact had a server error.' : 'MaxContact refused the request.';
  return new CtiError({ code: ErrorCode.Rejected, severity: 'major', vendorCode, message: `${message} ${context.detail}`, ...(operation ? { operation } : {}) });
}

/** An answer that is not a CallActionResponse (garbage, an HTML error page). */
export function garbageError(operation: Operation | undefined, status: number, cause: unknown): CtiError {
  const why = cause instanceof CtiError ? cause.message : 'MaxContact sent an answer that could not be read.';
  return new CtiError({ code: ErrorCode.Protocol, message: `${why} (HTTP ${status})`, vendorCode: `HTTP ${status}`, ...(operation ? { operation } : {}) });
}

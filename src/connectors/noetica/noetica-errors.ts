/**
 * Noetica's failures as readable `CtiError`s with the vendor's code kept: a refusal answered at
 * once (the binding's `{error:{code,message}}` with its HTTP status), an Operation Failed event
 * (the same codes plus the telephony's own), an HTTP status without an envelope (`HTTP 502`) and
 * an answer that cannot be read. The API token never reaches this file.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import { vendorErrorTable } from '../kit/vendor-errors.ts';

const minor = 'minor' as const;

export const NOETICA_ERRORS = vendorErrorTable('Noetica', {
  BAD_REQUEST: { message: 'Noetica refused the request as malformed.' },
  UNAUTHORISED: { message: 'Noetica refused the API token.', code: ErrorCode.Unauthorized, severity: 'critical' },
  USER_NOT_FOUND: { message: 'Noetica does not know this user (check the agent id).', severity: 'critical' },
  UNKNOWN_METHOD: { message: 'Noetica has no such method at this path (check the endpoint and the paths table).', severity: 'critical' },
  METHOD_NOT_ALLOWED: { message: 'Noetica does not take this HTTP method at this path (check the paths table).', severity: 'critical' },
  NOT_LOGGED_ON: { message: 'The agent is not logged on to Noetica.', severity: minor },
  ALREADY_LOGGED_ON: { message: 'The agent is already logged on to Noetica.', severity: minor },
  ON_CALL: { message: 'Not possible while a call is in progress.', severity: minor },
  ON_BREAK: { message: 'Not possible while on a break (cancel the break first).', severity: minor },
  NOT_ON_BREAK: { message: 'The agent is not on a break.', severity: minor },
  NOT_BUSY: { message: 'The agent is not set busy.', severity: minor },
  NO_SUCH_CALL: { message: 'Noetica has no such call any more.', severity: minor },
  INVALID_CALL_STATE: { message: 'The call is not in a state that allows this.', severity: minor },
  NO_CONSULTATION: { message: 'There is no consultation call for this.', severity: minor },
  NO_RECORD: { message: 'The dialler holds no record for this agent.', severity: minor },
  UNKNOWN_BREAK_REASON: { message: 'Noetica does not know this break reason.', severity: minor },
  UNKNOWN_DISPOSITION: { message: 'Noetica does not know this disposition for the campaign.', severity: minor },
  INVALID_NUMBER: { message: 'Noetica refused the telephone number.', severity: minor },
  INTERNAL: { message: 'Noetica had an internal error.', severity: 'critical' },
  SYSTEM_OFFLINE: { message: 'The Noetica system is offline.', severity: 'critical' },
  // Reported later, by Operation Failed.
  LOGIN_REFUSED: { message: 'Noetica refused the log on (check the extension and password).', code: ErrorCode.Unauthorized },
  NUMBER_UNOBTAINABLE: { message: 'The number could not be reached.' },
  DESTINATION_BUSY: { message: 'The number called is busy.' },
  NO_ANSWER: { message: 'The number called did not answer.' },
  TRANSFER_FAILED: { message: 'The transfer could not be completed.' },
});

const MAX_VENDOR_TEXT = 160;

/** Noetica's own words, as plain text of bounded length (never markup). */
export function vendorText(words: unknown): string {
  if (typeof words !== 'string') return '';
  const flat = words.replace(/<[^>]*>/g, ' ').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_VENDOR_TEXT ? `${flat.slice(0, MAX_VENDOR_TEXT)}…` : flat;
}

/** A vendor code (an `ErrorAnswer`'s or an Operation Failed's) as the error to throw or emit. */
export function noeticaError(code: string, words: unknown, context: { operation?: Operation; commandId?: string } = {}): CtiError {
  const safeCode = code.slice(0, 40);
  const said = vendorText(words);
  const detail = said ? `(Noetica ${safeCode}: ${said})` : `(Noetica ${safeCode})`;
  return NOETICA_ERRORS.toError(safeCode, { ...context, detail });
}

/** An HTTP error status whose body is not the binding's error envelope. */
export function httpError(status: number, operation?: Operation): CtiError {
  const vendorCode = `HTTP ${status}`;
  const message =
    status === 401 || status === 403
      ? 'Noetica refused the API token.'
      : status >= 500
        ? 'Noetica had a server error.'
        : 'Noetica refused the request.';
  return new CtiError({
    code: status === 401 || status === 403 ? ErrorCode.Unauthorized : ErrorCode.Rejected,
    severity: status === 401 || status === 403 || status >= 500 ? 'critical' : 'major',
    vendorCode,
    message: `${message} (Noetica ${vendorCode})`,
    ...(operation ? { operation } : {}),
  });
}

/** An answer that is not what the binding says (garbage, an HTML page, a wrong shape). */
export function garbageError(status: number, operation?: Operation): CtiError {
  return new CtiError({
    code: ErrorCode.Protocol,
    vendorCode: `HTTP ${status}`,
    message: `Noetica sent an answer that could not be read (HTTP ${status}).`,
    ...(operation ? { operation } : {}),
  });
}

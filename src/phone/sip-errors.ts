/**
 * SIP failures as readable `CtiError`s. The agent reads the sentence; support reads `vendorCode`,
 * which keeps the SIP status (404, 480, 486, 603 …) or, when no response came, JsSIP's cause name.
 */
import { CtiError, ErrorCode, type CtiErrorInit } from '../core/errors.ts';
import type { Operation } from '../core/operations.ts';

/**
 * What the far end or the SIP server answered, as the agent should read it (exported for the
 * translations: components/locale/phone-error-messages.ts has each reason in every language).
 */
export const BY_STATUS: Readonly<Record<number, string>> = {
  403: 'the SIP server refused the call',
  404: 'there is no such number or user',
  408: 'nobody answered in time',
  480: 'the person is not available (offline or not registered)',
  484: 'the number is incomplete',
  486: 'the line is busy',
  487: 'the call was cancelled',
  488: 'the far end cannot take this call\'s audio',
  503: 'the SIP server cannot place calls now',
  603: 'the call was declined',
};

/** JsSIP's causes when no SIP response says why (its `causes` constants). */
export const BY_CAUSE: Readonly<Record<string, string>> = {
  'Connection Error': 'the connection to the SIP server was lost',
  'Request Timeout': 'the SIP server did not answer in time',
  'No Answer': 'nobody answered in time',
  'User Denied Media Access': 'the browser was not allowed to use the microphone',
  'WebRTC Error': 'the browser could not set up the audio',
  'Incompatible SDP': 'the far end cannot take this call\'s audio',
  'Bad Media Description': 'the far end cannot take this call\'s audio',
  'RTP Timeout': 'the audio stopped arriving',
  'No ACK': 'the far end did not confirm the call',
  'Dialog Error': 'the call\'s SIP dialog failed',
  'Authentication Error': 'the SIP server refused the phone\'s credentials',
  Busy: 'the line is busy',
  Rejected: 'the call was declined',
  Unavailable: 'the person is not available',
  'Not Found': 'there is no such number or user',
  'Address Incomplete': 'the number is incomplete',
};

/** The reasons when neither table knows the status or the cause. */
export const REFUSED = 'the far end refused the call';
export const FAILED = 'the call failed';

/** The minimal shape of what JsSIP's `failed` / `registrationFailed` events carry. */
export interface SipFailure {
  cause?: string;
  /** The SIP response, when one came (`message` on a session failure, `response` on a registration failure). */
  response?: { status_code?: number; reason_phrase?: string } | null;
}

/** The SIP status a failure carries, if a response came. */
export function sipStatus(failure: SipFailure): number | undefined {
  const code = failure.response?.status_code;
  return typeof code === 'number' && code >= 300 ? code : undefined;
}

/** A failed call (outbound or inbound) as the readable error the bar shows. */
export function callFailure(failure: SipFailure, operation?: Operation): CtiError {
  const status = sipStatus(failure);
  const cause = failure.cause ?? 'unknown';
  const why = (status !== undefined ? BY_STATUS[status] : undefined) ?? BY_CAUSE[cause] ?? (status !== undefined ? REFUSED : FAILED);
  const init: CtiErrorInit = {
    code: cause === 'Request Timeout' || cause === 'No Answer' || status === 408 ? ErrorCode.Timeout : ErrorCode.Rejected,
    message: `Call failed: ${why}${status !== undefined ? ` (SIP ${status})` : ''}.`,
    vendorCode: status ?? cause,
    severity: 'minor',
  };
  if (operation) init.operation = operation;
  return new CtiError(init);
}

/** A refused or failed REGISTER as the readable error the bar shows. */
export function registrationFailure(failure: SipFailure): CtiError {
  const status = sipStatus(failure);
  const cause = failure.cause ?? 'unknown';
  if (cause === 'Authentication Error' || status === 401 || status === 403 || status === 407) {
    return new CtiError({
      code: ErrorCode.Unauthorized,
      message: `The SIP server refused the phone's user name or password${status !== undefined ? ` (SIP ${status})` : ''}: check the SIP credentials.`,
      vendorCode: status ?? cause,
    });
  }
  if (cause === 'Connection Error' || cause === 'Request Timeout') {
    return new CtiError({ code: ErrorCode.NotConnected, message: 'The phone could not reach the SIP server.', vendorCode: cause });
  }
  return new CtiError({
    code: ErrorCode.Rejected,
    message: `The SIP server refused the phone's registration${status !== undefined ? ` (SIP ${status}${failure.response?.reason_phrase ? ` ${failure.response.reason_phrase.slice(0, 60)}` : ''})` : ''}.`,
    vendorCode: status ?? cause,
  });
}

/**
 * uContact's errors, readable (docs/connectors/ucontact.md §7). uContact has one error answer, `0`
 * where a GUID, a token or `1` would be, with no detail; the rest are HTTP statuses. The vendor
 * code is kept as uContact sent it (`0`, `HTTP 401` …).
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import { vendorErrorTable } from '../kit/vendor-errors.ts';

export const UCONTACT_ERRORS = vendorErrorTable('uContact', {
  0: { message: 'uContact refused the request (answer 0).' },
  'login 0': { message: 'uContact refused the agent name or password (answer 0).', code: ErrorCode.Unauthorized },
  'token 0': { message: 'uContact refused the API user or password: no session (answer 0).', code: ErrorCode.Unauthorized, severity: 'critical' },
  'HTTP 401': { message: 'uContact refused the session token (HTTP 401).', code: ErrorCode.Unauthorized, severity: 'critical' },
  'HTTP 403': { message: 'uContact does not allow this request (HTTP 403).', code: ErrorCode.Unauthorized },
  'HTTP 404': { message: 'uContact has no such method (HTTP 404): check the endpoint.' },
  'HTTP 400': { message: 'uContact refused the request as malformed (HTTP 400).' },
});

/** What each operation's `0` means, said for the agent. */
const ZERO: Partial<Record<Operation, string>> = {
  dial: 'uContact could not make the call (answer 0).',
  hangup: 'uContact could not hang up the call (answer 0).',
  wrapUp: 'uContact did not accept the disposition (answer 0).',
  createCallback: 'uContact did not schedule the callback (answer 0).',
  logout: 'uContact could not log the agent off (answer 0).',
  ready: 'uContact could not make the agent available (answer 0).',
  notReady: 'uContact could not pause the agent (answer 0).',
};

/**
 * The error for a `0` answer to `operation`; `what` names a step of it that uContact refused
 * (e.g. "tag the call's recording") when that is not the operation's own request.
 */
export function zeroAnswer(operation: Operation, detail?: string, what?: string): CtiError {
  const base = UCONTACT_ERRORS.toError('0', { operation });
  const message = what ? `uContact could not ${what} (answer 0).` : (ZERO[operation] ?? base.message);
  return new CtiError({ ...base.toJSON(), message: detail ? `${message} ${detail}` : message });
}

/** An HTTP error status from the REST API. */
export function httpStatusError(status: number, operation?: Operation): CtiError {
  return UCONTACT_ERRORS.toError(`HTTP ${status}`, operation ? { operation } : {});
}

/** The portal answered with something that is not the reply the action expects. */
export function proxyRefusal(operation: Operation): CtiError {
  return new CtiError({ code: ErrorCode.Protocol, operation, message: 'The uContact portal answered with something this bar does not understand.' });
}

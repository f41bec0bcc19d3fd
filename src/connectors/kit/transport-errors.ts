/**
 * Transport failures in the session's vocabulary, for every connector: a `TransportError` becomes
 * a `CtiError` whose message says what the agent can expect (a dropped connection may or may not
 * have carried the command), a `CtiError` passes through with its vendor code, anything else is a
 * PROTOCOL error.
 */
import { CtiError, ErrorCode, type CtiErrorInit } from '../../core/errors.ts';
import { TransportError, TransportErrorCode } from '../../transports/errors.ts';

/** Transport failures in the session's vocabulary; the message says what the agent can expect. */
export function toCtiError(error: unknown, context: Partial<CtiErrorInit> = {}): CtiError {
  if (error instanceof CtiError) return error;
  if (error instanceof TransportError) {
    switch (error.code) {
      case TransportErrorCode.NotConnected:
        return new CtiError({ ...context, code: ErrorCode.NotConnected, message: error.message });
      case TransportErrorCode.ConnectionLost:
        return new CtiError({
          ...context,
          code: ErrorCode.NotConnected,
          message: 'The connection dropped before the server answered; check the call state before trying again.',
        });
      case TransportErrorCode.Timeout:
        return new CtiError({ ...context, code: ErrorCode.Timeout, message: 'The server did not answer in time; check the call state before trying again.' });
      case TransportErrorCode.Destroyed:
        return new CtiError({ ...context, code: ErrorCode.Destroyed, message: 'The connection was closed.' });
      case TransportErrorCode.Unauthorized:
        return new CtiError({ ...context, code: ErrorCode.Unauthorized, message: error.message, severity: 'critical' });
      default:
        return new CtiError({ ...context, code: ErrorCode.Protocol, message: error.message });
    }
  }
  return CtiError.from(error, context);
}

import type { Operation } from './operations.ts';

/** How loudly the UI reports an error (POM's POMErrorInfo.errorType, lower-cased). */
export type Severity = 'info' | 'minor' | 'major' | 'critical';

/**
 * Canonical error codes. Vendor codes are kept separately in `vendorCode` so that a support
 * engineer can look them up in the vendor's table.
 */
export const ErrorCode = {
  /** The backend refused the command (any vendor error code). */
  Rejected: 'REJECTED',
  /** No response within the command timeout. */
  Timeout: 'TIMEOUT',
  /** The connection to the backend is down; the command was not sent. */
  NotConnected: 'NOT_CONNECTED',
  /** Arguments failed validation before anything was sent (bad number, unknown reason …). */
  InvalidArgument: 'INVALID_ARGUMENT',
  /** The capability for the operation is false in the current state. */
  NotAllowed: 'NOT_ALLOWED',
  /** The connector has no such operation. */
  Unsupported: 'UNSUPPORTED',
  /** The same operation is already in flight; nothing was sent. */
  InFlight: 'IN_FLIGHT',
  /** The session or transport was destroyed while the command was pending. */
  Destroyed: 'DESTROYED',
  /** Authentication failed (bad, expired or forged token; wrong password). */
  Unauthorized: 'UNAUTHORIZED',
  /** A message from the backend could not be understood. */
  Protocol: 'PROTOCOL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface CtiErrorInit {
  code: ErrorCode;
  message: string;
  severity?: Severity;
  operation?: Operation;
  /** The backend's own code, kept verbatim (e.g. POM `101`, Noojee `-3`). */
  vendorCode?: string | number;
  /** Correlation id of the command that failed. */
  commandId?: string;
}

/** The one error type that crosses layers. Serialisable through `toJSON()`. */
export class CtiError extends Error {
  readonly code: ErrorCode;
  readonly severity: Severity;
  readonly operation?: Operation;
  readonly vendorCode?: string | number;
  readonly commandId?: string;

  constructor(init: CtiErrorInit) {
    super(init.message);
    this.name = 'CtiError';
    this.code = init.code;
    this.severity = init.severity ?? 'major';
    this.operation = init.operation;
    this.vendorCode = init.vendorCode;
    this.commandId = init.commandId;
  }

  toJSON(): CtiErrorInit {
    return {
      code: this.code,
      message: this.message,
      severity: this.severity,
      operation: this.operation,
      vendorCode: this.vendorCode,
      commandId: this.commandId,
    };
  }

  static from(value: unknown, fallback: Partial<CtiErrorInit> = {}): CtiError {
    if (value instanceof CtiError) return value;
    if (value && typeof value === 'object' && 'code' in value && 'message' in value) {
      const init = value as CtiErrorInit;
      // Named, not only spread: an Error's `message` is not enumerable (e.g. a CtiError thrown by
      // the copy of this module inside a lazy chunk, where `instanceof` above is false).
      return new CtiError({ ...fallback, ...init, message: init.message });
    }
    const message = value instanceof Error ? value.message : String(value);
    return new CtiError({ code: ErrorCode.Protocol, message, ...fallback });
  }
}

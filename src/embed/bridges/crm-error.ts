/**
 * A failure reported by a CRM's API, readable for the agent, with the CRM's own code kept
 * (`INVALID_PARAM`, `GENERIC_ERROR`, a CIF error name …) for support.
 */
export class CrmError extends Error {
  override readonly name = 'CrmError';
  /** The CRM's error code (absent when the CRM gave none). */
  readonly code: string | undefined;
  /** The CRM API method that failed. */
  readonly method: string;

  constructor(method: string, description: string, code?: string) {
    super(`${method} failed: ${description}${code ? ` (${code})` : ''}`);
    this.method = method;
    this.code = code;
  }
}

/** Any thrown value or rejection reason as one line of text (CRM libraries reject with strings and objects alike). */
export function describeFailure(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

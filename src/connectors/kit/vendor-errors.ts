/**
 * A vendor's error table, declared once: vendor code → readable text + canonical code (+
 * severity). `toError()` builds the `CtiError` with the vendor's code kept verbatim, so support can
 * look it up in the vendor's document; an unknown code still gives a readable message.
 */
import { CtiError, ErrorCode, type CtiErrorInit, type Severity } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';

export interface VendorErrorEntry {
  /** What the agent reads (the vendor's wording made readable, never the raw body). */
  message: string;
  /** Default REJECTED. */
  code?: ErrorCode;
  severity?: Severity;
}

export interface VendorErrorTable {
  /** The entry for a code, or undefined. */
  lookup(vendorCode: string | number): VendorErrorEntry | undefined;
  /** The error to throw or emit; `context` adds the operation and command id. */
  toError(vendorCode: string | number, context?: { operation?: Operation; commandId?: string; detail?: string }): CtiError;
}

/**
 * `vendor` names the backend in the message of an unknown code ("Noojee error -7.").
 * Codes are matched as strings, so `101` and `"101"` are the same entry.
 */
export function vendorErrorTable(vendor: string, entries: Record<string | number, VendorErrorEntry>): VendorErrorTable {
  const table = new Map(Object.entries(entries).map(([code, entry]) => [String(code), entry]));
  return {
    lookup: (vendorCode) => table.get(String(vendorCode)),
    toError(vendorCode, context = {}) {
      const entry = table.get(String(vendorCode));
      const init: CtiErrorInit = {
        code: entry?.code ?? ErrorCode.Rejected,
        message: entry ? entry.message : `${vendor} refused the request (error ${String(vendorCode).slice(0, 40)}).`,
        severity: entry?.severity ?? 'major',
        vendorCode,
      };
      if (context.detail) init.message = `${init.message} ${context.detail}`;
      if (context.operation) init.operation = context.operation;
      if (context.commandId) init.commandId = context.commandId;
      return new CtiError(init);
    },
  };
}

const MAX_VENDOR_TEXT = 160;

/**
 * The vendor's own words for a message: plain text (tags dropped, whitespace folded), at most 160
 * characters — never markup, never a whole body.
 */
export function vendorWords(text: unknown): string {
  if (typeof text !== 'string') return '';
  const flat = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_VENDOR_TEXT ? `${flat.slice(0, MAX_VENDOR_TEXT)}…` : flat;
}

/** `(Noojee code -4: No call on extension 100)`: the code always, the vendor's words when it sent some. */
export function vendorDetail(vendor: string, vendorCode: string | number, words: string): string {
  return words ? `(${vendor} code ${vendorCode}: ${words})` : `(${vendor} code ${vendorCode})`;
}


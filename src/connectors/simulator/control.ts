import type { Operation } from '../../core/operations.ts';
import type { CustomerField } from '../../core/model.ts';

export interface OfferCallInput {
  number: string;
  name?: string;
  /** Plain values become read-only text fields; full `CustomerField`s keep their type. */
  fields?: Record<string, string> | CustomerField[];
  campaign?: string;
}

export interface OfferPreviewInput {
  number: string;
  name?: string;
  fields?: Record<string, string> | CustomerField[];
  campaign?: string;
  /** Seconds before the desktop auto-dials; 0 = untimed (callbacks: dial at once). */
  timeoutSec?: number;
  isCallback?: boolean;
  numbers?: string[];
}

/**
 * Drives the simulator from outside, like the contact centre and the customer would:
 * `bar.simulator` in the browser, the HTTP control API on the server.
 */
export interface SimulatorControl {
  offerCall(input: OfferCallInput): void;
  customerHangup(): void;
  offerPreview(input: OfferPreviewInput): void;
  answerConsult(): void;
  /** The next command of `operation` fails with the POM error `code` (e.g. 101). */
  failNext(operation: Operation, code: number): void;
  dropConnection(): void;
}

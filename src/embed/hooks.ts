/**
 * Host service hooks: async functions the host page gives the bar (RingCentral, Genesys and Five9
 * all have this shape). The bar calls them with a timeout and goes on without them when they are
 * slow or fail, so a slow CRM never blocks the agent.
 */
import type { Call, CallDirection } from '../core/model.ts';

/** One CRM record matching a caller's number. Rendered as text; `url` only if http(s). */
export interface ContactMatch {
  id: string;
  name: string;
  /** e.g. the account or company, shown under the name. */
  detail?: string;
  /** The record's page in the CRM (http or https). */
  url?: string;
}

/** What `logCall` receives after the agent wraps up a call. */
export interface CallRecord {
  callId: string;
  direction: CallDirection;
  number: string;
  name?: string;
  /** Epoch ms. */
  startedAt: number;
  /** Seconds from the offer to the hang-up. */
  durationSec: number;
  /** Seconds connected to the customer (0 when the call never connected). */
  talkSec: number;
  disposition?: { code: string; label?: string };
  notes: string[];
  recorded: boolean;
  /** The contact the agent picked for this call, if any. */
  contact?: ContactMatch;
}

export interface HostHooks {
  /** CRM records for `number` (several → the agent picks one on the call card). */
  searchContacts?(number: string): ContactMatch[] | Promise<ContactMatch[]>;
  /** Open the CRM page for the call (and the contact the agent picked or the only match). */
  screenPop?(call: Call, match: ContactMatch | undefined): void | Promise<void>;
  /** Save the call in the CRM after wrap-up. */
  logCall?(record: CallRecord): void | Promise<void>;
}

export type HookName = keyof HostHooks;
export const HOOK_NAMES: readonly HookName[] = ['searchContacts', 'screenPop', 'logCall'];

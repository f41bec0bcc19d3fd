/**
 * The one CRM-neutral interface every CRM bridge implements (Salesforce Open CTI, Dynamics 365
 * CIF …). The bar talks only to this: `attach-bridge.ts` turns the session's calls into these
 * calls, so call state stays in the bar and a bridge only translates to its CRM's API.
 *
 * Every method answers with a promise that settles within the bridge's time limit; a CRM failure
 * rejects with a `CrmError` (the CRM's code kept) and never throws into the CRM's page.
 */
import type { Call } from '../../core/model.ts';
import type { CallRecord, ContactMatch } from '../hooks.ts';

/** A CRM record: a search hit, the record a number was clicked on, the record on screen. */
export interface CrmRecord extends ContactMatch {
  /** The CRM's object type: `Contact`, `Lead`, `Account` (Salesforce); `contact`, `account` (Dynamics). */
  type?: string;
}

/** A number the agent clicked in the CRM, with the record it was shown on. */
export interface ClickToDialRequest {
  number: string;
  record?: CrmRecord;
}

/** What the bar is doing, for the CRM's label or icon of the softphone. */
export type BarPhase = 'idle' | 'ringing' | 'talking' | 'wrapup';

/** The agent's answer to a CRM-side incoming-call notification. */
export type IncomingAnswer = 'accept' | 'reject' | 'timeout';

export interface HostBridge {
  /** The CRM's name for messages ("Salesforce", "Dynamics 365"). */
  readonly crm: string;
  /** Loads the CRM's library, waits until it is usable, enables click-to-dial. */
  init(): Promise<void>;
  /** Numbers clicked in the CRM (after `init`). Listeners stack. */
  onClickToDial(listener: (request: ClickToDialRequest) => void): void;
  /** The record the agent is looking at (`undefined`: none). */
  onNavigation(listener: (record: CrmRecord | undefined) => void): void;
  /**
   * Finds the records of the caller. With `pop` the CRM shows what it found by its own rules (one
   * record, a search page); without, it only searches (the host vetoed the pop).
   */
  searchAndPop(call: Call, options: { pop: boolean }): Promise<CrmRecord[]>;
  /** Opens one record (the agent picked it among several). */
  screenPop(call: Call, record: CrmRecord): Promise<void>;
  /** Saves the wrapped-up call as an activity regarding `regarding`; resolves the new record's id. */
  saveCallLog(record: CallRecord, regarding: CrmRecord | undefined): Promise<string | undefined>;
  setPanelVisible(visible: boolean): Promise<void>;
  setPanelSize(size: { width?: number; height?: number }): Promise<void>;
  setLabel(label: string, phase: BarPhase): Promise<void>;
  /** CRMs with a per-call workspace (CIF 2.0 sessions) open one for the call; others do nothing. */
  openCallSession?(call: Call): Promise<void>;
  /** A CRM-side incoming-call notification (CIF 2.0 `notifyEvent`); resolves the agent's answer. */
  notifyIncoming?(call: Call): Promise<IncomingAnswer>;
  /** Withdraws the notification of a call that stopped ringing. */
  cancelIncoming?(callId: string): void;
  /**
   * The CRM searches, pops and records calls by itself (Salesforce Voice): the bar runs no
   * contact search, pop or log of its own for it.
   */
  readonly ownsCallRecords?: boolean;
  /** Stops listening (CRMs without unregistering: listeners become no-ops); idempotent. */
  dispose(): void;
}

/** Options a page gives the bar for its CRM (`bar.crmOptions`); each bridge reads its own too. */
export interface CrmOptions {
  /** Loads a script by URL (injectable for tests and strict pages); default: a `<script>` element. */
  loadScript?: (url: string) => Promise<void>;
  /** The CRM library's URL, when it cannot be derived from the page's address. */
  scriptUrl?: string;
  /** Time limit of each call into the CRM, ms (default 10 000). */
  timeoutMs?: number;
  /** Softphone panel size set at start, px. */
  panel?: { width?: number; height?: number };
  [option: string]: unknown;
}

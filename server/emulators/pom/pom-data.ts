/**
 * The POM emulator's configuration data: agents (with their CC Elite passwords), zones, the
 * running job with its completion codes, the consult address book, callback campaigns and time
 * zones. Fictional people; numbers from Ofcom's drama ranges.
 */
import type { PomAttribute, PomCompletionCode, PomDestination, PomKeyValuePair } from '../../../src/connectors/pom/protocol.ts';

export interface DirectoryAgent {
  id: string;
  name: string;
  /** CC Elite password (AES/CM check). Empty is a valid, empty password. */
  password: string;
  zone: string;
  /**
   * A colleague played by the emulator: always logged on, Ready and nailed on the job, accepts a
   * consult at once, and finishes a call handed to it straight away. Lets one bar consult,
   * transfer and conference without a second browser.
   */
  virtual?: boolean;
}

export const AGENTS: readonly DirectoryAgent[] = [
  { id: '1001', name: 'Ada Byrne', password: '1234', zone: 'Default' },
  { id: '1002', name: 'Sam Patel', password: '1234', zone: 'Default', virtual: true },
  { id: '1003', name: 'Jo Okafor', password: '1234', zone: 'Default', virtual: true },
  { id: '1004', name: 'Kim Novak', password: '', zone: 'Default' },
  { id: '1005', name: 'Lee Chen', password: '1234', zone: 'Default' },
  { id: '1006', name: 'Ana Ruiz', password: '1234', zone: 'Default' },
];

/** Zones POM knows; `managed: false` has no agent manager (logon gets library error 9998). */
export const ZONES: readonly { name: string; managed: boolean }[] = [
  { name: 'Default', managed: true },
  { name: 'Zone2', managed: false },
];

export const JOB = { campaignName: 'Renewals', jobId: 'Renewals-1', skillset: 'Outbound Renewals' };

export const COMPLETION_CODES: readonly PomCompletionCode[] = [
  { code: 'SALE', name: 'Sale' },
  { code: 'NOT_INTERESTED', name: 'Not interested' },
  { code: 'CALL_BACK', name: 'Call back later' },
  { code: 'WRONG_NUMBER', name: 'Wrong number' },
];

/** A second job (control verb `job-start {campaign: "Winback"}`) with its own completion codes. */
export const WINBACK_JOB = { campaignName: 'Winback', jobId: 'Winback-1', skillset: 'Outbound Winback' };

export const WINBACK_CODES: readonly PomCompletionCode[] = [
  { code: 'WON_BACK', name: 'Won back' },
  { code: 'STAYS_AWAY', name: 'Stays with competitor' },
  { code: 'WRONG_NUMBER', name: 'Wrong number' },
];

/** The strategy's default completion code (WrapupData.defaultCompCode). */
export const DEFAULT_COMP_CODE = 'NO_OUTCOME';

export const ADDRESS_BOOK: readonly PomDestination[] = [
  { destinationType: 'External', id: 'billing', name: 'Billing desk', address: '+442079460123' },
  { destinationType: 'External', id: 'supervisor', name: 'Supervisor line', address: '+441632960999' },
];

export const CALLBACK_CAMPAIGNS: readonly { id: string; name: string }[] = [
  { id: 'Renewals', name: 'Renewals' },
  { id: 'Winback', name: 'Winback' },
];

export const TIMEZONES: readonly PomKeyValuePair[] = [
  { key: 'Europe/London', value: '(UTC+00:00) London' },
  { key: 'Europe/Paris', value: '(UTC+01:00) Paris' },
  { key: 'America/New_York', value: '(UTC-05:00) New York' },
  { key: 'UTC', value: '(UTC) Coordinated Universal Time' },
];

/**
 * The customer record a call carries when the control request gives no fields: the system
 * attributes plus custom ones, one of each attribute type. `Balance` must be a number (642).
 */
export function defaultAttributes(name: string | undefined, number: string): PomAttribute[] {
  const [first = 'Chris', ...rest] = (name ?? 'Chris Doe').split(' ');
  return [
    { name: 'Title', value: 'Mx', type: 'READ_ONLY' },
    { name: 'FirstName', value: first, type: 'READ_ONLY' },
    { name: 'LastName', value: rest.join(' ') || 'Doe', type: 'READ_ONLY' },
    { name: 'Phone', value: number, type: 'READ_ONLY' },
    { name: 'email', value: `${first.toLowerCase()}@example.com`, type: 'WRITE' },
    { name: 'Address', value: '1 High Street, Leeds', type: 'WRITE' },
    { name: 'Balance', value: '120.50', type: 'WRITE' },
    { name: 'AccountPIN', value: '4921', type: 'MASKED_WRITE' },
    { name: 'CRMRecord', value: 'https://crm.example.com/contacts/4711', type: 'SCREEN_POP' },
  ];
}

/** Attributes whose values POM validates as numbers (POM error 642 otherwise). */
export const NUMERIC_ATTRIBUTES = new Set(['Balance']);

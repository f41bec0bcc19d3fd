/** The simulator's built-in lists and records: plausible, fictional data (Ofcom drama numbers). */
import type { Destination, Disposition, Reason } from '../../core/model.ts';

export const DEFAULT_REASONS: Reason[] = [
  { code: 'BREAK', label: 'Break' },
  { code: 'LUNCH', label: 'Lunch' },
  { code: 'TRAINING', label: 'Training' },
  { code: 'MEETING', label: 'Meeting' },
];

/** One callback and one DNC disposition, plus the default code used by auto-wrap-up. */
export const DEFAULT_DISPOSITIONS: Disposition[] = [
  { code: 'SALE', label: 'Sale' },
  { code: 'NOT_INTERESTED', label: 'Not interested' },
  { code: 'CALL_BACK', label: 'Call back later', isCallback: true },
  { code: 'DO_NOT_CALL', label: 'Do not call', isDnc: true },
  { code: 'NO_OUTCOME', label: 'No outcome' },
];

export const DEFAULT_WRAPUP_CODE = 'NO_OUTCOME';

export const DEFAULT_DESTINATIONS: Destination[] = [
  { id: 'agent-1002', type: 'agent', label: 'Sam Patel (1002)' },
  { id: 'agent-1003', type: 'agent', label: 'Jo Okafor (1003)' },
  { id: 'ext-billing', type: 'external', label: 'Billing desk', number: '+442079460123' },
  { id: 'ext-supervisor', type: 'external', label: 'Supervisor line', number: '+441632960999' },
];

/** Records `nextRecord` presents as previews, in turn. */
export const PREVIEW_RECORDS = [
  { number: '+441632960001', name: 'Alex Morgan', campaign: 'Renewals' },
  { number: '+441632960002', name: 'Priya Shah', campaign: 'Renewals' },
  { number: '+441632960003', name: 'Tom Gallagher', campaign: 'Renewals' },
];

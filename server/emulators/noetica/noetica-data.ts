/**
 * The emulator's small contact centre (docs/connectors/noetica.md §9): users, break reasons, the
 * campaign's dispositions, one dialler list of records, and a directory that names numbers.
 */
import type { WireDisposition, WireReason } from '../../../src/connectors/noetica/wire.ts';

/** Users 1001–1009; each logs on with this password unless the emulator is told otherwise. */
export const USER_IDS = ['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009'];
export const DEFAULT_AGENT_PASSWORD = 'noetica-agent';
/** The always-valid API token (gateway configs and tests; short-lived ones come from `issue-token`). */
export const DEFAULT_API_TOKEN = 'noetica-emulator-token';

export const CAMPAIGN = 'Winter Renewals';
export const LIST = 'UK North';

export const BREAK_REASONS: WireReason[] = [
  { code: 'LUNCH', label: 'Lunch' },
  { code: 'COMFORT', label: 'Comfort break' },
  { code: 'TRAINING', label: 'Training' },
  { code: 'MEETING', label: 'Team meeting' },
];

export const DISPOSITIONS: WireDisposition[] = [
  { code: 'SALE', label: 'Sale' },
  { code: 'NOT_INTERESTED', label: 'Not interested' },
  { code: 'CALL_BACK', label: 'Call back later' },
  { code: 'WRONG_NUMBER', label: 'Wrong number' },
];

/** Set by the dialler itself when a call is transferred away (not offered to agents). */
export const TRANSFERRED = 'TRANSFERRED';

export interface ListRecord {
  recordId: string;
  name: string;
  phones: string[];
  fields: Record<string, string>;
}

export const RECORDS: ListRecord[] = [
  { recordId: 'R-5001', name: 'Alex Morgan', phones: ['+447911123456', '+441612345678'], fields: { Policy: 'HX-22817', Renewal: '2027-01-14', Tier: 'Gold' } },
  { recordId: 'R-5002', name: 'Priya Shah', phones: ['+447700900123'], fields: { Policy: 'HX-30391', Renewal: '2027-01-20', Tier: 'Silver' } },
  { recordId: 'R-5003', name: 'Tom O\'Neill', phones: ['+447700900456'], fields: { Policy: 'HX-41007', Renewal: '2027-02-02', Tier: 'Bronze' } },
  { recordId: 'R-5004', name: 'Grace Lee', phones: ['+447700900789'], fields: { Policy: 'HX-51220', Renewal: '2027-02-11', Tier: 'Gold' } },
];

export const DIRECTORY: Record<string, string> = {
  '+442079460018': 'Jordan Blake',
  '+442071230100': 'Sales desk',
  '+442071230200': 'Retentions team',
};

/**
 * The MaxContact emulator's seed data (docs/connectors/maxcontact.md §9): API credentials, users
 * (1001–1010 logged in to the web agent, 1011 not), result codes, campaigns, ACD queues and a few
 * leads with their phones. Tests and demos rely on these values.
 */
import type { ResultCode } from '../../../src/connectors/maxcontact/protocol.ts';

export const DEFAULT_API_LOGIN = 'api-user';
export const DEFAULT_API_PASSWORD = 'emulator-password';
/** A token that is always valid (besides those the token service issues). */
export const DEFAULT_TOKEN_KEY = 'emulator-token-key';

export interface UserSeed {
  id: number;
  name: string;
  loggedIn: boolean;
}

export function defaultUsers(): UserSeed[] {
  const names = ['Ava Patel', 'Ben Carter', 'Chloe Wright', 'Dan Hughes', 'Ella Green', 'Finn Walsh', 'Grace Hall', 'Harry King', 'Isla Ward', 'Jack Turner', 'Kate Moss'];
  return names.map((name, i) => ({ id: 1001 + i, name, loggedIn: i < 10 }));
}

function code(id: number, Code: string, Description: string, flags: Partial<ResultCode> = {}): ResultCode {
  return {
    Code,
    Description,
    IsAgentViewable: true,
    IsCallAgain: false,
    IsCallback: false,
    IsSuccess: false,
    IsSystemResultCode: false,
    IsTransfer: false,
    ResultCodeID: id,
    Sales: 0,
    StatusID: 1,
    SuccessType: 0,
    ...flags,
  };
}

export const RESULT_CODES: readonly ResultCode[] = [
  code(1, 'SALE', 'Sale', { IsSuccess: true, Sales: 1, SuccessType: 1 }),
  code(2, 'NOSALE', 'No sale'),
  code(3, 'CALLBACK', 'Call back', { IsCallback: true, IsCallAgain: true }),
  code(4, 'WRONGNUM', 'Wrong number'),
  code(5, 'XFER', 'Transferred', { IsTransfer: true }),
  code(6, 'SYS-ABANDON', 'Abandoned (system)', { IsAgentViewable: false, IsSystemResultCode: true }),
];

export const CAMPAIGNS = [
  { CampaignID: 11, CampaignName: 'Spring renewals', Active: true, AutoRecord: false, CallerID: '+442079460000' },
  { CampaignID: 12, CampaignName: 'Inbound support', Active: true, AutoRecord: false, CallerID: '+442079460001' },
] as const;

export const ACD_QUEUES = [
  { ID: 21, AcdName: 'Sales', Active: true },
  { ID: 22, AcdName: 'Support', Active: true },
] as const;

export interface Lead {
  id: number;
  name: string;
  phones: Array<{ id: number; number: string; type: string; typeId: number }>;
}

export function defaultLeads(): Lead[] {
  return [
    { id: 5001, name: 'Alex Morgan', phones: [{ id: 9001, number: '+447911123456', type: 'Mobile', typeId: 2 }, { id: 9002, number: '+442071234567', type: 'Home', typeId: 1 }] },
    { id: 5002, name: 'Sam Lee', phones: [{ id: 9003, number: '+447911654321', type: 'Mobile', typeId: 2 }] },
  ];
}

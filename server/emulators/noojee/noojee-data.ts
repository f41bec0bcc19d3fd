/**
 * The emulator's seed data: extensions with their technology and agent login, and one campaign
 * (template → campaign → allocation) with its dispositions and a few leads whose external ids are
 * CRM record ids. Tests and demos rely on these values (docs/connectors/noojee.md §8).
 */
import type { Technology } from '../../../src/connectors/noojee/protocol.ts';

export const DEFAULT_API_KEY = 'emulator-api-key';

export interface ExtensionSeed {
  tech: Technology;
  /** The Noojee Contact user attached to the extension (owner of its recordings by default). */
  login: string;
}

/** Extensions 100–119 on SIP, except 110–119 on PJSIP. */
export function defaultExtensions(): Map<string, ExtensionSeed> {
  const out = new Map<string, ExtensionSeed>();
  for (let n = 100; n < 120; n++) out.set(String(n), { tech: n >= 110 ? 'PJSIP' : 'SIP', login: `agent${n}` });
  return out;
}

export interface Template {
  id: number;
  name: string;
  dispositions: string[];
}

export const TEMPLATES: readonly Template[] = [
  { id: 1, name: 'Sales', dispositions: ['Sale', 'No sale', 'Call back', 'Wrong number'] },
  { id: 2, name: 'Support', dispositions: ['Resolved', 'Escalated'] },
];

export const CAMPAIGNS = [
  { id: 11, name: 'Spring renewals', templateId: 1 },
  { id: 21, name: 'Help desk', templateId: 2 },
] as const;

export const ALLOCATIONS = [
  { id: 111, name: 'Main list', campaignId: 11 },
  { id: 211, name: 'Queue', campaignId: 21 },
] as const;

export interface Lead {
  njExternalLeadId: string;
  templateId: number;
  campaignId: number;
  allocationId: number;
  phone: string;
  name: string;
  njDisposition: string;
}

export function defaultLeads(): Lead[] {
  return [
    { njExternalLeadId: 'ACC-1001', templateId: 1, campaignId: 11, allocationId: 111, phone: '0412345678', name: 'Alex Morgan', njDisposition: '' },
    { njExternalLeadId: 'ACC-1002', templateId: 1, campaignId: 11, allocationId: 111, phone: '0298765432', name: 'Sam Lee', njDisposition: '' },
    { njExternalLeadId: 'ACC-2001', templateId: 2, campaignId: 21, allocationId: 211, phone: '0387654321', name: 'Jo Park', njDisposition: '' },
  ];
}

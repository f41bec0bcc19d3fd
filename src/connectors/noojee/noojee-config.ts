/**
 * The connector's `config` for one agent, resolved: the extension's technology (`tech`, or the
 * per-agent `techs` map), the handset's auto-answer header (`autoAnswer` as is, or from the
 * `handset` make via Noojee's table, per agent through `handsets`), and the optional campaign.
 * The API key is read here and goes nowhere but the request URL.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { AUTO_ANSWER, EXTENSION, TECHNOLOGIES, type Technology } from './protocol.ts';
import type { CampaignIds } from './noojee-requests.ts';

export interface NoojeeConfig {
  /** Global API key (secret; gateway only). */
  apiKey: string;
  /** Default technology of the agents' extensions (default SIP). */
  tech?: string;
  /** Per-agent technology: `{"101": "PJSIP"}`. */
  techs?: Record<string, unknown>;
  /** Handset make for the auto-answer header (Aastra, Grandstream, Linksys, Polycom, Snom, Yealink). */
  handset?: string;
  /** Per-agent handset make. */
  handsets?: Record<string, unknown>;
  /** An auto-answer header given as is (wins over `handset`). */
  autoAnswer?: string;
  callerId?: string;
  phoneCaption?: string;
  agentLoginName?: string;
  recordOnDial?: boolean;
  /** `{templateId, campaignId, allocationId}`: dispositions and lead updates for CRM-record calls. */
  campaign?: Record<string, unknown>;
  /** Seconds Noojee may hold a subscribe (default 25, at most 60). */
  pollTimeoutS?: number;
  commandTimeoutMs?: number;
  backoff?: Record<string, unknown>;
}

/** The rules the option types cannot say; a readable problem or undefined (for `checkConfig`). */
export function checkNoojeeConfig(config: NoojeeConfig): string | undefined {
  for (const [agent, tech] of Object.entries(config.techs ?? {})) {
    if (!EXTENSION.test(agent) || !(TECHNOLOGIES as readonly string[]).includes(String(tech))) return `"techs" maps extension numbers to one of ${TECHNOLOGIES.join(', ')}`;
  }
  for (const [agent, handset] of Object.entries(config.handsets ?? {})) {
    if (!EXTENSION.test(agent) || !AUTO_ANSWER[String(handset)]) return `"handsets" maps extension numbers to one of ${Object.keys(AUTO_ANSWER).join(', ')}`;
  }
  if (config.campaign !== undefined) {
    const c = config.campaign;
    const ids = ['templateId', 'campaignId', 'allocationId'];
    if (!ids.every((k) => Number.isSafeInteger(c[k]) && (c[k] as number) > 0)) return '"campaign" needs templateId, campaignId and allocationId (positive whole numbers)';
  }
  return undefined;
}

export interface ResolvedAgent {
  extension: string;
  tech: Technology;
  answerString?: string;
  campaign?: CampaignIds;
}

function bad(message: string): CtiError {
  return new CtiError({ code: ErrorCode.InvalidArgument, message: `Noojee connector: ${message}` });
}

export function resolveAgent(agentId: string, config: NoojeeConfig): ResolvedAgent {
  if (!EXTENSION.test(agentId)) throw bad(`the agent id is the Noojee extension number (digits), not "${agentId.slice(0, 20)}".`);
  const tech = String(config.techs?.[agentId] ?? config.tech ?? 'SIP');
  if (!(TECHNOLOGIES as readonly string[]).includes(tech)) throw bad(`technology "${tech.slice(0, 10)}" is not one of ${TECHNOLOGIES.join(', ')}.`);
  const out: ResolvedAgent = { extension: agentId, tech: tech as Technology };
  const handset = config.handsets?.[agentId] ?? config.handset;
  if (config.autoAnswer !== undefined) out.answerString = config.autoAnswer;
  else if (handset !== undefined) {
    const header = AUTO_ANSWER[String(handset)];
    if (!header) throw bad(`handset "${String(handset).slice(0, 20)}" is not in Noojee's table (${Object.keys(AUTO_ANSWER).join(', ')}); give its header as "autoAnswer".`);
    out.answerString = header;
  }
  if (config.campaign !== undefined) {
    const ids = ['templateId', 'campaignId', 'allocationId'] as const;
    const c = config.campaign;
    if (!ids.every((k) => Number.isSafeInteger(c[k]) && (c[k] as number) > 0)) throw bad('"campaign" needs templateId, campaignId and allocationId (positive whole numbers).');
    out.campaign = { templateId: c.templateId as number, campaignId: c.campaignId as number, allocationId: c.allocationId as number };
  }
  return out;
}

/**
 * The `ucontact` connector's options and the rules between them (docs/connectors/ucontact.md §1):
 * which integration a bar uses (the portal's window proxy in one of its two flavours, or the
 * Integra REST API), the dispositions and break reasons uContact does not list through its API,
 * and what each mode needs.
 */
import type { Disposition, Reason } from '../../core/model.ts';
import type { DialAction, ProxyFlavour } from './protocol.ts';
import type { UcontactMode } from './config-rules.ts';

export type { UcontactMode };

/**
 * A disposition as configured in uContact, under its code in `config.dispositions` (an object, so
 * that the kit's schema can check it; its keys keep their order): its levels, and what picking it means.
 */
export interface UcontactDispositionOption {
  label: string;
  /** Level 1..3 (`l1`, `l2`, `l3`); default: `l1` = the code. */
  levels?: string[];
  isCallback?: boolean;
  isDnc?: boolean;
  /**
   * Tags the call's recording when this disposition is sent ("Tag Record"): REST DispositionCall's
   * `tag`; Porthole, the `tagRecord` action before the disposition.
   */
  tag?: string;
}

/** A not-ready reason under its code in `config.reasons`: a uContact break (`motive`) or a plain pause. */
export interface UcontactReasonOption {
  label: string;
  /** true: `api/AgentBreak` with the code as the motive; false: `api/AgentPause` with the label as the message. */
  break?: boolean;
}

export interface UcontactReason extends Reason {
  break?: boolean;
}

export interface UcontactConfig {
  mode?: UcontactMode;
  campaign?: string;
  callerid?: string;
  agent?: string;
  dialAction?: DialAction;
  uphoneFrame?: () => unknown;
  screenPopUrl?: string;
  dispositions?: Record<string, UcontactDispositionOption>;
  reasons?: Record<string, UcontactReasonOption>;
  rescheduleCampaign?: string;
  /** Porthole: after a disposition is accepted, ask the portal to close the call's form (`closeForm`). */
  closeForm?: boolean;
  commandTimeoutMs?: number;
  // REST
  user?: string;
  password?: string;
  agentPassword?: string;
  phone?: string;
  tech?: string;
  context?: string;
}

export const DEFAULT_REASONS: readonly UcontactReason[] = [
  { code: 'pause', label: 'Pause', break: false },
  { code: 'Break', label: 'Break', break: true },
  { code: 'Lunch', label: 'Lunch', break: true },
];

/**
 * The mode: `config.mode`, else REST when SuperUser credentials are configured, else a proxy
 * flavour from where the page is: inside a frame → the legacy portal frames the CRM (Porthole);
 * not framed → the CRM page frames uPhone.
 */
export function resolveMode(config: UcontactConfig, runtime: { framed: boolean | undefined }): UcontactMode {
  if (config.mode) return config.mode;
  if (config.user !== undefined || config.password !== undefined) return 'rest';
  if (runtime.framed === undefined) return 'rest';
  return runtime.framed ? 'porthole' : 'uphone';
}

/** Whether this page runs inside a frame (undefined outside a browser: the gateway). */
export function runtimeFramed(): boolean | undefined {
  const g = globalThis as unknown as { window?: unknown; parent?: unknown };
  if (g.window === undefined) return undefined;
  try {
    return g.parent !== undefined && g.parent !== g.window;
  } catch {
    return true;
  }
}

const LEVEL_TEXT = /^[^\u0000-\u001f]{1,80}$/;

/**
 * The checks of the lists and templates, run when the connector's code is here (module.ts): kept
 * out of the declaration so that the main bundle stays small.
 */
export function checkUcontactLists(config: UcontactConfig): string | undefined {
  if (config.screenPopUrl !== undefined && !/^https?:\/\//i.test(config.screenPopUrl)) return 'screenPopUrl must be an http(s) URL template.';
  for (const [code, d] of Object.entries(config.dispositions ?? {})) {
    if (!LEVEL_TEXT.test(code) || !d || typeof d !== 'object' || typeof d.label !== 'string' || d.label === '') return `disposition "${code.slice(0, 40)}" needs a label.`;
    if (d.levels !== undefined && (!Array.isArray(d.levels) || d.levels.length < 1 || d.levels.length > 3 || !d.levels.every((l) => typeof l === 'string' && LEVEL_TEXT.test(l)))) {
      return `disposition "${code}": levels must be 1 to 3 texts (l1, l2, l3).`;
    }
    if (d.tag !== undefined && (typeof d.tag !== 'string' || !LEVEL_TEXT.test(d.tag))) return `disposition "${code}": tag must be a text of 1 to 80 characters.`;
  }
  for (const [code, r] of Object.entries(config.reasons ?? {})) {
    if (!LEVEL_TEXT.test(code) || !r || typeof r !== 'object' || typeof r.label !== 'string' || r.label === '') return `reason "${code.slice(0, 40)}" needs a label.`;
  }
  return undefined;
}

/** The canonical disposition list the bar shows. */
export function dispositionList(config: UcontactConfig): Disposition[] {
  return Object.entries(config.dispositions ?? {}).map(([code, d]) => {
    const out: Disposition = { code, label: d.label };
    if (d.isCallback) out.isCallback = true;
    if (d.isDnc) out.isDnc = true;
    return out;
  });
}

/** The not-ready reasons (the configured ones, else Pause, Break and Lunch). */
export function reasonList(config: UcontactConfig): UcontactReason[] {
  if (!config.reasons) return [...DEFAULT_REASONS];
  return Object.entries(config.reasons).map(([code, r]) => ({ code, label: r.label, break: r.break === true }));
}

/** Whether the bar has dispositions to offer (a finished call then waits in wrap-up). */
export function hasDispositions(config: UcontactConfig): boolean {
  return Object.keys(config.dispositions ?? {}).length > 0;
}

/** The recording tag a disposition code carries, if configured. */
export function tagOf(config: UcontactConfig, code: string): string | undefined {
  return config.dispositions?.[code]?.tag;
}

/** l1/l2/l3 of a disposition code (an unknown code is sent as l1 alone). */
export function levelsOf(config: UcontactConfig, code: string): { l1: string; l2?: string; l3?: string } {
  const levels = config.dispositions?.[code]?.levels ?? [code];
  const out: { l1: string; l2?: string; l3?: string } = { l1: levels[0]! };
  if (levels[1]) out.l2 = levels[1];
  if (levels[2]) out.l3 = levels[2];
  return out;
}

export type { ProxyFlavour };

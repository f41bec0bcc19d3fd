/**
 * The CRM bridges the bar knows, each a lazy module of its own (scripts/lazy-builds.mjs), and how
 * a bar finds which CRM it is inside when the page does not say (`crm` attribute absent): the
 * CRM's library already on the page, or the query parameter the CRM adds to the softphone's URL
 * (Open CTI's `sfdcIframeOrigin`, CIF's `ucilib`).
 */
import type { StartBridge } from './attach-bridge.ts';

export const CRM_MODULES: Record<string, () => Promise<{ start: StartBridge }>> = {
  salesforce: () => import('./salesforce/module.ts'),
  dynamics: () => import('./dynamics/module.ts'),
  'salesforce-voice': () => import('./salesforce-voice/module.ts'),
};

export function detectCrm(): string | undefined {
  const g = globalThis as { sforce?: { opencti?: unknown }; Microsoft?: { CIFramework?: unknown } };
  const query = globalThis.location?.search ?? '';
  if (g.sforce?.opencti || /[?&]sfdcIframeOrigin=/.test(query)) return 'salesforce';
  if (g.Microsoft?.CIFramework || /[?&]ucilib=/.test(query)) return 'dynamics';
  return undefined;
}

// The lazy modules next to dist/agent-bar.js: phone validation, ringing-call alerts, the recent-calls list, the lazy elements (transfer dialog, preview card, wrap-up form, customer card, contact matches), the host hooks' runner, one per connector folder that
// has a module.ts (src/connectors/<name>/module.ts → dist/agent-bar-<name>.js) and one per CRM bridge
// (src/embed/bridges/<crm>/module.ts → dist/agent-bar-crm-<crm>.js). Shared by
// vite.config.ts, scripts/build-bundle.mjs and the bench.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);

/**
 * The connectors whose declarations are in dist/agent-bar.js itself (registered by
 * src/connectors/registry.ts, left out of the vendor glob in src/index.ts): the default backend and
 * our own server and gateway. test/server/connector-kit.test.ts keeps the three lists in step.
 */
export const BUILT_IN_CONNECTORS = ['simulator', 'server', 'gateway'];

/** @returns {Record<string, { entry: string; file: string; single?: boolean; kit?: boolean }>} build mode → entry, output file, whether dynamic imports are inlined, and whether it is an element built on the main bundle's kit */
export function lazyBuilds() {
  const builds = {
    phone: { entry: 'src/core/phone-number.ts', file: 'agent-bar-phone.js' },
    // Ringing-call alerts (ring tone, notification, flashing title): fetched when the agent logs in.
    alerts: { entry: 'components/alerts/call-alerts.ts', file: 'agent-bar-alerts.js' },
    // The host service hooks' runner, loaded only by a bar given hooks (docs/embedding.md).
    hooks: { entry: 'src/embed/hook-runner.ts', file: 'agent-bar-hooks.js' },
    // One backend connection shared by the tabs (docs/embedding.md), loaded by a bar on a network backend.
    tabs: { entry: 'src/embed/tab-share.ts', file: 'agent-bar-tabs.js' },
    // The recent-calls list (built on the main bundle's Lit, handed over), loaded with the session.
    recent: { entry: 'components/recent-calls/recent-calls.ts', file: 'agent-bar-recent.js' },
    // The diagnostic log (bar.downloadLog()), started with every session.
    log: { entry: 'src/core/diagnostic-log.ts', file: 'agent-bar-log.js' },
    // Elements few sessions need at once, loaded when the bar's state first calls for them
    // (components/lazy/load-element.ts). `kit`: built on the main bundle's Lit, element base and
    // styles (components/lazy/element-kit.ts, the `elementKit` plugin of vite.config.ts).
    transfer: { entry: 'components/transfer-dialog/transfer-dialog.ts', file: 'agent-bar-transfer.js', kit: true },
    preview: { entry: 'components/preview-card/preview-card.ts', file: 'agent-bar-preview.js', kit: true },
    wrapup: { entry: 'components/disposition-picker/disposition-picker.ts', file: 'agent-bar-wrapup.js', kit: true },
    customer: { entry: 'components/customer-card/customer-card.ts', file: 'agent-bar-customer.js', kit: true },
    contacts: { entry: 'components/contact-matches/contact-matches.ts', file: 'agent-bar-contacts.js', kit: true },
    // The bar's phone next to a contact-centre connector, and the phone's quality indicator (with JsSIP).
    softphone: { entry: 'components/phone-panel/phone-panel.ts', file: 'agent-bar-softphone.js', kit: true, single: true },
  };
  addModules(builds, 'src/connectors/', 'connector-', (name) => `agent-bar-${name}.js`);
  // A vendor connector's module is its declaration with the code behind it (src/index.ts knows a
  // vendor by name only), built as one file: the declaration's import() of module.ts is inlined.
  for (const [mode, build] of Object.entries(builds)) {
    const name = mode.startsWith('connector-') ? mode.slice('connector-'.length) : undefined;
    if (!name || BUILT_IN_CONNECTORS.includes(name)) continue;
    const declaration = `src/connectors/${name}/declaration.ts`;
    if (existsSync(fileURLToPath(new URL(declaration, root)))) Object.assign(build, { entry: declaration, single: true });
  }
  addModules(builds, 'src/embed/bridges/', 'crm-', (name) => `agent-bar-crm-${name}.js`);
  return builds;
}

/** One build per sub-folder of `folder` that has a module.ts. */
function addModules(builds, folder, modePrefix, fileName) {
  const dir = fileURLToPath(new URL(folder, root));
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(`${dir}${entry.name}/module.ts`)) {
      builds[`${modePrefix}${entry.name}`] = { entry: `${folder}${entry.name}/module.ts`, file: fileName(entry.name) };
    }
  }
}

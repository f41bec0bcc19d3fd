import { defineConfig, parseAst } from 'vite';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { lazyBuilds } from './scripts/lazy-builds.mjs';

// `npm start` serves index.html (the demo). `npm run build` (scripts/build-bundle.mjs) runs one
// library build per output, each one self-contained ES module (Lit bundled, no shared chunks —
// rolldown would otherwise split modules the entry already holds into a chunk the entry must
// import):
//   dist/agent-bar.js            every element, the session, the built-in connectors' declarations
//                                and the vendor connectors' names (the budget: ≤ 30 KB gzipped);
//   dist/agent-bar-phone.js      phone-number validation (libphonenumber-js), loaded in the background;
//   dist/agent-bar-<name>.js     one per connector (src/connectors/<name>/module.ts, listed by
//                                scripts/lazy-builds.mjs): its code with its transports, loaded only
//                                by a bar configured for it; a vendor's starts at its declaration.ts;
//   dist/agent-bar-alerts.js     ringing-call alerts (Web Audio ring tone, notification, title),
//                                loaded when the agent logs in;
//   dist/agent-bar-recent.js     the <recent-calls> list, built on the main bundle's Lit (handed over).
//   dist/agent-bar-{transfer,preview,wrapup,customer,contacts}.js  the elements few sessions need at
//                                once, loaded when first needed, built on the main bundle's kit (elementKit).
// The main bundle imports the others lazily, by a path relative to itself.
// Embedding (docs/embedding.md) adds three more builds:
//   --mode iife   dist/agent-bar.iife.js: everything in one classic script (global AgentBar);
//   --mode host   dist/agent-bar-host.js (ESM) and dist/agent-bar-host.iife.js (global AgentBarHost):
//                 the host SDK a CRM page loads to put the bar in an iframe (budget 3 KB gzipped);
//   --mode frame  dist/frame.html, dist/agent-bar-frame.css and dist/agent-bar-frame.js (the bar's
//                 side of the iframe channel; frame.html loads it next to agent-bar.js).
//   --mode core   dist/agent-bar-core.js: the DOM-free core (session, model, errors) for `agent-bar/core`.
// `npm run build:types` writes the packages' .d.ts files into dist/types/ (tsconfig.types.json).
// `--mode demo` builds the demo page itself into dist/demo/ (see below).
const LAZY = lazyBuilds();
const lazyById = new Map(Object.values(LAZY).map((l) => [fileURLToPath(new URL(l.entry, import.meta.url)), `./${l.file}`]));

/** Copies a source file into the build output under another name. */
const copyAsset = (from: string, fileName: string) => ({
  name: `copy-${fileName}`,
  generateBundle(this: { emitFile(f: { type: 'asset'; fileName: string; source: string }): void }) {
    this.emitFile({ type: 'asset', fileName, source: readFileSync(fileURLToPath(new URL(from, import.meta.url)), 'utf8') });
  },
});

/**
 * Connector titles, option descriptions and defaults are documentation (docs/connectors/README.md is
 * generated from the sources): a built bundle drops them so every declaration costs the main
 * bundle only its names, types and limits, which is what keeps dist/agent-bar.js within its 30 KB
 * budget.
 */
const dropOptionDescriptions = {
  name: 'drop-option-descriptions',
  apply: 'build' as const,
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    if (!/[\\/]src[\\/]connectors[\\/][^\\/]+[\\/]declaration\.ts$/.test(id)) return null;
    // An option's `description` and `default` are for the generated docs only (config-schema.ts).
    const docsOnly = /\b(?:description:\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|default:\s*(?:'[^'\\]*'|[\w.]+))\s*,?/g;
    // The connector's `title` is the docs' heading line; the definition keeps an empty one.
    const title = /\btitle:\s*'(?:[^'\\]|\\.)*'/g;
    return { code: code.replace(docsOnly, '').replace(title, "title: ''"), map: null };
  },
};

/**
 * A lazy element module (`kit: true` in scripts/lazy-builds.mjs) is built on the main bundle's Lit,
 * element base, clock, directive, styles and `msg`/`str` of @lit/localize (so the locale the bar
 * set, and the Spanish table it loaded, are the ones the lazy element reads), handed over at run time (components/lazy/element-kit.ts):
 * its imports of these resolve to one virtual module that reads the kit the main bundle provided.
 * Any other Lit import would bundle a second Lit, so it fails the build instead.
 */
const KIT_ID = '\0agent-bar-element-kit';
const KIT_SOURCES = new Set(
  ['components/cti-element.ts', 'components/directives/radio-group-name.ts', 'components/directives/clock-text.ts', 'components/define.ts', 'components/locale/duration.ts', 'components/locale/localization.ts', 'styles/tokens.ts'].map(
    (f) => fileURLToPath(new URL(f, import.meta.url)),
  ),
);
const elementKit = {
  name: 'element-kit',
  enforce: 'pre' as const,
  resolveId(source: string, importer?: string) {
    if (source === 'lit' || source === 'lit/decorators.js' || source === '@lit/localize') return KIT_ID;
    // The locale runtime (components/locale/locale-runtime.ts) carries @lit/localize's
    // configureLocalization, which installs translations into the main bundle's `msg`: its import
    // of the install hook is the kit's.
    if (source === '@lit/localize/init/runtime.js') return null;
    if (source === './install.js' && importer && /[\\/]@lit[\\/]localize[\\/]init[\\/]runtime\.js$/.test(importer)) return KIT_ID;
    if (/^(lit|@lit|lit-html|lit-element|@lit-labs)(\/|$)/.test(source)) {
      throw new Error(`${importer}: a lazy element may import only 'lit', 'lit/decorators.js' and '@lit/localize' (the main bundle's kit), not '${source}'`);
    }
    if (importer && source.startsWith('.')) {
      const file = fileURLToPath(new URL(source, pathToFileURL(importer)));
      if (KIT_SOURCES.has(file)) return KIT_ID;
    }
    return null;
  },
  load(id: string) {
    if (id !== KIT_ID) return null;
    return `const kit = globalThis[Symbol.for('agent-bar.element-kit')];
if (!kit) throw new Error('agent-bar: load this module through dist/agent-bar.js (loadElement), not on its own');
export const { html, css, nothing, property, state, msg, str, _installMsgImplementation, formatDuration, errorText, CtiElement, radioGroupName, clockText, defineElement, controls, elementStyles, tokens } = kit;`;
  },
};

/**
 * The elements' style sheets (css`…` without interpolations) lose their comments and layout
 * whitespace in a build: Lit keeps template text as written, and the indentation alone cost the
 * main bundle several hundred gzipped bytes. Only runs of whitespace, whitespace next to
 * `{ } ; , >` and after `:` go (no selector of ours has a descendant ` :pseudo`), so selectors,
 * quoted font names and values read the same.
 */
const compactCss = {
  name: 'compact-css',
  apply: 'build' as const,
  transform(code: string, id: string) {
    if (!/[\\/](components|styles)[\\/].*\.ts$/.test(id) || !code.includes('css`')) return null;
    return {
      code: code.replace(/\bcss`([^`$\\]*)`/g, (_m, text: string) =>
        'css`' + text.replace(/\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//g, '').replace(/\s+/g, ' ').replace(/ ?([{};,>]) ?/g, '$1').replace(/: /g, ':').trim() + '`',
      ),
      map: null,
    };
  },
};

/**
 * The elements' html`…` templates lose their layout whitespace in a build: each run of spaces and
 * line breaks in a template's static text becomes one space, which renders the same (none of our
 * templates has <pre>, or text in a <textarea>) and gives the localised templates, split into more
 * parts by `msg()`, room in the main bundle's budget. Only text between the template's
 * expressions changes, found in the parsed module (never by pattern across `${…}`).
 */
const compactHtml = {
  name: 'compact-html',
  apply: 'build' as const,
  enforce: 'post' as const,
  transform(code: string, id: string) {
    if (!/[\\/]components[\\/].*\.ts$/.test(id) || !code.includes('html`')) return null;
    const spans: { start: number; end: number }[] = [];
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      const n = node as { type?: string; tag?: { type: string; name?: string }; quasi?: { quasis: { start: number; end: number }[] } };
      if (n.type === 'TaggedTemplateExpression' && n.tag?.type === 'Identifier' && n.tag.name === 'html') spans.push(...n.quasi!.quasis);
      for (const value of Object.values(n)) if (value && typeof value === 'object') visit(value);
    };
    visit(parseAst(code));
    let out = code;
    for (const { start, end } of spans.sort((a, b) => b.start - a.start)) {
      out = out.slice(0, start) + out.slice(start, end).replace(/\s+/g, ' ') + out.slice(end);
    }
    return { code: out, map: null };
  },
};

export default defineConfig(({ mode }) => {
  // `vite build --mode demo` (used by `npm run bench`): the demo page itself, production-built into
  // dist/demo/, so the benchmark clicks through the real demo UI without Lit's dev mode.
  if (mode === 'demo') {
    return { base: './', build: { target: 'es2022', outDir: 'dist/demo', emptyOutDir: true, sourcemap: false } };
  }
  // `--mode iife`: dist/agent-bar.iife.js, the whole bar for pages that cannot load modules (a
  // classic <script>; global AgentBar). A classic script would resolve the lazy modules against the
  // page, not itself, so this one build holds them all: bigger, but one file, no budget.
  if (mode === 'iife') {
    return {
      build: {
        target: 'es2022',
        outDir: process.env.AGENT_BAR_OUT_DIR ?? 'dist',
        emptyOutDir: false,
        sourcemap: true,
        lib: { entry: 'src/index.ts', name: 'AgentBar', formats: ['iife'] as const, fileName: () => 'agent-bar.iife.js' },
        rolldownOptions: { output: { minify: true } },
      },
    };
  }
  if (mode === 'host' || mode === 'frame') {
    const host = mode === 'host';
    return {
      build: {
        target: 'es2022',
        outDir: process.env.AGENT_BAR_OUT_DIR ?? 'dist',
        emptyOutDir: false,
        sourcemap: true,
        lib: {
          entry: host ? 'src/embed/host-sdk.ts' : 'src/embed/frame-main.ts',
          name: 'AgentBarHost',
          formats: host ? (['es', 'iife'] as const) : (['es'] as const),
          fileName: (format: string) => (host ? (format === 'es' ? 'agent-bar-host.js' : 'agent-bar-host.iife.js') : 'agent-bar-frame.js'),
        },
        rolldownOptions: { output: { minify: true } },
      },
      plugins: host ? [] : [copyAsset('src/embed/frame.html', 'frame.html'), copyAsset('src/embed/frame.css', 'agent-bar-frame.css')],
    };
  }
  const lazy = LAZY[mode];
  // `--mode core`: dist/agent-bar-core.js, the DOM-free core (`agent-bar/core` in the npm package),
  // built like the main bundle (its lazy phone module is the same file next to it).
  const core = mode === 'core';
  const ownEntry = lazy ? fileURLToPath(new URL(lazy.entry, import.meta.url)) : undefined;
  return {
    plugins: lazy?.kit ? [dropOptionDescriptions, compactCss, compactHtml, elementKit] : [dropOptionDescriptions, compactCss, compactHtml],
    // End-to-end runs turn live reload off: an edit during a run must not reload a page mid-test.
    server: { host: '127.0.0.1', hmr: process.env.AGENT_BAR_E2E ? false : undefined },
    // JsSIP (CommonJS) is reached only through the sip connector's lazy import: pre-bundled at
    // start, so the dev server never discovers it mid-run and reloads the page.
    optimizeDeps: { include: ['jssip'] },
    build: {
      target: 'es2022',
      outDir: process.env.AGENT_BAR_OUT_DIR ?? 'dist',
      // The first build (main) empties dist/; the lazy builds add their file next to it.
      emptyOutDir: !lazy && !core,
      sourcemap: true,
      lib: {
        entry: lazy ? lazy.entry : core ? 'src/core/index.ts' : 'src/index.ts',
        formats: ['es'],
        fileName: () => (lazy ? lazy.file : core ? 'agent-bar-core.js' : 'agent-bar.js'),
      },
      rolldownOptions: {
        // A lazy element module may fetch another lazy module (the locale runtime, its tables) by
        // the same relative path as the main bundle does.
        external: lazy ? (lazy.kit ? (id: string) => lazyById.has(id) && id !== ownEntry : []) : (id: string) => lazyById.has(id),
        output: {
          // Vite keeps whitespace in library mode unless the output minifier is asked for explicitly.
          minify: true,
          paths: (id: string) => lazyById.get(id) ?? id,
          // A vendor connector's declaration imports its code with import(): one file all the same.
          ...(lazy?.single ? { codeSplitting: false } : {}),
        },
      },
    },
  };
});

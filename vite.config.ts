import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { lazyBuilds } from './scripts/lazy-builds.mjs';

// `npm start` serves index.html (the demo). `npm run build` (scripts/build-bundle.mjs) runs one
// library build per output, each one self-contained ES module (Lit bundled, no shared chunks —
// rolldown would otherwise split modules the entry already holds into a chunk the entry must
// import):
//   dist/agent-bar.js            every element, the session and every connector's declaration
//                                (the budget: ≤ 30 KB gzipped);
//   dist/agent-bar-phone.js      phone-number validation (libphonenumber-js), loaded in the background;
//   dist/agent-bar-<name>.js     one per connector (src/connectors/<name>/module.ts): its code with
//                                its transports, loaded only by a bar configured for it.
// The main bundle imports the others lazily, by a path relative to itself.
const root = new URL('./', import.meta.url);

export default defineConfig(({ mode }) => {
  const LAZY = lazyBuilds();
  const lazyById = new Map(Object.values(LAZY).map((l) => [fileURLToPath(new URL(l.entry, root)), `./${l.file}`]));
  const lazy = LAZY[mode];
  return {
    // End-to-end runs turn live reload off: an edit during a run must not reload a page mid-test.
    server: { host: '127.0.0.1', hmr: process.env.AGENT_BAR_E2E ? false : undefined },
    build: {
      target: 'es2022',
      outDir: 'dist',
      // The first build (main) empties dist/; the lazy builds add their file next to it.
      emptyOutDir: !lazy,
      sourcemap: true,
      lib: {
        entry: lazy ? lazy.entry : 'src/index.ts',
        formats: ['es'],
        fileName: () => (lazy ? lazy.file : 'agent-bar.js'),
      },
      rolldownOptions: {
        external: lazy ? [] : (id: string) => lazyById.has(id),
        output: {
          // Vite keeps whitespace in library mode unless the output minifier is asked for explicitly.
          minify: true,
          paths: (id: string) => lazyById.get(id) ?? id,
        },
      },
    },
  };
});

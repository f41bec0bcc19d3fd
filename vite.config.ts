import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// `npm start` serves index.html (the demo). `npm run build` runs three library builds, each one
// self-contained ES module (Lit bundled, no shared chunks — rolldown would otherwise split modules
// the entry already holds into a chunk the entry must import):
//   dist/agent-bar.js         every element, the session and the embedded simulator (the budget);
//   dist/agent-bar-phone.js   phone-number validation (libphonenumber-js), loaded in the background;
//   dist/agent-bar-remote.js  the server and gateway connectors with their transports, loaded only
//                             by a bar configured for them.
// The main bundle imports the other two lazily, by a path relative to itself.
// `--mode demo` builds the demo page instead (see below).
const LAZY: Record<string, { entry: string; file: string }> = {
  phone: { entry: 'src/core/phone-number.ts', file: 'agent-bar-phone.js' },
  remote: { entry: 'src/connectors/remote-connectors.ts', file: 'agent-bar-remote.js' },
};
const lazyById = new Map(Object.values(LAZY).map((l) => [fileURLToPath(new URL(l.entry, import.meta.url)), `./${l.file}`]));

export default defineConfig(({ mode }) => {
  // `vite build --mode demo` (used by `npm run bench`): the demo page itself, production-built into
  // dist/demo/, so the benchmark clicks through the real demo UI without Lit's dev mode.
  if (mode === 'demo') {
    return { base: './', build: { target: 'es2022', outDir: 'dist/demo', emptyOutDir: true, sourcemap: false } };
  }
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

import { defineConfig } from 'vite';

// `npm start` serves index.html (the demo); `npm run build` produces one self-contained ES module,
// dist/agent-bar.js, with Lit bundled, that defines every element (one script tag embeds the bar).
export default defineConfig({
  server: { host: '127.0.0.1' },
  esbuild: { target: 'es2022' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: () => 'agent-bar.js',
    },
    rolldownOptions: {
      // Vite keeps whitespace in library mode unless the output minifier is asked for explicitly.
      output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});

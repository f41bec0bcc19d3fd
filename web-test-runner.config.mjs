import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { findBrowser, CHROMIUM_ARGS } from './scripts/find-browser.mjs';

const executablePath = await findBrowser();

export default {
  files: ['test/unit/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  // A loaded 2-core machine can take more than the default 30 s to open the first page.
  browserStartTimeout: 120_000,
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] } })],
  // Lit's one-line dev-mode notice in every file drowns real output.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  testFramework: { config: { timeout: 10000 } },
};

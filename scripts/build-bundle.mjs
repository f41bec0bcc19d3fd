// `npm run build:bundle`: the main bundle, then every lazy module (vite.config.ts lists them:
// phone validation and one per connector folder with a module.ts), in one Node process.
import { build } from 'vite';
import { lazyBuilds } from './lazy-builds.mjs';

const modes = ['production', ...Object.keys(lazyBuilds())];
for (const mode of modes) {
  await build({ mode, logLevel: 'warn' });
}

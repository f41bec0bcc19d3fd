// `npm run build:bundle`: the main bundle, then every lazy module (scripts/lazy-builds.mjs: phone
// validation and one per connector folder with a module.ts), then the embedding builds (classic
// script, host SDK and frame) and the DOM-free core of the npm package, in one Node process.
import { build } from 'vite';
import { lazyBuilds } from './lazy-builds.mjs';

const modes = ['production', ...Object.keys(lazyBuilds()), 'iife', 'host', 'frame', 'core'];
for (const mode of modes) {
  await build({ mode, logLevel: 'warn' });
}

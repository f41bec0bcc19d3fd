/**
 * `npm run emulator -- <name> [--port N]`: starts one vendor emulator on 127.0.0.1 and prints
 * `<name> emulator listening on http://127.0.0.1:PORT`. Each vendor lives in
 * `server/emulators/<name>/index.ts` and exports `start({ port }) → { url, close() }`, so adding a
 * vendor needs no change here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const known = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'harness' && existsSync(join(here, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();

function fail(message: string): never {
  console.error(`emulator: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const name = args.find((arg) => !arg.startsWith('--'));
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : Number(process.env.PORT ?? 0);
if (!name) fail(`name a vendor: npm run emulator -- <name> [--port N]. Known: ${known.join(', ') || '(none yet)'}.`);
if (!known.includes(name)) fail(`unknown emulator "${name}". Known: ${known.join(', ') || '(none yet)'}.`);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be an integer 0..65535.');

const module = (await import(pathToFileURL(join(here, name, 'index.ts')).href)) as {
  start(options: { port?: number }): Promise<{ url: string; close(): Promise<void> }>;
};
const started = await module.start({ port });
console.log(`${name} emulator listening on ${started.url}`);
const stop = (): void => {
  void started.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/**
 * The npm package as an integrator gets it: built into a temporary folder (the production build
 * and `tsc -p tsconfig.types.json`), laid out by `npm pack`'s own file list, installed into a copy
 * of examples/consumer with only the package's runtime dependencies beside it (no dev
 * dependency), then
 *  - every `exports` target is in the package and every connector module has an entry;
 *  - the example consumer type-checks against the package's .d.ts files (bundler and NodeNext
 *    resolution, `skipLibCheck: false`, its `@ts-expect-error` lines proving the types are real);
 *  - plain Node runs the core with the simulator connector from the installed package.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { types: string; default: string }>;
  dependencies: Record<string, string>;
  sideEffects: string[];
  files: string[];
};

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  try {
    return execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`);
  }
}

/** A package and, recursively, its own dependencies, linked from the repository's node_modules. */
function linkWithDependencies(name: string, into: string, seen = new Set<string>()): void {
  if (seen.has(name)) return;
  seen.add(name);
  const source = join(root, 'node_modules', name);
  assert.ok(existsSync(source), `${name} is installed`);
  const target = join(into, name);
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) symlinkSync(source, target, 'dir');
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    if (existsSync(join(root, 'node_modules', dependency))) linkWithDependencies(dependency, into, seen);
  }
}

test('the npm package: exports, generated types checked by an example consumer, runtime without dev dependencies', { timeout: 300_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'agent-bar-package-'));
  try {
    // 1. Build the package's files into work/package, as `npm run build` does into the repository.
    const packageDir = join(work, 'package');
    mkdirSync(packageDir);
    run(process.execPath, ['scripts/build-bundle.mjs'], root, { AGENT_BAR_OUT_DIR: join(packageDir, 'dist') });
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.types.json', '--outDir', join(packageDir, 'dist/types')], root);
    for (const file of ['package.json', 'custom-elements.json', 'README.md']) cpSync(join(root, file), join(packageDir, file));
    cpSync(join(root, 'docs'), join(packageDir, 'docs'), { recursive: true });

    // 2. What `npm pack` would publish (its own reading of "files"), copied alone into the install.
    const packed = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], packageDir)) as { files: { path: string }[] }[];
    const files = new Set(packed[0]!.files.map((f) => f.path));
    const installed = join(work, 'consumer/node_modules', pkg.name);
    for (const file of files) {
      mkdirSync(dirname(join(installed, file)), { recursive: true });
      cpSync(join(packageDir, file), join(installed, file));
    }

    // 3. Every export target is published; every connector module has its entry.
    const targets = Object.entries(pkg.exports).flatMap(([key, value]) => (key.includes('*') ? [] : typeof value === 'string' ? [value] : [value.types, value.default]));
    for (const target of targets) assert.ok(files.has(target.replace(/^\.\//, '')), `${target} is in the package`);
    const connectors = readdirSync(join(root, 'src/connectors'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, 'src/connectors', d.name, 'module.ts')))
      .map((d) => d.name);
    for (const name of connectors) assert.ok(pkg.exports[`./connectors/${name}`], `the ${name} connector has an export`);
    assert.ok(![...files].some((f) => f.startsWith('dist/demo/') || f.startsWith('test/') || f.startsWith('src/')), 'no demo, test or source files');
    // Only the modules that define elements (or run on their own) have side effects.
    assert.ok(pkg.sideEffects.includes('./dist/agent-bar.js'));
    assert.ok(!pkg.sideEffects.includes('./dist/agent-bar-core.js'));

    // 4. The example consumer with the package and its runtime dependencies only.
    const consumer = join(work, 'consumer');
    cpSync(join(root, 'examples/consumer'), consumer, { recursive: true, filter: (source) => !source.includes('node_modules') });
    for (const dependency of Object.keys(pkg.dependencies)) linkWithDependencies(dependency, join(consumer, 'node_modules'));
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer);
    run(process.execPath, [tsc, '-p', 'tsconfig.node.json'], consumer);

    // 5. Plain Node, from the installed package.
    const out = run(process.execPath, ['run-core.mjs'], consumer);
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { state: 'ready', connection: 'connected' });

    // And a type error in the consumer is caught (the check is not vacuous).
    writeFileSync(join(consumer, 'src/broken.ts'), "import { Session } from 'agent-bar/core';\nexport const s: Session = new Session();\n");
    assert.throws(() => run(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer), /broken\.ts/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

// `npm run bench`: measures the budgets of the issues and writes bench/report.json + report.md.
// Timings live here, never in tests. Every loop is bounded; every server binds to 127.0.0.1.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runBrowserBench } from './browser-bench.mjs';
import { runUiCalls } from './ui-calls.mjs';
import { startStaticServer } from '../scripts/static-server.mjs';
import { lazyBuilds } from '../scripts/lazy-builds.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = { date: new Date().toISOString(), machine: `${process.platform} ${process.arch}, node ${process.version}`, results: {} };
const budgets = [];

function budget(name, value, limit, unit, pass = value <= limit) {
  budgets.push({ name, value, limit, unit, pass });
}

console.log('• building dist/agent-bar.js');
execFileSync('npm', ['run', '--silent', 'build:bundle'], { cwd: root, stdio: 'inherit' });
report.results.bundle = {};
for (const file of ['agent-bar.js', ...Object.values(lazyBuilds()).map((l) => l.file), 'agent-bar-host.js', 'agent-bar-host.iife.js', 'agent-bar-frame.js']) {
  const bytes = readFileSync(join(root, 'dist', file));
  report.results.bundle[file] = { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}
const main = report.results.bundle['agent-bar.js'].gzipBytes;
budget('dist/agent-bar.js gzipped', +(main / 1024).toFixed(1), 30, 'KB');
// Reported, not budgeted: what a page on each connector loads in all (gzipped) once the lazy
// modules arrive: the bundle, phone validation and that connector's own module, nothing else.
report.results.bundle.pageTotalGzipBytesByConnector = {};
for (const [mode, { file }] of Object.entries(lazyBuilds())) {
  if (!mode.startsWith('connector-')) continue;
  report.results.bundle.pageTotalGzipBytesByConnector[mode.slice('connector-'.length)] =
    main + report.results.bundle['agent-bar-phone.js'].gzipBytes + report.results.bundle[file].gzipBytes;
}

console.log('• browser benchmarks (event → DOM, burst, 10,000 calls)');
const browser = await runBrowserBench(root);
report.results.browser = browser;
budget('simulator event → DOM updated, p95', browser.eventToDom.p95Ms, 4, 'ms');
budget('500-event burst: renders per animation frame (max)', browser.burst.maxRendersPerFrame, 1, 'renders/frame');
budget('10,000 calls: JS heap growth after GC', +(browser.calls.heapGrowthBytes / 1048576).toFixed(2), 2, 'MB');
budget('10,000 calls: live DOM node growth', browser.calls.domNodeGrowth, 0, 'nodes');
budget('10,000 calls: wrap-ups completed', browser.calls.wrapUpsCompleted, 10_000, 'calls', browser.calls.wrapUpsCompleted === 10_000);

console.log('• 1,000 calls through the demo UI by clicks (DOM nodes, listeners, heap after GC)');
execFileSync('npx', ['vite', 'build', '--mode', 'demo', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
{
  const server = await startStaticServer({ root });
  try {
    // Bounded: under 15 minutes even on a loaded machine; fewer calls then fail the count budget.
    const ui = await runUiCalls({ url: `${server.url}/dist/demo/index.html`, calls: 1000, timeLimitMs: 15 * 60_000, log: console.log });
    report.results.uiCalls = ui;
    budget(`${ui.calls} UI calls: wrap-ups completed`, ui.wrapUpsCompleted, 1000, 'calls', ui.wrapUpsCompleted === 1000);
    budget(`UI calls: DOM nodes after GC (${ui.before.nodes} → ${ui.after.nodes})`, ui.nodeGrowthPct, 5, '%', Math.abs(ui.nodeGrowthPct) <= 5);
    budget(`UI calls: JS listeners after GC (${ui.before.listeners} → ${ui.after.listeners})`, ui.listenerGrowthPct, 5, '%', Math.abs(ui.listenerGrowthPct) <= 5);
    budget('UI calls: JS heap growth after GC', +(ui.heapGrowthBytes / 1048576).toFixed(2), 1, 'MB');
  } finally {
    await server.close();
  }
}

for (const [name, file] of [
  ['transport', 'bench/transport-overhead.ts'],
  ['gateway', 'bench/gateway-fanout.ts'],
  // Three gateway nodes on one Redis (docs/server.md, Cluster): needs redis-server.
  ['cluster', 'bench/cluster.ts'],
  ['serverHardening', 'bench/server-hardening.ts'],
  ['noojee', 'bench/noojee-longpoll.ts'],
  ['maxcontact', 'bench/maxcontact-polling.ts'],
  // The browser phone against a real Kamailio (docs/phone.md): needs the built dist/ above.
  ['phone', 'bench/phone-sip.ts'],
]) {
  console.log(`• ${name} benchmark (${file})`);
  const run = spawnSync('npx', ['tsx', file], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  const line = run.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (run.status !== 0 || !line) {
    report.results[name] = { error: (run.stderr || run.stdout || 'no output').slice(-2000) };
    budgets.push({ name: `${name} benchmark ran`, value: 'failed', limit: 'ok', unit: '', pass: false });
    continue;
  }
  report.results[name] = JSON.parse(line);
}
const gw = report.results.gateway;
if (gw && !gw.error) budget(`gateway: ${gw.agents} agents, p99 event fan-out`, gw.fanoutMs.p99, 100, 'ms');
const cluster = report.results.cluster;
if (cluster && !cluster.error) {
  // Issue 16: fan-out, forwarded commands, take-over and memory are reported (report.json); the
  // bound the issue sets is the bar's true state within 2 s of its reconnect after a node loss.
  budget(`cluster: node lost, ${cluster.nodeLoss.orphanedAgents} agents' true state after their reconnect, p99`, cluster.nodeLoss.stateAfterReconnectMs.p99, 2000, 'ms');
}
const noojee = report.results.noojee;
if (noojee && !noojee.error) {
  budget(`noojee: ${noojee.agents} agents' long polls, ringing events delivered`, noojee.events, noojee.expected, 'events', noojee.events === noojee.expected);
}
const maxcontact = report.results.maxcontact;
if (maxcontact && !maxcontact.error) {
  // Reported with it (docs/connectors/maxcontact.md §10): polls per second, change → event p95, gateway CPU.
  budget(`maxcontact: ${maxcontact.agents} agents polled, call-state events delivered`, maxcontact.events, maxcontact.expected, 'events', maxcontact.events === maxcontact.expected);
}
const phone = report.results.phone;
if (phone && !phone.error) {
  // Issue 15: median of 20 runs each, on loopback; the module's size is reported with them.
  budget(`phone: register → ready, median of ${phone.runs}`, phone.registerToReadyMs.median, 500, 'ms');
  budget(`phone: answer → audio, median of ${phone.runs}`, phone.answerToAudioMs.median, 500, 'ms');
}
const hard = report.results.serverHardening;
if (hard && !hard.error) {
  const { notesFlood: notes, nonReadingClient: slow, idleConnections: idle } = hard;
  budget(`notes flood: ${notes.oversizedNotes.sent} × 60 KB notes accepted`, notes.oversizedNotes.ok, 0, 'notes');
  budget('notes flood: server peak RSS', notes.serverRssMB.peak ?? notes.serverRssMB.end, 256, 'MB');
  budget('notes flood: replay buffer', +(notes.replayBytes / 1048576).toFixed(2), +(notes.replayMaxBytes / 1048576).toFixed(2), 'MB');
  budget('non-reading client: cut off at the send bound', slow.cutOff ? 'yes' : 'no', 'yes', '', slow.cutOff);
  budget('non-reading client: server peak RSS', slow.serverRssMB.peak ?? slow.serverRssMB.end, 256, 'MB');
  budget(`${idle.idleConnections} idle connections: /health answered meanwhile`, idle.healthStatusWhileIdle, 200, 'status', idle.healthStatusWhileIdle === 200);
  budget(`${idle.idleConnections} idle connections: still open after the headers timeout`, idle.openAfterTimeout, 2, 'connections');
  budget(`${idle.idleConnections} idle connections: server peak RSS`, idle.serverRssMB.peak ?? idle.serverRssMB.withIdleConnections, 256, 'MB');
}

report.budgets = budgets;
writeFileSync(join(root, 'bench/report.json'), JSON.stringify(report, null, 2) + '\n');
const md = [
  `# Benchmark report`,
  ``,
  `${report.date} — ${report.machine}`,
  ``,
  `| budget | measured | limit | pass |`,
  `| --- | --- | --- | --- |`,
  ...budgets.map((b) => `| ${b.name} | ${b.value} ${b.unit} | ${b.limit} ${b.unit} | ${b.pass ? 'yes' : '**NO**'} |`),
  ``,
  '```json',
  JSON.stringify(report.results, null, 2),
  '```',
  '',
].join('\n');
writeFileSync(join(root, 'bench/report.md'), md);
console.log(md);
if (budgets.some((b) => !b.pass)) process.exitCode = 1;

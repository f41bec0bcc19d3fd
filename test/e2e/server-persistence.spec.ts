/**
 * STATE_FILE: the real `server/main.ts` process is killed (SIGKILL) and stopped (SIGTERM) mid-call
 * and started again on the same file. Numbering never goes back (no seq is ever reused, so clients
 * never drop a new event as a duplicate), and the call state comes back.
 */
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingClient, postJson, type Message } from './server-test-kit.ts';

interface ServerProcess {
  child: ChildProcess;
  url: string;
  wsUrl: string;
}

async function launch(stateFile: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', STATE_FILE: stateFile, CONNECTOR_CONFIG: '{"latencyMs":0}' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += String(chunk);
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${output}`));
    });
  });
  return { child, url, wsUrl: `${url.replace('http', 'ws')}/ws` };
}

function stop(server: ServerProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill(signal);
  });
}

/** Waits (bounded) until the state file mentions `text`. */
async function fileMentions(path: string, text: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if (readFileSync(path, 'utf8').includes(text)) return;
    } catch {
      // Not written yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`state file never mentioned ${text}`);
}

function lastEventSeq(client: RecordingClient): number {
  return Math.max(0, ...client.messages.filter((m) => m.t === 'event').map((m) => m.seq as number));
}

/** The calls a reconnected client ends up with: snapshot first, then the events after it. */
function callsSeen(messages: Message[]): Message[] {
  let calls: Message[] = [];
  for (const m of messages) {
    const events = m.t === 'snapshot' ? m.events : m.t === 'event' ? [m.event] : [];
    for (const e of events) {
      if (e.type === 'calls') calls = e.calls;
      if (e.type === 'call') calls = [...calls.filter((c) => c.id !== e.call.id), e.call];
      if (e.type === 'callRemoved') calls = calls.filter((c) => c.id !== e.callId);
    }
  }
  return calls;
}

test('seq numbering and call state survive kill -9 and an orderly restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-bar-state-'));
  const stateFile = join(dir, 'state.json');
  const servers: ServerProcess[] = [];
  try {
    // 1. A call in progress.
    let server = await launch(stateFile);
    servers.push(server);
    let client = await RecordingClient.open(server.wsUrl);
    await client.hello('1001');
    await client.command('login', 'login', { agentId: '1001' });
    await client.command('ready', 'ready');
    await client.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state === 'ready');
    expect((await postJson(`${server.url}/control/1001/offer-call`, { number: '+15550142', name: 'Persisted' })).status).toBe(200);
    await client.command('answer', 'answer');
    await client.waitFor((m) => m.t === 'event' && m.event.type === 'call' && m.event.call.state === 'talking');
    await fileMentions(stateFile, '"talking"');
    const seqBeforeCrash = lastEventSeq(client);
    client.close();

    // 2. Killed without warning, started again on the same file.
    await stop(server, 'SIGKILL');
    server = await launch(stateFile);
    servers.push(server);
    client = await RecordingClient.open(server.wsUrl);
    const welcome = await client.hello('1001', { after: seqBeforeCrash });
    expect(welcome.seq).toBeGreaterThan(seqBeforeCrash);
    client.send({ t: 'ping', id: 'sync' });
    await client.waitFor((m) => m.t === 'pong');
    // Nothing at or below what the client already has is ever sent again.
    expect(client.messages.filter((m) => m.t === 'event' && m.seq <= seqBeforeCrash)).toEqual([]);
    const restored = callsSeen(client.messages);
    expect(restored.map((c) => [c.remote.number, c.state])).toEqual([['+15550142', 'talking']]);
    // The restored simulator really has the call: it can be held.
    expect((await client.command('hold', 'hold')).ok).toBe(true);
    const held = await client.waitFor((m) => m.t === 'event' && m.event.type === 'call' && m.event.call.state === 'held');
    expect(held.seq).toBeGreaterThan(welcome.seq);
    const seqBeforeStop = lastEventSeq(client);
    client.close();

    // 3. An orderly stop: numbering continues exactly, with a replay instead of a snapshot.
    await stop(server, 'SIGTERM');
    server = await launch(stateFile);
    servers.push(server);
    client = await RecordingClient.open(server.wsUrl);
    const again = await client.hello('1001', { after: seqBeforeStop });
    client.send({ t: 'ping', id: 'sync' });
    await client.waitFor((m) => m.t === 'pong');
    expect(client.messages.some((m) => m.t === 'snapshot')).toBe(false);
    const replayed = client.messages.filter((m) => m.t === 'event').map((m) => m.seq);
    expect(replayed).toEqual(Array.from({ length: again.seq - seqBeforeStop }, (_, i) => seqBeforeStop + 1 + i));
    expect(callsSeen(client.messages).map((c) => c.state)).toEqual(['held']);
    client.close();
  } finally {
    for (const server of servers) await stop(server, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

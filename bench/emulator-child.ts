/**
 * What the vendor-connector benchmarks share: the emulator in a child process (the bench file run
 * again with `--emulator`, so the connectors' process measures only itself), its control API with
 * a retry for a pooled socket the emulator just closed, and percentiles.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** In the child: hand the parent the emulator's URL; gone with the parent, however it ends. */
export function reportEmulator(url: string): void {
  process.on('disconnect', () => process.exit(0));
  process.send!({ url });
}

/** In the parent: runs `file --emulator` and resolves with the child and the URL it reported. */
export async function forkEmulator(file: string, timeoutMs: number): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(file, ['--emulator'], { execArgv: ['--import', 'tsx'], env: process.env });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator did not start')), timeoutMs);
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
    child.once('message', (m: { url: string }) => {
      clearTimeout(timer);
      resolve(m.url);
    });
  });
  return { child, url };
}

/** `POST /__control/<verb>`; a request reset under it (a pooled socket closed) is tried again, 3 times at most. */
export function controller(url: string): (verb: string, body: unknown) => Promise<{ callId?: string }> {
  return async (verb, body) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
        return (await res.json()) as { callId?: string };
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  };
}

/** The p-th percentile of `values` (nearest rank), to 0.1. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return +(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(1);
}

/**
 * The test/bench static server (scripts/static-server.mjs) over real HTTP (audit finding 9): a
 * path that does not decode is a 400 and the server keeps serving; dotfiles and dot-folders
 * (`.git/config`) and anything outside the root are never served, however the path is spelled.
 */
import { test, expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticServer } from '../../scripts/static-server.mjs';

let dir: string;
let site: Awaited<ReturnType<typeof startStaticServer>>;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'static-'));
  const root = join(dir, 'site');
  mkdirSync(join(root, '.git'), { recursive: true });
  mkdirSync(join(root, 'pages'));
  writeFileSync(join(root, 'index.html'), '<p>home</p>');
  writeFileSync(join(root, 'pages', 'a.js'), 'export const a = 1;');
  writeFileSync(join(root, '.git', 'config'), '[remote "origin"] url = secret');
  writeFileSync(join(root, '.env'), 'TOKEN_SECRET=secret');
  writeFileSync(join(dir, 'outside.txt'), 'secret outside the root');
  symlinkSync(join(dir, 'outside.txt'), join(root, 'leak.txt'));
  site = await startStaticServer({ root });
});

test.afterAll(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET: the path goes on the wire exactly as written (fetch would normalise `..`). */
function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: site.port, path, method: 'GET', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

test('a path that does not decode is a 400, and the server keeps serving', async () => {
  for (const path of ['/%', '/%E0%A4%A', '/pages/%zz']) {
    const { status } = await get(path);
    expect(status, path).toBe(400);
  }
  const home = await get('/');
  expect(home.status).toBe(200);
  expect(home.body).toBe('<p>home</p>');
  expect((await get('/pages/a.js')).status).toBe(200);
});

test('dotfiles, dot-folders and paths outside the root are never served', async () => {
  for (const path of [
    '/.git/config',
    '/.git/',
    '/%2egit/config',
    '/.env',
    '/pages/../.git/config',
    '/pages/%2e%2e/.env',
    '/../outside.txt',
    '/%2e%2e/outside.txt',
    '/..%2foutside.txt',
    '/leak.txt',
  ]) {
    const { status, body } = await get(path);
    expect([400, 403, 404], `${path} → ${status}`).toContain(status);
    expect(body, path).not.toContain('secret');
  }
  expect((await get('/')).status).toBe(200);
});

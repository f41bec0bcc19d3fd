// A tiny static file server for benchmarks and cross-origin tests: serves a folder over HTTP on
// 127.0.0.1 with the right MIME types. Vite is not used there on purpose: benchmarks must load the
// built bundle exactly as an integrator's page would.
//
// It serves the repository root, which holds `.git`, `.env`-style files and the like: any path
// with a segment starting with `.` is 404, and nothing outside the root (`..`, a symlink leading
// out) is served. A path that does not decode (`/%`) is 400; no request can stop the server.
import { createServer } from 'node:http';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css',
};

/**
 * The file a URL path names under `base`, or the HTTP status refusing it.
 * @param {string} base the root, normalised, ending in a separator
 * @param {string} rawUrl the request target
 * @returns {{ file: string } | { status: number }}
 */
function resolvePath(base, rawUrl) {
  let path;
  try {
    path = decodeURIComponent(new URL(rawUrl, 'http://x').pathname);
  } catch {
    return { status: 400 };
  }
  // A NUL makes fs throw; a backslash is a separator on Windows. Neither belongs in our URLs.
  if (path.includes('\0') || path.includes('\\')) return { status: 400 };
  // Dotfiles and dot-folders (.git, .env, .state …) are never served, at any depth.
  if (path.split('/').some((segment) => segment.startsWith('.'))) return { status: 404 };
  const file = normalize(join(base, path.endsWith('/') ? path + 'index.html' : path));
  if (!file.startsWith(base)) return { status: 403 };
  return { file };
}

/**
 * @param {{ root: string, port?: number, host?: string }} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startStaticServer({ root, port = 0, host = '127.0.0.1' }) {
  // The real root, so a symlink inside it that leads out is caught by the same prefix check.
  const base = normalize((await realpath(root)) + sep);
  const server = createServer((req, res) => {
    void serve(req, res).catch(() => {
      // Whatever went wrong, this request fails and the server stays up.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('error');
    });
  });
  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function serve(req, res) {
    const target = resolvePath(base, req.url ?? '/');
    if ('status' in target) {
      res.writeHead(target.status, { 'content-type': 'text/plain' }).end(target.status === 404 ? 'not found' : 'refused');
      return;
    }
    let body;
    try {
      const real = await realpath(target.file);
      if (!real.startsWith(base)) throw new Error('outside the root');
      body = await readFile(real);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(target.file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  }
  await new Promise((resolve) => server.listen(port, host, resolve));
  const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

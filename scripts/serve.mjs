// Serves dist/web on localhost with the page's security headers (the same Content-Security-
// Policy as its <meta> tag, no referrer, no sniffing). Static files only; nothing is logged or
// kept. Used by ./scripts/run.sh and the Chromium tests.
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1] [--dir dist/web]
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
};

export function serve({ dir, port = 0, host = '127.0.0.1' } = {}) {
  const base = resolve(dir ?? fileURLToPath(new URL('../dist/web', import.meta.url)));
  // Every request ends in an answer: a path that cannot be decoded, holds a NUL or leaves the
  // folder is refused (400/404), a file system error is a 404, and nothing here may throw (an
  // uncaught throw would stop the server, and any page can send it such a path).
  const answer = (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    }
    if (path.includes('\0') || path.length > 4096) {
      return res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(base, path));
    let st;
    try {
      if (file === base || file.startsWith(base + sep)) st = statSync(file, { throwIfNoEntry: false });
    } catch {
      st = undefined;
    }
    if (!st?.isFile()) {
      return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
  const server = createServer((req, res) => {
    try {
      answer(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end();
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => {
    const k = process.argv.indexOf(`--${name}`);
    return k > 0 ? process.argv[k + 1] : def;
  };
  const { url } = await serve({
    dir: arg('dir'),
    port: Number(arg('port', process.env.PORT ?? 8080)),
    host: arg('host', '127.0.0.1'),
  });
  console.log(
    `leadscore is running at ${url}  (Ctrl+C stops it; everything runs in your browser, nothing is uploaded)`,
  );
}

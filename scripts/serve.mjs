// Serves dist/web on localhost with the page's security headers (the same Content-Security-
// Policy as its <meta> tag, no referrer, no sniffing). Static files only; nothing is logged or
// kept. Used by ./scripts/run.sh and the Chromium tests.
// Also serves the example marketing site (dist/site) under /examples/site/ with its own policy.
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1] [--dir dist/web] [--frame-ancestors 'https://a.example']
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STUB_HASH } from '../wasm/visitor/stub.mjs';

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

// The page may be framed by the origins given (docs/embed.md, "Iframe the full page"):
// `frame-ancestors 'none'` becomes `frame-ancestors <origins>`. Nothing else changes.
export const cspFramedBy = (origins) =>
  origins?.length ? CSP.replace("frame-ancestors 'none'", `frame-ancestors ${origins.join(' ')}`) : CSP;

// The example marketing site (examples/site, built to dist/site): no 'unsafe-inline', no
// 'unsafe-eval'; the snippet's inline queue is allowed by its hash, the runtime's own files (and
// <lead-scorer>'s module) by origin, and 'wasm-unsafe-eval' compiles the WebAssembly.
export const siteCsp = (packageOrigins = []) => {
  const pkg = packageOrigins.map((o) => ` ${o}`).join('');
  return `default-src 'self'; script-src 'self'${pkg} ${STUB_HASH} 'wasm-unsafe-eval'; connect-src 'self'${pkg}; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'`;
};

// Options: csp (the policy header), cors (send Access-Control-Allow-Origin: * so that pages of
// other origins can import the modules and fetch the .wasm: the package origin of docs/embed.md),
// mounts ([{prefix: '/examples/site/', dir, csp}]: other folders under a path prefix).
export function serve({ dir, port = 0, host = '127.0.0.1', csp = CSP, cors = false, mounts = [] } = {}) {
  const root = resolve(dir ?? fileURLToPath(new URL('../dist/web', import.meta.url)));
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
    const mount = mounts.find((m) => path.startsWith(m.prefix));
    const base = mount ? resolve(mount.dir) : root;
    const file = normalize(join(base, mount ? path.slice(mount.prefix.length - 1) : path));
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
      'content-security-policy': mount?.csp ?? csp,
      ...(cors ? { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' } : {}),
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
  const site = fileURLToPath(new URL('../dist/site', import.meta.url));
  const frameAncestors = arg('frame-ancestors');
  const { url } = await serve({
    dir: arg('dir'),
    port: Number(arg('port', process.env.PORT ?? 8080)),
    host: arg('host', '127.0.0.1'),
    csp: cspFramedBy(frameAncestors?.split(/[\s,]+/).filter(Boolean)),
    mounts: existsSync(site) ? [{ prefix: '/examples/site/', dir: site, csp: siteCsp() }] : [],
  });
  console.log(
    `leadscore is running at ${url}  (Ctrl+C stops it; everything runs in your browser, nothing is uploaded)`,
  );
  if (existsSync(site)) console.log(`the example marketing site with the embed: ${url}examples/site/`);
}

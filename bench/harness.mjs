// What the benchmark scripts share: a measurement in a fresh Node process (bench/proc.mjs), and
// Chromium (Debian's /usr/bin/chromium through playwright-core) on pages of this repository
// served from 127.0.0.1 (bench/browser/*.html read /dist, /build/bench-data, /node_modules).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { root } from './gen-leads.mjs';

const CHROMIUM = '/usr/bin/chromium';

// One bench/proc.mjs task in a fresh Node process; returns its JSON result.
export function proc(task) {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=12000', join(root, 'bench', 'proc.mjs'), JSON.stringify(task)],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0)
    throw new Error(`bench/proc.mjs ${task.task} ${task.engine ?? ''} failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

export async function withBrowser(f) {
  const types = {
    '.html': 'text/html',
    '.mjs': 'text/javascript',
    '.js': 'text/javascript',
    '.json': 'application/json',
    '.csv': 'text/csv',
    '.wasm': 'application/wasm',
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/favicon.ico') return res.writeHead(204).end();
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    res
      .writeHead(200, {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      })
      .end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    return await f(browser, base);
  } finally {
    await browser.close();
    server.close();
  }
}

export async function pageResult(browser, url, key, timeout = 600000) {
  const context = await browser.newContext(); // fresh cache and storage each time
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction((k) => window[k] !== undefined, key, { timeout, polling: 100 });
    const r = await page.evaluate((k) => window[k], key);
    if (r.error || errors.length) throw new Error(`${url}: ${r.error ?? errors.join('; ')}`);
    return r;
  } finally {
    await context.close();
  }
}

export { median, timedRuns } from './timing.mjs';

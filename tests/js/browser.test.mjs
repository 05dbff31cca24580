// The module in a real browser (Debian's Chromium via playwright-core): the README example pasted
// into an empty HTML page scores the CSV; the same module works inside a module Web Worker; the
// split build (.mjs + .wasm, streaming compilation) gives the same scores. Pages are served from
// 127.0.0.1 by a tiny static server; no other request is made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(join(root, 'dist/leadscore.mjs'))
  ? 'dist/leadscore.mjs is missing: build the wasm first'
  : !existsSync(CHROMIUM)
    ? 'Chromium is not installed (scripts/setup.sh installs it)'
    : false;

const types = {
  '.html': 'text/html',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};
const pages = new Map();
let server, base, browser;
const requests = [];

function readmeSnippet() {
  const md = readFileSync(join(root, 'README.md'), 'utf8');
  const from = md.indexOf('## Use it from JavaScript');
  const start = md.indexOf('```js\n', from) + 6;
  return md.slice(start, md.indexOf('\n```', start));
}

before(async () => {
  if (skip) return;
  server = createServer((req, res) => {
    requests.push(req.url);
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/favicon.ico') return res.writeHead(204).end();
    if (pages.has(path)) return res.writeHead(200, { 'content-type': types[extname(path)] }).end(pages.get(path));
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
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
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function run(html) {
  const path = `/page-${pages.size}.html`;
  pages.set(path, html);
  const page = await browser.newPage();
  const lines = [],
    errors = [];
  page.on('console', (m) => m.type() === 'log' && lines.push(m.text())); // not resource errors
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + path);
  await page.waitForFunction(() => document.title === 'DONE' || document.title.startsWith('FAIL'), null, {
    timeout: 60_000,
  });
  const title = await page.title();
  await page.close();
  assert.equal(title, 'DONE', `${title}\n${errors.join('\n')}\n${lines.join('\n')}`);
  assert.deepEqual(errors, []);
  return lines;
}

test('the README example, pasted into an empty page, scores the CSV in Chromium', { skip }, async () => {
  // import declarations must stay at the top level of the module script
  const code = readmeSnippet().split('\n');
  const imports = code.filter((l) => l.startsWith('import '));
  const body = code.filter((l) => !l.startsWith('import '));
  const html = `<!doctype html><meta charset="utf-8"><title>empty</title>
<script type="module">
${imports.join('\n')}
try {
${body.join('\n')}
document.title = 'DONE';
} catch (e) { document.title = 'FAIL ' + e.message; }
</script>`;
  const lines = await run(html);
  assert.match(lines[0], /^Ann Lee 60 Hot Decision maker \+20, 200\+ employees \+10, Demo requested \+30$/);
  assert.match(lines[1], /^Cy Diaz 10 Cold/);
  assert.ok(lines.includes('true'), lines.join('\n'));
});

const workerScript = `
import { load } from '/dist/leadscore.mjs';
const ls = await load();
const leads = ls.loadLeads(new TextEncoder().encode('title,age\\nCEO,40\\nStudent,19\\nVP Sales,33\\n'));
const s = ls.score(leads, { rules: [{ id: 'dm', points: 25, when: { in: [{ var: 'title' }, ['CEO', 'VP Sales']] } }, { id: 'young', points: -5, when: { '<': [{ var: 'age' }, 21] } }] });
postMessage({ totals: Array.from(s.totals()), inWorker: typeof window === 'undefined' });
`;

test('the module runs unchanged inside a module Web Worker', { skip }, async () => {
  pages.set('/worker-test.mjs', workerScript);
  const html = `<!doctype html><title>w</title><script type="module">
const w = new Worker('/worker-test.mjs', { type: 'module' });
w.onmessage = (e) => { console.log(JSON.stringify(e.data)); document.title = 'DONE'; };
w.onerror = (e) => { document.title = 'FAIL ' + e.message; };
</script>`;
  const lines = await run(html);
  assert.deepEqual(JSON.parse(lines[0]), { totals: [25, -5, 25], inWorker: true });
});

test('the split build (.mjs + .wasm) loads by streaming compilation and scores the same', { skip }, async () => {
  const csv = readFileSync(join(root, 'samples/b2b-leads.csv'), 'utf8');
  const rules = readFileSync(join(root, 'samples/b2b-rules.json'), 'utf8');
  const html = `<!doctype html><title>s</title><script type="module">
try {
  const single = await (await import('/dist/leadscore.mjs')).load();
  const split = await (await import('/dist/split/leadscore.mjs')).load();
  const csv = ${JSON.stringify(csv)}, rules = ${rules};
  const a = single.score(single.loadLeads(csv, { rules }), rules).totals();
  const b = split.score(split.loadLeads(csv, { rules }), rules).totals();
  console.log(JSON.stringify({ n: a.length, same: a.every((x, i) => x === b[i]), sum: a.reduce((s, x) => s + x, 0) }));
  document.title = 'DONE';
} catch (e) { document.title = 'FAIL ' + e.message; }
</script>`;
  const lines = await run(html);
  const r = JSON.parse(lines[0]);
  assert.equal(r.n, 3000);
  assert.equal(r.same, true);
  assert.ok(r.sum > 0);
  assert.ok(
    requests.some((u) => u.endsWith('/dist/split/leadscore.wasm')),
    'the .wasm file was fetched',
  );
});

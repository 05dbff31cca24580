// The bad-input catalogue (tests/fixtures/bad-inputs/index.json, also run natively, in wasm and
// against the module in Node) in page form, in Chromium: each bad leads file, opened with
// "Choose a file…", shows its error with line and column (or loads with its problem listed at
// its line), and the previous data and scores stay; each bad rule-set file, opened with
// "Import rules…", is refused with the core's message and location, and the rules stay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { countInflaterInput } from '../js/inflater-counter.mjs';
import { openPage, root, scored, shot, skip, startBrowser, text, tierCount } from './browser.mjs';

let env;
before(async () => {
  if (!skip) env = await startBrowser();
});
after(async () => {
  await env?.close();
});

const dir = `${root}tests/fixtures/bad-inputs/`;
const index = JSON.parse(readFileSync(`${dir}index.json`, 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'ls-bad-'));

// The generators of index.json (as in tests/test_bad_inputs.cpp and tests/js/bad-inputs.test.mjs).
function generate(g) {
  switch (g.type) {
    case 'big-cell':
      return `id,notes,n\n1,${'a'.repeat(g.bytes)},2\n`;
    case 'many-columns': {
      const h = Array.from({ length: g.columns }, (_, i) => `c${i + 1}`);
      return `${h.join(',')}\n${h.map(() => '1').join(',')}\n`;
    }
    case 'deep-json-cell':
      return `[{"a": ${'['.repeat(g.depth)}${']'.repeat(g.depth)}}]`;
    case 'deep-logic':
      return `{"rules":[{"id":"deep","points":1,"when":${'{"!":'.repeat(g.depth)}true${'}'.repeat(g.depth)}}]}`;
    case 'many-rules':
      return JSON.stringify({ rules: Array.from({ length: g.rules }, (_, i) => ({ id: `r${i}`, points: 1 })) });
    default:
      return null;
  }
}
function fileOf(c) {
  if (c.file) return `${dir}${c.file}`;
  const body = generate(c.generate);
  if (body === null) return null;
  const f = join(tmp, `${c.id}.${c.kind === 'rules' ? 'json' : 'csv'}`);
  writeFileSync(f, body);
  return f;
}
// Runs only in the module's own tests: needs a small-memory build or load options the page does not
// expose, or (c.leads) a rule set that is bad only against leads of its own, not the page's base leads.
const pageCases = index.cases.filter(
  (c) => !c.only && !c.options && !c.leads && (c.file || generate(c.generate ?? {}) !== undefined),
);

async function choose(page, button, file) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await chooser.setFiles(file);
}

async function loadBase(page) {
  await page.getByRole('tab', { name: 'Data' }).click();
  await choose(page, 'Choose a file…', `${dir}${index.base.leads}`);
  await scored(page, Number(readFileSync(`${dir}${index.base.leads}`, 'utf8').trim().split('\n').length - 1));
}

test('bad leads files: a located error or a located problem, and the previous data stays', { skip }, async () => {
  const { page, errors } = await open();
  const leadsCases = pageCases.filter((c) => c.kind === 'leads');
  assert.ok(leadsCases.length >= 20, `${leadsCases.length} cases`);
  await page.getByRole('tab', { name: 'Data' }).click();
  let baseLoaded = false;
  for (const c of leadsCases) {
    const file = fileOf(c);
    if (!file) continue;
    if (!baseLoaded) {
      await loadBase(page);
      baseLoaded = true;
    }
    const before = {
      rows: await text(page, '[data-testid=lead-count]'),
      hot: await tierCount(page, 'Hot').catch(() => null),
    };
    await page.evaluate(() => document.querySelector('.data .diag.error')?.setAttribute('data-stale', ''));
    await choose(page, 'Choose a file…', file);
    const x = c.page ?? c.expect; // the page reads XLSX itself (wasm/xlsx.mjs), where the core refuses it
    if (x.error) {
      const err = page.locator('.data .diag.error:not([data-stale])', { hasText: 'Could not load the data' });
      await err.waitFor({ timeout: 60_000 });
      const msg = await err.innerText();
      if (x.line && x.column)
        assert.match(msg, new RegExp(`\\(line ${x.line}, column ${x.column}\\)`), `${c.id}: ${msg}`);
      if (x.message) assert.ok(msg.includes(x.message), `${c.id}: "${msg}" lacks "${x.message}"`);
      assert.match(msg, /The previous data is still loaded/, c.id);
      assert.equal(
        await text(page, '[data-testid=lead-count]'),
        before.rows,
        `${c.id}: the previous leads are still shown`,
      );
      if (before.hot !== null) assert.equal(await tierCount(page, 'Hot'), before.hot, `${c.id}: scores unchanged`);
    } else {
      await scored(page, x.rows);
      const probs = await text(page, '.load-problems');
      if (x.problem.line) assert.match(probs, new RegExp(`line ${x.problem.line}`), `${c.id}: ${probs}`);
      assert.ok(probs.includes(x.problem.message), `${c.id}: "${probs}" lacks "${x.problem.message}"`);
      baseLoaded = false; // the bad-but-readable file is now the data
    }
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("bad rule-set files: refused with the core's message and location, and the rules stay", { skip }, async () => {
  const { page, errors } = await open();
  await loadBase(page);
  await choose(page, 'Import rules…', `${dir}${index.base.rules}`);
  await page.waitForFunction(() => /Imported the rule set/.test(document.querySelector('.notice')?.textContent ?? ''));
  await page.getByRole('tab', { name: 'JSON' }).click();
  const baseJson = await page.getByLabel('rule set JSON').inputValue();
  for (const c of pageCases.filter((k) => k.kind === 'rules')) {
    const file = fileOf(c);
    if (!file) continue;
    const last = await page
      .locator('.notice')
      .getAttribute('data-at')
      .catch(() => null);
    await choose(page, 'Import rules…', file);
    await page.waitForFunction(
      (at) => {
        const n = document.querySelector('.notice');
        return n && n.dataset.at !== at && /was not imported|Imported the rule set/.test(n.textContent);
      },
      last,
      { timeout: 60_000 },
    );
    const notice = await text(page, '.notice');
    const x = c.expect;
    if (x.error === 'unknown_field') {
      // The page scores what it can: a rule on a column the data lacks is imported and skipped, and says so.
      assert.match(notice, /Imported the rule set/, c.id);
      await page.waitForFunction((f) => (document.querySelector('.status')?.textContent ?? '').includes(f), x.field);
      assert.match(await text(page, '.status'), new RegExp(`skipped: the data lacks ${x.field}`), c.id);
      await page.getByRole('button', { name: '↶ Undo' }).click();
    } else {
      assert.match(notice, /was not imported/, `${c.id}: ${notice}`);
      if (x.line && x.column) assert.ok(notice.includes(`(line ${x.line}, column ${x.column})`), `${c.id}: ${notice}`);
      if (x.ruleId) assert.ok(notice.includes(`rule ${x.ruleId}`), `${c.id}: ${notice}`);
      if (x.message) assert.ok(notice.includes(x.message), `${c.id}: "${notice}" lacks "${x.message}"`);
      assert.match(notice, /Your rules are unchanged/);
    }
    await page.waitForFunction(
      (j) => document.querySelector('textarea[aria-label="rule set JSON"]')?.value === j,
      baseJson,
    );
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('bad events files: a located error or note, and the previous events stay in use', { skip }, async () => {
  const { page, errors } = await open();
  await loadBase(page);
  await choose(page, 'Import rules…', `${dir}${index.base.eventRules}`);
  await page.waitForFunction(() => /Imported the rule set/.test(document.querySelector('.notice')?.textContent ?? ''));
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('scores as of date').fill(index.base.asOf);
  await page.locator('fieldset.events summary').click();
  await page.getByLabel('leads: id column the events refer to').selectOption(index.base.eventOptions.leadKey);
  const info = '[data-testid=events-info]';
  const loadBaseEvents = async () => {
    await choose(page, 'Choose events file…', `${dir}${index.base.events}`);
    await page.waitForFunction(
      (sel) => /: 4 events, 4 joined to 4 leads/.test(document.querySelector(sel)?.textContent ?? ''),
      info,
    );
  };
  await loadBaseEvents();
  const baseInfo = await text(page, info);
  const cases = pageCases.filter((c) => c.kind === 'events');
  assert.ok(cases.length >= 12, `${cases.length} cases`);
  for (const c of cases) {
    const file = fileOf(c);
    if (!file) continue;
    // The previous case's error is hidden while this file loads; marking it keeps a slow load from reading it.
    await page.evaluate(() => document.querySelector('fieldset.events .diag.error')?.setAttribute('data-stale', ''));
    await choose(page, 'Choose events file…', file);
    const x = c.expect;
    if (x.error) {
      const alert = page.locator('fieldset.events .diag.error:not([data-stale])', {
        hasText: 'The events were not loaded',
      });
      await alert.waitFor({ timeout: 60_000 });
      const msg = await alert.innerText();
      if (x.line && x.column) assert.ok(msg.includes(`(line ${x.line}, column ${x.column}`), `${c.id}: ${msg}`);
      if (x.field) assert.ok(msg.includes(`field ${x.field})`), `${c.id}: ${msg}`);
      assert.ok(msg.includes(x.message), `${c.id}: "${msg}" lacks "${x.message}"`);
      assert.match(msg, /The previous events are still used/, c.id);
      assert.equal(await text(page, info), baseInfo, `${c.id}: the previous events are still shown`);
    } else {
      await page.waitForFunction(
        ([sel, n]) => new RegExp(`: ${n} events?,`).test(document.querySelector(sel)?.textContent ?? ''),
        [info, x.rows],
      );
      const listed = await page.locator(`${info} .event-problems li`).allInnerTexts();
      const p = x.problem;
      const at = `line ${p.line}${p.column ? `, column ${p.column}` : ''}${p.field ? `, field ${p.field}` : ''}: `;
      const hit = listed.find((li) => li.startsWith(at) && li.includes(p.message));
      assert.ok(hit, `${c.id}: no "${at}... ${p.message}" in ${JSON.stringify(listed)}`);
      await loadBaseEvents();
    }
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

async function open() {
  const o = await openPage(env.browser, env.url);
  await scored(o.page, 3000);
  return o;
}

// ---- page-only cases (issue 28): rule files and share links the page reads itself ----

// The notice after `act`, once it is a new one matching `re`.
async function noticeAfter(page, act, re) {
  const last = await page.evaluate(() => document.querySelector('.notice')?.dataset.at ?? null);
  await act();
  await page.waitForFunction(
    ([at, src]) => {
      const n = document.querySelector('.notice');
      return n && n.dataset.at !== at && new RegExp(src).test(n.textContent);
    },
    [last, re.source],
    { timeout: 30_000 },
  );
  return text(page, '.notice');
}
const jsonText = async (page) => {
  await page.getByRole('tab', { name: 'JSON' }).click();
  return page.getByLabel('rule set JSON').inputValue();
};

test('rule files the page reads itself: invalid UTF-8 and 500 MB are refused, the rules stay', { skip }, async () => {
  const { page, errors } = await open();
  const before = await jsonText(page);
  const hot = await tierCount(page, 'Hot');
  // "café" in Latin-1: the é (0xE9) is on line 3, the 16th character.
  const latin1 = join(tmp, 'rules-latin1.json');
  writeFileSync(latin1, Buffer.from('{\n  "rules": [\n    {"id": "caf\xe9", "points": 1}\n  ]\n}\n', 'latin1'));
  let notice = await noticeAfter(page, () => choose(page, 'Import rules…', latin1), /was not imported/);
  assert.match(notice, /not valid UTF-8 text: byte 0xE9 .* save it as UTF-8 \(line 3, column 16\)/, notice);
  assert.match(notice, /Your rules are unchanged/);
  // 500 MB (a sparse file): refused from its size, before a byte is read.
  const huge = join(tmp, 'rules-500mb.json');
  writeFileSync(huge, '');
  truncateSync(huge, 500 << 20);
  notice = await noticeAfter(page, () => choose(page, 'Import rules…', huge), /was not imported/);
  assert.match(notice, /the file is 500 MiB; a rule set can be at most 64 MiB/, notice);
  await shot(page, '30-rules-500mb-refused');
  assert.equal(await jsonText(page), before, 'the rules are unchanged');
  assert.equal(await tierCount(page, 'Hot'), hot, 'the scores are unchanged');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the JSON tab: a syntax error shows its line, column and the reason', { skip }, async () => {
  const { page, errors } = await open();
  const good = await jsonText(page);
  const area = page.getByLabel('rule set JSON');
  const lines = good.split('\n');
  lines[2] = lines[2].replace(/,$/, ''); // a missing comma at the end of line 3
  await area.fill(lines.join('\n'));
  const problem = page.locator('#json-problems li').first();
  await problem.waitFor();
  const msg = await problem.innerText();
  assert.match(msg, /^line 4, column \d+: \S/, msg);
  assert.match(msg, /not valid JSON|syntax error|expected/i, msg);
  await shot(page, '31-json-syntax-error');
  assert.equal(await page.locator('.status .bad').count(), 0, 'text that is not JSON yet changes no rules');
  await area.fill(good);
  await problem.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await page.context().close();
});

// A compressed bomb: 64 MiB of spaces in ~65 KB. The counter (tests/js/inflater-counter.mjs) sees
// how much compressed input the page hands its inflater: Chromium's DecompressionStream unpacks each chunk in full before its
// reader sees output (the whole of a 256 MiB one, in 4.9 s, before the 1 MiB limit was checked).
test('share links: a bomb and a 1.96 MB link are refused early, the rules stay', { skip }, async () => {
  const sample = JSON.parse(readFileSync(`${root}samples/b2b-rules.json`, 'utf8'));
  const bomb = deflateRawSync(Buffer.alloc(64 << 20, 0x20), { level: 9 }); // ~65 KB
  const noise = Buffer.alloc(1_470_000);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const cases = [
    [bomb, /larger than 1024 KB once unpacked: import it as a file instead/, 16 << 10],
    [noise, /the shared link is too long \(1914 KB\)/, 0],
  ];
  for (const [bytes, re, maxFed] of cases) {
    const ctx = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await ctx.addInitScript(countInflaterInput);
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env.url}#rules=${bytes.toString('base64url')}`);
    await page.locator('.notice', { hasText: 'The shared link was not used' }).waitFor({ timeout: 30_000 });
    const notice = await text(page, '.notice');
    assert.match(notice, re, notice);
    const fed = await page.evaluate(() => globalThis.__inflaterInput);
    assert.ok(fed <= maxFed, `${fed} of ${bytes.length} compressed bytes inflated`);
    await scored(page, 3000);
    assert.deepEqual(JSON.parse(await jsonText(page)), sample, 'the rules are the saved (sample) ones');
    if (maxFed) await shot(page, '32-share-bomb-refused');
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

// dist/web hosted as plain static files: no headers, only the page's <meta> policy.
function plainServer() {
  const types = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.wasm': 'application/wasm',
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html');
    const file = join(root, 'dist/web', normalize(path));
    if (!file.startsWith(join(root, 'dist/web')) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
// A request to another origin (localhost, still this machine) from inside the worker: refused
// under the page's policy (connect-src 'self'), made under none. (Code from strings cannot be the
// probe: DevTools evaluation is exempt from 'unsafe-eval'.)
const fetchFromWorker = (w, url) =>
  w.evaluate(
    (url) =>
      fetch(url, { mode: 'no-cors' }).then(
        () => 'fetched',
        (e) => e.name,
      ),
    url,
  );

test('hosted as plain static files, the worker still runs under the page policy', { skip }, async () => {
  const server = await plainServer();
  const ctx = await env.browser.newContext();
  try {
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await scored(page, 3000); // the worker compiles the wasm under it ('wasm-unsafe-eval')
    assert.deepEqual(errors, []);
    const other = `http://localhost:${server.address().port}/favicon.svg`;
    const [worker] = page.workers();
    assert.match(worker.url(), /^blob:/);
    assert.equal(await fetchFromWorker(worker, other), 'TypeError', 'the worker runs under a policy');
    // Served with the policy header (scripts/serve.mjs), the worker is the script itself, under its header.
    const served = await openPage(env.browser, env.url);
    await scored(served.page, 3000);
    const [w2] = served.page.workers();
    assert.match(w2.url(), /\/worker\.js$/);
    assert.equal(await fetchFromWorker(w2, other), 'TypeError');
    await served.ctx.close();
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    server.close();
  }
});

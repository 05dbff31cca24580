// The bad-input catalogue (tests/fixtures/bad-inputs/index.json, also run natively, in wasm and
// against the module in Node) in page form, in Chromium: each bad leads file, opened with
// "Choose a file…", shows its error with line and column (or loads with its problem listed at
// its line), and the previous data and scores stay; each bad rule-set file, opened with
// "Import rules…", is refused with the core's message and location, and the rules stay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage, root, scored, skip, startBrowser, text, tierCount } from './browser.mjs';

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
    await choose(page, 'Choose a file…', file);
    const x = c.page ?? c.expect; // the page reads XLSX itself (wasm/xlsx.mjs), where the core refuses it
    if (x.error) {
      const err = page.locator('.data .diag.error', { hasText: 'Could not load the data' });
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

async function open() {
  const o = await openPage(env.browser, env.url);
  await scored(o.page, 3000);
  return o;
}

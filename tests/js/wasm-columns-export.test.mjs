// Bulk access without a call per lead (the page's table, sorting and export use these):
//  - leads.column(name) gives, for every lead, the value row(i) gives (numbers, booleans as 1/0,
//    dates as ms since 1970, texts by dictionary code; missing = NaN / -1);
//  - scorer.toCSV() writes exactly the bytes the native CLI's `leadscore score` writes, also
//    when exported in pieces, and neutralises cells a spreadsheet would run as formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const DIST = path('../../dist/leadscore.mjs');
const CLI = path('../../build/native/cli/leadscore');
const B2B = path('../../samples/b2b-leads.csv');
const B2B_RULES = path('../../samples/b2b-rules.json');
const BANK = path('../data/bank-marketing/bank-full.csv');
const BANK_RULES = path('../../samples/bank-rules.json');

const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: build it first';
const cliSkip = skip || (existsSync(CLI) ? false : 'the native CLI is not built');
const ls = skip ? null : await (await import(new URL('../../dist/leadscore.mjs', import.meta.url).href)).load();

test('column() agrees with row(i) for every lead and column of the B2B sample', { skip }, () => {
  const rules = readFileSync(B2B_RULES, 'utf8');
  const leads = ls.loadLeads(readFileSync(B2B), { rules });
  try {
    const cols = leads.columns.map((c) => leads.column(c.name));
    assert.ok(
      cols.some((c) => c.type === 'date') &&
        cols.some((c) => c.type === 'boolean') &&
        cols.some((c) => c.type === 'string'),
    );
    for (let i = 0; i < leads.rows; i++) {
      const row = leads.row(i);
      for (const c of cols) {
        const want = row[c.name];
        if (c.type === 'string') {
          const code = c.codes[i];
          assert.equal(code === -1 ? undefined : c.dictionary[code], want, `${c.name} of lead ${i}`);
        } else {
          const v = c.values[i];
          if (want === undefined) assert.ok(Number.isNaN(v), `${c.name} of lead ${i} should be missing`);
          else if (c.type === 'boolean') assert.equal(v === 1, want);
          else if (c.type === 'date') assert.equal(new Date(v).toISOString().slice(0, want.length), want);
          else assert.equal(v, want);
        }
      }
    }
    assert.deepEqual(leads.column(0), cols[0], 'by index');
    assert.throws(
      () => leads.column('no such column'),
      (e) => e.code === 'unknown_field' && e.field === 'no such column',
    );
  } finally {
    leads.dispose();
  }
});

function cliCsv(rules, leadsFile, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ls-export-'));
  const out = join(dir, 'out.csv');
  execFileSync(CLI, ['score', '--rules', rules, '--leads', leadsFile, '--out', out, ...extra], { stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

test('toCSV() equals the CLI byte for byte: B2B sample with reasons, bank-full without', { skip: cliSkip }, () => {
  for (const [rulesFile, leadsFile, reasons] of [
    [B2B_RULES, B2B, true],
    [BANK_RULES, BANK, false],
  ]) {
    const rules = readFileSync(rulesFile, 'utf8');
    const leads = ls.loadLeads(readFileSync(leadsFile), { rules });
    const scorer = ls.score(leads, rules);
    try {
      const want = cliCsv(rulesFile, leadsFile, reasons ? [] : ['--no-reasons']);
      const whole = scorer.toCSV({ reasons });
      assert.equal(whole, want, `${leadsFile}: whole`);
      // In pieces of 997 leads: header only on the first, same bytes joined.
      let pieces = '';
      for (let b = 0; b < scorer.rows; b += 997) pieces += scorer.toCSV({ reasons, begin: b, end: b + 997 });
      assert.equal(pieces, want, `${leadsFile}: in pieces`);
    } finally {
      scorer.dispose();
      leads.dispose();
    }
  }
});

test('toCSV() with chosen and renamed columns equals the CLI (--keep, --add, --rename)', { skip: cliSkip }, () => {
  const rules = readFileSync(B2B_RULES, 'utf8');
  const leads = ls.loadLeads(readFileSync(B2B), { rules });
  const scorer = ls.score(leads, rules);
  try {
    const first = leads.info.columns[0].name;
    const want = cliCsv(B2B_RULES, B2B, ['--keep', first, '--add', 'tier,score', '--rename', 'score=Lead Score']);
    const got = scorer.toCSV({ keep: [first], add: ['tier', 'score'], rename: { score: 'Lead Score' } });
    assert.equal(got, want);
    assert.match(got.split('\r\n')[0], /,Lead Score,tier$/);
    assert.throws(
      () => scorer.toCSV({ keep: ['no such column'] }),
      (e) => e.code === 'export' && /no column/.test(e.message),
    );
  } finally {
    scorer.dispose();
    leads.dispose();
  }
});

test('toCSV() neutralises formula-like text and follows rule edits', { skip }, () => {
  const csv = 'name,note,n\n=HYPERLINK("http://x"),+1,-3\n@SUM(A1),"\tx",5\nplain,-dash,0\n';
  const rules = {
    rules: [{ id: 'n', label: '=evil label', points: 1, per: 'n' }],
    tiers: [{ name: '+Hot', min: 2 }, { name: 'Cold' }],
  };
  const leads = ls.loadLeads(csv);
  const scorer = ls.score(leads, rules);
  try {
    const lines = scorer.toCSV().trimEnd().split('\r\n');
    assert.equal(lines[0], 'name,note,n,score,score_fit,score_engagement,tier,action,sales_ready,reasons');
    assert.equal(lines[1], `"'=HYPERLINK(""http://x"")",+1,-3,-3,-3,0,Cold,,false,'=evil label -3`);
    assert.equal(lines[2], "'@SUM(A1),'\tx,5,5,5,0,'+Hot,,true,'=evil label +5");
    assert.equal(lines[3], "plain,'-dash,0,0,0,0,Cold,,false,'=evil label +0");
    scorer.replaceRule('n', { id: 'n', points: 2, per: 'n' });
    assert.equal(scorer.toCSV({ begin: 1, end: 2 }).trimEnd(), "'@SUM(A1),'\tx,5,10,10,0,'+Hot,,true,n +10");
  } finally {
    scorer.dispose();
    leads.dispose();
  }
});

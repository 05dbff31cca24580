// Two things the page used to compute in its own worker and now asks the core for:
//  - rules that read a field the leads lack are skipped (scored as disabled) with skipMissingFields,
//    the same as the CLI without --strict;
//  - round histogram edges that stay while edits keep the totals inside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const DIST = path('../../dist/leadscore.mjs');
const CLI = path('../../build/native/cli/leadscore');
const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: ./scripts/build.sh module';
const ls = skip ? null : await (await import(new URL('../../dist/leadscore.mjs', import.meta.url).href)).load();

const CSV = 'title,size\nCEO,10\nIntern,300\nVP,120\n';
const RULES = {
  rules: [
    { id: 'dm', points: 20, when: { in: [{ var: 'title' }, ['CEO', 'VP']] } },
    { id: 'rev', points: 5, when: { '>': [{ var: 'revenue' }, 100] } },
    { id: 'big', points: 10, when: { '>=': [{ var: 'size' }, 100] } },
  ],
  tiers: [{ name: 'All' }],
};

test('skipMissingFields scores the other rules and lists the skipped one, as the CLI does', { skip }, () => {
  const leads = ls.loadLeads(CSV);
  assert.throws(
    () => ls.score(leads, RULES),
    (e) => e.code === 'unknown_field' && e.ruleId === 'rev',
  );
  const s = ls.score(leads, RULES, { skipMissingFields: true });
  assert.deepEqual(
    s.skipped.map((k) => [k.ruleId, k.field]),
    [['rev', 'revenue']],
  );
  assert.deepEqual([...s.totals()], [20, 10, 30]);
  const edit = s.setRules({ ...RULES, rules: RULES.rules.filter((r) => r.id !== 'rev') }, { skipMissingFields: true });
  assert.deepEqual(edit.skipped, []);
  assert.deepEqual(s.skipped, []);
  // The CLI without --strict: the same totals.
  if (existsSync(CLI)) {
    const dir = mkdtempSync(join(tmpdir(), 'ls-skip-'));
    try {
      writeFileSync(join(dir, 'leads.csv'), CSV);
      writeFileSync(join(dir, 'rules.json'), JSON.stringify(RULES));
      const out = execFileSync(
        CLI,
        ['score', '--rules', join(dir, 'rules.json'), '--leads', join(dir, 'leads.csv'), '--format', 'json'],
        {
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      assert.deepEqual(
        JSON.parse(out).map((r) => r._score.total),
        [20, 10, 30],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  s.dispose();
  leads.dispose();
});

test('binnedHistogram: round edges counted by the core, kept while the totals fit', { skip }, () => {
  const leads = ls.loadLeads('n\n' + Array.from({ length: 101 }, (_, i) => i).join('\n') + '\n');
  const s = ls.score(leads, { rules: [{ id: 'r', points: 1, per: 'n' }], tiers: [{ name: 'All' }] });
  const a = s.binnedHistogram();
  assert.deepEqual(a.bins, { lo: 0, hi: 105, bins: 21, width: 5 });
  assert.equal(
    a.histogram.reduce((x, y) => x + y, 0),
    101,
  );
  assert.deepEqual(a.histogram, s.histogram({ lo: 0, hi: 105, bins: 21 }));
  s.replaceRule('r', { id: 'r', points: 0.9, per: 'n' }); // totals 0..90: still inside, spans > 1/3
  assert.deepEqual(s.binnedHistogram(a.bins).bins, a.bins);
  s.replaceRule('r', { id: 'r', points: 2, per: 'n' }); // totals 0..200: new edges
  assert.notDeepEqual(s.binnedHistogram(a.bins).bins, a.bins);
  s.dispose();
  leads.dispose();
});

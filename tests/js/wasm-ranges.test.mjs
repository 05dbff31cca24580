// Rule indexes out of range (issue 28): addRule/moveRule of dist/leadscore.mjs refuse an index
// that is not a whole number in range (past the end, negative other than addRule's -1, fractional,
// NaN, Infinity) with LeadScoreError code "range" naming the index and the range, and change
// nothing. Nothing is clamped. The native edits are tested in tests/test_edit_ranges.cpp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../dist/leadscore.mjs', import.meta.url));
const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: build it first (./scripts/build.sh module)';

const RULES = {
  rules: [
    { id: 'a', points: 1 },
    { id: 'b', points: 2 },
    { id: 'c', points: 3 },
  ],
};

test('addRule and moveRule refuse indexes out of range and change nothing', { skip }, async () => {
  const ls = await (await import(new URL('../../dist/leadscore.mjs', import.meta.url).href)).load();
  const leads = ls.loadLeads('id,n\n1,5\n2,7\n');
  const s = ls.score(leads, RULES);
  const ids = () => s.rules.rules.map((r) => r.id).join('');
  const rangeError = (fn, index, range) =>
    assert.throws(fn, (e) => {
      assert.equal(e.name, 'LeadScoreError', e.message);
      assert.equal(e.code, 'range', e.message);
      assert.ok(e.message.includes(`index ${index} is out of range`), e.message);
      assert.ok(e.message.includes(range), e.message);
      return true;
    });
  try {
    for (const [bad, shown] of [
      [4, '4'],
      [1e12, '1000000000000'],
      [-2, '-2'],
      [0.5, '0.5'],
      [NaN, 'nan'],
      [Infinity, 'inf'],
    ])
      rangeError(() => s.addRule({ id: 'x', points: 1 }, bad), shown, 'from 0 to 3 (or -1 to append)');
    for (const [bad, shown] of [
      [3, '3'],
      [1e12, '1000000000000'],
      [-1, '-1'],
      [1.5, '1.5'],
      [NaN, 'nan'],
    ])
      rangeError(() => s.moveRule('a', bad), shown, 'from 0 to 2');
    assert.equal(ids(), 'abc');
    assert.deepEqual([...s.totals()], [6, 6]);
    // In range: inserted or moved exactly there; -1 (and no index) appends.
    s.addRule({ id: 'x', points: 1 }, 3);
    s.addRule({ id: 'y', points: 1 }, -1);
    s.addRule({ id: 'z', points: 1 }, 0);
    s.moveRule('a', 5);
    assert.equal(ids(), 'zbcxya');
  } finally {
    s.dispose?.();
    leads.dispose();
  }
});

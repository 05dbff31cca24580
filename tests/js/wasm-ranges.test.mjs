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

// Every other index or count argument of the facade (issue 28): a value that is not a whole number
// in range is a LeadScoreError code "range" whose `field` names the argument, never a clamp; the
// scorer's rules and totals are unchanged afterwards, and the same arguments in range work.
test('index and count arguments out of range are range errors naming the argument', { skip }, async () => {
  const ls = await (await import(new URL('../../dist/leadscore.mjs', import.meta.url).href)).load();
  const leads = ls.loadLeads('id,n\n1,5\n2,7\n3,1\n');
  const tiers = [{ name: 'Hot', min: 6 }, { name: 'Cold' }];
  const s = ls.score(leads, { rules: [{ id: 'n', points: 1, per: 'n' }], tiers }); // totals 5, 7, 1
  const other = ls.score(leads, { ...RULES, tiers });
  const before = JSON.stringify({ rules: s.rules, totals: [...s.totals()] });
  const rangeError = (fn, field, shown) =>
    assert.throws(fn, (e) => {
      assert.equal(e.name, 'LeadScoreError', e.message);
      assert.equal(e.code, 'range', `${field}: ${e.message}`);
      assert.equal(e.field, field, e.message);
      assert.ok(e.message.includes(`${field} ${shown} is out of range`), e.message);
      return true;
    });
  try {
    for (const [bad, shown] of [
      [-1, '-1'],
      [0.5, '0.5'],
      [NaN, 'NaN'],
      [1e12, '1000000000000'],
      ['2', '"2"'],
    ]) {
      if (bad !== 1e12) rangeError(() => s.top(bad), 'n', shown); // at most n: 1e12 is all
      rangeError(() => s.toCSV({ begin: bad }), 'begin', shown);
      rangeError(() => s.summary({ bins: bad }), 'bins', shown);
      rangeError(() => s.histogram({ lo: 0, hi: 10, bins: bad }), 'bins', shown);
      if (typeof bad === 'number') rangeError(() => s.top(0, { tier: bad }), 'tier', shown);
      if (bad !== 1e12)
        rangeError(() => ls.listMigration(s, other, { from: 'Hot', to: 'Cold', limit: bad }), 'limit', shown);
    }
    rangeError(() => s.toCSV({ begin: 2, end: 1 }), 'end', '1');
    rangeError(() => s.toCSV({ end: 1.5 }), 'end', '1.5');
    rangeError(() => s.summary({ bins: 0 }), 'bins', '0');
    rangeError(() => s.summary({ bins: ls.limits.maxBins + 1 }), 'bins', '10001');
    rangeError(() => s.top(0, { tier: 2 }), 'tier', '2');
    rangeError(() => s.ledger(3), 'lead', '3');
    assert.equal(JSON.stringify({ rules: s.rules, totals: [...s.totals()] }), before);
    // In range: exactly what was asked.
    assert.deepEqual([...s.top(2)], [1, 0]);
    assert.deepEqual([...s.top(1e12)], [1, 0, 2]);
    assert.equal(s.toCSV({ begin: 1, end: 2, header: false }).split('\r\n').length, 2);
    assert.equal(s.toCSV({ begin: 3 }), '');
    assert.equal(s.toCSV({ begin: 2, end: 1e9 }), s.toCSV({ begin: 2, end: 3 })); // past the end: to the end
    assert.equal(s.summary({ bins: ls.limits.maxBins }).histogram.length, ls.limits.maxBins);
    assert.deepEqual([...s.top(0, { tier: 1 })], [0, 2]);
  } finally {
    s.dispose();
    other.dispose();
    leads.dispose();
  }
});

// The core's limits reach JS whole (no second copy), and a rule set over maxRuleSetBytes is
// refused before it is copied into wasm memory or parsed, naming the limit; the rules stay.
test('limits come from the core; a rule set over 64 MiB is refused with code limit', { skip }, async () => {
  const ls = await (await import(new URL('../../dist/leadscore.mjs', import.meta.url).href)).load();
  const l = ls.limits;
  assert.equal(l.maxRuleSetBytes, 64 * 2 ** 20);
  assert.equal(l.maxBins, 10000);
  assert.equal(l.maxRules, 2000);
  assert.equal(l.maxPoints, 1e15);
  assert.equal(l.maxUnitPoints, 1e300);
  assert.equal(l.maxConditionDepth, 512);
  const leads = ls.loadLeads('id,n\n1,5\n2,7\n');
  const s = ls.score(leads, RULES);
  const huge = ' '.repeat(l.maxRuleSetBytes + 1);
  const tooLarge = (e) =>
    e.name === 'LeadScoreError' && e.code === 'limit' && e.message.includes('larger than 64 MiB')
      ? true
      : assert.fail(e.message);
  try {
    assert.throws(() => s.setRules(huge), tooLarge);
    assert.throws(() => ls.checkRules(huge), tooLarge);
    assert.throws(() => s.addRule(`{"id": "x", "points": 1, "label": "${'a'.repeat(l.maxRuleSetBytes)}"}`), tooLarge);
    assert.throws(
      () => ls.apply({ var: 'a' }, { a: huge }),
      (e) => e.code === 'limit' && /larger than 64 MiB/.test(e.message),
    );
    assert.equal(s.rules.rules.map((r) => r.id).join(''), 'abc');
    assert.deepEqual([...s.totals()], [6, 6]);
  } finally {
    s.dispose();
    leads.dispose();
  }
});

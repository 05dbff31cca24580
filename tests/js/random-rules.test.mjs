// Seeded random rule sets over realistic leads (tests/js/random-rules.mjs): leadscore's totals
// (dist/leadscore.mjs, the compiled kernels: substring sets, prefixes, folded text, arithmetic,
// if) equal json-logic-engine's, lead by lead, and so do the fast plain-JS baseline's
// (bench/plainjs.mjs) on rows of one shape. Also every cell of the shape benchmark
// (bench/shapes.mjs). Few seeds x 1,500 leads: a second or two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LogicEngine } from 'json-logic-engine';
import { addExtensionOps } from './extension-ops.mjs';
import { makeLeads, randomRuleSet } from './random-rules.mjs';
import { compareTotals, prepare, scoreWith } from '../../bench/engines.mjs';
import { plainScorer, uniformRows } from '../../bench/plainjs.mjs';
import { CELLS, ruleSetOf } from '../../bench/shapes.mjs';

const distUrl = new URL('../../dist/leadscore.mjs', import.meta.url);
const skip = existsSync(fileURLToPath(distUrl)) ? false : 'dist/leadscore.mjs is missing: ./scripts/build.sh module';
const ls = skip ? null : await (await import(distUrl.href)).load();

const { rows, csv } = makeLeads(1500, 11);
const urows = uniformRows(rows);
const engine = addExtensionOps(new LogicEngine());
// json-logic-engine per rule and lead; a condition that throws does not fire (docs/rules.md).
function oracle(rs) {
  return scoreWith(prepare(rs), rows, (r, row) => {
    try {
      return engine.truthy(engine.run(r.when, row));
    } catch {
      return false;
    }
  });
}
function wasm(leads, rs) {
  const s = ls.score(leads, rs);
  const t = s.totals();
  s.dispose();
  return t;
}
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

test('random rule sets: plain JS baseline equals json-logic-engine', () => {
  for (const seed of SEEDS) {
    const rs = randomRuleSet(seed);
    const c = compareTotals(oracle(rs), plainScorer(rs)(urows));
    assert.equal(c.mismatches, 0, `seed ${seed}: ${c.why}`);
  }
});

test('random rule sets: leadscore equals json-logic-engine', { skip }, () => {
  const leads = ls.loadLeads(csv, { rules: randomRuleSet(1) });
  try {
    let fired = 0;
    for (const seed of SEEDS) {
      const rs = randomRuleSet(seed);
      const want = oracle(rs);
      const c = compareTotals(want, wasm(leads, rs));
      assert.equal(c.mismatches, 0, `seed ${seed}: ${c.why}\n${JSON.stringify(rs.rules)}`);
      fired += want.filter((x) => x !== 0).length;
    }
    assert.ok(fired > 1000, 'the rules fire on many leads');
  } finally {
    leads.dispose();
  }
});

test('shape benchmark cells: leadscore and plain JS equal json-logic-engine', { skip }, () => {
  const leads = ls.loadLeads(csv, { rules: ruleSetOf(null) });
  try {
    for (const [col, op, when] of CELLS) {
      const rs = ruleSetOf(when);
      const want = oracle(rs);
      const c = compareTotals(want, wasm(leads, rs));
      assert.equal(c.mismatches, 0, `${col} ${op}: ${c.why}`);
      const p = compareTotals(want, plainScorer(rs)(urows));
      assert.equal(p.mismatches, 0, `${col} ${op} (plain JS): ${p.why}`);
    }
  } finally {
    leads.dispose();
  }
});

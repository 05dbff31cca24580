// The reference scorer against the committed golden fixtures (node --test tests/js/).
//  - its output deep-equals each fixture's expected.json (regenerate with gen-golden.mjs);
//  - it agrees with the totals/tiers worked out by hand in hand.json, where present;
//  - every ledger adds up: group score = clamp(sum of its rules' points), total = clamp(sum of
//    group scores), and the lead's total/groups equal the ledger's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreAll } from './reference-scorer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden');
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const names = readJson(join(root, 'index.json'));

const clamp = (v, b = {}) => (b.min != null && v < b.min ? b.min : b.max != null && v > b.max ? b.max : v);
const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

test('index.json lists every fixture directory exactly once', () => {
  const dirs = readdirSync(root)
    .filter((d) => statSync(join(root, d)).isDirectory())
    .sort();
  assert.deepEqual([...names].sort(), dirs);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.length >= 8);
});

for (const name of names) {
  const dir = join(root, name);
  const rules = readJson(join(dir, 'rules.json'));
  const leads = readJson(join(dir, 'leads.json'));
  const actual = scoreAll(rules, leads);

  test(`${name}: reference scorer matches expected.json`, () => {
    const expected = readJson(join(dir, 'expected.json'));
    assert.equal(expected.leads.length, leads.length);
    assert.ok(leads.length >= 5 && leads.length <= 40, 'fixtures stay small');
    // Round-trip through JSON so the comparison sees what the file can hold.
    assert.deepEqual(JSON.parse(JSON.stringify(actual)), expected.leads);
  });

  if (existsSync(join(dir, 'hand.json'))) {
    test(`${name}: reference scorer agrees with the hand-computed hand.json`, () => {
      const hand = readJson(join(dir, 'hand.json'));
      assert.equal(hand.totals.length, leads.length);
      hand.totals.forEach((t, i) =>
        assert.ok(close(actual[i].total, t), `lead ${i}: total ${actual[i].total}, by hand ${t}`),
      );
      assert.deepEqual(
        actual.map((r) => r.tier),
        hand.tiers,
      );
      if (hand.salesReady)
        assert.deepEqual(
          actual.map((r) => r.salesReady),
          hand.salesReady,
        );
      if (hand.cells)
        assert.deepEqual(
          actual.map((r) => r.cell),
          hand.cells,
        );
      if (hand.errors)
        assert.deepEqual(
          actual.map((r) => (r.ledger.errors ?? []).map((e) => e.id)),
          hand.errors,
        );
    });
  }

  test(`${name}: every ledger adds up`, () => {
    const groups = rules.groups ?? [{ id: 'fit' }, { id: 'engagement' }];
    const groupOf = new Map((rules.rules ?? []).map((r) => [r.id, r.group ?? groups[0].id]));
    const disabled = new Set((rules.rules ?? []).filter((r) => r.enabled === false).map((r) => r.id));
    actual.forEach((lead, i) => {
      const l = lead.ledger;
      assert.deepEqual(
        l.groups.map((g) => g.id),
        groups.map((g) => g.id),
        `lead ${i}: groups in order`,
      );
      let sum = 0;
      for (const g of groups) {
        const lg = l.groups.find((x) => x.id === g.id);
        const entries = l.rules.filter((r) => groupOf.get(r.id) === g.id);
        let s = 0;
        for (const e of entries) {
          assert.ok(!disabled.has(e.id), `lead ${i}: disabled rule ${e.id} in the ledger`);
          assert.equal(e.group, g.id);
          s += e.points;
        }
        assert.equal(lg.sum, s, `lead ${i}, group ${g.id}: sum of its rules`);
        assert.equal(lg.score, clamp(s, g), `lead ${i}, group ${g.id}: score = clamp(sum)`);
        assert.equal(lead.groups[g.id], lg.score);
        sum += lg.score;
      }
      assert.equal(l.sum, sum, `lead ${i}: ledger sum`);
      assert.equal(l.total, clamp(sum, rules.total), `lead ${i}: total = clamp(sum of groups)`);
      assert.equal(lead.total, l.total);
    });
  });
}

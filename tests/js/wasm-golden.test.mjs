// The golden fixtures through the WebAssembly API (node --test tests/js/): the same checks
// tests/test_golden.cpp makes on the C++ scorer, made on dist/leadscore.mjs. For every fixture in
// tests/fixtures/golden/index.json, from leads.json and (when present) leads.csv: identical
// totals, group scores, tiers and actions, salesReady, matrix cells, ledgers (rules that fired
// with raw/points/clipped/value/note, groups with sum/score/clipped, errors), and per-rule stats.
// Skips (with the reason) when dist/leadscore.mjs has not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const distUrl = new URL('../../dist/leadscore.mjs', import.meta.url);
const skip = existsSync(fileURLToPath(distUrl))
  ? false
  : 'dist/leadscore.mjs is missing: build it first (cmake --build build/wasm --target leadscore_single)';
const ls = skip ? null : await (await import(distUrl.href)).load();

const goldenDir = new URL('../fixtures/golden/', import.meta.url);
const readText = (rel) => readFileSync(new URL(rel, goldenDir), 'utf8');
const names = JSON.parse(readText('index.json'));
const str = (o, k) => (o && o[k] !== undefined ? o[k] : '');

// C++ uses EXPECT_DOUBLE_EQ (4 ULPs); the wasm core computes the same doubles, so equality is
// expected here, with the same 4-ULP allowance for the reference scorer's own summation.
function sameNumber(got, want, what) {
  if (Object.is(got, want) || got === want) return;
  const ulp = Math.abs(want) * Number.EPSILON || Number.MIN_VALUE;
  assert.ok(Math.abs(got - want) <= 4 * ulp, `${what}: got ${got}, want ${want}`);
}

function checkLedger(got, want, where) {
  sameNumber(got.total, want.total, `${where}: ledger total`);
  sameNumber(got.sum, want.sum, `${where}: ledger sum`);
  assert.equal(str(got, 'clipped'), str(want, 'clipped'), `${where}: total clipped`);

  assert.equal(got.groups.length, want.groups.length, `${where}: ledger groups`);
  want.groups.forEach((wg, k) => {
    const gg = got.groups[k];
    assert.equal(gg.id, wg.id, `${where}: ledger group ${k}`);
    sameNumber(gg.sum, wg.sum, `${where}: group ${wg.id} sum`);
    sameNumber(gg.score, wg.score, `${where}: group ${wg.id} score`);
    assert.equal(str(gg, 'clipped'), str(wg, 'clipped'), `${where}: group ${wg.id} clipped`);
  });

  assert.deepEqual(
    got.rules.map((e) => e.id),
    want.rules.map((e) => e.id),
    `${where}: rules that fired, in ledger order`,
  );
  want.rules.forEach((wr, k) => {
    const gr = got.rules[k];
    const w = `${where}: ledger rule ${wr.id}`;
    assert.equal(gr.group, wr.group, `${w} group`);
    sameNumber(gr.raw, wr.raw, `${w} raw`);
    sameNumber(gr.points, wr.points, `${w} points`);
    assert.equal(str(gr, 'clipped'), str(wr, 'clipped'), `${w} clipped`);
    assert.equal('value' in gr, 'value' in wr, `${w}: per-unit value present`);
    if ('value' in gr && 'value' in wr) sameNumber(gr.value, wr.value, `${w} value`);
    assert.equal('note' in gr, 'note' in wr, `${w}: note present`);
  });

  assert.deepEqual(
    (got.errors ?? []).map((e) => e.id),
    (want.errors ?? []).map((e) => e.id),
    `${where}: rules whose condition threw`,
  );
}

function checkFixtureInput(name, rulesText, leadsFile, expected) {
  const where0 = `${name}/${leadsFile}`;
  const leads = ls.loadLeads(readFileSync(new URL(`${name}/${leadsFile}`, goldenDir)), { rules: rulesText });
  let scorer;
  try {
    assert.deepEqual(leads.problems, [], `${where0}: load problems`);
    const wantLeads = expected.leads;
    assert.equal(leads.rows, wantLeads.length, `${where0}: number of leads`);

    scorer = ls.score(leads, rulesText);
    const rs = scorer.rules;
    const res = scorer.results();
    assert.equal(res.totals.length, wantLeads.length);
    for (const arr of [res.tiers, res.salesReady, res.fitBands, res.engagementBands])
      assert.equal(arr.length, wantLeads.length);
    // The single-array getters agree with results().
    assert.deepEqual(scorer.totals(), res.totals);
    assert.deepEqual(scorer.tiers(), res.tiers);
    rs.groups.forEach((g, k) => assert.deepEqual(scorer.groupScores(k), scorer.groupScores(g.id)));

    wantLeads.forEach((want, i) => {
      const where = `${where0}: lead ${i}`;
      sameNumber(res.totals[i], want.total, `${where}: total`);
      assert.equal(rs.groups.length, Object.keys(want.groups).length, `${where}: groups`);
      for (const g of rs.groups) sameNumber(res.groups[g.id][i], want.groups[g.id], `${where}: group ${g.id}`);
      const tier = rs.tiers[res.tiers[i]];
      assert.ok(tier, `${where}: tier index ${res.tiers[i]}`);
      assert.equal(tier.name, want.tier, `${where}: tier`);
      assert.equal(tier.action ?? '', want.action, `${where}: tier action`);
      assert.equal(res.salesReady[i] !== 0, want.salesReady, `${where}: salesReady`);
      if (want.cell !== undefined) {
        assert.ok(rs.matrix, `${where}: matrix`);
        assert.ok(res.fitBands[i] >= 0 && res.engagementBands[i] >= 0, `${where}: bands`);
        const cell =
          rs.matrix.fit.bands[res.fitBands[i]].label + rs.matrix.engagement.bands[res.engagementBands[i]].label;
        assert.equal(cell, want.cell, `${where}: matrix cell`);
      } else {
        assert.equal(res.fitBands[i], -1, `${where}: no matrix`);
        assert.equal(res.engagementBands[i], -1, `${where}: no matrix`);
      }

      const l = scorer.ledger(i);
      assert.equal(l.lead, i);
      // The ledger's own arithmetic, and agreement with results().
      let totalSum = 0;
      rs.groups.forEach((g, k) => {
        const lg = l.groups[k];
        assert.equal(lg.id, g.id);
        const sum = l.rules.filter((e) => e.group === g.id).reduce((a, e) => a + e.points, 0);
        sameNumber(lg.sum, sum, `${where}: group ${g.id} ledger sum`);
        const clamp = (v) => (g.min !== undefined && v < g.min ? g.min : g.max !== undefined && v > g.max ? g.max : v);
        sameNumber(lg.score, clamp(lg.sum), `${where}: group ${g.id} score = clamp(sum)`);
        sameNumber(res.groups[g.id][i], lg.score, `${where}: results vs ledger, group ${g.id}`);
        totalSum += lg.score;
      });
      sameNumber(l.sum, totalSum, `${where}: ledger sum of groups`);
      sameNumber(res.totals[i], l.total, `${where}: results vs ledger total`);
      assert.equal(l.tier, want.tier);
      assert.equal(l.action, want.action);
      assert.equal(l.salesReady, want.salesReady);
      assert.equal(str(l, 'cell'), str(want, 'cell'));
      assert.equal(str(l, 'cellAction'), str(want, 'cellAction'));
      checkLedger(l, want.ledger, where);
    });

    // Per-rule statistics agree with the expected ledgers.
    const fired = {},
      errors = {};
    for (const want of wantLeads) {
      for (const e of want.ledger.rules) fired[e.id] = (fired[e.id] ?? 0) + 1;
      for (const e of want.ledger.errors ?? []) errors[e.id] = (errors[e.id] ?? 0) + 1;
    }
    for (const st of scorer.stats) {
      assert.equal(st.fired, fired[st.id] ?? 0, `${where0}: rule ${st.id} fired`);
      assert.equal(st.errors, errors[st.id] ?? 0, `${where0}: rule ${st.id} errors`);
    }
  } finally {
    scorer?.dispose();
    leads.dispose();
  }
}

test('the golden index lists enough fixtures', { skip }, () => {
  assert.ok(names.length >= 8, `${names.length} fixtures`);
});

let csvChecked = 0;
for (const name of names) {
  test(`golden fixture ${name}`, { skip }, () => {
    const rulesText = readText(`${name}/rules.json`);
    const expected = JSON.parse(readText(`${name}/expected.json`));
    checkFixtureInput(name, rulesText, 'leads.json', expected);
    if (existsSync(fileURLToPath(new URL(`${name}/leads.csv`, goldenDir)))) {
      checkFixtureInput(name, rulesText, 'leads.csv', expected);
      csvChecked++;
    }
  });
}

test('some fixtures also come as CSV', { skip }, () => {
  assert.ok(csvChecked >= 3, `${csvChecked} CSV fixtures checked`);
});

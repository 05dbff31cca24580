// Outcomes, evaluate, compare and listMigration through the JS API (dist/leadscore.mjs) and the
// worker (node --test tests/js/):
//  - the small hand-computed case of tests/metrics_cases.h gives the same numbers here;
//  - bank-full.csv: ls evaluate/compare reports equal the native CLI's JSON exactly (the CLI's
//    numbers are checked against scikit-learn by tests/metrics/sklearn_check.py);
//  - Olist leads + closed deals as two files (text, bytes or loaded Leads) equal the CLI;
//  - all-positive / all-negative / unknown outcomes give null + reason, never NaN;
//  - errors are LeadScoreErrors with code and field; a worker gives the in-process results.
// Skips (with the reason) when dist/leadscore.mjs or the native CLI has not been built.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const DIST = path('../../dist/leadscore.mjs');
const WORKER = path('../../wasm/worker.mjs');
const CLI = path('../../build/native/cli/leadscore');
const BANK = path('../data/bank-marketing/bank-full.csv');
const BANK_RULES = path('../../samples/bank-rules.json');
const OLIST = path('../data/olist-like/');
const OLIST_RULES = path('../../samples/olist-rules.json');

const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: build it first (./scripts/build.sh wasm)';
const skipCli = skip || (existsSync(CLI) ? false : 'build/native/cli/leadscore is missing: ./scripts/build.sh');
const mod = skip ? null : await import(pathToFileURL(DIST).href);
const ls = skip ? null : await mod.load();
const { LeadScoreError } = mod ?? {};

let dir = null,
  remote = null;
if (!skip) {
  const { connect } = await import('../../wasm/worker-client.mjs');
  dir = mkdtempSync(join(tmpdir(), 'leadscore-metrics-'));
  copyFileSync(DIST, join(dir, 'leadscore.mjs'));
  copyFileSync(WORKER, join(dir, 'worker.mjs'));
  remote = connect(new Worker(pathToFileURL(join(dir, 'worker.mjs'))));
}
after(() => {
  remote?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------------------ the hand-computed case
const ROWS = [
  'A,yes,yes,closed',
  'A,yes,no,open',
  'A,no,yes,closed',
  'A,no,yes,closed',
  'C,yes,no,open',
  'C,yes,pending,open',
  'C,no,no,open',
  'C,no,yes,closed',
  'C,no,no,open',
  'C,no,,open',
  'C,yes,no,open',
  'C,no,no,open',
];
const small = (copies = 1) => {
  const out = ['id,title,flag,y,status'];
  let id = 1;
  for (let c = 0; c < copies; c++) for (const r of ROWS) out.push(`${id++},${r}`);
  return out.join('\n') + '\n';
};
const smallRules = (r1, r2) => ({
  name: 'v',
  groups: [{ id: 'fit' }, { id: 'engagement' }],
  rules: [
    { id: 'r1', group: 'fit', points: r1, when: { '==': [{ var: 'title' }, 'A'] } },
    { id: 'r2', group: 'engagement', points: r2, when: { var: 'flag' } },
  ],
  tiers: [{ name: 'Hot', min: 25 }, { name: 'Warm', min: 15 }, { name: 'Cold' }],
  salesReady: 'Hot',
  matrix: {
    fit: { bands: [{ label: 'A', min: 20 }, { label: 'B' }] },
    engagement: { bands: [{ label: '1', min: 10 }, { label: '2' }] },
  },
});

const noNaN = (v) =>
  typeof v === 'number'
    ? Number.isFinite(v)
    : Array.isArray(v)
      ? v.every(noNaN)
      : v && typeof v === 'object'
        ? Object.values(v).every(noNaN)
        : true;
const cli = (...args) => JSON.parse(execFileSync(CLI, args, { maxBuffer: 1 << 28 }).toString());

test('hand-computed evaluation', { skip }, () => {
  const leads = ls.loadLeads(small());
  const outcomes = leads.outcomes('y');
  assert.deepEqual([...outcomes.values()], [1, 0, 1, 1, 0, -1, 0, 1, 0, -1, 0, 0]);
  assert.equal(outcomes.info.unknownValues[0].value, 'pending');
  assert.equal(outcomes.info.missing, 1);
  const scorer = ls.score(leads, smallRules(20, 10));
  const e = scorer.evaluate(outcomes);
  assert.ok(noNaN(e));
  assert.equal(e.known, 10);
  assert.equal(e.baseRate, 0.4);
  assert.deepEqual(
    e.tiers.map((t) => [t.tier, t.count, t.known, t.positives]),
    [
      ['Hot', 2, 2, 1],
      ['Warm', 2, 2, 2],
      ['Cold', 8, 6, 1],
    ],
  );
  assert.deepEqual(
    e.cells.map((c) => [c.cell, c.count, c.known, c.positives]),
    [
      ['A1', 2, 2, 1],
      ['A2', 2, 2, 2],
      ['B1', 3, 2, 0],
      ['B2', 5, 4, 1],
    ],
  );
  assert.deepEqual(
    e.deciles.map((d) => d.positives),
    [1, 0, 1, 1, 0, 0, 0, 1, 0, 0],
  );
  assert.ok(Math.abs(e.roc.auc - 17 / 24) < 1e-15);
  assert.deepEqual(
    e.roc.points.map((p) => [p.fpr, p.tpr, p.threshold]),
    [
      [0, 0, null],
      [1 / 6, 0.25, 30],
      [1 / 6, 0.75, 20],
      [3 / 6, 0.75, 10],
      [1, 1, 0],
    ],
  );
  const sr = e.salesReady;
  assert.deepEqual(
    [sr.threshold, sr.selected, sr.conversions, sr.precision, sr.recall, sr.tp, sr.fp, sr.fn, sr.tn],
    [25, 2, 1, 0.5, 0.25, 1, 1, 3, 5],
  );
  assert.deepEqual(e.rules[0].flags, ['no_lift']);
  // ten copies: the same rates, so only z grows; the status column is a leak
  const leads10 = ls.loadLeads(small(10));
  const e10 = ls.score(leads10, smallRules(20, 10)).evaluate(leads10.outcomes('y'), { capacity: { share: 0.1 } });
  assert.deepEqual(
    e10.rules.map((r) => r.flags),
    [[], ['opposite_lift']],
  );
  assert.equal(e10.columns[0].column, 'status');
  assert.equal(e10.columns[0].leak, true);
  assert.ok(e10.warnings.some((w) => w.code === 'leakage' && w.field === 'status'));
  assert.equal(e10.capacity.capacity, 12);
  assert.equal(
    ls.score(leads10, smallRules(20, 10)).evaluate(leads10.outcomes('y'), { leakage: false }).columns.length,
    0,
  );
});

test('hand-computed comparison and listMigration', { skip }, () => {
  const leads = ls.loadLeads(small());
  const o = leads.outcomes('y');
  const a = ls.score(leads, smallRules(20, 10)),
    b = ls.score(leads, smallRules(5, 25));
  const c = ls.compare(a, b, { outcomes: o, capacity: 5, bins: 3 });
  assert.ok(noNaN(c));
  assert.equal(c.changed, 5);
  assert.deepEqual(c.tiers.counts, [
    [2, 0, 0],
    [0, 0, 2],
    [3, 0, 5],
  ]);
  assert.deepEqual(c.cells.counts, [
    [0, 0, 2, 0],
    [0, 0, 0, 2],
    [0, 0, 3, 0],
    [0, 0, 0, 5],
  ]);
  assert.deepEqual(c.salesReady, { up: 3, down: 0, both: 2, neither: 7 });
  assert.deepEqual(c.histogram, { edges: [0, 10, 20, 30], a: [5, 3, 4], b: [7, 0, 5] });
  assert.deepEqual(
    c.movers.map((m) => m.lead),
    [2, 3, 4, 5, 10],
  );
  assert.deepEqual(c.movers[0].rules, [
    { id: 'r1', label: 'r1', a: 20, b: 5, delta: -15, firedA: true, firedB: true, inA: true, inB: true },
  ]);
  assert.deepEqual(
    [c.capacity.a.threshold, c.capacity.a.precision, c.capacity.b.threshold, c.capacity.b.precision],
    [20, 0.75, 25, 0.25],
  );
  assert.deepEqual(c.evaluation.a, a.evaluate(o));
  assert.deepEqual([...ls.listMigration(a, b, { from: 'Cold', to: 'Hot' })], [4, 5, 10]);
  assert.deepEqual([...ls.listMigration(a, b, { kind: 'cell', from: 'A1', to: 'B1' })], [0, 1]);
  assert.deepEqual([...ls.listMigration(a, b, { from: 'Cold', to: 'Cold', limit: 2 })], [6, 7]);
  assert.ok(ls.listMigration(a, b, { from: 'Cold', to: 'Hot' }) instanceof Int32Array);
  // edits re-score; the next report follows
  b.replaceRule('r2', { id: 'r2', group: 'engagement', points: 10, when: { var: 'flag' } });
  b.replaceRule('r1', { id: 'r1', group: 'fit', points: 20, when: { '==': [{ var: 'title' }, 'A'] } });
  assert.equal(ls.compare(a, b).changed, 0);
});

test('undefined metrics are null with a reason, never NaN', { skip }, () => {
  for (const [value, code] of [
    ['yes', 'one_class'],
    ['no', 'one_class'],
    ['maybe', 'no_outcomes'],
  ]) {
    const csv = [
      'id,title,flag,y',
      ...Array.from({ length: 30 }, (_, i) => `${i},${i % 3 ? 'A' : 'C'},${i % 2 ? 'yes' : 'no'},${value}`),
    ].join('\n');
    const leads = ls.loadLeads(csv);
    const e = ls.score(leads, smallRules(20, 10)).evaluate(leads.outcomes('y'), { capacity: 5 });
    assert.ok(noNaN(e), value);
    assert.equal(e.roc.auc, null);
    assert.ok(e.roc.reason.length > 0);
    assert.ok(
      e.warnings.some((w) => w.code === code),
      value,
    );
    if (value === 'no') assert.equal(e.salesReady.recall, null);
    if (value === 'maybe') assert.equal(e.baseRate, null);
  }
});

test('errors: codes, fields, nothing changes', { skip }, () => {
  const leads = ls.loadLeads(small());
  const other = ls.loadLeads(small());
  const a = ls.score(leads, smallRules(20, 10));
  const err = (fn, code) =>
    assert.throws(fn, (e) => e instanceof LeadScoreError && e.code === code && e.message.length > 10);
  assert.throws(
    () => leads.outcomes('yy'),
    (e) =>
      e instanceof LeadScoreError &&
      e.code === 'unknown_field' &&
      e.field === 'yy' &&
      /did you mean 'y'/.test(e.message),
  );
  err(() => ls.loadLeads('id,when\n1,2024-01-01\n').outcomes('when'), 'outcome');
  err(() => a.evaluate(other.outcomes('y')), 'mismatch');
  err(() => ls.compare(a, ls.score(other, smallRules(1, 1))), 'mismatch');
  err(() => ls.listMigration(a, ls.score(leads, smallRules(1, 1)), { from: 'Lukewarm', to: 'Hot' }), 'unknown_tier');
  err(() => ls.listMigration(a, a, { kind: 'cell', from: 'Z9', to: 'A1' }), 'unknown_cell');
  err(() => a.evaluate(leads.outcomes('y'), { capacity: { share: 2 } }), 'range');
  err(() => ls.compare(a, a, { capacity: -1 }), 'range');
  err(() => ls.loadOutcomes(leads, 'id', 'lead\n1\n', { idColumn: 'deal' }), 'unknown_field');
  assert.throws(() => a.evaluate({}), TypeError);
  const o = leads.outcomes('y');
  o.dispose();
  err(() => a.evaluate(o), 'disposed');
  assert.equal(a.evaluate(leads.outcomes('y')).known, 10); // still works
});

test('bank-full.csv: evaluate and compare equal the native CLI', { skip: skipCli }, () => {
  const rules = readFileSync(BANK_RULES, 'utf8');
  const leads = ls.loadLeads(readFileSync(BANK), { rules });
  const scorer = ls.score(leads, rules);
  const outcomes = leads.outcomes('y');
  const want = cli(
    'evaluate',
    '--rules',
    BANK_RULES,
    '--leads',
    BANK,
    '--outcome',
    'y',
    '--capacity',
    '10%',
    '--format',
    'json',
  );
  assert.deepEqual(want.outcomes, outcomes.info);
  delete want.outcomes;
  assert.deepEqual(scorer.evaluate(outcomes, { capacity: { share: 0.1 } }), want);
  // B: the bank rules with one rule changed and one removed, same file
  const rb = JSON.parse(rules);
  rb.rules.find((r) => r.id === 'targeted-month').points = 30;
  rb.rules = rb.rules.filter((r) => r.id !== 'cellular');
  const tmp = mkdtempSync(join(tmpdir(), 'leadscore-b-'));
  try {
    writeFileSync(join(tmp, 'b.json'), JSON.stringify(rb));
    const b = ls.score(leads, rb);
    const wantC = cli(
      'compare',
      '--rules',
      BANK_RULES,
      '--rules-b',
      join(tmp, 'b.json'),
      '--leads',
      BANK,
      '--outcome',
      'y',
      '--capacity',
      '3000',
      '--movers',
      '15',
      '--format',
      'json',
    );
    delete wantC.outcomes;
    const got = ls.compare(scorer, b, { outcomes, capacity: 3000, movers: 15 });
    assert.deepEqual(got, wantC);
    const list = ls.listMigration(scorer, b, { from: 'Cold', to: 'Warm' });
    assert.equal(list.length, got.tiers.counts[2][1]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('Olist: leads and closed deals as two files equal the CLI', { skip: skipCli }, () => {
  const rules = readFileSync(OLIST_RULES, 'utf8');
  const leads = ls.loadLeads(readFileSync(OLIST + 'olist_marketing_qualified_leads_dataset.csv', 'utf8'), { rules });
  const dealsText = readFileSync(OLIST + 'olist_closed_deals_dataset.csv', 'utf8');
  const fromText = ls.loadOutcomes(leads, 'mql_id', dealsText);
  const deals = ls.loadLeads(readFileSync(OLIST + 'olist_closed_deals_dataset.csv'));
  const fromLeads = ls.loadOutcomes(leads, 'mql_id', deals, { idColumn: 'mql_id' });
  assert.deepEqual(fromText.info, fromLeads.info);
  assert.deepEqual(fromText.values(), fromLeads.values());
  assert.equal(deals.rows, 842); // a Leads given as deals is not disposed
  const want = cli(
    'evaluate',
    '--rules',
    OLIST_RULES,
    '--leads',
    OLIST + 'olist_marketing_qualified_leads_dataset.csv',
    '--outcomes',
    OLIST + 'olist_closed_deals_dataset.csv',
    '--lead-id',
    'mql_id',
    '--format',
    'json',
  );
  assert.deepEqual(fromText.info, want.outcomes);
  delete want.outcomes;
  assert.deepEqual(ls.score(leads, rules).evaluate(fromText), want);
});

test('the worker gives the in-process results', { skip }, async () => {
  const csv = small(3);
  const leads = ls.loadLeads(csv),
    rl = await remote.loadLeads(new Blob([csv]));
  const [a, b] = [ls.score(leads, smallRules(20, 10)), ls.score(leads, smallRules(5, 25))];
  const [ra, rb] = [await remote.score(rl, smallRules(20, 10)), await remote.score(rl, smallRules(5, 25))];
  const o = leads.outcomes('y'),
    ro = await rl.outcomes('y');
  assert.deepEqual(ro.info, o.info);
  assert.deepEqual(await ro.values(), o.values());
  assert.deepEqual(await ra.evaluate(ro, { capacity: 4 }), a.evaluate(o, { capacity: 4 }));
  assert.deepEqual(
    await remote.compare(ra, rb, { outcomes: ro, capacity: { share: 0.25 } }),
    ls.compare(a, b, { outcomes: o, capacity: { share: 0.25 } }),
  );
  assert.deepEqual(await remote.compare(ra, rb), ls.compare(a, b));
  const list = await remote.listMigration(ra, rb, { from: 'Cold', to: 'Hot' });
  assert.ok(list instanceof Int32Array);
  assert.deepEqual(list, ls.listMigration(a, b, { from: 'Cold', to: 'Hot' }));
  // deals as a Blob, as text and as remote leads
  const deals = 'id,amount\n2,1\n5,1\n99,1\n';
  const want = ls.loadOutcomes(leads, 'id', deals).info;
  assert.deepEqual((await remote.loadOutcomes(rl, 'id', new Blob([deals]))).info, want);
  assert.deepEqual((await remote.loadOutcomes(rl, 'id', deals)).info, want);
  assert.deepEqual((await remote.loadOutcomes(rl, 'id', await remote.loadLeads(deals))).info, want);
  assert.equal(want.unmatched, 1);
  await assert.rejects(
    rl.outcomes('nope'),
    (e) => e.name === 'LeadScoreError' && e.code === 'unknown_field' && e.field === 'nope',
  );
  await assert.rejects(remote.listMigration(ra, rb, { from: 'X', to: 'Hot' }), (e) => e.code === 'unknown_tier');
  await ro.dispose();
  await assert.rejects(
    Promise.resolve().then(() => ra.evaluate(ro)),
    (e) => e.code === 'disposed',
  );
});

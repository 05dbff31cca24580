// The benchmark suite (bench/) at small N, for correctness only (no timing is asserted):
//  - the data generator is deterministic, extends samples/b2b-leads.csv, and its JSON rows are
//    exactly what leadscore reads from its CSV (so every engine scores the same leads);
//  - the hand-written scorer equals an independent implementation of docs/rules.md
//    (tests/js/reference-scorer.mjs, conditions through json-logic-engine), totals and tiers;
//  - `node bench/run.mjs --check`: every engine adapter (leadscore native, wasm in Node, wasm in
//    Chromium, json-logic-js, json-logic-engine interpreted and compiled, json-rules-engine) gives
//    totals identical to the hand-written scorer's, lead by lead and by checksum, and the edit
//    measurement's tier counts and histogram agree;
//  - the comparison itself catches a single differing lead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLUMNS, ensureData, leadCells, rowObject } from '../../bench/gen-leads.mjs';
import {
  ENGINES,
  checksum,
  compareTotals,
  handScore,
  parseRows,
  prepare,
  summary,
  tiersOf,
  toRulesEngine,
} from '../../bench/engines.mjs';
import { scoreAll } from './reference-scorer.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ruleSet = JSON.parse(readFileSync(join(root, 'bench/rules.json'), 'utf8'));
const DIST = join(root, 'dist/leadscore.mjs');
const NATIVE = join(root, 'build/native/bench/leadscore_bench');
const tmp = mkdtempSync(join(tmpdir(), 'ls-bench-test-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test('the generator is deterministic and its first 18 columns are the sample leads', async () => {
  const a = await ensureData(3000, join(tmp, 'a'));
  const b = await ensureData(3000, join(tmp, 'b'));
  assert.equal(readFileSync(a.csv, 'utf8'), readFileSync(b.csv, 'utf8'));
  assert.equal(readFileSync(a.json, 'utf8'), readFileSync(b.json, 'utf8'));
  const lines = readFileSync(a.csv, 'utf8').split('\r\n');
  const sample = readFileSync(join(root, 'samples/b2b-leads.csv'), 'utf8').split('\r\n');
  assert.equal(lines.length, sample.length);
  assert.equal(lines[0].split(',').length, 20);
  // Each bench row starts with the sample row (the two extra columns are appended).
  for (let i = 0; i < sample.length - 1; ++i) assert.ok(lines[i].startsWith(sample[i] + ','), `line ${i + 1}`);
  assert.equal(parseRows(readFileSync(a.json, 'utf8')).length, 3000);
});

test(
  'the JSON rows are the leads exactly as leadscore reads the CSV',
  { skip: existsSync(DIST) ? false : 'dist/ not built' },
  async () => {
    const { load } = await import(DIST);
    const ls = await load();
    const { csv, json } = await ensureData(3000, join(tmp, 'a'));
    const leads = ls.loadLeads(readFileSync(csv, 'utf8'), { rules: ruleSet });
    const rows = parseRows(readFileSync(json, 'utf8'));
    assert.equal(leads.rows, rows.length);
    assert.deepEqual(
      leads.columns.map((c) => c.name),
      COLUMNS.map((c) => c[1]),
    );
    assert.deepEqual(
      leads.columns.map((c) => c.type),
      COLUMNS.map((c) => c[2]),
    );
    for (let i = 0; i < rows.length; ++i) assert.deepEqual(leads.row(i), rows[i], `lead ${i}`);
    leads.dispose();
  },
);

test('the hand-written scorer equals the independent reference scorer (totals and tiers)', () => {
  const rows = [...leadCells(3000)].map(rowObject);
  const ref = scoreAll(ruleSet, rows);
  const totals = handScore(rows);
  const prep = prepare(ruleSet);
  const tiers = tiersOf(prep, totals);
  const names = prep.tiers.map((t) => t.name);
  for (let i = 0; i < rows.length; ++i) {
    assert.equal(totals[i], ref[i].total, `lead ${i}: ${JSON.stringify(rows[i])}`);
    assert.equal(names[tiers[i]], ref[i].tier, `lead ${i}`);
  }
  // The rule set exercises what it claims: every rule fires for some leads and not for others.
  const fired = new Map();
  for (const r of ref) for (const e of r.ledger.rules) fired.set(e.id, (fired.get(e.id) ?? 0) + 1);
  for (const r of ruleSet.rules) {
    assert.ok(fired.get(r.id) > 0, `rule ${r.id} never fires`);
    if (r.when) assert.ok(fired.get(r.id) < rows.length, `rule ${r.id} always fires`);
  }
  // Scores spread over the tiers and the caps bind somewhere.
  const s = summary(prep, totals);
  assert.ok(
    s.tiers.every((c) => c > 0),
    JSON.stringify(s),
  );
  assert.ok(ref.some((r) => r.ledger.clipped) && ref.some((r) => r.ledger.groups.some((g) => g.clipped)));
});

test('every JS engine adapter gives the hand-written totals (in-process, 500 leads)', async () => {
  const rows = [...leadCells(500)].map(rowObject);
  const want = handScore(rows);
  for (const [name, make] of Object.entries(ENGINES)) {
    const got = await (await make(ruleSet))(rows);
    assert.deepEqual(compareTotals(want, got), { mismatches: 0, first: -1, why: '' }, name);
    assert.equal(checksum(got), checksum(want), name);
  }
});

test('the comparison catches one differing lead, and the checksum sees it too', () => {
  const a = new Float64Array([10, 20, 30, 40]);
  const b = a.slice();
  b[2] = 31;
  assert.deepEqual(compareTotals(a, b), { mismatches: 1, first: 2, why: 'lead 2: 31, expected 30' });
  assert.notEqual(checksum(a), checksum(b));
  assert.equal(compareTotals(a, a.subarray(0, 3)).mismatches, 4);
  // FNV-1a 32 of the bytes of [1.0] (little-endian 00 00 00 00 00 00 f0 3f), computed by hand.
  let h = 0x811c9dc5;
  for (const byte of [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]) h = Number((BigInt(h ^ byte) * 16777619n) % 4294967296n);
  assert.equal(checksum(new Float64Array([1])), h);
});

test('the json-rules-engine translation refuses what it cannot translate', () => {
  assert.throws(() => toRulesEngine({ '+': [1, 2] }), /not translated/);
  assert.deepEqual(toRulesEngine({ '<=': [50, { var: 'x' }, 5000] }), {
    all: [
      { fact: 'x', operator: 'greaterThanInclusive', value: 50 },
      { fact: 'x', operator: 'lessThanInclusive', value: 5000 },
    ],
  });
});

test(
  'bench/run.mjs --check: every engine, identical totals',
  {
    skip: !existsSync(DIST)
      ? 'dist/ not built'
      : !existsSync(NATIVE)
        ? 'build/native/bench/leadscore_bench not built'
        : false,
    timeout: 180000,
  },
  () => {
    const r = spawnSync(process.execPath, [join(root, 'bench/run.mjs'), '--check'], {
      encoding: 'utf8',
      timeout: 170000,
    });
    const last = r.stdout.trim().split('\n').pop();
    assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    const { engines, failures } = JSON.parse(last);
    assert.deepEqual(failures, []);
    const names = new Set(engines.filter((e) => e.ok).map((e) => e.name));
    const expected = [
      'hand-written',
      'leadscore native',
      'leadscore wasm (Node)',
      'json-logic-js',
      'json-logic-engine (interpreted)',
      'json-logic-engine (compiled)',
      'json-rules-engine',
    ];
    if (existsSync('/usr/bin/chromium')) expected.push('leadscore wasm (Chromium)');
    for (const e of expected) assert.ok(names.has(e), `${e} missing from ${[...names].join(', ')}`);
  },
);

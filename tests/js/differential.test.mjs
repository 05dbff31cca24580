// The committed differential fixture is json-logic-engine's real output (node --test tests/js/):
// regenerating it with the committed seed, here and now, gives the identical file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const generator = join(here, 'gen-differential.mjs');
const fixturePath = join(here, '..', 'fixtures', 'differential', 'cases.json');
const committedText = readFileSync(fixturePath, 'utf8');
const committed = JSON.parse(committedText);

test('fixture names the engine and a seed', () => {
  assert.equal(committed.engine, 'json-logic-engine@5.0.7');
  assert.ok(Number.isInteger(committed.seed));
});

test('regenerating with the committed seed reproduces the fixture byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'differential-'));
  try {
    const out = join(dir, 'cases.json');
    execFileSync(process.execPath, [generator, '--seed', String(committed.seed), '--out', out, '--quiet'], {
      stdio: 'pipe',
    });
    const regenerated = readFileSync(out, 'utf8');
    assert.equal(regenerated.length, committedText.length, 'size differs: run node tests/js/gen-differential.mjs');
    assert.ok(regenerated === committedText, 'content differs: run node tests/js/gen-differential.mjs');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the fixture is well formed and large enough', () => {
  const { columns, rules, expected } = committed;
  assert.ok(columns.length >= 8 && columns.length <= 12);
  const leads = columns[0].values.length;
  for (const c of columns) {
    assert.ok(['number', 'boolean', 'date', 'string'].includes(c.type), c.name);
    assert.equal(c.values.length, leads, c.name);
    for (const v of c.values) {
      if (v === null) continue;
      if (c.type === 'number') assert.equal(typeof v, 'number', c.name);
      else if (c.type === 'boolean') assert.equal(typeof v, 'boolean', c.name);
      else if (c.type === 'date') assert.match(v, /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/, c.name);
      else assert.equal(typeof v, 'string', c.name);
    }
    assert.ok(c.values.includes(null), `${c.name} has missing cells`);
  }
  assert.equal(rules.length, expected.length);
  assert.ok(rules.length >= 300);
  for (const e of expected) assert.match(e, new RegExp(`^[TFE]{${leads}}$`));
  const cases = rules.length * leads;
  assert.ok(cases >= 10000, `${cases} cases`);
  const all = expected.join('');
  for (const ch of 'TFE') assert.ok(all.includes(ch), `some ${ch} outcomes`);
  assert.ok(committedText.length < 1.5e6, 'fixture stays compact');
});

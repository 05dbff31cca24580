// The bad-input catalogue (tests/fixtures/bad-inputs/index.json) against the native CLI
// (build/native/cli/leadscore): `leadscore score --strict --out F` with each bad leads file (and
// the base rules) or each bad rule set (and the base leads) exits 1 and prints the error where it
// is (file:line:column for leads; "error at line L, column C in PATH (rule 'ID')" for rule sets)
// with the catalogue's message, and F — the output of an earlier good run — is left exactly as it
// was. A readable-but-odd leads file exits 0 and prints its load note at its line and column.
// Cases the CLI cannot express are counted as skipped with the reason (load options the CLI has no
// flag for, the WebAssembly-only memory case). Skips when the CLI has not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dir, index, inputOf } from './bad-inputs-catalogue.mjs';

const CLI = process.env.LEADSCORE_CLI ?? fileURLToPath(new URL('../../build/native/cli/leadscore', import.meta.url));
const skip = existsSync(CLI) ? false : `${CLI} is missing: build it first (./scripts/build.sh)`;
const at = (f) => fileURLToPath(new URL(f, dir));

// Why a case is not run against the CLI, or null.
function cliSkip(c) {
  if (c.only && c.only !== 'native') return `only ${c.only}`;
  if (c.options) return 'load options without a CLI flag (format, maxBytes)';
  return null;
}

function run(args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  return { status: r.status, err: r.stderr ?? '', signal: r.signal };
}

// What the CLI must print for a case's error (see cli/inputs.cpp: load errors as
// file:line:column: message; rule-set errors as Diagnostic::to_string()).
function expectedParts(c, shown) {
  const x = c.expect;
  const parts = [];
  if (c.kind === 'leads') {
    if (x.line) parts.push(`${shown}:${x.line}${x.column ? `:${x.column}` : ''}: `);
  } else {
    if (x.line) parts.push(`error at line ${x.line}, column ${x.column}`);
    if (x.path) parts.push(` in ${x.path}`);
    if (x.ruleId) parts.push(`(rule '${x.ruleId}')`);
  }
  if (x.message) parts.push(x.message);
  return parts;
}

// `score --events` with the base leads, base.eventRules and base.asOf (see index.json).
const eventArgs = (events, out) => [
  'score',
  '--rules',
  at(index.base.eventRules),
  '--leads',
  at(index.base.leads),
  '--events',
  events,
  '--lead-key',
  index.base.eventOptions.leadKey,
  '--as-of',
  index.base.asOf,
  '--out',
  out,
];

// An events case: a rejected file exits 1 with its located message (a join error names the file
// and the columns it has) and leaves the earlier output alone; a readable one prints its note.
function runEventsCase(c, file, tmp) {
  const out = join(tmp, 'events-scored.csv');
  const good = run(eventArgs(at(index.base.events), out));
  assert.equal(good.status, 0, good.err);
  const before = readFileSync(out);
  const x = c.expect;
  if (x.error) {
    const r = run(['score', '--strict', ...eventArgs(file, out).slice(1)]);
    assert.equal(r.status, 1, `${c.id}: exit ${r.status} ${r.signal ?? ''}: ${r.err}`);
    const where = x.line ? `${file}:${x.line}${x.column ? `:${x.column}` : ''}: ` : `${file}: `;
    assert.ok(r.err.includes(where), `${c.id}: "${r.err}" lacks "${where}"`);
    assert.ok(r.err.includes(x.message), `${c.id}: "${r.err}" lacks "${x.message}"`);
    assert.ok(readFileSync(out).equals(before), `${c.id}: the earlier output file changed`);
    return;
  }
  const r = run(eventArgs(file, join(tmp, `${c.id}.out.csv`)));
  assert.equal(r.status, 0, `${c.id}: ${r.err}`);
  assert.ok(r.err.includes(`${file}: ${x.rows} events`), `${c.id}: ${r.err}`);
  const p = x.problem;
  const where = `${file}:${p.line}${p.column ? `:${p.column}` : ''}: note: `;
  const line = r.err.split('\n').find((l) => l.startsWith(where) && l.includes(p.message));
  assert.ok(line, `${c.id}: no note "${where}... ${p.message}" in ${r.err}`);
  if (p.field) assert.ok(line.includes(`[${p.field}]`), `${c.id}: ${line}`);
}

test(
  'every catalogue case through the CLI: exit 1 with the located message, the earlier output intact',
  { skip },
  () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ls-cli-bad-'));
    try {
      const out = join(tmp, 'scored.csv');
      const good = run(['score', '--rules', at(index.base.rules), '--leads', at(index.base.leads), '--out', out]);
      assert.equal(good.status, 0, good.err);
      const before = readFileSync(out);
      let ran = 0;
      const skipped = [];
      for (const c of index.cases) {
        const why = cliSkip(c);
        if (why) {
          skipped.push(`${c.id} (${why})`);
          continue;
        }
        const file = c.file ? at(c.file) : join(tmp, `${c.id}.${c.kind === 'rules' ? 'json' : 'csv'}`);
        if (!c.file) writeFileSync(file, inputOf(c));
        if (c.kind === 'events') {
          runEventsCase(c, file, tmp);
          ran++;
          continue;
        }
        const leads = c.kind === 'leads' ? file : at(c.leads ?? index.base.leads);
        const rules = c.kind === 'rules' ? file : at(index.base.rules);
        const x = c.expect;
        if (x.error) {
          const r = run(['score', '--strict', '--rules', rules, '--leads', leads, '--out', out]);
          assert.equal(r.status, 1, `${c.id}: exit ${r.status} ${r.signal ?? ''}: ${r.err}`);
          for (const p of expectedParts(c, file)) assert.ok(r.err.includes(p), `${c.id}: "${r.err}" lacks "${p}"`);
          assert.ok(readFileSync(out).equals(before), `${c.id}: the earlier output file changed`);
        } else {
          const other = join(tmp, `${c.id}.out.csv`);
          const r = run(['score', '--rules', rules, '--leads', leads, '--out', other]);
          assert.equal(r.status, 0, `${c.id}: ${r.err}`);
          assert.ok(r.err.includes(`scored ${x.rows} leads`), `${c.id}: ${r.err}`);
          if (x.problem) {
            const p = x.problem;
            const where = `${file}:${p.line}${p.column ? `:${p.column}` : ''}: note: `;
            const line = r.err.split('\n').find((l) => l.startsWith(where) && l.includes(p.message));
            assert.ok(line, `${c.id}: no note "${where}... ${p.message}" in ${r.err}`);
            if (p.field) assert.ok(line.includes(`[${p.field}]`), `${c.id}: ${line}`);
          }
        }
        ran++;
      }
      assert.ok(ran >= 40, `${ran} cases ran; skipped: ${skipped.join(', ')}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
);

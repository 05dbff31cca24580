// The SQL a rule set compiles to (docs/sql.md), run on real engines and compared lead by lead
// with the engine's own scores (node --test tests/js/):
//  - DuckDB through @duckdb/node-api and PostgreSQL through PGlite (in process, a real
//    PostgreSQL compiled to WebAssembly);
//  - every golden fixture (tests/fixtures/golden), every events fixture (tests/fixtures/events:
//    windows, repeats, dedupe, bands, decay, computed fields), the golden-text rule set of
//    tests/test_sql.cpp with its leads and events, the b2b events sample, the bank
//    marketing data (45,211 leads) and the Olist-like data (8,000 leads);
//  - the leads and events are loaded into the databases with the types the engine inferred
//    (numbers DOUBLE, booleans BOOLEAN, dates DATE / TIMESTAMP, texts), missing cells NULL;
//  - for every lead: total, every group score, tier and every rule's points equal the ledger's
//    (exactly; rule sets with decay within 1e-12, as the order of a floating-point sum of decayed
//    points is the database's). A rule set that cannot be translated must be refused with a
//    diagnostic naming the rule; the refused ones are listed.
// Skips (with the reason) when dist/leadscore.mjs has not been built.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { connect } from '../../wasm/worker-client.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { PGlite } from '@electric-sql/pglite';

const DIST = fileURLToPath(new URL('../../dist/leadscore.mjs', import.meta.url));
const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: build it first (./scripts/build.sh module)';
const ls = skip ? null : await (await import(pathToFileURL(DIST).href)).load();

const here = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const read = (rel) => readFileSync(here(rel), 'utf8');
const readJson = (rel) => JSON.parse(read(rel));

// ---- the cases -------------------------------------------------------------------------
function cases() {
  const out = [];
  for (const name of readJson('../fixtures/golden/index.json'))
    out.push({
      name: `golden/${name}`,
      rules: readJson(`../fixtures/golden/${name}/rules.json`),
      leads: read(`../fixtures/golden/${name}/leads.json`),
    });
  for (const name of readJson('../fixtures/events/index.json'))
    out.push({
      name: `events/${name}`,
      rules: readJson(`../fixtures/events/${name}/rules.json`),
      leads: read(`../fixtures/events/${name}/leads.csv`),
      events: read(`../fixtures/events/${name}/events.csv`),
      asOf: readJson(`../fixtures/events/${name}/hand.json`).asOf,
    });
  // The golden-text rule set of tests/test_sql.cpp (every construct, names that need quoting).
  out.push({
    name: 'sql/golden-text rules',
    rules: readJson('../fixtures/sql/rules.json'),
    leads: read('../fixtures/sql/leads.csv'),
    events: read('../fixtures/sql/events.csv'),
    asOf: '2024-03-31',
  });
  out.push({
    name: 'samples/b2b-events',
    rules: readJson('../../samples/b2b-events-rules.json'),
    leads: read('../../samples/b2b-leads.csv'),
    events: read('../../samples/b2b-events.csv'),
    asOf: '2024-03-31',
  });
  out.push({
    name: 'bank-marketing/bank-full',
    rules: readJson('../../samples/bank-rules.json'),
    leads: read('../data/bank-marketing/bank-full.csv'),
  });
  out.push({
    name: 'olist-like/mql',
    rules: readJson('../../samples/olist-rules.json'),
    leads: read('../data/olist-like/olist_marketing_qualified_leads_dataset.csv'),
  });
  return out;
}

// ---- loading typed tables ---------------------------------------------------------------
const SQL_TYPES = {
  duckdb: { number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', time: 'TIMESTAMP', string: 'VARCHAR' },
  postgres: { number: 'DOUBLE PRECISION', boolean: 'BOOLEAN', date: 'DATE', time: 'TIMESTAMP', string: 'TEXT' },
};
const ident = (n) => '"' + n.replaceAll('"', '""') + '"';
const text = (s) => "'" + String(s).replaceAll("'", "''") + "'";

// Columns {name, kind} of rows as the engine gives them (dates as ISO text; with a time of day
// when the column has one).
function typedColumns(columns, rows) {
  return columns.map((c) => {
    let kind = c.type;
    if (kind === 'date' && rows.some((r) => typeof r[c.name] === 'string' && r[c.name].includes('T'))) kind = 'time';
    return { name: c.name, kind };
  });
}

function literal(v, kind) {
  if (v === undefined || v === null) return 'NULL';
  if (kind === 'number') return String(v);
  if (kind === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (kind === 'time') return `TIMESTAMP ${text(v.replace('T', ' ').replace('Z', ''))}`;
  if (kind === 'date') return `DATE ${text(v)}`;
  return text(v);
}

// CREATE TABLE + INSERTs (1,000 rows a statement), with a row number ls_row to read leads back in order.
function tableStatements(dialect, table, cols, rows) {
  const types = SQL_TYPES[dialect];
  const defs = ['"ls_row" INTEGER', ...cols.map((c) => `${ident(c.name)} ${types[c.kind]}`)];
  const out = [`CREATE TABLE ${ident(table)} (${defs.join(', ')})`];
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows
      .slice(i, i + 1000)
      .map((r, k) => `(${[i + k, ...cols.map((c) => literal(r[c.name], c.kind))].join(', ')})`);
    out.push(`INSERT INTO ${ident(table)} VALUES ${values.join(', ')}`);
  }
  return out;
}

// The leads and events as the engine loaded them. The events' lead id takes the leads' key type
// (docs/sql.md: the join compares values of one type).
function tables(c, leads, events) {
  const leadRows = Array.from({ length: leads.rows }, (_, i) => leads.row(i));
  const leadCols = typedColumns(leads.columns, leadRows);
  const out = [{ table: 'leads', cols: leadCols, rows: leadRows }];
  if (events) {
    const info = events.info;
    const evRows = Array.from({ length: events.rows }, (_, i) => events.row(i));
    const evCols = typedColumns(info.columns, evRows);
    const keyKind = leadCols.find((x) => x.name === info.leadKey).kind;
    for (const col of evCols) if (col.name === info.leadId) col.kind = keyKind;
    if (keyKind === 'number')
      for (const r of evRows) if (r[info.leadId] !== undefined) r[info.leadId] = Number(r[info.leadId]);
    out.push({ table: 'events', cols: evCols, rows: evRows });
  }
  return out;
}

// ---- the engines --------------------------------------------------------------------------
const duck = skip ? null : await (await DuckDBInstance.create(':memory:')).connect();
const pg = skip ? null : new PGlite();
after(async () => {
  duck?.closeSync?.();
  await pg?.close();
});

const engines = {
  async duckdb(stmts, query) {
    await duck.run('DROP TABLE IF EXISTS leads; DROP TABLE IF EXISTS events');
    for (const s of stmts) await duck.run(s);
    const reader = await duck.runAndReadAll(query);
    return reader.getRowObjectsJS();
  },
  async postgres(stmts, query) {
    await pg.exec('DROP TABLE IF EXISTS leads; DROP TABLE IF EXISTS events');
    for (const s of stmts) await pg.exec(s);
    // exec (the simple protocol): PGlite's extended protocol fails on queries of ~100 kB.
    return (await pg.exec(query)).at(-1).rows;
  },
};

// ---- comparing ----------------------------------------------------------------------------
const hasDecay = (rules) =>
  (rules.groups ?? []).some((g) => g.decay) || (rules.rules ?? []).some((r) => r.events?.decay);

function compareLeads(c, scorer, rows, dialect, p) {
  const exact = !hasDecay(c.rules);
  const same = (a, b) => (exact ? a === b : Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)));
  const enabled = (c.rules.rules ?? []).filter((r) => r.enabled !== false).map((r) => r.id);
  assert.equal(rows.length, scorer.rows ?? rows.length);
  let checked = 0;
  for (const [i, row] of rows.entries()) {
    assert.equal(Number(row.ls_row), i, `${dialect}: rows in order`);
    const l = scorer.ledger(i);
    const where = `${c.name} ${dialect} lead ${i}`;
    assert.ok(same(row[`${p}score`], l.total), `${where}: score ${row[`${p}score`]}, engine ${l.total}`);
    assert.equal(row[`${p}tier`], l.tier, `${where}: tier`);
    for (const g of l.groups) {
      const got = row[`${p}score_${g.id}`];
      assert.ok(same(got, g.score), `${where}: group ${g.id} ${got} vs ${g.score}`);
    }
    const points = Object.fromEntries(l.rules.map((e) => [e.id, e.points]));
    for (const id of enabled) {
      const want = points[id] ?? 0;
      const got = row[`${p}points_${id}`];
      assert.ok(same(got + 0, want + 0), `${where}: rule ${id} ${got} vs ${want}`);
    }
    checked++;
  }
  return checked;
}

const refused = [];
const translated = [];

for (const c of skip ? [] : cases()) {
  test(`SQL on DuckDB and PostgreSQL scores as the engine: ${c.name}`, { skip, timeout: 600_000 }, async (t) => {
    const leads = ls.loadLeads(c.leads, { rules: c.rules });
    const events = c.events ? ls.loadEvents(c.events, { leads }) : null;
    const scorer = ls.score(leads, c.rules, events ? { events, asOf: c.asOf } : {});
    const stmts = {};
    for (const d of Object.keys(engines))
      stmts[d] = tables(c, leads, events).flatMap(({ table, cols, rows }) => tableStatements(d, table, cols, rows));
    // Output columns get a prefix where a lead column is already called score (golden/fractional).
    const outputs = /^(score|tier|score_.*|points_.*)$/i;
    const prefix = leads.columns.some((x) => outputs.test(x.name)) ? 'ls_' : '';
    for (const dialect of Object.keys(engines)) {
      let sql;
      try {
        sql = ls.toSql(c.rules, { dialect, leads, events, asOf: c.asOf, prefix });
      } catch (e) {
        assert.equal(e.code, 'sql', `${c.name}: refused with code sql: ${e.message}`);
        assert.ok(e.ruleId || e.diagnostics?.[0]?.ruleId, `${c.name}: the refusal names the rule`);
        refused.push(`${c.name} (${dialect}): ${e.message}`);
        t.diagnostic(`refused: ${e.message}`);
        continue;
      }
      const rows = await engines[dialect](stmts[dialect], `SELECT * FROM (\n${sql}) AS q ORDER BY "ls_row"`);
      const n = compareLeads(c, scorer, rows, dialect, prefix);
      translated.push(`${c.name} (${dialect}): ${n} leads`);
    }
    scorer.dispose?.();
  });
}

// ---- the differential fixture: json-logic-engine's own outcomes ----------------------------
// tests/fixtures/differential/cases.json holds 400 random conditions over 60 typed leads and
// json-logic-engine 5.0.7's outcome for each (T, F or E = threw). Every condition the compiler
// translates must fire in SQL exactly where the engine gave T; the others must be refused.
test('SQL conditions fire exactly where json-logic-engine is true (differential fixture)', { skip }, async (t) => {
  const fx = readJson('../fixtures/differential/cases.json');
  const n = fx.columns[0].values.length;
  const columns = fx.columns.map((c) => ({
    name: c.name,
    type: c.type,
    hasTime: c.values.some((v) => typeof v === 'string' && v.includes('T')),
  }));
  const kinds = columns.map((c) => ({ name: c.name, kind: c.type === 'date' && c.hasTime ? 'time' : c.type }));
  const rows = Array.from({ length: n }, (_, r) => Object.fromEntries(fx.columns.map((c) => [c.name, c.values[r]])));
  const ok = [];
  const why = {};
  for (const [i, when] of fx.rules.entries()) {
    try {
      ls.toSql({ rules: [{ id: `r${i}`, points: 1, when }] }, { columns });
      ok.push(i);
    } catch (e) {
      assert.ok(['sql', 'unknown_field'].includes(e.code) || e.code === 'schema', `rule ${i}: ${e.code} ${e.message}`);
      const key = e.message.replace(/^.*?rule 'r\d+': /, '').replace(/ has no faithful.*$/, '');
      why[key] = (why[key] ?? 0) + 1;
    }
  }
  t.diagnostic(`translated ${ok.length} of ${fx.rules.length} conditions; refused: ${JSON.stringify(why)}`);
  assert.ok(ok.length >= 250, `most conditions translate (${ok.length})`);
  let cases = 0;
  for (const dialect of Object.keys(engines)) {
    const stmts = tableStatements(dialect, 'leads', kinds, rows);
    // In pieces: one group summing hundreds of rules nests too deep for PGlite's stack.
    for (let k = 0; k < ok.length; k += 60) {
      const part = ok.slice(k, k + 60);
      const sql = ls.toSql(
        { rules: part.map((i) => ({ id: `r${i}`, points: 1, when: fx.rules[i] })) },
        { dialect, columns },
      );
      const got = await engines[dialect](stmts, `SELECT * FROM (\n${sql}) AS q ORDER BY "ls_row"`);
      for (const i of part)
        for (let r = 0; r < n; r++, cases++)
          assert.equal(
            got[r][`points_r${i}`],
            fx.expected[i][r] === 'T' ? 1 : 0,
            `${dialect}: ${JSON.stringify(fx.rules[i])} on lead ${r} ${JSON.stringify(rows[r])}: engine ${fx.expected[i][r]}`,
          );
    }
  }
  t.diagnostic(`${cases} condition x lead cases equal on DuckDB and PostgreSQL`);
});

test('toSql through the facade and the worker: the same query, typed by the loaded tables', { skip }, async () => {
  const c = cases().find((x) => x.name === 'events/decay');
  const leads = ls.loadLeads(c.leads, { rules: c.rules });
  const events = ls.loadEvents(c.events, { leads });
  const direct = ls.toSql(c.rules, { dialect: 'bigquery', leads, events, asOf: c.asOf });
  // A Date is its local calendar day, as for scoring.
  const [y, m, d] = c.asOf.split('-').map(Number);
  assert.equal(ls.toSql(c.rules, { dialect: 'bigquery', leads, events, asOf: new Date(y, m - 1, d) }), direct);
  assert.throws(() => ls.toSql(c.rules, { dialect: 'bigquery', leads, events }), { code: 'as_of' });
  assert.throws(() => ls.toSql(c.rules, { dialect: 'oracle' }), { code: 'options' });
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-sql-'));
  copyFileSync(DIST, join(dir, 'leadscore.mjs'));
  copyFileSync(here('../../wasm/worker.mjs'), join(dir, 'worker.mjs'));
  const remote = connect(new Worker(pathToFileURL(join(dir, 'worker.mjs'))));
  try {
    const w = await remote.workspace({ asOf: c.asOf });
    await w.loadLeads({ input: c.leads, rules: { a: c.rules } });
    await w.loadEvents({ input: c.events });
    assert.equal(await w.exportSql({ variant: 'a', dialect: 'bigquery' }), direct);
    const prefixed = await w.exportSql({ variant: 'a', dialect: 'duckdb', prefix: 'x"' });
    assert.ok(prefixed.includes(' AS "x""score" FROM'), 'the prefix is quoted with the names');
  } finally {
    remote.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('summary: what was translated and what was refused', { skip }, (t) => {
  for (const x of translated) t.diagnostic(`equal: ${x}`);
  for (const x of refused) t.diagnostic(`refused: ${x}`);
  assert.ok(translated.length >= 2 * 15, `most cases translate (${translated.length})`);
});

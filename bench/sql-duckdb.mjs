// Rules to SQL, timed: the benchmark rule set (bench/rules.json) over N generated leads
// (bench/gen-leads.mjs), scored by the native CLI and by DuckDB running the query
// `leadscore sql` writes (docs/sql.md). Numbers go to bench/SQL.md.
//
//   node bench/sql-duckdb.mjs [N=1000000] [--runs 3] [--scale K]
//
// --scale K scores K copies of the N generated leads (10M = 1M x 10 without generating 10M
// leads and their 4 GB JSON twin).
//
// Steps: (1) native `leadscore score` reads the CRM-style CSV and writes the scored CSV (timed;
// its typed columns are also what the warehouse table is loaded from, so both sides score the
// same values); (2) `leadscore sql --dialect duckdb --data` writes the query, typed from the
// same CSV; (3) DuckDB loads the typed CSV into a table (timed apart: a warehouse already has
// its table); (4) DuckDB runs the query, materialising every column (CREATE TABLE AS) and as a
// tier count (timed); the tier counts must equal the native ones.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureData, root } from './gen-leads.mjs';

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const runs = Number(args[args.indexOf('--runs') + 1] || 3);
const scale = args.includes('--scale') ? Number(args[args.indexOf('--scale') + 1]) : 1;
const cli = process.env.LEADSCORE_CLI ?? join(root, 'build', 'native', 'cli', 'leadscore');
const rules = join(root, 'bench', 'rules.json');
const tmp = mkdtempSync(join(tmpdir(), 'leadscore-sql-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms) => (ms / 1000).toFixed(2);

try {
  let { csv } = await ensureData(n);
  if (scale > 1) {
    const text = readFileSync(csv, 'utf8');
    const body = text.slice(text.indexOf('\n') + 1);
    const big = join(tmp, `leads-${n}x${scale}.csv`);
    writeFileSync(big, text);
    for (let k = 1; k < scale; k++) appendFileSync(big, body);
    csv = big;
  }
  const typed = join(tmp, 'typed.csv');

  // 1. Native: read, score, write.
  const native = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    execFileSync(cli, ['score', '--rules', rules, '--leads', csv, '--no-reasons', '--out', typed], { stdio: 'ignore' });
    native.push(performance.now() - t0);
  }

  // 2. The query, typed from the same file.
  const sqlPath = join(tmp, 'score.sql');
  execFileSync(cli, ['sql', '--rules', rules, '--dialect', 'duckdb', '--data', csv, '--out', sqlPath]);
  const sql = readFileSync(sqlPath, 'utf8');

  // 3. DuckDB loads the engine's typed values (the scored CSV's lead columns).
  const head = Buffer.alloc(4096);
  const fd = openSync(typed, 'r');
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const header = head.toString('utf8').split('\r\n')[0].split(',');
  const scoreAt = header.indexOf('score');
  const rulesJson = JSON.parse(readFileSync(rules, 'utf8'));
  const sqlType = { number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', string: 'VARCHAR' };
  const colTypes = header.map((h, i) => {
    const declared = rulesJson.fields?.[h]?.type;
    return [h, i < scoreAt && declared ? sqlType[declared] : 'VARCHAR'];
  });
  const spec = colTypes.map(([h, t]) => `'${h}': '${t}'`).join(', ');
  const leadCols = header.slice(0, scoreAt).map((h) => `"${h}"`);
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const t1 = performance.now();
  await db.run(
    `CREATE TABLE leads AS SELECT ${leadCols.join(', ')} FROM read_csv('${typed}', header = true, columns = {${spec}})`,
  );
  const load = performance.now() - t1;

  // 4. The query: every column materialised, and as tier counts.
  const full = [],
    counts = [];
  let tiers = null;
  for (let r = 0; r < runs; r++) {
    await db.run('DROP TABLE IF EXISTS scored');
    let t0 = performance.now();
    await db.run(`CREATE TABLE scored AS ${sql}`);
    full.push(performance.now() - t0);
    t0 = performance.now();
    const reader = await db.runAndReadAll(`SELECT tier, COUNT(*) AS n FROM (${sql}) AS q GROUP BY tier ORDER BY tier`);
    counts.push(performance.now() - t0);
    tiers = Object.fromEntries(reader.getRowObjectsJS().map((x) => [x.tier, Number(x.n)]));
  }
  const nativeTiers = {};
  const reader = await db.runAndReadAll(
    `SELECT tier, COUNT(*) AS n FROM read_csv('${typed}', header = true, columns = {${spec}}) GROUP BY tier`,
  );
  for (const x of reader.getRowObjectsJS()) nativeTiers[x.tier] = Number(x.n);
  const same = JSON.stringify(Object.entries(tiers).sort()) === JSON.stringify(Object.entries(nativeTiers).sort());

  const result = {
    leads: n * scale,
    csvMB: +(statSync(csv).size / 1e6).toFixed(1),
    cpus: cpus().length,
    runs,
    nativeScoreSeconds: +secs(median(native)),
    duckdbLoadSeconds: +secs(load),
    duckdbQueryMaterializedSeconds: +secs(median(full)),
    duckdbQueryTierCountSeconds: +secs(median(counts)),
    sqlBytes: sql.length,
    tiers,
    tierCountsEqualNative: same,
  };
  console.log(JSON.stringify(result, null, 2));
  writeFileSync(join(root, 'build', `sql-bench-${n * scale}.json`), JSON.stringify(result, null, 2) + '\n');
  if (!same) process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

#!/usr/bin/env node
// CSV ingestion at 20 and 30 columns, in Node and in Chromium: leadscore's loadLeads (CSV text
// -> typed table in wasm) against PapaParse (typed: header, dynamicTyping) on the same text and
// JSON.parse of the same rows as JSON, in the same run; MB/s and leads/s; and the wasm memory of
// the load (linear memory grown during it, which never shrinks, against the table's bytes).
//
//   node bench/ingest.mjs [--n 1000000] [--runs 3] [--warmup 1] [--no-browser] [--no-hint] [--no-memory]
//                         [--stream-only]   (Chromium: only the File streamed into the worker)
//
// Node rows give CPU time (process.cpuUsage: on the shared 2-core machine the wall time moves
// with the other engineers' load) and the wall time; Chromium rows give wall time.
// Prints a Markdown section (bench/RESULTS.md, "CSV ingestion at 20 and 30 columns").
// --no-hint measures memory without the loader's sizeHint (as before it existed).
import { existsSync, readFileSync } from 'node:fs';
import { ensureData, root } from './gen-leads.mjs';
import { pageResult, proc, withBrowser } from './harness.mjs';

const argv = process.argv.slice(2);
const opt = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const n = Number(opt('--n', 1000000));
const runs = Number(opt('--runs', 3));
const browser = !argv.includes('--no-browser') && existsSync('/usr/bin/chromium');
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const fmt = (x, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const log = (...a) => console.error('[ingest]', ...a);

const shapes = [
  { columns: 20, wide: false },
  { columns: 30, wide: true },
];
const rows = [];
const memory = [];
const streamed = [];
for (const s of shapes) {
  const paths = await ensureData(n, undefined, { wide: s.wide });
  const r = proc({ task: 'ingest', n, warmup: Number(opt('--warmup', 1)), runs, wide: s.wide });
  for (const [what, k] of [
    ['leadscore', 'leadscore'],
    ['PapaParse', 'papaparse'],
    ['JSON.parse', 'jsonParse'],
  ])
    if (r[k].rows !== n) throw new Error(`${what} read ${r[k].rows} rows of ${n} (${s.columns} columns, Node)`);
  rows.push({ ...s, where: 'Node ' + process.versions.node, csvBytes: r.csvBytes, jsonBytes: r.jsonBytes, r });
  log(s.columns, 'Node', JSON.stringify(r));
  s.paths = paths;
  if (argv.includes('--no-memory')) continue;
  // (the 30-column JSON is longer than V8's longest string: the wasm table alone there)
  const m = proc({ task: 'memory', n, wide: s.wide, hint: !argv.includes('--no-hint'), wasmOnly: s.wide });
  memory.push({ ...s, m });
  log(s.columns, 'memory', JSON.stringify(m));
}
if (browser)
  await withBrowser(async (b, base) => {
    for (const s of argv.includes('--stream-only') ? [] : shapes) {
      const rel = (p) => '/' + p.slice(root.length);
      const q = new URLSearchParams({
        csv: rel(s.paths.csv),
        json: rel(s.paths.json),
        rules: '/bench/rules.json',
        warmup: 1,
        runs,
      });
      const r = await pageResult(b, `${base}/bench/browser/ingest.html?${q}`, 'benchResult');
      if (r.leadscore.rows !== n || r.papaparse.rows !== n || r.jsonParse.rows !== n)
        throw new Error(`row counts in Chromium: ${JSON.stringify(r)}`);
      rows.push({ ...s, where: 'Chromium ' + b.version(), csvBytes: r.csvBytes, r });
      log(s.columns, 'Chromium', median(r.leadscore.ms), median(r.papaparse.ms), median(r.jsonParse.ms));
    }
    // A File streamed into the page's worker: time to the first scored rows, to the whole table.
    for (const s of shapes) {
      const q = new URLSearchParams({ csv: '/' + s.paths.csv.slice(root.length), rules: '/bench/rules.json' });
      const r = await pageResult(b, `${base}/bench/browser/stream.html?${q}`, 'benchResult');
      if (r.rows !== n) throw new Error(`streamed load: ${JSON.stringify(r)}`);
      streamed.push({ ...s, r });
      log(s.columns, 'streamed', JSON.stringify(r));
    }
  });

const jsonBytes = (x) => x.jsonBytes ?? readFileSync(shapes.find((s) => s.columns === x.columns).paths.json).length;
const out = [
  `### CSV ingestion at 20 and 30 columns (bench/ingest.mjs, ${fmt(n)} leads, median of ${runs})`,
  '',
  '| columns | where | CSV | leadscore | MB/s | leads/s | PapaParse (typed) | JSON.parse (JSON size) | vs PapaParse | vs JSON.parse |',
  '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const x of rows) {
  const cpu = x.r.leadscore.cpuMs !== undefined;
  const t = (k) => median(x.r[k][cpu ? 'cpuMs' : 'ms']);
  const l = t('leadscore'),
    p = t('papaparse'),
    j = t('jsonParse');
  out.push(
    `| ${x.columns} | ${x.where}${cpu ? `, CPU time (wall ${fmt(median(x.r.leadscore.ms))} ms)` : ', wall'} | ${fmt(x.csvBytes / 1e6, 1)} MB | ${fmt(l)} ms | ${fmt(x.csvBytes / 1e3 / l)} | ` +
      `${fmt((n / l) * 1000)} | ${fmt(p)} ms | ${fmt(j)} ms (${fmt(jsonBytes(x) / 1e6)} MB${x.r.jsonParse.perRow ? ', a row at a time' : ''}) | ${(p / l).toFixed(2)}× | ${(j / l).toFixed(2)}× |`,
  );
}
out.push(
  '',
  '| columns | table in wasm (malloc in use) | per lead | linear memory grown during the load | per lead | peak / table |',
  '|---:|---:|---:|---:|---:|---:|',
);
for (const { columns, m } of memory) {
  const grown = m.wasmHeapBytes - m.wasmHeapBefore;
  out.push(
    `| ${columns} | ${fmt(m.wasmTableBytes)} B | ${fmt(m.wasmTableBytes / n, 1)} | ${fmt(grown)} B | ${fmt(grown / n, 1)} | ${(grown / m.wasmTableBytes).toFixed(2)}× |`,
  );
}
if (streamed.length)
  out.push(
    '',
    `A File streamed into the page's worker in Chromium (bench/browser/stream.html: \`workspace.loadLeads({input: file, preview})\`, 1 MiB slices):`,
    '',
    '| columns | file | first scored rows | parsed | scored, in the page | wasm memory grown | per lead |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...streamed.map(
      ({ columns, r }) =>
        `| ${columns} | ${fmt(r.bytes / 1e6, 1)} MB | ${fmt(r.previewMs)} ms (${r.previewRows} rows) | ${fmt(r.parsedMs)} ms | ` +
        `${fmt(r.totalMs)} ms | ${fmt(r.heapAfter - r.heapBefore)} B | ${fmt((r.heapAfter - r.heapBefore) / n, 1)} |`,
    ),
  );
console.log(out.join('\n'));

#!/usr/bin/env node
// The largest CSV a Chromium tab loads: generated lead files of growing size streamed into the
// page's worker (bench/browser/stream.html: a File read in 1 MiB slices, as a dropped file is),
// each in a fresh tab, until a load fails; records for each size the rows, the time, the wasm
// memory and, for the failure, how it failed (the error's code and message; a crashed tab is
// a failure of this benchmark, not a result).
//
//   node bench/largest-csv.mjs [--leads 7000000,7500000] [--max-bytes N]
//
// --max-bytes passes the input limit to the load (the browser build's default is 1 GiB:
// maxBytes 0 lifts it, to find where memory ends instead). The files are bench/gen-leads.mjs's
// leads (DIR build/bench-data): a size over what gen-leads has written is made by appending
// the rows of the 1M-lead file (their ids repeat; only the size matters there).
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { DATA_DIR, ensureData, root } from './gen-leads.mjs';
import { withBrowser } from './harness.mjs';

const argv = process.argv.slice(2);
const opt = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const sizes = opt('--leads', '7000000,7500000').split(',').map(Number);
const maxBytes = opt('--max-bytes', null);
const log = (...a) => console.error('[largest-csv]', ...a);

// leads-v1-N.csv, or the largest generated file with 1M-lead rows appended up to N leads.
async function fileOf(n) {
  const exact = join(DATA_DIR, `leads-v1-${n}.csv`);
  if (existsSync(exact)) return exact;
  const base = join(DATA_DIR, 'leads-v1-7000000.csv');
  const { csv: extra } = await ensureData(1000000);
  const out = join(DATA_DIR, `leads-v1-${n}-appended.csv`);
  if (existsSync(out)) return out;
  const w = createWriteStream(out + '.tmp');
  for await (const chunk of createReadStream(base)) if (!w.write(chunk)) await once(w, 'drain');
  let left = n - 7000000,
    header = true;
  for await (const chunk of createReadStream(extra, { encoding: 'utf8' })) {
    let lines = chunk.split('\n');
    if (header) ((lines = lines.slice(1)), (header = false));
    // (a row may straddle chunks: only whole lines are counted, the straddling piece is kept whole)
    const text = lines.join('\n');
    if (!w.write(text)) await once(w, 'drain');
    left -= lines.length - 1;
    if (left <= 0) break;
  }
  w.end('\n');
  await once(w, 'finish');
  const { renameSync } = await import('node:fs');
  renameSync(out + '.tmp', out);
  return out;
}

const results = [];
await withBrowser(async (browser, base) => {
  for (const n of sizes) {
    const file = await fileOf(n);
    const bytes = statSync(file).size;
    const q = new URLSearchParams({ csv: '/' + file.slice(root.length), rules: '/bench/rules.json' });
    if (maxBytes !== null) q.set('maxBytes', maxBytes);
    const context = await browser.newContext();
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => (crashed = true));
    try {
      await page.goto(`${base}/bench/browser/stream.html?${q}`);
      await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 900000, polling: 500 });
      const r = await page.evaluate(() => window.benchResult);
      results.push({ n, bytes, ...r });
    } catch (e) {
      results.push({ n, bytes, error: crashed ? 'the tab crashed' : String(e), crashed });
    } finally {
      await context.close();
    }
    log(JSON.stringify(results.at(-1)).slice(0, 600));
  }
});

const fmt = (x, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
console.log(
  `| file | bytes | limit | result | rows | parsed + scored | wasm memory grown | per lead |\n|---|---:|---|---|---:|---:|---:|---:|`,
);
for (const r of results) {
  const grown = r.heapAfter - r.heapBefore;
  const ok = r.rows !== undefined;
  console.log(
    `| ${fmt(r.n)} leads | ${fmt(r.bytes)} | ${maxBytes === null ? '1 GiB (default)' : maxBytes === '0' ? 'none' : maxBytes} | ` +
      `${ok ? 'loaded' : `failed: ${r.code ? `${r.code}: ` : ''}${(r.message ?? r.error).split('\n')[0].slice(0, 200)}`} | ` +
      `${ok ? fmt(r.rows) : '–'} | ${ok ? fmt(r.totalMs) + ' ms' : '–'} | ${ok ? fmt(grown) + ' B' : '–'} | ${ok ? fmt(grown / r.rows, 1) : '–'} |`,
  );
}

// The benchmark's leads: N synthetic B2B leads (deterministic, seeded), 20 columns, written as
// CSV (the way a CRM exports them: messy headers, "N/A"/"Select"/empty cells, Yes/No) and as
// JSON (the same rows typed the way rules see them: numbers, true/false, texts exactly as
// written, ISO dates, missing values absent).
//
//   node bench/gen-leads.mjs N [DIR]     writes DIR/leads-N.csv and DIR/leads-N.json
//                                        (DIR defaults to build/bench-data)
//
// The first 18 columns are scripts/gen-sample.mjs's leads (same seeded stream: the first 3,000
// leads of any N are samples/b2b-leads.csv); two more columns come from a second seeded PRNG:
// "Annual Revenue" (USD millions, correlated with Employees, 8 % missing) and
// "Webinar Attended" (Yes/No, 3 % empty).
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvField, generateLeads } from '../scripts/gen-sample.mjs';
import { rng } from '../tests/js/prng.mjs';

export const root = fileURLToPath(new URL('../', import.meta.url));
export const DATA_DIR = join(root, 'build', 'bench-data');
// Bump when the generated data changes, so cached files are regenerated.
export const DATA_VERSION = 1;

// CSV header -> [field name the rules use, type]. The rule set (bench/rules.json) declares the
// same fields with these headers as aliases.
export const COLUMNS = [
  ['Lead ID', 'lead_id', 'string'],
  ['Job Title', 'title', 'string'],
  ['Company', 'company', 'string'],
  ['Industry', 'industry', 'string'],
  ['Employees', 'company_size', 'number'],
  ['Country', 'country', 'string'],
  ['Lead Source', 'source', 'string'],
  ['Email Opens', 'email_opens', 'number'],
  ['Email Clicks', 'email_clicks', 'number'],
  ['Whitepaper Downloaded', 'whitepaper', 'boolean'],
  ['Pricing Page Views', 'pricing_views', 'number'],
  ['Pricing Views (30d)', 'pricing_views_30d', 'number'],
  ['Demo Requested', 'demo_requested', 'boolean'],
  ['Unsubscribed', 'unsubscribed', 'boolean'],
  ['Last Activity', 'last_activity', 'date'],
  ['Days Since Last Activity', 'days_inactive', 'number'],
  ['Email', 'email', 'string'],
  ['Converted', 'converted', 'boolean'],
  ['Annual Revenue', 'annual_revenue', 'number'],
  ['Webinar Attended', 'webinar', 'boolean'],
];

// leadscore's default missing tokens (core/table.h LoadOptions::missing), compared trimmed and
// ignoring ASCII case.
const MISSING = new Set(['', 'n/a', 'na', 'null', 'none', '-', 'select', 'unknown']);
const isMissing = (text) => MISSING.has(text.trim().toLowerCase());

// One cell text as the rules see it; undefined = missing.
export function typed(text, type) {
  if (isMissing(text)) return undefined;
  switch (type) {
    case 'number':
      return Number(text);
    case 'boolean':
      return /^(yes|true|y|1)$/i.test(text.trim());
    default:
      return text; // strings exactly as written; dates are ISO already
  }
}

// The leads as arrays of cell texts, in COLUMNS order.
export function* leadCells(n, seed) {
  const extra = rng(0xbe7c4 ^ (seed ?? 0));
  for (const l of seed === undefined ? generateLeads(n) : generateLeads(n, seed)) {
    const employees = Number(l.Employees);
    const revenue =
      Number.isFinite(employees) && l.Employees !== '' && extra() > 0.08
        ? (Math.round(employees * (0.05 + 0.35 * extra() ** 2) * 10) / 10).toFixed(1)
        : extra() < 0.5
          ? ''
          : 'N/A';
    const webinar = extra() < 0.03 ? '' : extra() < 0.12 + 0.25 * (Number(l['Email Clicks']) > 0) ? 'Yes' : 'No';
    const cells = COLUMNS.slice(0, 18).map(([h]) => l[h]);
    cells.push(String(revenue), webinar);
    yield cells;
  }
}

// The typed row object of one lead (what JsonLogic engines get), missing values absent.
export function rowObject(cells) {
  const o = {};
  for (let c = 0; c < COLUMNS.length; ++c) {
    const v = typed(cells[c], COLUMNS[c][2]);
    if (v !== undefined) o[COLUMNS[c][1]] = v;
  }
  return o;
}

async function writeAll(path, produce) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = path + '.tmp';
  const out = createWriteStream(tmp);
  let buf = '';
  for (const piece of produce()) {
    buf += piece;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise((r, j) => out.on('finish', r).on('error', j));
  renameSync(tmp, path);
}

// Writes (or reuses) DIR/leads-N.csv and DIR/leads-N.json; returns their paths.
export async function ensureData(n, dir = DATA_DIR) {
  const csv = join(dir, `leads-v${DATA_VERSION}-${n}.csv`),
    json = join(dir, `leads-v${DATA_VERSION}-${n}.json`);
  if (!existsSync(csv) || statSync(csv).size === 0)
    await writeAll(csv, function* () {
      yield COLUMNS.map(([h]) => csvField(h)).join(',') + '\r\n';
      for (const cells of leadCells(n)) yield cells.map(csvField).join(',') + '\r\n';
    });
  if (!existsSync(json) || statSync(json).size === 0)
    await writeAll(json, function* () {
      let first = true;
      yield '[';
      for (const cells of leadCells(n)) {
        yield (first ? '\n' : ',\n') + JSON.stringify(rowObject(cells));
        first = false;
      }
      yield '\n]\n';
    });
  return { csv, json };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 10000);
  const paths = await ensureData(n, process.argv[3] ?? DATA_DIR);
  console.log(`${paths.csv} (${statSync(paths.csv).size} B)\n${paths.json} (${statSync(paths.json).size} B)`);
}

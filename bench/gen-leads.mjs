// The benchmark's leads: N synthetic B2B leads (deterministic, seeded), 20 columns, written as
// CSV (the way a CRM exports them: messy headers, "N/A"/"Select"/empty cells, Yes/No) and as
// JSON (the same rows typed the way rules see them: numbers, true/false, texts exactly as
// written, ISO dates, missing values absent).
//
//   node bench/gen-leads.mjs N [DIR]     writes DIR/leads-N.csv and DIR/leads-N.json
//                                        (DIR defaults to build/bench-data)
//   node bench/gen-leads.mjs N [DIR] --wide   the same leads with 10 more columns (30 in all:
//                                        WIDE_COLUMNS), as DIR/leads-w30-N.csv / .json
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

// The 10 columns the wide (30-column) data adds: what CRM exports carry beside the scoring
// fields (a phone per lead, places, owners, campaigns, a deal value with cents, a date).
export const EXTRA_COLUMNS = [
  ['Phone', 'phone', 'string'],
  ['City', 'city', 'string'],
  ['State', 'state', 'string'],
  ['CRM Score', 'crm_score', 'number'],
  ['Created Date', 'created', 'date'],
  ['Campaign', 'campaign', 'string'],
  ['Deal Value', 'deal_value', 'number'],
  ['Owner', 'owner', 'string'],
  ['Status', 'status', 'string'],
  ['Website Visits', 'website_visits', 'number'],
];
export const WIDE_COLUMNS = [...COLUMNS, ...EXTRA_COLUMNS];

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

// leadCells with EXTRA_COLUMNS appended (from a third seeded PRNG, so the first 20 are the same).
export function* wideLeadCells(n, seed) {
  const r = rng(0x3c0 ^ (seed ?? 0));
  const pick = (k) => Math.floor(r() * k);
  const day0 = Date.UTC(2022, 0, 1);
  for (const cells of leadCells(n, seed)) {
    const phone = `+1 ${200 + pick(800)} ${String(pick(1000)).padStart(3, '0')} ${String(pick(10000)).padStart(4, '0')}`;
    const deal = r() < 0.2 ? '' : (pick(5000000) / 100).toFixed(2);
    const created = new Date(day0 + pick(1000) * 86400000).toISOString().slice(0, 10);
    cells.push(
      phone,
      `City ${pick(200)}`,
      `S${pick(50)}`,
      r() < 0.05 ? 'N/A' : String(pick(101)),
      created,
      `Campaign ${pick(30)}`,
      deal,
      `Owner ${pick(40)}`,
      ['New', 'Working', 'Nurturing', 'Qualified', 'Disqualified'][pick(5)],
      String(pick(300)),
    );
    yield cells;
  }
}

// The typed row object of one lead (what JsonLogic engines get), missing values absent.
// (One argument: it is used as .map(rowObject).)
export const rowObject = (cells) => typedRow(cells, COLUMNS);

function typedRow(cells, columns) {
  const o = {};
  for (let c = 0; c < columns.length; ++c) {
    const v = typed(cells[c], columns[c][2]);
    if (v !== undefined) o[columns[c][1]] = v;
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

// Writes (or reuses) DIR/leads-N.csv and DIR/leads-N.json (wide: DIR/leads-w30-N.*, 30
// columns); returns their paths.
export async function ensureData(n, dir = DATA_DIR, { wide = false } = {}) {
  const base = join(dir, `leads-v${DATA_VERSION}-${wide ? 'w30-' : ''}${n}`);
  const csv = base + '.csv',
    json = base + '.json';
  const columns = wide ? WIDE_COLUMNS : COLUMNS;
  const rows = () => (wide ? wideLeadCells(n) : leadCells(n));
  if (!existsSync(csv) || statSync(csv).size === 0)
    await writeAll(csv, function* () {
      yield columns.map(([h]) => csvField(h)).join(',') + '\r\n';
      for (const cells of rows()) yield cells.map(csvField).join(',') + '\r\n';
    });
  if (!existsSync(json) || statSync(json).size === 0)
    await writeAll(json, function* () {
      let first = true;
      yield '[';
      for (const cells of rows()) {
        yield (first ? '\n' : ',\n') + JSON.stringify(typedRow(cells, columns));
        first = false;
      }
      yield '\n]\n';
    });
  return { csv, json };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2).filter((a) => a !== '--wide');
  const n = Number(args[0] ?? 10000);
  const paths = await ensureData(n, args[1] ?? DATA_DIR, { wide: process.argv.includes('--wide') });
  console.log(`${paths.csv} (${statSync(paths.csv).size} B)\n${paths.json} (${statSync(paths.json).size} B)`);
}

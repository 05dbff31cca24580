// Generates samples/b2b-events.csv: activity events for samples/b2b-leads.csv, consistent with
// each lead's CRM counts (Email Opens, Email Clicks, Pricing Page Views, Pricing Views (30d),
// Whitepaper Downloaded, Demo Requested, Last Activity) as of 2025-06-30 (the day the sample's
// "Days Since Last Activity" counts to). Deterministic. Run from the repository root:
//   node scripts/gen-sample-events.mjs [OUT]       (default samples/b2b-events.csv)
// Score them: leadscore score --rules samples/b2b-events-rules.json --leads samples/b2b-leads.csv
//             --events samples/b2b-events.csv --as-of 2025-06-30
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rng } from '../tests/js/prng.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = process.argv[2] ?? `${root}samples/b2b-events.csv`;

function parseCsv(text) {
  const rows = [];
  let row = [],
    cell = '',
    quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const AS_OF = Date.UTC(2025, 5, 30);
const DAY = 86400000;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const at = (dayMs, r) =>
  new Date(dayMs + Math.floor(r() * 14 * 3600) * 1000 + 7 * 3600 * 1000).toISOString().replace('.000', '');

const [header, ...leads] = parseCsv(readFileSync(`${root}samples/b2b-leads.csv`, 'utf8')).filter((r) => r.length > 1);
const col = (name) => header.indexOf(name);
const r = rng(20250630);
const events = [];
const CAMPAIGNS = ['nl-2025-04', 'nl-2025-05', 'nl-2025-06', 'webinar-invite', 'product-update'];
for (const lead of leads) {
  const id = lead[col('Lead ID')];
  const last = Date.parse(lead[col('Last Activity')] + 'T00:00:00Z');
  if (Number.isNaN(last)) continue;
  const lastAge = Math.round((AS_OF - last) / DAY); // no event is newer than the last activity
  const span = lastAge + 90;
  const when = (maxAge, minAge = lastAge) => AS_OF - (minAge + Math.floor(r() * Math.max(1, maxAge - minAge))) * DAY;
  const opens = +lead[col('Email Opens')] || 0,
    clicks = +lead[col('Email Clicks')] || 0;
  const views = +lead[col('Pricing Page Views')] || 0,
    views30 = lastAge >= 30 ? 0 : Math.min(views, +lead[col('Pricing Views (30d)')] || 0);
  const add = (type, dayMs, props = {}) =>
    events.push({ id, type, ts: at(dayMs, r), url: props.url ?? '', email_id: props.email_id ?? '' });
  add('page_view', last, { url: '/' }); // the last activity itself
  for (let k = 0; k < opens; k++)
    add('email_open', when(span), { email_id: CAMPAIGNS[Math.floor(r() * CAMPAIGNS.length)] });
  for (let k = 0; k < clicks; k++)
    add('email_click', when(span), { email_id: CAMPAIGNS[Math.floor(r() * CAMPAIGNS.length)] });
  for (let k = 0; k < views30; k++) add('page_view', when(30), { url: '/pricing' });
  for (let k = views30; k < views; k++) add('page_view', when(span + 30, Math.max(30, lastAge)), { url: '/pricing' });
  if (/^y/i.test(lead[col('Whitepaper Downloaded')])) add('download', when(span), { url: '/whitepaper' });
  if (/^y/i.test(lead[col('Demo Requested')])) add('demo_request', when(Math.min(span, 45)), { url: '/demo' });
}
events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
const out = [
  'lead_id,type,timestamp,url,email_id',
  ...events.map((e) => `${e.id},${e.type},${e.ts},${e.url},${e.email_id}`),
];
writeFileSync(OUT, out.join('\n') + '\n');
console.log(
  `${OUT}: ${events.length} events for ${leads.length} leads, ${day(events[0] ? Date.parse(events[0].ts) : AS_OF)} .. ${day(AS_OF)}`,
);

// Generates samples/b2b-events.csv: activity events for the leads of samples/b2b-leads.csv,
// consistent with their counts (an "Email Opens" of 3 gives 3 email_open events, "Pricing Page
// Views" gives /pricing page views, 30-day pricing views fall in the last 30 days, "Last
// Activity" is the newest event), the way a marketing-automation export looks: one row per
// event with lead id, type, timestamp, and properties (url, email_id, campaign).
// Deterministic (seeded); the snapshot date is the leads' 2025-06-30. A few rows are wrong on
// purpose, as in real exports: two events of a lead that is not in the file, one without a date.
//   node scripts/gen-events.mjs [leads.csv] [out.csv]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LEADS = process.argv[2] ?? join(root, 'samples', 'b2b-leads.csv');
const OUT = process.argv[3] ?? join(root, 'samples', 'b2b-events.csv');
const SNAPSHOT = Date.UTC(2025, 5, 30, 18, 0, 0);
const DAY = 86400000;

let seed = 0x5eed_e7e5;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rand() * a.length)];

// The leads file has plain cells (no quoted commas in the columns read here).
const [head, ...lines] = readFileSync(LEADS, 'utf8').trim().split(/\r?\n/);
const cols = head.split(',');
const at = (name) => cols.indexOf(name);
const num = (v) => (/^\d+$/.test(v) ? Number(v) : 0);
const CAMPAIGNS = ['spring-launch', 'webinar-invite', 'newsletter-06', 'case-study-fintech', 'pricing-update'];
const PAGES = ['/product', '/blog/lead-scoring-101', '/blog/mql-vs-sql', '/integrations', '/customers', '/docs/getting-started'];

const rows = [];
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
for (const line of lines) {
  const c = line.split(',');
  const id = c[at('Lead ID')];
  const last = Date.parse(c[at('Last Activity')]);  // NaN when missing
  const newest = Number.isFinite(last) ? last + 10 * 3600000 : SNAPSHOT - (40 + Math.floor(rand() * 80)) * DAY;
  const ageDays = Math.max(0, Math.round((SNAPSHOT - newest) / DAY));
  // Events spread over the 120 days before the newest one; 30-day pricing views in the last 30.
  const when = (maxBack = 120) => newest - Math.floor(rand() * maxBack * DAY);
  const add = (type, ms, props = {}) => rows.push({ id, type, ms, ...props });
  const opens = num(c[at('Email Opens')]), clicks = num(c[at('Email Clicks')]);
  const pricing = num(c[at('Pricing Page Views')]), pricing30 = num(c[at('Pricing Views (30d)')]);
  const campaigns = Array.from({ length: Math.max(1, Math.ceil(opens / 2)) }, () => pick(CAMPAIGNS));
  for (let k = 0; k < opens; k++) add('email_open', when(), { email_id: campaigns[k % campaigns.length], campaign: campaigns[k % campaigns.length] });
  for (let k = 0; k < clicks; k++) add('email_click', when(), { email_id: campaigns[k % campaigns.length], campaign: campaigns[k % campaigns.length] });
  const recent = Math.min(pricing, pricing30);
  for (let k = 0; k < recent; k++) add('page_view', newest - Math.floor(rand() * Math.max(1, 30 - ageDays) * DAY), { url: '/pricing' });
  for (let k = recent; k < pricing; k++) add('page_view', newest - (30 + Math.floor(rand() * 90)) * DAY, { url: '/pricing' });
  for (let k = Math.floor(rand() * 4); k > 0; k--) add('page_view', when(), { url: pick(PAGES) });
  if (/^yes$/i.test(c[at('Whitepaper Downloaded')])) add('whitepaper_download', when(), { url: '/whitepaper/buyers-guide' });
  if (/^yes$/i.test(c[at('Demo Requested')])) add('demo_request', when(60), { url: '/demo' });
  if (/^yes$/i.test(c[at('Unsubscribed')])) add('unsubscribe', when(30), { campaign: pick(CAMPAIGNS) });
  if (rand() < 0.12) add('webinar_attended', when(), { campaign: 'webinar-invite' });
  // The newest event is the lead's last activity.
  if (Number.isFinite(last) && !rows.some((r) => r.id === id && r.ms === newest)) add('page_view', newest, { url: pick(PAGES) });
}
rows.push({ id: 'L-999001', type: 'page_view', ms: SNAPSHOT - 3 * DAY, url: '/pricing' });
rows.push({ id: 'L-999002', type: 'email_open', ms: SNAPSHOT - 9 * DAY, email_id: 'newsletter-06', campaign: 'newsletter-06' });
rows.push({ id: lines[0].split(',')[at('Lead ID')], type: 'page_view', ms: NaN, url: '/pricing' });
rows.sort((a, b) => (a.ms || 0) - (b.ms || 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const out = ['lead_id,type,timestamp,url,email_id,campaign'];
for (const r of rows) out.push([r.id, r.type, Number.isFinite(r.ms) ? iso(r.ms) : '', r.url ?? '', r.email_id ?? '', r.campaign ?? ''].join(','));
writeFileSync(OUT, out.join('\n') + '\n');
console.log(`${OUT}: ${rows.length} events for ${lines.length} leads`);

// Writes tests/data/olist-like/: a seeded, synthetic stand-in for the public Olist marketing
// funnel (marketing-qualified leads + the deals closed from them). The real set is CC BY-NC-SA
// 4.0, which an MIT repository cannot carry, so the tests read this one: the same file names,
// columns, sizes (8,000 leads, 842 deals) and quirks (two files joined on mql_id, 'unknown' and
// empty channels, True/False strings, mostly-empty columns, quoted multi-values, date-times),
// with conversion rates per channel and per year close to the real ones. No row is real.
//   node tests/data/gen-olist-like.mjs        (re-running gives the same bytes)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), 'olist-like');

// mulberry32: small, seeded, the same sequence on every machine.
let seed = 20180531;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const hex32 = () => Array.from({ length: 4 }, () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')).join('');
function pick(weighted) {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [v, w] of weighted) if ((x -= w) < 0) return v;
  return weighted[weighted.length - 1][0];
}
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

// [channel, leads, conversion rate]: shaped on the published funnel's channel mix.
const channels = [
  ['organic_search', 2296, 0.118], ['paid_search', 1586, 0.123], ['social', 1350, 0.056],
  ['unknown', 1099, 0.163], ['direct_traffic', 499, 0.112], ['email', 493, 0.03],
  ['referral', 284, 0.085], ['other', 150, 0.027], ['display', 118, 0.051],
  ['other_publicities', 65, 0.046], ['', 60, 0.233],
];
const start = Date.UTC(2017, 5, 14), end = Date.UTC(2018, 4, 31), dayMs = 86400000;
const pages = Array.from({ length: 495 }, hex32);

const leads = [];
for (const [origin, n, rate] of channels)
  for (let i = 0; i < n; i++) {
    const t = start + Math.floor(rand() * ((end - start) / dayMs + 1)) * dayMs;
    const in2018 = t >= Date.UTC(2018, 0, 1);
    // Later contacts close more often (the sales team grew in 2018).
    const p = Math.min(0.95, rate * (in2018 ? 1.45 : 0.45));
    leads.push({ id: hex32(), date: day(t), time: t, page: pages[Math.floor(rand() ** 2 * pages.length)], origin, won: rand() < p });
  }
for (let i = leads.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [leads[i], leads[j]] = [leads[j], leads[i]];
}
// Exactly 842 deals, like the real set: the most likely winners first, topped up or trimmed.
let won = leads.filter((l) => l.won);
if (won.length > 842) won = won.slice(0, 842);
for (const l of leads) if (won.length < 842 && !l.won) (l.won = true), won.push(l);

const mqlCsv = ['mql_id,first_contact_date,landing_page_id,origin', ...leads.map((l) => `${l.id},${l.date},${l.page},${l.origin}`)];

const segments = [['home_decor', 105], ['health_beauty', 93], ['car_accessories', 77], ['household_utilities', 71],
  ['construction_tools_house_garden', 69], ['audio_video_electronics', 64], ['computers', 34], ['pet', 30], ['', 1]];
const leadTypes = [['online_medium', 332], ['online_big', 126], ['industry', 123], ['offline', 104], ['online_small', 77], ['online_beginner', 57], ['', 6]];
const profiles = [['cat', 407], ['', 177], ['eagle', 123], ['wolf', 95], ['shark', 24], ['"cat, wolf"', 8], ['"eagle, cat"', 3]];
const people = (n) => Array.from({ length: n }, hex32);
const sdrs = people(32), srs = people(22);
const sometimes = (p, values) => (rand() < p ? pick(values) : '');
const dealsCsv = ['mql_id,seller_id,sdr_id,sr_id,won_date,business_segment,lead_type,lead_behaviour_profile,has_company,has_gtin,average_stock,business_type,declared_product_catalog_size,declared_monthly_revenue'];
for (const l of won) {
  const wonAt = new Date(l.time + Math.floor(rand() * 120 * dayMs) + Math.floor(rand() * 86400) * 1000);
  const when = wonAt.toISOString().slice(0, 19).replace('T', ' ');
  dealsCsv.push([l.id, hex32(), sdrs[Math.floor(rand() ** 2 * sdrs.length)], srs[Math.floor(rand() ** 2 * srs.length)], when,
    pick(segments), pick(leadTypes), pick(profiles),
    sometimes(0.075, [['True', 58], ['False', 5]]), sometimes(0.076, [['True', 54], ['False', 10]]),
    sometimes(0.078, [['5-20', 22], ['50-200', 15], ['1-5', 10], ['20-50', 8], ['200+', 7]]),
    pick([['reseller', 587], ['manufacturer', 242], ['', 10], ['other', 3]]),
    sometimes(0.082, [['100.0', 9], ['50.0', 7], ['300.0', 5], ['400.0', 4], ['20.0', 4]]),
    rand() < 0.053 ? pick([['100000.0', 5], ['20000.0', 3], ['30000.0', 3], ['10000.0', 3], ['25000.0', 3]]) : '0.0',
  ].join(','));
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'olist_marketing_qualified_leads_dataset.csv'), mqlCsv.join('\n') + '\n');
writeFileSync(join(out, 'olist_closed_deals_dataset.csv'), dealsCsv.join('\n') + '\n');
console.log(`olist-like: ${leads.length} leads, ${won.length} deals -> ${out}`);

// Events in WebAssembly (dist/leadscore.mjs under Node): load leads and events, join, score,
// re-score after one rule edit and after an as-of change; medians of REPEATS. The same rule set
// as bench/events_bench.cpp (native). Results in bench/EVENTS.md.
//   node bench/events-wasm.mjs [LEADS=100000] [EVENTS=2000000] [REPEATS=5]
import { load } from '../dist/leadscore.mjs';
import { rng } from '../tests/js/prng.mjs';

const [L = 100000, E = 2000000, REPEATS = 5] = process.argv.slice(2).map(Number);
const r = rng(42);
const DAY = 86400000,
  ASOF = Date.UTC(2024, 5, 30);
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const titles = ['CEO', 'CTO', 'VP Sales', 'Engineer', 'Analyst', 'Student'];
const types = [
  'page_view',
  'page_view',
  'page_view',
  'email_open',
  'email_click',
  'form_submit',
  'webinar',
  'download',
];
const urls = ['/', '/pricing', '/blog/a', '/blog/b', '/docs', '/pricing/enterprise', '/careers', '/contact'];
const leadLines = ['id,title,company_size,last_activity'];
for (let i = 0; i < L; i++)
  leadLines.push(
    `${i + 1},${titles[Math.floor(r() * 6)]},${Math.floor(r() * 5000)},${iso(ASOF - Math.floor(r() * 400) * DAY)}`,
  );
const leadsCsv = leadLines.join('\n') + '\n';
const evParts = ['lead_id,type,timestamp,campaign,url\n'];
const first = ASOF - 364 * DAY;
let chunk = [];
for (let k = 0; k < E; k++) {
  const t = first + Math.floor((k * 365) / E) * DAY + Math.floor(r() * 86400) * 1000;
  const lead = r() < 0.005 ? L + 1 + Math.floor(r() * 1000) : 1 + Math.floor(r() * L);
  chunk.push(
    `${lead},${types[Math.floor(r() * 8)]},${new Date(t).toISOString().replace('.000', '')},c${Math.floor(r() * 40)},${urls[Math.floor(r() * 8)]}`,
  );
  if (chunk.length === 100000) {
    evParts.push(chunk.join('\n') + '\n');
    chunk = [];
  }
}
if (chunk.length) evParts.push(chunk.join('\n') + '\n');
const evBytes = new TextEncoder().encode(evParts.join(''));

const rules = {
  fields: {
    days_inactive: { daysSince: 'last_activity' },
    days_since_visit: { daysSince: { type: 'page_view' }, default: 9999 },
    visits_30d: { eventCount: { type: 'page_view', within: 30 } },
  },
  groups: [
    { id: 'fit', max: 50 },
    { id: 'engagement', min: -30, max: 60, decay: { halfLife: 30 } },
  ],
  rules: [
    { id: 'dm', group: 'fit', points: 20, when: { in: [{ var: 'title' }, ['CEO', 'CTO', 'VP Sales']] } },
    { id: 'size', group: 'fit', points: 0.004, per: 'company_size', max: 20 },
    {
      id: 'pricing',
      group: 'engagement',
      points: 10,
      events: { type: 'page_view', where: { in: ['/pricing', { var: 'url' }] }, within: 30, count: { '>=': 2 } },
    },
    { id: 'views', group: 'engagement', points: 1, events: { type: 'page_view', repeat: 'daily', within: 90 } },
    {
      id: 'opens',
      group: 'engagement',
      points: 2,
      events: { type: 'email_open', repeat: 'weekly', dedupe: 'campaign' },
    },
    {
      id: 'forms',
      group: 'engagement',
      events: {
        type: 'form_submit',
        bands: [
          { min: 1, points: 10 },
          { min: 3, points: 20 },
        ],
        decay: { linear: { rate: 0.25, period: 14 } },
      },
    },
    { id: 'webinar', group: 'engagement', points: 8, events: { type: 'webinar', decay: { expire: 120 } } },
    { id: 'idle', group: 'engagement', points: -15, when: { '>=': [{ var: 'days_since_visit' }, 30] } },
    { id: 'stale', group: 'engagement', points: -0.5, per: 'days_inactive', min: -20, max: 0 },
    { id: 'busy', group: 'engagement', points: 1, per: 'visits_30d', max: 10 },
  ],
  tiers: [{ name: 'Hot', min: 60 }, { name: 'Warm', min: 30 }, { name: 'Cold' }],
};

const ls = await load();
const time = (f) => {
  const t = performance.now();
  const v = f();
  return [performance.now() - t, v];
};
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const [tLeads, leads] = time(() => ls.loadLeads(leadsCsv, { rules }));
const [tEvents, events] = time(() => ls.loadEvents(evBytes, { leads }));
const [tScore, scorer] = time(() => ls.score(leads, rules, { events, asOf: '2024-06-30' }));
const edits = [],
  asofs = [];
for (let k = 0; k < REPEATS; k++)
  edits.push(time(() => scorer.replaceRule('views', { ...rules.rules[3], points: k % 2 ? 1 : 2 }))[0]);
for (let k = 0; k < REPEATS; k++) asofs.push(time(() => scorer.setAsOf(iso(ASOF + (k + 1) * DAY)))[0]);
console.log(
  `wasm: ${L} leads, ${E} events (${(evBytes.length / 1e6).toFixed(1)} MB CSV); matched ${events.info.matched}, unknown lead ids ${events.info.unknownLeads}`,
);
console.log(`| load leads | ${tLeads.toFixed(0)} |`);
console.log(`| load + join events | ${tEvents.toFixed(0)} |`);
console.log(`| first score | ${tScore.toFixed(0)} |`);
console.log(`| re-score after one rule edit (median of ${REPEATS}) | ${median(edits).toFixed(1)} |`);
console.log(`| re-score after an as-of change (median of ${REPEATS}) | ${median(asofs).toFixed(1)} |`);
console.log(`wasm heap ${(ls.heapBytes() / 2 ** 20).toFixed(0)} MiB`);

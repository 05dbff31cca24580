// Generates samples/b2b-leads.csv: 3,000 synthetic B2B leads, the way a CRM exports them
// (messy header spellings, "N/A"/"Select"/"unknown"/empty cells, Yes/No booleans).
// Deterministic: a seeded PRNG, a fixed snapshot date, no dependence on the clock or locale.
//   node scripts/gen-sample.mjs [count] [out.csv]
// Also a module: `generateLeads(count, seed)` yields the same leads (bench/gen-leads.mjs uses it).
//
// Every lead has a hidden fit (who they are) and engagement (what they do) propensity; the
// visible columns are drawn from those, and "Converted" from both plus the strongest signals and
// noise. So a sensible scoring model separates converters from the rest, without any column
// giving the answer away.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEED = 0x1ead5c0e;
const SNAPSHOT = Date.UTC(2025, 5, 30); // 2025-06-30: "today" for Last Activity / Days Since

// ------------------------------------------------------------ seeded randomness (mulberry32)
let seed = SEED;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const chance = (p) => rand() < p;
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
function weighted(pairs) {
  // [[value, weight], ...]
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [v, w] of pairs) if ((r -= w) < 0) return v;
  return pairs[pairs.length - 1][0];
}
function normal() {
  // Box-Muller
  const u = Math.max(rand(), 1e-12),
    v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
function poisson(mean) {
  const l = Math.exp(-mean);
  let k = 0,
    p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l && k < 200);
  return k - 1;
}
function binomial(n, p) {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}
const clamp01 = (x) => Math.min(1, Math.max(0, x));
const sigmoid = (x) => 1 / (1 + Math.exp(-x));

// ------------------------------------------------------------ vocabularies
const TITLES = {
  executive: [
    'CEO',
    'CTO',
    'CFO',
    'COO',
    'CMO',
    'Founder & CEO',
    'VP Sales',
    'VP Marketing',
    'VP Engineering',
    'VP of Operations',
    'Head of Marketing',
    'Head of Sales',
    'Head of IT',
    'Head of Growth',
    'Director of IT',
    'Marketing Director',
    'Sales Director',
    'IT Director',
    'Director of Operations',
  ],
  manager: [
    'Marketing Manager',
    'Sales Manager',
    'Product Manager',
    'Operations Manager',
    'IT Manager',
    'Account Manager',
    'Project Manager',
    'Team Lead',
  ],
  individual: [
    'Software Engineer',
    'Data Analyst',
    'Marketing Specialist',
    'Sales Representative',
    'Consultant',
    'Accountant',
    'Designer',
    'Business Analyst',
    'Office Administrator',
    'Developer',
  ],
  student: ['Student', 'PhD Student', 'Marketing Intern', 'Sales Intern', 'Intern'],
};
const TITLE_FIT = { executive: 1, manager: 0.55, individual: 0.25, student: 0 };
const TARGET_INDUSTRIES = ['Software', 'SaaS', 'Fintech', 'IT Services'];
const OTHER_INDUSTRIES = [
  'Manufacturing',
  'Retail',
  'Healthcare',
  'Education',
  'Government',
  'Logistics',
  'Media',
  'Non-profit',
  'Hospitality',
  'Construction',
];
const SERVED = [
  ['United States', 30],
  ['United Kingdom', 10],
  ['Germany', 9],
  ['Canada', 6],
  ['France', 6],
  ['Netherlands', 4],
  ['Australia', 4],
  ['Sweden', 3],
  ['Ireland', 2],
];
const UNSERVED = [
  ['India', 8],
  ['Brazil', 4],
  ['Nigeria', 2],
  ['China', 2],
  ['Mexico', 2],
  ['Indonesia', 2],
  ['Russia', 1],
];
const SOURCES = [
  ['Website', 25],
  ['Organic Search', 15],
  ['Google Ads', 15],
  ['LinkedIn', 12],
  ['Webinar', 8],
  ['Trade Show', 6],
  ['Referral', 6],
  ['Partner', 5],
  ['Cold Outreach', 8],
];
const FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Chris',
  'Karen',
  'Daniel',
  'Lisa',
  'Matthew',
  'Nancy',
  'Anthony',
  'Sandra',
  'Mark',
  'Ashley',
  'Priya',
  'Wei',
  'Lukas',
  'Sofia',
  'Ahmed',
  'Olga',
  'Kenji',
  'Amara',
  'Lucas',
  'Emma',
  'Noah',
  'Mia',
  'Arjun',
  'Chloe',
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Patel',
  'Nguyen',
  'Schmidt',
  'Muller',
  'Dubois',
  'Rossi',
  'Kim',
  'Okafor',
  'Silva',
  'Ivanova',
  'Tanaka',
  'Singh',
  'Novak',
  'Berg',
];
const CO_A = [
  'North',
  'Blue',
  'Bright',
  'Silver',
  'Green',
  'Red',
  'Summit',
  'Harbor',
  'Pioneer',
  'Atlas',
  'Nova',
  'Apex',
  'Cedar',
  'Quantum',
  'Vertex',
  'Orbit',
  'Iron',
  'Clear',
  'Swift',
  'Maple',
  'Lumen',
  'Crest',
  'Falcon',
  'Delta',
];
const CO_B = [
  'wind',
  'stone',
  'bridge',
  'field',
  'wave',
  'point',
  'light',
  'path',
  'gate',
  'line',
  'peak',
  'works',
  'forge',
  'leaf',
];
const CO_C = [
  'Analytics',
  'Systems',
  'Labs',
  'Group',
  'Solutions',
  'Technologies',
  'Partners',
  'Software',
  'Holdings',
  'Logistics',
  'Health',
  'Retail',
  'Media',
  'Capital',
  'Industries',
  'Consulting',
];
const CO_SUFFIX = ['Inc.', 'Ltd', 'GmbH', 'LLC', 'Corp.', 'Co.', 'plc', ''];

// ------------------------------------------------------------ one lead
const yesNo = (b) => (b ? 'Yes' : 'No');
function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}
// Messy "no value" spellings a CRM export is full of.
function blank(kind = 'generic') {
  if (kind === 'picklist')
    return weighted([
      ['', 3],
      ['Select', 3],
      ['N/A', 1],
    ]);
  if (kind === 'number')
    return weighted([
      ['', 4],
      ['N/A', 1],
    ]);
  return weighted([
    ['', 5],
    ['N/A', 1],
    ['unknown', 1],
  ]);
}

function lead(i) {
  const level = weighted([
    ['executive', 18],
    ['manager', 27],
    ['individual', 45],
    ['student', 10],
  ]);
  let title = pick(TITLES[level]);
  if (chance(0.04))
    title = title.toLowerCase(); // typed by hand
  else if (chance(0.03)) title = ' ' + title + ' '; // stray spaces
  const targetIndustry = chance(0.38);
  const industry = targetIndustry ? pick(TARGET_INDUSTRIES) : pick(OTHER_INDUSTRIES);
  // Employees: log-uniform 1 .. 50,000, students' "companies" small.
  const employees = Math.max(1, Math.round(Math.exp(rand() * Math.log(level === 'student' ? 200 : 50000))));
  const goodSize = employees >= 50 && employees <= 5000;
  const served = chance(0.8);
  const country = weighted(served ? SERVED : UNSERVED);

  // Hidden propensities.
  const fit = clamp01(
    0.42 * TITLE_FIT[level] +
      0.25 * (targetIndustry ? 1 : 0) +
      0.18 * (goodSize ? 1 : 0) +
      0.15 * (served ? 1 : 0) +
      0.08 * normal(),
  );
  const engagement = clamp01(0.3 * fit + 0.75 * Math.pow(rand(), 1.3) + 0.05 * normal());

  const source = weighted(SOURCES);
  const opens = poisson(0.3 + 9 * engagement);
  const clicks = binomial(opens, 0.05 + 0.35 * engagement);
  const whitepaper = chance(0.04 + 0.45 * engagement * (0.5 + 0.5 * fit));
  const pricingViews = poisson(0.1 + 6 * engagement * engagement * (0.4 + 0.6 * fit));
  const pricing30 = binomial(pricingViews, 0.35 + 0.5 * engagement);
  const demo = chance(0.005 + 0.35 * Math.pow(engagement, 1.5) * (0.3 + 0.7 * fit));
  const unsubscribed = chance(0.02 + 0.2 * Math.pow(1 - engagement, 2));
  const neverActive = chance(0.03);
  const days = neverActive
    ? null
    : Math.min(400, Math.round(-Math.log(Math.max(rand(), 1e-9)) * (6 + 120 * Math.pow(1 - engagement, 2))));

  // Conversion: fit, engagement, the hand-raising signals, and plenty of noise.
  const logit =
    -5.35 +
    2.6 * fit +
    2.4 * engagement +
    1.6 * (demo ? 1 : 0) +
    0.6 * (pricing30 >= 3 ? 1 : 0) +
    0.4 * (whitepaper ? 1 : 0) -
    1.5 * (unsubscribed ? 1 : 0) -
    0.6 * (days !== null && days > 60 ? 1 : 0) +
    (level === 'student' ? -1.5 : 0) +
    0.7 * normal();
  const converted = chance(sigmoid(logit));

  const first = pick(FIRST),
    last = pick(LAST);
  const company = `${pick(CO_A)}${pick(CO_B)} ${pick(CO_C)}${(() => {
    const s = pick(CO_SUFFIX);
    return s ? ' ' + s : '';
  })()}`;
  const email = `${first.toLowerCase()}.${last.toLowerCase()}${i % 7 === 0 ? i : ''}@example.com`;

  // Render, with CRM messiness.
  return {
    'Lead ID': `L-${String(100001 + i)}`,
    'Job Title': chance(0.04) ? blank() : title,
    Company: chance(0.01) ? '' : chance(0.02) ? `${last}, ${first} & Co.` : company,
    Industry: chance(0.06) ? blank('picklist') : industry,
    Employees: chance(0.05) ? blank('number') : String(employees),
    Country: chance(0.04) ? blank() : country,
    'Lead Source': chance(0.03) ? blank('picklist') : source,
    'Email Opens': String(opens),
    'Email Clicks': String(clicks),
    'Whitepaper Downloaded': chance(0.03) ? '' : yesNo(whitepaper),
    'Pricing Page Views': String(pricingViews),
    'Pricing Views (30d)': String(pricing30),
    'Demo Requested': yesNo(demo),
    Unsubscribed: chance(0.02) ? '' : yesNo(unsubscribed),
    'Last Activity': days === null ? '' : isoDate(SNAPSHOT - days * 86400000),
    'Days Since Last Activity': days === null ? (chance(0.5) ? 'N/A' : '') : String(days),
    Email: chance(0.02) ? '' : email,
    Converted: yesNo(converted),
  };
}

// The leads, in order, as {header: cell text} objects. Deterministic for a given seed (one
// PRNG stream: the first n leads of a longer run are the same n leads).
export function* generateLeads(count, s = SEED) {
  seed = s;
  for (let i = 0; i < count; i++) yield lead(i);
}

// ------------------------------------------------------------ CSV
export function csvField(s) {
  return /[",\r\n]/.test(s) || s !== s.trim() ? '"' + s.replace(/"/g, '""') + '"' : s;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

function main() {
  const COUNT = Number(process.argv[2] ?? 3000);
  const OUT = process.argv[3] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'samples', 'b2b-leads.csv');
  const rows = [...generateLeads(COUNT)];
  const header = Object.keys(rows[0]);
  const text =
    [header.map(csvField).join(','), ...rows.map((r) => header.map((h) => csvField(r[h])).join(','))].join('\r\n') +
    '\r\n';
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  const conv = rows.filter((r) => r.Converted === 'Yes').length;
  console.log(`${OUT}: ${rows.length} leads, ${conv} converted (${((100 * conv) / rows.length).toFixed(1)}%)`);
}

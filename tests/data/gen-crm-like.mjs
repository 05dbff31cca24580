// Writes tests/data/crm-like/leads.csv: a seeded, synthetic CRM export of the kind a new user
// drops on the page (an education company's leads, in the style of common public CRM exports):
// 3,000 leads, its own column names with spaces, "Select" placeholders a form left unchosen, an
// activity column whose values are names, not dates ("Last Activity"), numbers with blanks, an
// outcome column "Converted" (0/1), and two columns filled in by sales after the outcome, as real
// exports have them: "Tags" ("Will revert after reading the email" converts ~97 %) and "Lead
// Quality". No row is real.
//   node tests/data/gen-crm-like.mjs        (re-running gives the same bytes)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), 'crm-like');
const ROWS = 3000;

// mulberry32: small, seeded, the same sequence on every machine.
let seed = 9240;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick(weighted) {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [v, w] of weighted) if ((x -= w) < 0) return v;
  return weighted[weighted.length - 1][0];
}
const csvCell = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

const HEADER = [
  'Prospect ID',
  'Lead Number',
  'Lead Origin',
  'Lead Source',
  'Do Not Email',
  'Converted',
  'TotalVisits',
  'Total Time Spent on Website',
  'Page Views Per Visit',
  'Last Activity',
  'Country',
  'Specialization',
  'How did you hear about X Education',
  'What is your current occupation',
  'Tags',
  'Lead Quality',
  'City',
  'Last Notable Activity',
];

function lead(k) {
  const origin = pick([
    ['Landing Page Submission', 53],
    ['API', 39],
    ['Lead Add Form', 8],
  ]);
  const source = pick([
    ['Google', 31],
    ['Direct Traffic', 28],
    ['Olark Chat', 19],
    ['Organic Search', 12],
    ['Reference', 6],
    ['Welingak Website', 2],
    ['', 2],
  ]);
  const occupation = pick([
    ['Unemployed', 61],
    ['Working Professional', 8],
    ['Student', 2],
    ['Other', 1],
    ['', 28],
  ]);
  const activity = pick([
    ['Email Opened', 37],
    ['SMS Sent', 30],
    ['Olark Chat Conversation', 11],
    ['Page Visited on Website', 7],
    ['Converted to Lead', 5],
    ['Email Bounced', 4],
    ['Email Link Clicked', 3],
    ['Form Submitted on Website', 2],
    ['', 1],
  ]);
  const noEmail = rand() < 0.08;
  const visits = rand() < 0.02 ? '' : Math.floor(-Math.log(1 - rand()) * 3.4);
  const seconds = visits === 0 ? 0 : Math.round(-Math.log(1 - rand()) * 480);
  const views = visits === 0 || visits === '' ? (visits === '' ? '' : 0) : Math.round((1 + rand() * 4) * 100) / 100;
  // Conversion depends on what is known before the outcome...
  let logit = -1.6 + seconds / 600;
  if (origin === 'Lead Add Form') logit += 2.8;
  if (source === 'Reference' || source === 'Welingak Website') logit += 1.5;
  if (occupation === 'Working Professional') logit += 2.5;
  if (activity === 'SMS Sent') logit += 1.1;
  if (activity === 'Email Bounced' || activity === 'Olark Chat Conversation') logit -= 1.2;
  if (noEmail) logit -= 0.9;
  const converted = rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  // ...and Tags and Lead Quality are written by sales once it is known.
  const tags = converted
    ? pick([
        ['Will revert after reading the email', 62],
        ['Closed by Horizzon', 10],
        ['Busy', 3],
        ['', 25],
      ])
    : pick([
        ['Ringing', 20],
        ['Interested in other courses', 16],
        ['Already a student', 8],
        ['Will revert after reading the email', 2],
        ['Lost to EINS', 2],
        ['Busy', 3],
        ['', 49],
      ]);
  const quality = converted
    ? pick([
        ['High in Relevance', 20],
        ['Might be', 22],
        ['Not Sure', 10],
        ['', 48],
      ])
    : pick([
        ['Might be', 10],
        ['Not Sure', 15],
        ['Worst', 9],
        ['Low in Relevance', 7],
        ['High in Relevance', 1],
        ['', 58],
      ]);
  const spec = pick([
    ['Select', 21],
    ['Finance Management', 11],
    ['Human Resource Management', 9],
    ['Marketing Management', 9],
    ['Operations Management', 5],
    ['Business Administration', 4],
    ['IT Projects Management', 4],
    ['', 37],
  ]);
  const heard = pick([
    ['Select', 55],
    ['Online Search', 9],
    ['Word Of Mouth', 4],
    ['Student of SomeSchool', 3],
    ['', 29],
  ]);
  const country = source === '' ? '' : pick([['India', 70], ['United States', 1], ['United Arab Emirates', 1], ['', 28]]);
  const city = pick([
    ['Mumbai', 35],
    ['Select', 24],
    ['Thane & Outskirts', 8],
    ['Other Cities', 7],
    ['', 26],
  ]);
  const notable = activity === 'Email Opened' || activity === 'SMS Sent' ? activity : pick([['Modified', 3], ['Email Opened', 1]]);
  const id = Array.from({ length: 4 }, () => Math.floor(rand() * 65536).toString(16).padStart(4, '0')).join('-');
  return [
    id,
    660737 - k * 3,
    origin,
    source,
    noEmail ? 'Yes' : 'No',
    converted,
    visits,
    seconds,
    views,
    activity,
    country,
    spec,
    heard,
    occupation,
    tags,
    quality,
    city,
    notable,
  ];
}

mkdirSync(out, { recursive: true });
const lines = [HEADER.map(csvCell).join(',')];
for (let k = 0; k < ROWS; k++) lines.push(lead(k).map(csvCell).join(','));
writeFileSync(join(out, 'leads.csv'), lines.join('\n') + '\n');
console.log(`wrote ${join(out, 'leads.csv')} (${ROWS} leads)`);

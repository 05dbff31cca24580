// Seeded realistic leads and rule sets for the differential test (tests/js/random-rules.test.mjs,
// scores equal json-logic-engine's) and the speed benchmarks (bench/shapes.mjs,
// bench/random-rulesets.mjs). Columns of every kind the compiler plans for: high-cardinality
// text (e-mails, URLs: nearly every value distinct), low-cardinality text (country, source),
// whole numbers, decimals, dates, booleans, and columns mostly missing.
import { rng } from './prng.mjs';

const FREE_MAIL = [
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'aol.com',
  'icloud.com',
  'gmx.de',
  'mail.ru',
];
const FIRST = ['anna', 'ben', 'carla', 'dmitri', 'eva', 'farid', 'grace', 'hugo', 'ines', 'jon', 'kenji', 'lena'];
const LAST = ['smith', 'meyer', 'rossi', 'garcia', 'nguyen', 'kim', 'müller', 'dubois', 'silva', 'cohen'];
const TLD = ['com', 'io', 'co.uk', 'de', 'fr', 'net', 'org', 'ai'];
export const COUNTRIES = [
  'United States',
  'Canada',
  'United Kingdom',
  'Germany',
  'France',
  'Netherlands',
  'Sweden',
  'Australia',
  'India',
  'Brazil',
  'Japan',
  'Spain',
  'Italy',
  'Poland',
  'Mexico',
  'Ireland',
  'Singapore',
  'Nigeria',
];
export const SOURCES = ['Web', 'Referral', 'Partner', 'Cold Outreach', 'Event', 'Paid Search', 'Organic'];
const PATHS = ['pricing', 'blog/post', 'docs/start', 'demo', 'careers', 'about', 'contact', 'product/tour'];

// Field name -> type, as the rule sets declare them.
export const FIELDS = {
  email: 'string',
  website: 'string',
  country: 'string',
  source: 'string',
  employees: 'number',
  revenue: 'number',
  score_hint: 'number',
  signup: 'date',
  demo: 'boolean',
  partner_code: 'string',
};
// The column kinds of bench/SHAPES.md.
export const KINDS = {
  email: 'text, high cardinality (e-mail)',
  website: 'text, high cardinality (URL)',
  country: 'text, low cardinality',
  employees: 'integer',
  revenue: 'decimal',
  signup: 'date',
  demo: 'boolean',
  score_hint: 'number, 90 % missing',
  partner_code: 'text, 95 % missing',
};

const pick = (r, a) => a[Math.floor(r() * a.length)];

// One lead: field -> value (missing values absent), as JsonLogic sees it.
function lead(r, i) {
  const o = {};
  const company = `${pick(r, ['acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'hooli'])}${i % 9973}`;
  const domain = r() < 0.35 ? pick(r, FREE_MAIL) : `${company}.${pick(r, TLD)}`;
  if (r() > 0.02) o.email = `${pick(r, FIRST)}.${pick(r, LAST)}${i}@${domain}`;
  if (r() > 0.1) o.website = `https://${r() < 0.5 ? 'www.' : ''}${company}.${pick(r, TLD)}/${pick(r, PATHS)}?id=${i}`;
  if (r() > 0.05) o.country = pick(r, COUNTRIES);
  o.source = pick(r, SOURCES);
  if (r() > 0.07) o.employees = Math.floor(Math.exp(r() * 11));
  if (r() > 0.08) o.revenue = Math.round(r() * 500000) / 100;
  if (r() < 0.1) o.score_hint = Math.round(r() * 1000) / 10;
  if (r() > 0.03) {
    const d = new Date(Date.UTC(2023, 0, 1) + Math.floor(r() * 1000) * 86400000);
    o.signup = d.toISOString().slice(0, 10);
  }
  if (r() > 0.04) o.demo = r() < 0.2;
  if (r() < 0.05) o.partner_code = `P-${Math.floor(r() * 90000) + 10000}`;
  return o;
}

const csvCell = (v) => {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

// n leads: {rows (objects, missing absent), csv (the same leads as CSV text)}.
export function makeLeads(n, seed = 1) {
  const r = rng(seed);
  const names = Object.keys(FIELDS);
  const rows = new Array(n);
  const lines = [names.join(',')];
  for (let i = 0; i < n; ++i) {
    rows[i] = lead(r, i);
    lines.push(names.map((k) => csvCell(rows[i][k])).join(','));
  }
  return { rows, csv: lines.join('\n') + '\n' };
}

export const fieldsDecl = () => Object.fromEntries(Object.entries(FIELDS).map(([k, t]) => [k, { type: t }]));

// ------------------------------------------------------------------ random rule sets
const v = (name) => ({ var: name });

// A random condition over one column, the way marketers write them.
const CONDITIONS = {
  email: (r) =>
    pick(r, [
      () => ({
        or: FREE_MAIL.slice(0, 2 + Math.floor(r() * 7)).map((d) => ({ in: ['@' + d.split('.')[0] + '.', v('email')] })),
      }),
      () => ({ in: ['@' + pick(r, FREE_MAIL), v('email')] }),
      () => ({ '!': { missing: ['email'] } }),
      () => ({ '!': { or: FREE_MAIL.slice(0, 4).map((d) => ({ in: [d, v('email')] })) } }),
      () => ({ in: ['.' + pick(r, ['de', 'fr', 'io']), v('email')] }),
      () => ({ 'ls:in': [pick(r, ['GMAIL', 'Acme', 'MÜLLER']), v('email')] }),
    ])(),
  website: (r) =>
    pick(r, [
      () => ({ in: [pick(r, ['/pricing', '/demo', 'www.']), v('website')] }),
      () => ({ '==': [{ substr: [v('website'), 0, 12] }, 'https://www.'] }),
      () => ({ or: [{ in: ['.io/', v('website')] }, { in: ['.ai/', v('website')] }] }),
      () => ({ missing: ['website'] }),
    ])(),
  country: (r) =>
    pick(r, [
      () => ({ in: [v('country'), COUNTRIES.slice(0, 3 + Math.floor(r() * 8))] }),
      () => ({ '==': [v('country'), pick(r, COUNTRIES)] }),
      () => ({ '!': { in: [v('country'), COUNTRIES.slice(0, 6)] } }),
      () => ({ 'ls:same': [v('country'), pick(r, ['germany', 'FRANCE', 'united states'])] }),
    ])(),
  source: (r) =>
    pick(r, [
      () => ({ in: [v('source'), ['Referral', 'Partner']] }),
      () => ({ '!=': [v('source'), 'Cold Outreach'] }),
    ])(),
  employees: (r) =>
    pick(r, [
      () => ({ '>=': [v('employees'), pick(r, [50, 200, 1000])] }),
      () => ({ '<=': [pick(r, [10, 50]), v('employees'), pick(r, [500, 5000])] }),
      () => ({ '<': [v('employees'), 10] }),
      () => ({ and: [{ '!': { missing: ['employees'] } }, { '<': [v('employees'), 20] }] }),
      () => ({ '>': [{ '*': [v('employees'), 2] }, 1000] }),
      () => ({ '==': [v('employees'), 1] }),
    ])(),
  revenue: (r) =>
    pick(r, [
      () => ({ '>': [v('revenue'), pick(r, [100.5, 1000, 2500.25])] }),
      () => ({ '<': [10, v('revenue'), 500] }),
      () => ({ missing: ['revenue'] }),
      () => ({ '>': [{ '+': [v('revenue'), { '*': [v('employees'), 0.01] }] }, 300] }),
    ])(),
  score_hint: (r) =>
    pick(r, [
      () => ({ '>=': [v('score_hint'), 50] }),
      () => ({ '!': { missing: ['score_hint'] } }),
      () => ({ and: [{ '!': { missing: ['score_hint'] } }, { '<': [v('score_hint'), 20] }] }),
    ])(),
  signup: (r) =>
    pick(r, [
      () => ({ '>=': [v('signup'), pick(r, ['2024-01-01', '2025-03-15'])] }),
      () => ({ '<': [v('signup'), '2023-06-01'] }),
      () => ({ '<=': ['2024-01-01', v('signup'), '2024-12-31'] }),
    ])(),
  demo: (r) => pick(r, [() => v('demo'), () => ({ '==': [v('demo'), true] }), () => ({ '!': v('demo') })])(),
  partner_code: (r) =>
    pick(r, [() => ({ '!': { missing: ['partner_code'] } }), () => ({ in: ['P-1', v('partner_code')] })])(),
};

// A random rule set: 10-30 rules in two groups, mostly one column each, some and/or/if of two.
export function randomRuleSet(seed) {
  const r = rng(seed * 7919 + 1);
  const cols = Object.keys(CONDITIONS);
  const one = () => CONDITIONS[pick(r, cols)](r);
  const n = 10 + Math.floor(r() * 21);
  const rules = [];
  for (let k = 0; k < n; ++k) {
    const x = r();
    const when =
      x < 0.7
        ? one()
        : x < 0.8
          ? { and: [one(), one()] }
          : x < 0.9
            ? { or: [one(), one()] }
            : { if: [one(), one(), false] };
    const rule = {
      id: `r${k}`,
      group: r() < 0.5 ? 'fit' : 'engagement',
      points: pick(r, [5, 10, 15, 20, -5, -10]),
      when,
    };
    if (r() < 0.1) Object.assign(rule, { points: 1, per: 'employees', max: 20 });
    rules.push(rule);
  }
  return {
    leadscore: 1,
    name: `random ${seed}`,
    fields: fieldsDecl(),
    groups: [
      { id: 'fit', min: -50, max: 60 },
      { id: 'engagement', max: 70 },
    ],
    total: { min: 0, max: 100 },
    rules,
  };
}

// The JavaScript engines of the benchmark, each scoring the same leads with the same rule set
// (bench/rules.json) and returning the totals as a Float64Array:
//
//   hand-written      plain JavaScript written for exactly these rules, over row objects: the
//                     practical ceiling of plain JS (handScore below);
//   json-logic-js     jsonLogic.apply(rule.when, row) per rule and lead;
//   json-logic-engine LogicEngine.run (interpreted) and LogicEngine.build (compiled to a JS function);
//   json-rules-engine the same conditions translated to its format (all/any/not, fact operators),
//                     one Engine with every rule, engine.run(row) per lead (async).
//
// The condition engines share one piece of glue (scoreWith): docs/rules.md's arithmetic (per-unit
// points, rule / group / total clamps, sums in rule order within a group, groups in order), so
// they differ only in how conditions are evaluated. A condition that throws does not fire, as in
// leadscore. Row objects are the leads as JsonLogic sees them: missing values absent.
import { createRequire } from 'node:module';
import { LogicEngine } from 'json-logic-engine';
import { plainScorer } from './plainjs.mjs';

const require = createRequire(import.meta.url);
const jsonLogic = require('json-logic-js');
const { Engine: RulesEngine } = require('json-rules-engine');

// ------------------------------------------------------------------ shared arithmetic
export function prepare(rs) {
  const groups = (rs.groups ?? [{ id: 'fit' }, { id: 'engagement' }]).map((g) => ({
    id: g.id,
    min: g.min ?? -Infinity,
    max: g.max ?? Infinity,
    rules: [],
  }));
  rs.rules.forEach((r, k) => {
    if (r.enabled === false) return;
    const g = groups.find((x) => x.id === (r.group ?? groups[0].id));
    g.rules.push({
      k,
      id: r.id,
      when: r.when ?? null,
      points: r.points,
      per: r.per ?? null,
      min: r.min ?? -Infinity,
      max: r.max ?? Infinity,
    });
  });
  const tiers = [...(rs.tiers ?? [{ name: 'All' }])].sort((a, b) => (b.min ?? -Infinity) - (a.min ?? -Infinity));
  return { groups, tiers, min: rs.total?.min ?? -Infinity, max: rs.total?.max ?? Infinity };
}

const clamp = (v, lo, hi) => (v < lo ? lo : v > hi ? hi : v);

// fired(rule, row) -> boolean. Returns the totals.
export function scoreWith(prep, rows, fired) {
  const n = rows.length,
    out = new Float64Array(n),
    groups = prep.groups;
  for (let i = 0; i < n; ++i) {
    const row = rows[i];
    let total = 0;
    for (let g = 0; g < groups.length; ++g) {
      const grp = groups[g],
        rules = grp.rules;
      let sum = 0;
      for (let k = 0; k < rules.length; ++k) {
        const r = rules[k];
        if (r.when !== null && !fired(r, row)) continue;
        let raw = r.points;
        if (r.per !== null) {
          const v = row[r.per];
          if (typeof v === 'number') raw *= v;
          else if (typeof v === 'boolean') raw *= v ? 1 : 0;
          else continue; // the per-unit field is missing: no points
        }
        sum += clamp(raw, r.min, r.max);
      }
      total += clamp(sum, grp.min, grp.max);
    }
    out[i] = clamp(total, prep.min, prep.max);
  }
  return out;
}

// Tier index per lead (0 = highest tier), as leadscore numbers tiers.
export function tiersOf(prep, totals) {
  const t = new Int32Array(totals.length),
    tiers = prep.tiers;
  for (let i = 0; i < totals.length; ++i) {
    let k = 0;
    while (k < tiers.length - 1 && !(totals[i] >= (tiers[k].min ?? -Infinity))) ++k;
    t[i] = k;
  }
  return t;
}

// Tier counts and a 20-bin histogram of totals (what the page draws), as leadscore's summary().
export function summary(prep, totals, bins = 20) {
  const tiers = new Array(prep.tiers.length).fill(0),
    hist = new Array(bins).fill(0);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < totals.length; ++i) ((lo = Math.min(lo, totals[i])), (hi = Math.max(hi, totals[i])));
  const width = hi > lo ? (hi - lo) / bins : 1;
  const t = tiersOf(prep, totals);
  for (let i = 0; i < totals.length; ++i)
    (tiers[t[i]]++, hist[Math.min(bins - 1, Math.floor((totals[i] - lo) / width))]++);
  return { tiers, histogram: hist };
}

// FNV-1a 32 over the totals' IEEE-754 bytes (little-endian): leadscore_bench computes the same.
export function checksum(totals) {
  const b = new Uint8Array(totals.buffer, totals.byteOffset, totals.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; ++i) h = Math.imul(h ^ b[i], 16777619);
  return h >>> 0;
}

// Lead-by-lead comparison of two totals arrays: {mismatches, first, why}.
export function compareTotals(ref, got) {
  if (ref.length !== got.length)
    return {
      mismatches: Math.max(ref.length, got.length),
      first: 0,
      why: `${got.length} leads, expected ${ref.length}`,
    };
  let mismatches = 0,
    first = -1;
  for (let i = 0; i < ref.length; ++i)
    if (!Object.is(ref[i], got[i]) && ref[i] !== got[i]) {
      if (first < 0) first = i;
      ++mismatches;
    }
  return { mismatches, first, why: first >= 0 ? `lead ${first}: ${got[first]}, expected ${ref[first]}` : '' };
}

// ------------------------------------------------------------------ JsonLogic engines
const guard = (f) => (r, row) => {
  try {
    return f(r, row);
  } catch {
    return false; // a condition that throws does not fire (docs/rules.md)
  }
};

export function jsonLogicJs(rs) {
  const prep = prepare(rs);
  const fired = guard((r, row) => jsonLogic.truthy(jsonLogic.apply(r.when, row)));
  return (rows) => scoreWith(prep, rows, fired);
}

export function jsonLogicEngineInterpreted(rs) {
  const prep = prepare(rs),
    engine = new LogicEngine();
  const fired = guard((r, row) => engine.truthy(engine.run(r.when, row)));
  return (rows) => scoreWith(prep, rows, fired);
}

export function jsonLogicEngineCompiled(rs) {
  const prep = prepare(rs),
    engine = new LogicEngine();
  const fns = [];
  for (const g of prep.groups) for (const r of g.rules) if (r.when !== null) fns[r.k] = engine.build(r.when);
  const fired = guard((r, row) => engine.truthy(fns[r.k](row)));
  return (rows) => scoreWith(prep, rows, fired);
}

// ------------------------------------------------------------------ json-rules-engine
// JsonLogic truthiness (json-logic-engine: [] and {} are falsy).
const truthy = (v) =>
  !(
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === '' ||
    Number.isNaN(v) ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)
  );
const varName = (x) => (x && typeof x === 'object' && 'var' in x ? (Array.isArray(x.var) ? x.var[0] : x.var) : null);
const CMP = {
  '<': ['lessThan', 'greaterThan'],
  '<=': ['lessThanInclusive', 'greaterThanInclusive'],
  '>': ['greaterThan', 'lessThan'],
  '>=': ['greaterThanInclusive', 'lessThanInclusive'],
};

// JsonLogic condition -> json-rules-engine condition, for the shapes the benchmark's rules use.
// Number comparisons use the engine's own operators, which are false for a missing fact; the rule
// set only compares a possibly-missing number where JsonLogic (null -> 0) is false too, or guards
// it. The per-lead comparison with the other engines checks that the translation is exact.
export function toRulesEngine(expr) {
  const op = Object.keys(expr)[0],
    a = expr[op],
    args = Array.isArray(a) ? a : [a];
  const fact = (x) => {
    const n = varName(x);
    if (n === null) throw new Error(`json-rules-engine adapter: expected a var, got ${JSON.stringify(x)}`);
    return n;
  };
  switch (op) {
    case 'and':
      return { all: args.map(toRulesEngine) };
    case 'or':
      return { any: args.map(toRulesEngine) };
    case '!':
      return { not: toRulesEngine(args[0]) };
    case '!!':
      return toRulesEngine(args[0]);
    case 'var':
      return { fact: fact(expr), operator: 'truthy', value: true };
    case 'missing':
      if (args.length !== 1) throw new Error('json-rules-engine adapter: missing with one field only');
      return { fact: args[0], operator: 'isMissing', value: true };
    case 'in':
      if (Array.isArray(args[1])) return { fact: fact(args[0]), operator: 'in', value: args[1] };
      return { fact: fact(args[1]), operator: 'hasText', value: args[0] };
    case '==':
    case '===': {
      const [v, lit] = varName(args[0]) !== null ? args : [args[1], args[0]];
      return { fact: fact(v), operator: 'equal', value: lit };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (args.length === 3) {
        // between: lo op x op hi
        return {
          all: [
            { fact: fact(args[1]), operator: CMP[op][1], value: args[0] },
            { fact: fact(args[1]), operator: CMP[op][0], value: args[2] },
          ],
        };
      }
      const left = varName(args[0]) !== null;
      const name = fact(left ? args[0] : args[1]),
        lit = left ? args[1] : args[0];
      if (typeof lit === 'string') return { fact: name, operator: 'text' + op, value: lit };
      return { fact: name, operator: CMP[op][left ? 0 : 1], value: lit };
    }
  }
  throw new Error(`json-rules-engine adapter: operator '${op}' is not translated`);
}

export function jsonRulesEngine(rs) {
  const prep = prepare(rs);
  const engine = new RulesEngine([], { allowUndefinedFacts: true, replaceFactsInEventParams: false });
  engine.addOperator('truthy', (f) => truthy(f));
  engine.addOperator('isMissing', (f) => f === undefined || f === null || f === '');
  engine.addOperator('hasText', (f, v) => typeof f === 'string' && f.includes(v));
  for (const o of ['<', '<=', '>', '>='])
    engine.addOperator(
      'text' + o,
      (f, v) => typeof f === 'string' && (o === '<' ? f < v : o === '<=' ? f <= v : o === '>' ? f > v : f >= v),
    );
  for (const g of prep.groups)
    for (const r of g.rules)
      if (r.when !== null) {
        const c = toRulesEngine(r.when);
        engine.addRule({ name: r.id, conditions: c.all || c.any || c.not ? c : { all: [c] }, event: { type: r.id } });
      }
  return async (rows) => {
    const fired = new Array(rows.length);
    for (let i = 0; i < rows.length; ++i) {
      const { events } = await engine.run(rows[i]);
      fired[i] = new Set(events.map((e) => e.type));
    }
    const index = new Map(rows.map((row, i) => [row, i]));
    return scoreWith(prep, rows, (r, row) => fired[index.get(row)].has(r.id));
  };
}

// ------------------------------------------------------------------ hand-written
// bench/rules.json written out by hand, the way a developer would code these rules in plain JS.
// Tested against the engines above (identical totals) on every test run.
const TARGET_INDUSTRIES = new Set(['Software', 'SaaS', 'Fintech', 'IT Services']);
const SERVED = new Set([
  'United States',
  'Canada',
  'United Kingdom',
  'Ireland',
  'Germany',
  'France',
  'Netherlands',
  'Sweden',
  'Australia',
]);
const PARTNER_SOURCES = new Set(['Referral', 'Partner']);
const DM = ['CEO', 'CTO', 'CFO', 'COO', 'CMO', 'VP', 'Head of', 'Director', 'ceo', 'cto', 'vp', 'head of', 'director'];
const MANAGER = ['Manager', 'Team Lead', 'manager'];
const STUDENT = ['Student', 'Intern', 'student', 'intern'];
const anyIn = (t, words) => {
  for (let k = 0; k < words.length; ++k) if (t.includes(words[k])) return true;
  return false;
};

// `size`: the company-size range of rule right-size ([50, 5000] in bench/rules.json), the one the
// edit benchmark changes: editing that rule in plain JS means changing these constants.
export function handScore(rows, size = [50, 5000]) {
  const n = rows.length,
    out = new Float64Array(n);
  const [sizeLo, sizeHi] = size;
  for (let i = 0; i < n; ++i) {
    const r = rows[i];
    let fit = 0,
      eng = 0;
    const title = r.title;
    if (title) {
      if (anyIn(title, DM)) fit += 20;
      if (anyIn(title, MANAGER)) fit += 8;
      if (anyIn(title, STUDENT)) fit -= 25;
    }
    if (title === undefined) fit -= 5;
    if (TARGET_INDUSTRIES.has(r.industry)) fit += 10;
    const employees = r.company_size;
    if (employees >= sizeLo && employees <= sizeHi) fit += 10;
    if (employees > 5000) fit += 5;
    if (employees !== undefined && employees < 10) fit -= 10;
    const revenue = r.annual_revenue;
    if (revenue >= 10 && revenue <= 500) fit += 8;
    if (revenue === undefined) fit -= 3;
    const country = r.country;
    if (country && !SERVED.has(country)) fit -= 10;
    if (PARTNER_SOURCES.has(r.source)) fit += 10;
    if (r.source === 'Cold Outreach') fit -= 5;
    if (!r.company) fit -= 5;
    fit = fit < 0 ? 0 : fit > 60 ? 60 : fit;

    if (r.email_opens >= 1) eng += 5;
    const clicks = r.email_clicks;
    if (clicks >= 1) eng += 10;
    if (clicks !== undefined) eng += Math.min(10, 2 * clicks);
    if (r.whitepaper === true) eng += 15;
    if (r.webinar === true) eng += 10;
    if (r.pricing_views_30d >= 3) eng += 20;
    if (r.pricing_views !== undefined) eng += Math.min(5, r.pricing_views);
    if (r.demo_requested === true) eng += 30;
    if (r.unsubscribed === true) eng -= 20;
    const days = r.days_inactive;
    if (days >= 30) eng -= 15;
    if (days !== undefined && days <= 7) eng += 10;
    const last = r.last_activity;
    if (last && last >= '2025-06-01') eng += 5;
    eng = eng < -40 ? -40 : eng > 70 ? 70 : eng;

    const total = fit + eng;
    out[i] = total < 0 ? 0 : total > 100 ? 100 : total;
  }
  return out;
}

// The range of rule right-size in a rule set ({"<=": [lo, {"var": "company_size"}, hi]}).
function sizeRange(rs) {
  const w = rs.rules.find((r) => r.id === 'right-size')?.when?.['<='];
  if (!w || w.length !== 3 || w[1]?.var !== 'company_size' || typeof w[0] !== 'number' || typeof w[2] !== 'number')
    throw new Error(
      'the hand-written scorer implements bench/rules.json; right-size must stay {"<=": [lo, {"var": "company_size"}, hi]}',
    );
  return [w[0], w[2]];
}

export const ENGINES = {
  // The fast plain-JS baseline (bench/plainjs.mjs, bench/PLAIN-JS.md): the rule set as one loop
  // with every condition inlined; proc.mjs gives it rows of one shape (uniformRows).
  'hand-written': (rs) => plainScorer(rs),
  // The scorer above written once by hand for bench/rules.json (sessions 1-12's baseline).
  'hand-written (fixed code)': (rs) => {
    const size = sizeRange(rs);
    return (rows) => handScore(rows, size);
  },
  'json-logic-js': jsonLogicJs,
  'json-logic-engine (interpreted)': jsonLogicEngineInterpreted,
  'json-logic-engine (compiled)': jsonLogicEngineCompiled,
  'json-rules-engine': jsonRulesEngine,
};

// Row objects from the benchmark's JSON file (one row per line, as bench/gen-leads.mjs writes it).
export function parseRows(text) {
  const rows = [];
  let at = text.indexOf('\n') + 1;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    let line = text.slice(at, end < 0 ? text.length : end);
    at = end < 0 ? text.length : end + 1;
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (line === ']' || line === '') continue;
    rows.push(JSON.parse(line));
  }
  return rows;
}

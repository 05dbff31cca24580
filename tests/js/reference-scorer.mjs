// An independent reference implementation of docs/rules.md's scoring arithmetic, in plain
// JavaScript. Conditions run through json-logic-engine 5.0.7 (the semantics docs/rules.md
// names); everything else (per-unit points, clamps, sums, tiers, sales-ready, matrix) is written
// here from the documentation, without looking at how the C++ core computes it.
//
// The ledger has the JSON shape of the C++ to_json(Ledger) for the parts that are compared:
//   rules:  [{id, group, raw, points, clipped?, value?, note?}]   every rule that fired, grouped
//           by group (group order), in rule order within a group
//   groups: [{id, sum, score, clipped?}]
//   sum, total, clipped?, errors? ([{id}] rules whose condition threw for this lead)
// clipped texts: "rule min" / "rule max" / "group min" / "group max" / "total min" / "total max".
import { LogicEngine } from 'json-logic-engine';

const engine = new LogicEngine();

const DEFAULT_GROUPS = [{ id: 'fit' }, { id: 'engagement' }];
const DEFAULT_TIERS = [{ name: 'All', action: '' }];

function has(obj, key) {
  return obj != null && Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== null && obj[key] !== undefined;
}

// Clamp v to {min?, max?}; returns [value, which bound clipped it ('min', 'max' or '')].
function clamp(v, b) {
  if (b && has(b, 'min') && v < b.min) return [b.min, 'min'];
  if (b && has(b, 'max') && v > b.max) return [b.max, 'max'];
  return [v, ''];
}

// Bands (tiers, matrix bands) by lower bound: highest min first, the band without a min last.
function sortBands(bands) {
  return bands
    .map((b, i) => ({ b, i }))
    .sort((x, y) => {
      const xm = has(x.b, 'min'),
        ym = has(y.b, 'min');
      if (xm && ym) return y.b.min - x.b.min || x.i - y.i;
      if (xm) return -1;
      if (ym) return 1;
      return x.i - y.i;
    })
    .map((x) => x.b);
}

// The highest band whose min the value reaches (the band without a min takes everything below).
function bandOf(sorted, v) {
  for (const b of sorted) if (!has(b, 'min') || v >= b.min) return b;
  return sorted[sorted.length - 1];
}

// Run a condition: {fired, threw}. A missing (or null) `when` always applies. json-logic-engine
// throws plain values (NaN itself for arithmetic errors), so the flag cannot be the thrown value.
function condition(when, row) {
  if (when === undefined || when === null) return { fired: true, threw: false };
  try {
    return { fired: Boolean(engine.truthy(engine.run(when, row))), threw: false };
  } catch {
    return { fired: false, threw: true };
  }
}

// The per-unit value of a field for a lead: a finite number (booleans count 1/0), or null when
// the value is missing.
function unitValue(row, field) {
  if (!has(row, field)) return null;
  const v = row[field];
  const n = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : null;
}

// The sales-ready threshold (a number) or null.
function salesReadyThreshold(ruleSet, tiers) {
  const s = ruleSet.salesReady;
  if (typeof s === 'number') return s;
  if (typeof s === 'string') {
    const t = tiers.find((x) => x.name === s);
    if (!t || !has(t, 'min')) throw new Error(`salesReady names tier '${s}', which has no min`);
    return t.min;
  }
  if (tiers.length > 1 && has(tiers[0], 'min')) return tiers[0].min;
  return null;
}

export function scoreLead(ruleSet, row, prepared = prepare(ruleSet)) {
  const { groups, rules, tiers, threshold, matrix, totalBounds } = prepared;
  const ledger = { rules: [], groups: [], sum: 0, total: 0 };
  const errors = [];
  const scores = {};
  for (const g of groups) {
    let sum = 0;
    for (const r of rules) {
      if (r.group !== g.id) continue;
      const { fired, threw } = condition(r.when, row);
      if (threw) {
        errors.push({ id: r.id });
        continue;
      }
      if (!fired) continue;
      const entry = { id: r.id, group: r.group };
      let raw;
      if (has(r, 'per')) {
        const v = unitValue(row, r.per);
        if (v === null) {
          // Fired, but the per-unit field is missing: the rule contributes nothing.
          ledger.rules.push({ ...entry, raw: 0, points: 0, note: `'${r.per}' is missing for this lead: 0 points` });
          continue;
        }
        entry.value = v;
        raw = r.points * v;
      } else {
        raw = r.points;
      }
      const [points, clip] = clamp(raw, r);
      entry.raw = raw;
      entry.points = points;
      if (clip) entry.clipped = 'rule ' + clip;
      sum += points;
      ledger.rules.push(entry);
    }
    const [score, clip] = clamp(sum, g);
    const lg = { id: g.id, sum, score };
    if (clip) lg.clipped = 'group ' + clip;
    ledger.groups.push(lg);
    scores[g.id] = score;
    ledger.sum += score;
  }
  const [total, clip] = clamp(ledger.sum, totalBounds);
  ledger.total = total;
  if (clip) ledger.clipped = 'total ' + clip;
  if (errors.length) ledger.errors = errors;

  const tier = bandOf(tiers, total);
  const out = {
    total,
    groups: scores,
    tier: tier.name,
    action: tier.action ?? '',
    salesReady: threshold !== null && total >= threshold,
  };
  if (matrix) {
    const f = bandOf(matrix.fit, scores[matrix.fitGroup]);
    const e = bandOf(matrix.engagement, scores[matrix.engagementGroup]);
    out.cell = f.label + e.label;
    out.cellAction = matrix.actions[out.cell] ?? '';
  }
  out.ledger = ledger;
  return out;
}

export function prepare(ruleSet) {
  const groups = ruleSet.groups ?? DEFAULT_GROUPS;
  const firstGroup = groups[0].id;
  const rules = (ruleSet.rules ?? [])
    .filter((r) => r.enabled !== false)
    .map((r) => ({ ...r, group: r.group ?? firstGroup }));
  const tiers = sortBands(ruleSet.tiers ?? DEFAULT_TIERS);
  const threshold = salesReadyThreshold(ruleSet, tiers);
  let matrix = null;
  if (ruleSet.matrix) {
    const m = ruleSet.matrix;
    matrix = {
      fitGroup: m.fit.group ?? 'fit',
      engagementGroup: m.engagement.group ?? 'engagement',
      fit: sortBands(m.fit.bands),
      engagement: sortBands(m.engagement.bands),
      actions: m.actions ?? {},
    };
  }
  return { groups, rules, tiers, threshold, matrix, totalBounds: ruleSet.total ?? {} };
}

// Score every lead. `rows` are the leads as JsonLogic sees them (missing cells absent).
export function scoreAll(ruleSet, rows) {
  const prepared = prepare(ruleSet);
  return rows.map((row) => scoreLead(ruleSet, row, prepared));
}

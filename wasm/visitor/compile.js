// The visitor build's rule compiler (docs/embed.md): checks a rule set and compiles it once into
// the numbers the small evaluator (visitor_core.cpp) scores one visitor with, then encodes a visitor
// (properties + stored events) next to it and decodes the evaluator's output into the score,
// tier and ledger the workbench and the CLI give (tests/js/visitor.test.mjs compares them).
//
// The visitor build covers what a marketing site's rules use. What it does not cover (computed
// fields, the fit x engagement matrix, date fields, JsonLogic operators beyond comparisons, and /
// or / not / in) is refused with an error naming the rule and the place, never scored differently.

const OPS = { '==': 2, '!=': 3, '===': 4, '!==': 5, '<': 6, '<=': 7, '>': 8, '>=': 9, '!': 10, '!!': 11 };
const OP_LIT = 0,
  OP_VAR = 1,
  OP_AND = 12,
  OP_OR = 13,
  OP_IN = 14,
  OP_IN_ARR = 15;
const T_NULL = 0,
  T_BOOL = 1,
  T_NUM = 2,
  T_STR = 3;
const R_OUT = 12,
  HEADER = 22; // visitor_core.cpp: R_OUT, the header of ls_score
const MISSING = ['', 'N/A', 'NA', 'n/a', 'null', 'NULL', 'None', '-', 'Select', 'unknown', 'Unknown'];
const COUNT_OPS = { '>=': 0, '=': 1, '==': 1, '<=': 2, between: 3 };
const REPEATS = { once: 0, every: 1, daily: 2, weekly: 3 };
const DAY_MS = 86_400_000;
const RULE_KEYS = ['id', 'label', 'description', 'group', 'points', 'per', 'min', 'max', 'when', 'enabled', 'events'];
const EVENT_KEYS = ['type', 'where', 'within', 'count', 'repeat', 'dedupe', 'bands', 'decay'];

/** A rule set problem, with the fields of the core's diagnostics (code, path, ruleId, field). */
export class LeadScoreError extends Error {
  constructor(error) {
    super(error.message);
    this.name = 'LeadScoreError';
    Object.assign(this, error);
  }
}

const fail = (message, path, ruleId = '', code = 'schema', field = '') => {
  throw new LeadScoreError({ code, message: ruleId ? `rule '${ruleId}': ${message}` : message, path, ruleId, field });
};
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v, fallback, path, id, what) => {
  if (v != null && typeof v !== 'string') fail(`${what} must be text`, path, id);
  return v ?? fallback;
};
const list = (v, path, what, id = '') => {
  if (!Array.isArray(v) || !v.length) fail(`${what} must be a non-empty list`, path, id);
  return v;
};
const num = (v, path, id, what, { whole = false, min = -Infinity } = {}) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || (whole && !Number.isInteger(v)) || v < min)
    fail(
      `${what} must be a ${whole ? 'whole ' : ''}number${min > -Infinity ? ` >= ${min}` : ''}, not ${JSON.stringify(v)}`,
      path,
      id,
    );
  return v;
};
// The core's limit on points and bounds (core/rules: kMaxPoints), so that no sum overflows.
const limit = (v, path, id) => {
  if (Math.abs(v) > 1e15)
    fail(`${JSON.stringify(v)} is beyond the limit of 1e15 either way; use smaller numbers`, path, id, 'limit');
  return v;
};
const keys = (obj, allowed, path, id) => {
  for (const k of Object.keys(obj))
    if (!allowed.includes(k))
      fail(
        `'${k}' is not supported by the visitor build here (it reads: ${allowed.join(', ')})`,
        `${path}.${k}`,
        id,
        'unsupported',
      );
};
// [has min, min, has max, max], as visitor_core.cpp clamps.
const bounds = (o, path, id) => [
  o.min != null ? 1 : 0,
  o.min != null ? limit(num(o.min, `${path}.min`, id, "'min'"), `${path}.min`, id) : 0,
  o.max != null ? 1 : 0,
  o.max != null ? limit(num(o.max, `${path}.max`, id, "'max'"), `${path}.max`, id) : 0,
];

/** JSON text -> object, with the core's located syntax error (code 'json', line, column). */
function parseText(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = Number(/position (\d+)/.exec(e.message)?.[1] ?? text.length);
    const before = text.slice(0, at).split('\n');
    throw new LeadScoreError({
      code: 'json',
      message: `the rule set is not valid JSON: ${e.message}`,
      path: '',
      ruleId: '',
      field: '',
      line: before.length,
      column: before[before.length - 1].length + 1,
    });
  }
}

// A program under construction: f64 numbers, and the strings they name by id.
class Program {
  constructor() {
    this.code = [];
    this.strings = [];
    this.ids = new Map();
    this.nums = new Set(); // numbers encoded: their String() is interned too ('in' searches text)
    for (const s of ['null', 'false', 'true']) this.str(s); // ids 0, 1, 2 (visitor_core.cpp text_of)
  }
  str(s) {
    let id = this.ids.get(s);
    if (id === undefined) this.ids.set(s, (id = this.strings.push(s) - 1));
    return id;
  }
  value(v) {
    if (v === null || v === undefined) return [T_NULL, 0];
    if (typeof v === 'boolean') return [T_BOOL, v ? 1 : 0];
    if (typeof v === 'number') return (this.nums.add(v), [T_NUM, v]);
    return [T_STR, this.str(String(v))];
  }
  at(words) {
    const at = this.code.length;
    this.code.push(...words);
    return at;
  }
  // A condition; `events`: it reads event columns (a 'where'), else the visitor's fields.
  cond(nodes, events) {
    const at = this.at(nodes);
    (this.conds ??= []).push([at, events]);
    return at;
  }
}

// JsonLogic -> nodes [op, length, ...]; `vars` collects the names read.
function condition(prog, logic, path, id, vars) {
  const node = (op, args) => [op, 2 + args.length, ...args];
  const walk = (x, p) => {
    if (!isObj(x)) {
      if (Array.isArray(x)) fail('a list is only supported as the second argument of "in"', p, id, 'unsupported');
      return node(OP_LIT, prog.value(x));
    }
    const ops = Object.keys(x);
    if (ops.length !== 1) fail(`a condition has exactly one operator, not ${ops.length}`, p, id, 'logic');
    const op = ops[0];
    const args = Array.isArray(x[op]) ? x[op] : [x[op]];
    const q = `${p}.${op}`;
    if (op === 'var') {
      if (args.length !== 1 || typeof args[0] !== 'string' || !args[0])
        fail('the visitor build reads {"var": "field"} only (no default, no index)', q, id, 'unsupported');
      vars.add(args[0]);
      return node(OP_VAR, [args[0]]); // the name: a slot once all names are known
    }
    if (op === 'and' || op === 'or') {
      if (!args.length) fail(`'${op}' needs at least one condition`, q, id, 'logic');
      return node(
        op === 'and' ? OP_AND : OP_OR,
        args.flatMap((a, i) => walk(a, `${q}[${i}]`)),
      );
    }
    if (op === 'in') {
      if (args.length !== 2) fail("'in' takes two arguments", q, id, 'logic');
      const needle = walk(args[0], `${q}[0]`);
      if (!Array.isArray(args[1])) return node(OP_IN, [...needle, ...walk(args[1], `${q}[1]`)]);
      if (args[1].some((v) => v !== null && typeof v === 'object'))
        fail("'in' lists hold plain values only in the visitor build", `${q}[1]`, id, 'unsupported');
      return node(OP_IN_ARR, [...needle, args[1].length, ...args[1].flatMap((v) => prog.value(v))]);
    }
    const code = OPS[op];
    if (code === undefined)
      fail(
        `the visitor build does not support the operator '${op}' (it supports var, ${Object.keys(OPS).join(', ')}, and, or, in); score this rule set with the full module`,
        q,
        id,
        'unsupported',
      );
    const n = code >= 10 ? 1 : code === 6 || code === 7 ? [2, 3] : [2];
    if (code >= 10 ? args.length !== 1 : !n.includes(args.length))
      fail(`'${op}' takes ${code >= 10 ? 1 : n.join(' or ')} argument(s), not ${args.length}`, q, id, 'logic');
    return node(
      code,
      args.flatMap((a, i) => walk(a, `${q}[${i}]`)),
    );
  };
  return walk(logic, path);
}

function decay(prog, d, path, id) {
  if (!isObj(d)) fail("'decay' must be a decay object", path, id);
  keys(d, ['halfLife', 'linear', 'expire'], path, id);
  if (d.halfLife != null && d.linear != null) fail("'decay' takes 'halfLife' or 'linear', not both", path, id);
  if (d.linear != null && !isObj(d.linear))
    fail('\'linear\' must be {"rate": r, "period": days}', `${path}.linear`, id);
  const lin = d.linear ?? {};
  return prog.at([
    d.expire != null ? num(d.expire, `${path}.expire`, id, "'expire'", { whole: true, min: 1 }) : -1,
    d.halfLife != null ? num(d.halfLife, `${path}.halfLife`, id, "'halfLife'", { min: Number.MIN_VALUE }) : 0,
    d.linear != null ? num(lin.rate, `${path}.linear.rate`, id, "'rate'", { min: Number.MIN_VALUE }) : 0,
    d.linear != null ? num(lin.period, `${path}.linear.period`, id, "'period'", { whole: true, min: 1 }) : 1,
  ]);
}

// The event half of a rule: E_ words of visitor_core.cpp (types, where, within, dedupe, count, repeat, bands, decay).
function events(prog, e, rule, group, path, id, evVars) {
  if (!isObj(e)) fail("'events' must be an object", path, id);
  keys(e, EVENT_KEYS, path, id);
  const types = e.type == null ? [] : Array.isArray(e.type) ? e.type : [e.type];
  if (!types.every((t) => typeof t === 'string') || (Array.isArray(e.type) && !types.length))
    fail("'type' must be an event type (text) or a non-empty list of them", `${path}.type`, id);
  const where = e.where == null ? -1 : prog.cond(condition(prog, e.where, `${path}.where`, id, evVars), true);
  if (e.dedupe != null && typeof e.dedupe !== 'string')
    fail("'dedupe' must name an event column", `${path}.dedupe`, id);
  if (e.dedupe != null) evVars.add(e.dedupe);
  const repeat = REPEATS[e.repeat ?? 'once'];
  if (repeat === undefined) fail(`'repeat' must be "once", "every", "daily" or "weekly"`, `${path}.repeat`, id);
  const bands = (e.bands == null ? [] : list(e.bands, `${path}.bands`, "'bands'", id)).map((b, i) => {
    const q = `${path}.bands[${i}]`;
    if (!isObj(b)) fail('a band is {"min": count, "points": points}', q, id);
    return [
      num(b.min, `${q}.min`, id, "'min'", { whole: true, min: 0 }),
      limit(num(b.points, `${q}.points`, id, "'points'"), `${q}.points`, id),
    ];
  });
  if (bands.length && repeat) fail("'bands' need 'repeat': \"once\"", `${path}.bands`, id);
  bands.sort((a, b) => b[0] - a[0]);
  let count = [0, bands.length ? bands[bands.length - 1][0] : 1, 0];
  if (e.count != null) {
    const [op, ...more] = isObj(e.count) ? Object.keys(e.count) : [];
    if (COUNT_OPS[op] === undefined || more.length)
      fail("'count' must be one test: >=, =, <= or between", `${path}.count`, id);
    const v = e.count[op];
    const [a, b] =
      op === 'between'
        ? Array.isArray(v) && v.length === 2
          ? v
          : fail("'between' takes [a, b]", `${path}.count`, id)
        : [v, 0];
    count = [
      COUNT_OPS[op],
      num(a, `${path}.count`, id, 'a count', { whole: true, min: 0 }),
      op === 'between' ? num(b, `${path}.count`, id, 'a count', { whole: true, min: a }) : 0,
    ];
  }
  // The rule's own decay, else its group's (unless "decay": false), as Scorer::event_spec.
  const d = e.decay === false ? null : e.decay != null ? e.decay : isObj(group.decay) ? group.decay : null;
  if (e.decay != null && e.decay !== false && !group.decay)
    fail(`group '${group.id}' does not decay, so this rule's points cannot fade`, `${path}.decay`, id, 'decay');
  return [
    prog.at([types.length, ...types.map((t) => prog.str(t))]),
    where,
    e.within != null ? num(e.within, `${path}.within`, id, "'within'", { whole: true, min: 1 }) : -1,
    e.dedupe ?? -1, // a name: a column slot when encoding
    ...count,
    repeat,
    prog.at([bands.length, ...bands.flat()]),
    d ? decay(prog, d, `${path}.decay`, id) : -1,
  ];
}

function fieldSpecs(doc) {
  const fields = new Map(); // name or alias -> {name, type, missing}
  if (doc.fields != null && !isObj(doc.fields)) fail("'fields' must be an object", 'fields');
  for (const [name, f] of Object.entries(doc.fields ?? {})) {
    const p = `fields.${name}`;
    if (!isObj(f)) fail('a field declaration is an object', p);
    if ('daysSince' in f || 'eventCount' in f)
      fail(
        `computed field '${name}' is not supported by the visitor build; score this rule set with the full module`,
        p,
        '',
        'unsupported',
        name,
      );
    keys(f, ['type', 'aliases', 'missing', 'description', 'label'], p, '');
    if (f.type != null && !['string', 'number', 'boolean'].includes(f.type))
      fail(
        `field type '${f.type}' is not supported by the visitor build (string, number, boolean)`,
        `${p}.type`,
        '',
        'unsupported',
        name,
      );
    for (const list of ['aliases', 'missing'])
      if (f[list] != null && !(Array.isArray(f[list]) && f[list].every((t) => typeof t === 'string')))
        fail(`'${list}' must be a list of texts`, `${p}.${list}`, '', 'schema', name);
    const spec = {
      name,
      type: f.type ?? null,
      missing: new Set((f.missing ?? []).map((t) => String(t).toLowerCase())),
    };
    for (const a of [name, ...(f.aliases ?? [])]) fields.set(a, spec);
  }
  return fields;
}

const DOC_KEYS = ['$schema', 'leadscore', 'name', 'description', 'fields', 'missing', 'groups', 'total', 'rules'];
DOC_KEYS.push('tiers', 'salesReady');

function groupsOf(doc) {
  if (doc.groups != null) list(doc.groups, 'groups', "'groups'");
  const defaults = [
    { id: 'fit', label: 'Fit' },
    { id: 'engagement', label: 'Engagement' },
  ];
  return (doc.groups ?? defaults).map((g, i) => {
    const p = `groups[${i}]`;
    if (!isObj(g) || typeof g.id !== 'string' || !g.id) fail("a group needs an 'id'", p);
    if (g.decay != null && typeof g.decay !== 'boolean' && !isObj(g.decay))
      fail("a group's 'decay' is true, false or a decay object", `${p}.decay`);
    if (isObj(g.decay)) decay(new Program(), g.decay, `${p}.decay`, ''); // checked here, used by its rules
    const label = text(g.label, g.id, `${p}.label`, '', "'label'");
    return { id: g.id, label, decay: g.decay ?? false, bounds: bounds(g, p, '') };
  });
}

function rule(prog, r, p, groups, seen) {
  if (!isObj(r) || typeof r.id !== 'string' || !r.id) fail("a rule needs an 'id' (text)", `${p}.id`);
  const id = r.id;
  if (seen.has(id)) fail(`rule id '${id}' is used twice; ids must be unique`, `${p}.id`, id, 'duplicate');
  seen.add(id);
  keys(r, RULE_KEYS, p, id);
  const gi = r.group == null ? 0 : groups.findIndex((g) => g.id === r.group);
  if (gi < 0) fail(`group '${r.group}' is not declared in 'groups'`, `${p}.group`, id, 'unknown_group');
  const bandsOnly = isObj(r.events) && Array.isArray(r.events.bands);
  const points =
    r.points == null && bandsOnly ? 0 : limit(num(r.points, `${p}.points`, id, "'points'"), `${p}.points`, id);
  if (r.enabled != null && typeof r.enabled !== 'boolean') fail("'enabled' must be true or false", `${p}.enabled`, id);
  if (r.per != null && (typeof r.per !== 'string' || !r.per)) fail("'per' must name a numeric field", `${p}.per`, id);
  if (r.per != null && r.events) fail("a rule with 'events' cannot have 'per'", `${p}.per`, id);
  const vars = new Set(r.per ? [r.per] : []);
  const evVars = new Set();
  const when = r.when == null ? -1 : prog.cond(condition(prog, r.when, `${p}.when`, id, vars), false);
  const ev = r.events != null ? events(prog, r.events, r, groups[gi], `${p}.events`, id, evVars) : null;
  const label = text(r.label, id, `${p}.label`, id, "'label'");
  const repeat = r.events?.repeat ?? 'once';
  return {
    id,
    label,
    group: gi,
    enabled: r.enabled !== false,
    points,
    per: r.per ?? null,
    when,
    ev,
    repeat,
    vars,
    evVars,
    bounds: bounds(r, p, id),
  };
}

// Tiers, highest first, and the sales-ready threshold (the top tier's min unless said).
function tiersOf(doc) {
  if (doc.tiers != null) list(doc.tiers, 'tiers', "'tiers'");
  const tiers = (doc.tiers ?? [{ name: 'All' }]).map((t, i) => {
    if (!isObj(t) || typeof t.name !== 'string') fail("a tier needs a 'name'", `tiers[${i}]`);
    const action = text(t.action, '', `tiers[${i}].action`, '', "'action'");
    return { name: t.name, min: t.min == null ? null : num(t.min, `tiers[${i}].min`, '', "'min'"), action };
  });
  tiers.sort((a, b) => (b.min ?? -Infinity) - (a.min ?? -Infinity));
  if (tiers.slice(0, -1).some((t) => t.min == null))
    fail("only the lowest of the tiers may leave out 'min'", 'tiers', '', 'bands');
  let salesReady = doc.salesReady ?? (tiers.length > 1 ? tiers[0].min : null);
  if (typeof salesReady === 'string') {
    salesReady = tiers.find((t) => t.name === doc.salesReady)?.min;
    if (salesReady == null)
      fail(
        `salesReady names tier '${doc.salesReady}', which is not a tier with a 'min'`,
        'salesReady',
        '',
        'unknown_tier',
      );
  } else if (salesReady != null) num(salesReady, 'salesReady', '', "'salesReady'");
  return { tiers, salesReady };
}

/** Checks a rule set (object or JSON text) and compiles it for the visitor build. */
export function compileRules(rules) {
  const doc = typeof rules === 'string' ? parseText(rules) : rules;
  if (!isObj(doc)) fail('a rule set is a JSON object', '');
  keys(doc, DOC_KEYS, '', '');
  if (doc.leadscore != null && doc.leadscore !== 1)
    fail(
      `this is rule set format ${JSON.stringify(doc.leadscore)}; this leadscore reads format 1`,
      'leadscore',
      '',
      'version',
    );
  if (doc.missing != null && !(Array.isArray(doc.missing) && doc.missing.every((t) => typeof t === 'string')))
    fail("'missing' must be a list of texts that mean 'no value'", 'missing');
  const prog = new Program();
  const groups = groupsOf(doc);
  if (!Array.isArray(doc.rules)) fail("'rules' must be a list of rules", 'rules');
  const seen = new Set();
  const compiled = doc.rules.map((r, i) => rule(prog, r, `rules[${i}]`, groups, seen));
  return {
    prog,
    groups,
    rules: compiled,
    ...tiersOf(doc),
    total: bounds(doc.total ?? {}, 'total', ''),
    fields: fieldSpecs(doc),
    missing: new Set((doc.missing ?? MISSING).map((t) => String(t).toLowerCase())),
  };
}

const PLAIN_NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;
const BOOLS = new Map(Object.entries({ y: true, yes: true, true: true, n: false, no: false, false: false }));
const boolOf = (v) => (typeof v === 'boolean' ? v : BOOLS.get(String(v).trim().toLowerCase()));
// Text that is plainly text to the CLI's loader: no digit, or a character no number or date is
// written with (a letter besides month names and time markers, '_', '#', ...). Anything else
// ("1,200", "45 %", "03/04/2024", "2024") it may read as a number or a date when no type is
// declared, which the visitor build does not reproduce.
const plainText = (s) =>
  !/\d/.test(s) ||
  /[^\d\s.,\-+/:'$€£¥%()]/.test(
    s
      .replace(/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|am|pm|utc|gmt/gi, '')
      .replace(/(\d)[tz]/gi, '$1'),
  );
const identifierName = /phone|mobile|fax|zip|postal|postcode/i;
const identifierText = (t) => /^0\d/.test(t.trim()) || /^\+\d{7,}$/.test(t.trim()) || /^[-+]?\d{17,}$/.test(t.trim());

// A value with the missing tokens (ASCII case ignored) as null.
function present(v, spec, plan) {
  if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) return null;
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v !== 'string') return v;
  const t = v.trim().toLowerCase();
  return plan.missing.has(t) || spec?.missing.has(t) ? null : v;
}

/**
 * A column's values as the CLI's loader types them (core/io/columns.cpp): a declared type wins;
 * otherwise all numbers -> numbers, all yes/no words -> booleans, else text (numbers as their
 * text). What the loader may read as a formatted number, a date or a code (kept as text) throws
 * `ambiguous` with an example, for the caller to refuse naming the rule.
 */
function typedColumn(name, values, spec, plan) {
  const vals = values.map((v) => present(v, spec, plan));
  const some = vals.filter((v) => v !== null);
  const ambiguous = (example) => {
    throw Object.assign(new Error('ambiguous'), { ambiguous: String(example) });
  };
  const type = spec?.type;
  if (type === 'string') return vals.map((v) => (v === null ? null : String(v)));
  if (type === 'number')
    return vals.map((v) => {
      if (v === null || typeof v === 'number') return v;
      if (PLAIN_NUMBER.test(String(v))) return Number(v);
      return /\d/.test(String(v)) ? ambiguous(v) : null; // "1,200" or "$5": formats the visitor build does not read
    });
  if (type === 'boolean')
    return vals.map((v) =>
      v === null ? null : (boolOf(v) ?? (v === 1 || v === '1' ? true : v === 0 || v === '0' ? false : null)),
    );
  if (!some.length) return vals;
  if (some.every((v) => typeof v === 'number' || (typeof v === 'string' && PLAIN_NUMBER.test(v)))) {
    const text = some.find((v) => typeof v === 'string' && identifierText(v));
    if (identifierName.test(name) || text !== undefined) ambiguous(text ?? some[0]);
    return vals.map((v) => (v === null ? null : Number(v)));
  }
  if (some.every((v) => boolOf(v) !== undefined || v === 1 || v === 0 || v === '1' || v === '0'))
    return vals.map((v) => (v === null ? null : (boolOf(v) ?? (v === 1 || v === '1'))));
  if (!some.some((v) => typeof v === 'string' && plainText(v))) ambiguous(some.find((v) => typeof v === 'string'));
  return vals.map((v) => (v === null ? null : String(v)));
}

// The as-of day (days since 1970-01-01); rule sets that count events need one.
function asOfDay(plan, asOf) {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asOf ?? '') ? Date.parse(`${asOf}T00:00:00Z`) / DAY_MS : NaN;
  if (plan.rules.some((r) => r.ev && r.enabled) && !Number.isInteger(day))
    fail(`asOf must be a date written YYYY-MM-DD, not '${asOf}'`, '', '', 'as_of');
  return day;
}

// typedColumn for a field (events false) or an event column (true); what it cannot type is
// refused naming the first rule that reads it (unread, it is left out).
function typer(plan) {
  const reader = (f, events) => plan.rules.find((r) => r.enabled && (events ? r.evVars : r.vars).has(f));
  return (f, values, spec, events) => {
    try {
      return typedColumn(f, values, spec, plan);
    } catch (e) {
      if (e.ambiguous === undefined) throw e;
      const r = reader(f, events);
      if (!r) return values.map(() => null);
      return fail(
        events
          ? `event column '${f}' holds '${e.ambiguous}' in every event, text the CLI may read as a number, date or code; the visitor build does not guess: record it as a number or as plain text`
          : `field '${f}' holds '${e.ambiguous}', text the CLI may read as a number, date or code; declare '${f}' in 'fields' with "type": "string" or "number"`,
        events ? `events.${f}` : `properties.${f}`,
        r.id,
        'ambiguous',
        f,
      );
    }
  };
}

// The events as rows [day (NaN: undated), type id, 0 (the evaluator's mark), (tag, value) per
// column], newest first, undated last (ties keep the order recorded), as the core sorts them.
function eventRows(rows, evCols, prog, typed) {
  const time = (e) =>
    typeof e.timestamp === 'string' || typeof e.timestamp === 'number' ? new Date(e.timestamp).getTime() : NaN;
  const order = rows.map((e, i) => ({ e, i, t: time(e) }));
  order.sort((a, b) => Number.isNaN(a.t) - Number.isNaN(b.t) || b.t - a.t || a.i - b.i);
  const columns = evCols.map((c) =>
    typed(
      c,
      order.map(({ e }) => e[c]),
      null,
      true,
    ),
  );
  const words = [];
  order.forEach(({ e, t }, i) => {
    words.push(Number.isNaN(t) ? NaN : Math.floor(t / DAY_MS), prog.str(String(e.type ?? '')), 0);
    for (const col of columns) words.push(...prog.value(col[i]));
  });
  return words;
}

// Per rule its R_ words; a rule reading a field or event column the visitor lacks is skipped
// (as the CLI skips it), and said so in `skipped`.
function ruleWords(plan, known, eventCols, fieldNames, evCols, skipped) {
  return plan.rules.flatMap((r) => {
    const missing =
      [...r.vars].find((f) => !known(f)) ?? (eventCols ? [...r.evVars].find((c) => !eventCols.has(c)) : undefined);
    if (r.enabled && missing !== undefined) skipped.push({ ruleId: r.id, field: missing });
    const ev = r.ev ? [...r.ev] : [-1, -1, -1, -1, 0, 1, 0, 0, 0, -1];
    if (r.ev && ev[3] !== -1) ev[3] = evCols.indexOf(ev[3]);
    const group = r.enabled && missing === undefined ? r.group : -1;
    return [group, r.when, r.points, r.per ? fieldNames.indexOf(r.per) : -1, ...r.bounds, ...ev];
  });
}

// The strings' table [byte offset, byte length, Number()] and their UTF-8 bytes.
function stringTable(strings) {
  const encoder = new TextEncoder();
  const words = [];
  let at = 0;
  for (const s of strings) {
    const n = encoder.encode(s).length;
    words.push(at, n, Number(s));
    at += n;
  }
  return { words, bytes: encoder.encode(strings.join('')) };
}

/**
 * One visitor against a compiled rule set -> {f64: Float64Array (what visitor_core.cpp reads; the
 * UTF-8 bytes of the strings follow it), out: the output's index, skipped}.
 */
export function encode(plan, { properties = {}, events = [], asOf }) {
  const day = asOfDay(plan, asOf);
  const prog = new Program(); // the plan's strings first, so the plan's ids hold
  for (const s of plan.prog.strings) prog.str(s);
  const typed = typer(plan);
  const props = new Map();
  for (const [k, v] of Object.entries(properties ?? {})) {
    const spec = plan.fields.get(k);
    props.set(spec?.name ?? k, typed(spec?.name ?? k, [v], spec, false)[0]);
  }
  const rows = (Array.isArray(events) ? events : []).filter(isObj);
  const fieldNames = [...new Set(plan.rules.flatMap((r) => [...r.vars]))];
  const evCols = [...new Set(plan.rules.flatMap((r) => [...r.evVars]))];
  const present = rows.length ? new Set() : null; // without events the CLI checks no column
  for (const e of rows) for (const k in e) present.add(k);
  const skipped = [];
  // A declared field the visitor lacks is no column either.
  const rulesWords = ruleWords(plan, (f) => props.has(f), present, fieldNames, evCols, skipped);
  const evWords = eventRows(rows, evCols, prog, typed);
  const propWords = fieldNames.flatMap((f) => prog.value(props.get(f) ?? null));
  for (const x of plan.prog.nums) prog.nums.add(x);
  const numText = [...prog.nums].flatMap((x) => [x, prog.str(String(x))]);
  // Slots of var nodes: the plan's code with names replaced (fields for rules, columns for events).
  const code = [...plan.prog.code];
  for (const [at, isWhere] of plan.prog.conds ?? []) resolveVars(code, at, isWhere ? evCols : fieldNames);
  const strings = stringTable(prog.strings);
  const parts = [strings.words, propWords, evWords, rulesWords, plan.groups.flatMap((g) => g.bounds)];
  parts.push(
    plan.tiers.map((t) => t.min ?? NaN),
    code,
    numText,
  );
  const offs = [];
  let n = HEADER;
  for (const p of parts) (offs.push(n), (n += p.length));
  const out = n;
  n += plan.rules.length * R_OUT + 2 * plan.groups.length + 4;
  const f64 = new Float64Array(n + Math.ceil(strings.bytes.length / 8));
  const counts = [plan.rules.length, plan.groups.length, plan.tiers.length, plan.salesReady ?? NaN, ...plan.total];
  const [str, prp, evs, rls, grp, trs, cod, nt] = offs;
  f64.set([
    day,
    ...counts,
    str,
    n,
    prp,
    evs,
    rows.length,
    evCols.length,
    rls,
    grp,
    trs,
    cod,
    out,
    nt,
    numText.length / 2,
  ]);
  parts.forEach((p, i) => f64.set(p, offs[i]));
  new Uint8Array(f64.buffer, n * 8).set(strings.bytes);
  return { f64, out, skipped };
}

// Names in var nodes -> slots (event columns inside a 'where', else the visitor's fields).
function resolveVars(code, at, names) {
  const op = code[at],
    len = code[at + 1];
  if (op === OP_VAR) code[at + 2] = names.indexOf(code[at + 2]);
  else if (op === OP_IN_ARR)
    resolveVars(code, at + 2, names); // the needle; the list holds plain values
  else if (op !== OP_LIT) for (let p = at + 2; p < at + len; p += code[p + 1]) resolveVars(code, p, names);
}

const clipLabel = (b, v, scope) => (b[0] && v < b[1] ? `${scope} min` : b[2] && v > b[3] ? `${scope} max` : '');

/** The evaluator's output -> the response of scoreVisitor (the ledger as the core's to_json). */
export function decode(plan, o, skipped) {
  const entries = [];
  const errors = [];
  const groupsOut = plan.groups.map((g, gi) => {
    for (let i = 0; i < plan.rules.length; i++) {
      const r = plan.rules[i];
      const w = o.subarray(i * R_OUT, (i + 1) * R_OUT);
      if (r.group !== gi || !w[0]) continue;
      if (w[0] === 3) {
        errors.push({ id: r.id, message: w[1] === 1 ? 'NaN' : 'TypeError: (array || []).includes is not a function' });
        continue;
      }
      const e = { id: r.id, label: r.label, group: g.id, raw: w[1], points: w[2] };
      const clipped = w[0] === 1 && clipLabel(r.bounds, r.ev ? w[7] : w[1], 'rule');
      if (clipped) e.clipped = clipped;
      if (r.per && w[0] === 1) e.value = w[3];
      if (w[0] === 2) Object.assign(e, { raw: 0, points: 0, note: `'${r.per}' is missing for this lead: 0 points` });
      if (r.ev) {
        e.count = w[4];
        if (r.repeat !== 'once') e.occurrences = w[5];
        Object.assign(e, { decay: w[11], effective: w[7] });
        if (w[8] >= 0) e.daysSince = w[8];
        if (w[9]) e.future = w[9];
        if (w[10]) e.undated = w[10];
      }
      entries.push(e);
    }
    const at = plan.rules.length * R_OUT + 2 * gi;
    const out = { id: g.id, label: g.label, sum: o[at], score: o[at + 1] };
    const clipped = clipLabel(g.bounds, o[at], 'group');
    if (clipped) out.clipped = clipped;
    return out;
  });
  const t = o.subarray(plan.rules.length * R_OUT + 2 * plan.groups.length);
  const tier = plan.tiers[t[2]] ?? { name: '', action: '' };
  const ledger = {
    lead: 0,
    line: 1,
    total: t[1],
    sum: t[0],
    tier: tier.name,
    action: tier.action,
    salesReady: !!t[3],
    groups: groupsOut,
    rules: entries,
  };
  const clipped = clipLabel(plan.total, t[0], 'total');
  if (clipped) ledger.clipped = clipped;
  if (errors.length) ledger.errors = errors;
  return {
    score: t[1],
    tier: tier.name,
    action: tier.action,
    salesReady: !!t[3],
    cell: '',
    salesReadyMin: plan.salesReady ?? null,
    tierIndex: t[2],
    tiers: plan.tiers.map((x) => ({ name: x.name, min: x.min })),
    groups: Object.fromEntries(groupsOut.map((g) => [g.id, g.score])),
    ledger,
    skipped,
    warnings: [],
  };
}

// How a user's own file starts their workspace: a blank rule set, or a template (a rule set made
// for other data, like the built-in sample) mapped onto the file's columns. The columns keep their
// own names and the types read from the data: a template's rules are rewritten to read the user's
// columns, never the other way round, and its field declarations are not applied (they would
// rename columns and could throw values away: a "date" field over activity names).
// Pure functions on JSON, tested in tests/js/page-starter.test.mjs.

const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A rule set with no rules: two groups, three tiers, nothing declared about the data. */
export function blankRules(name = 'My rules') {
  return {
    leadscore: 1,
    name,
    groups: [
      { id: 'fit', label: 'Fit' },
      { id: 'engagement', label: 'Engagement' },
    ],
    rules: [],
    tiers: [{ name: 'Hot', min: 50 }, { name: 'Warm', min: 20 }, { name: 'Cold' }],
    salesReady: 'Hot',
  };
}

const norm = (s) =>
  String(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

// Types a template's field may take from a column without losing a value.
const fits = (declared, detected) => !declared || declared === detected || declared === 'string';

/**
 * The template's fields matched to the file's columns: [{field, type, column|null, reason}].
 * A field is matched to the column with its name or one of its aliases (ignoring case, spaces and
 * punctuation) when the column's values are of the field's type; otherwise it is left unmatched,
 * and `reason` says why (the user can still pick a column).
 */
export function suggestMapping(template, columns) {
  const out = [];
  const taken = new Set();
  for (const field of fieldsOf(template)) {
    const spec = template.fields?.[field] ?? {};
    const names = [field, ...(spec.aliases ?? [])].map(norm);
    const col = columns.find(
      (c) => !taken.has(c.name) && (names.includes(norm(c.name)) || names.includes(norm(c.header))),
    );
    if (!col) {
      out.push({ field, type: spec.type ?? null, column: null, reason: 'no column of this name' });
    } else if (!fits(spec.type, col.type)) {
      out.push({
        field,
        type: spec.type,
        column: null,
        reason: `“${col.header}” holds ${col.type === 'string' ? 'text' : col.type + 's'}, not ${spec.type}s: not matched, so no value is lost`,
      });
    } else {
      taken.add(col.name);
      out.push({ field, type: spec.type ?? null, column: col.name, reason: null });
    }
  }
  return out;
}

/** Every field a template's rules read or it declares, in first-seen order. */
export function fieldsOf(template) {
  const seen = new Set(Object.keys(template.fields ?? {}));
  for (const r of template.rules ?? []) for (const f of ruleFields(r)) seen.add(f);
  return [...seen];
}

/** The fields one rule reads: its condition's variables and its per-unit field. */
export function ruleFields(rule) {
  const out = new Set();
  const walk = (x) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!isObj(x)) return;
    for (const [op, args] of Object.entries(x)) {
      if (op === 'var') {
        const name = Array.isArray(args) ? args[0] : args;
        if (typeof name === 'string' && name) out.add(name);
      } else if (op === 'missing' || op === 'missing_some') {
        const list = op === 'missing_some' ? args?.[1] : args;
        for (const n of Array.isArray(list) ? list : []) if (typeof n === 'string') out.add(n);
      } else walk(args);
    }
  };
  walk(rule.when);
  if (rule.per) out.add(rule.per);
  return out;
}

// The condition with each variable renamed by `to` (a Map field -> column).
function renameVars(x, to) {
  if (Array.isArray(x)) return x.map((y) => renameVars(y, to));
  if (!isObj(x)) return x;
  const out = {};
  for (const [op, args] of Object.entries(x)) {
    if (op === 'var')
      out.var = Array.isArray(args) ? [to.get(args[0]) ?? args[0], ...args.slice(1)] : (to.get(args) ?? args);
    else if (op === 'missing') out.missing = Array.isArray(args) ? args.map((n) => to.get(n) ?? n) : args;
    else if (op === 'missing_some' && Array.isArray(args))
      out.missing_some = [args[0], Array.isArray(args[1]) ? args[1].map((n) => to.get(n) ?? n) : args[1]];
    else out[op] = renameVars(args, to);
  }
  return out;
}

/**
 * What a mapping does: the rules kept (reading the user's columns) and the rules dropped (they
 * read a field left unmapped), by label.
 */
export function previewTemplate(template, mapping, columns) {
  const to = new Map(mapping.filter((m) => m.column).map((m) => [m.field, m.column]));
  const inData = new Set(columns.map((c) => c.name));
  const kept = [],
    dropped = [];
  for (const r of template.rules ?? []) {
    const missing = [...ruleFields(r)].filter((f) => !to.has(f) && !inData.has(f));
    (missing.length ? dropped : kept).push({ rule: r, label: r.label || r.id, missing });
  }
  return { kept, dropped, to };
}

/**
 * The template as the user's rule set: its rules that can be scored, reading the user's columns;
 * no field declarations (the data's own names and types stand); the rest (groups, tiers, matrix,
 * sales-ready) as the template has it.
 */
export function applyTemplate(template, mapping, columns, name) {
  const { kept, to } = previewTemplate(template, mapping, columns);
  const rules = kept.map(({ rule }) => {
    const r = { ...rule };
    if (r.when !== undefined) r.when = renameVars(r.when, to);
    if (r.per) r.per = to.get(r.per) ?? r.per;
    return r;
  });
  const { fields: _fields, derived: _derived, ...rest } = template;
  return { ...rest, name: name ?? `${template.name ?? 'Template'} (mapped)`, rules };
}

// A declared type that would turn a column's values into missing ones: text declared a number,
// date or yes/no; numbers declared dates or yes/no. (Yes/no read as numbers keeps every value.)
const loses = (declared, detected) =>
  !!declared && declared !== 'string' && declared !== detected && !(declared === 'number' && detected === 'boolean');

/**
 * The rule set's type declarations that would throw values of this file away:
 * [{field, type, column: {header, type, values}}], from the file's columns read without
 * declarations. A declaration matches a column by the field's name or an alias, as the core does
 * (ignoring case, spaces and punctuation here, so a near-miss is asked about rather than lost).
 */
export function lossyDeclarations(doc, rawInfo) {
  const out = [];
  for (const [field, spec] of Object.entries(doc?.fields ?? {})) {
    const names = [field, ...(spec.aliases ?? [])].map(norm);
    const col = rawInfo.columns.find((c) => names.includes(norm(c.header)) || names.includes(norm(c.name)));
    const values = col ? rawInfo.rows - col.missing : 0;
    if (col && values > 0 && loses(spec.type, col.type))
      out.push({ field, type: spec.type, column: { header: col.header, type: col.type, values } });
  }
  return out;
}

/** The rule set without the type declarations of `fields` (aliases and missing texts stay). */
export function withoutTypes(doc, fields) {
  const out = { ...(doc.fields ?? {}) };
  for (const f of fields) {
    const { type: _type, ...rest } = out[f] ?? {};
    if (Object.keys(rest).length) out[f] = rest;
    else delete out[f];
  }
  const { fields: _fields, ...restDoc } = doc;
  return Object.keys(out).length ? { ...restDoc, fields: out } : restDoc;
}

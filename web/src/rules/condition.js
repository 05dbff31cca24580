// Conditions as the form builder shows them, and back to JsonLogic.
//
//   condition := {kind: 'group', join: 'and'|'or', items: [condition...]}
//              | {kind: 'clause', field, op, value, anyCase?} (value: per op, see OPS; anyCase: text
//                                                            compared ignoring case and accents,
//                                                            written with ls:same / ls:in)
//              | {kind: 'custom', logic}                   (JsonLogic the form cannot show)
//
// toLogic(fromLogic(l)) gives l back for every shape fromLogic recognises (anything else becomes
// a 'custom' clause holding l unchanged), except that an and/or of a single item is written as
// that item. Showing a rule in the form never rewrites it: only a change made in the form does.

const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
const single = (x) => (isObj(x) && Object.keys(x).length === 1 ? Object.keys(x)[0] : null);
const varName = (x) => (single(x) === 'var' && typeof x.var === 'string' ? x.var : null);
const scalar = (x) => x === null || ['string', 'number', 'boolean'].includes(typeof x);
const v = (field) => ({ var: field });

/** Operators of a clause: label, which field types they suit, and what value they take. */
export const OPS = [
  { id: 'eq', label: 'is', types: ['string', 'number', 'date'], value: 'one' },
  { id: 'ne', label: 'is not', types: ['string', 'number', 'date'], value: 'one' },
  { id: 'in', label: 'is one of', types: ['string', 'number'], value: 'list' },
  { id: 'not_in', label: 'is none of', types: ['string', 'number'], value: 'list' },
  { id: 'contains', label: 'contains', types: ['string'], value: 'one' },
  { id: 'contains_any', label: 'contains any of', types: ['string'], value: 'list' },
  { id: 'not_contains', label: 'does not contain', types: ['string'], value: 'one' },
  { id: 'gte', label: '≥', types: ['number', 'date'], value: 'one' },
  { id: 'gt', label: '>', types: ['number', 'date'], value: 'one' },
  { id: 'lte', label: '≤', types: ['number', 'date'], value: 'one' },
  { id: 'lt', label: '<', types: ['number', 'date'], value: 'one' },
  { id: 'between', label: 'is between', types: ['number', 'date'], value: 'range' },
  { id: 'true', label: 'is yes', types: ['boolean'], value: 'none' },
  { id: 'false', label: 'is no', types: ['boolean'], value: 'none' },
  { id: 'present', label: 'has a value', types: ['string', 'number', 'date', 'boolean'], value: 'none' },
  { id: 'missing', label: 'is empty', types: ['string', 'number', 'date', 'boolean'], value: 'none' },
  { id: 'truthy', label: 'is set (not empty, 0 or no)', types: ['string', 'number', 'boolean'], value: 'none' },
];
export const OP = Object.fromEntries(OPS.map((o) => [o.id, o]));
/** Operators that compare text, and so can ignore case and accents (anyCase). */
export const TEXT_OPS = new Set(['eq', 'ne', 'in', 'not_in', 'contains', 'contains_any', 'not_contains']);

// ls:same / ls:in (docs/rules.md): the same clauses, text compared ignoring case and accents.
function fromTextLogic(op, args) {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const f = varName(args[0]);
  if (op === 'ls:same' && f !== null && (typeof args[1] === 'string' || typeof args[1] === 'number'))
    return { kind: 'clause', field: f, op: 'eq', value: args[1], anyCase: true };
  if (op !== 'ls:in') return null;
  if (f !== null && Array.isArray(args[1]) && args[1].every((x) => typeof x === 'string' || typeof x === 'number'))
    return { kind: 'clause', field: f, op: 'in', value: [...args[1]], anyCase: true };
  const g = varName(args[1]);
  if (g !== null && typeof args[0] === 'string')
    return { kind: 'clause', field: g, op: 'contains', value: args[0], anyCase: true };
  return null;
}

function toTextLogic(c) {
  const f = c.field;
  const same = { 'ls:same': [v(f), c.value] };
  const inList = { 'ls:in': [v(f), [...(c.value ?? [])]] };
  const contains = (s) => ({ 'ls:in': [s ?? '', v(f)] });
  switch (c.op) {
    case 'eq':
      return same;
    case 'ne':
      return { '!': same };
    case 'in':
      return inList;
    case 'not_in':
      return { '!': inList };
    case 'contains':
      return contains(c.value);
    case 'contains_any':
      return { or: (c.value ?? []).map(contains) };
    default:
      return { '!': contains(c.value) };
  }
}

const CMP = { '>=': 'gte', '>': 'gt', '<=': 'lte', '<': 'lt' };
const CMP_BACK = Object.fromEntries(Object.entries(CMP).map(([k, val]) => [val, k]));

/** The form's view of a JsonLogic condition (undefined/null = always applies). */
export function fromLogic(logic) {
  if (logic === undefined) return { kind: 'group', join: 'and', items: [] };
  const op = single(logic);
  const args = op ? logic[op] : undefined;
  const custom = { kind: 'custom', logic };
  if (op === 'ls:same' || op === 'ls:in') return fromTextLogic(op, args) ?? custom;
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(args)) return custom;
    return { kind: 'group', join: op, items: args.map(fromLogic) };
  }
  if (
    op === '===' &&
    Array.isArray(args) &&
    args.length === 2 &&
    varName(args[0]) !== null &&
    typeof args[1] === 'boolean'
  )
    return { kind: 'clause', field: varName(args[0]), op: args[1] ? 'true' : 'false' };
  if ((op === '==' || op === '!=') && Array.isArray(args) && args.length === 2) {
    const f = varName(args[0]);
    if (f === null || !scalar(args[1])) return custom;
    // `==` with a boolean is loose (a missing value "is no"); kept as written, marked `loose`.
    if (op === '==' && args[1] === true) return { kind: 'clause', field: f, op: 'true', loose: true };
    if (op === '==' && args[1] === false) return { kind: 'clause', field: f, op: 'false', loose: true };
    if (typeof args[1] === 'boolean' || args[1] === null) return custom;
    return { kind: 'clause', field: f, op: op === '==' ? 'eq' : 'ne', value: args[1] };
  }
  if (op === 'in' && Array.isArray(args) && args.length === 2) {
    const f = varName(args[0]);
    if (f !== null && Array.isArray(args[1]) && args[1].every((x) => typeof x === 'string' || typeof x === 'number'))
      return { kind: 'clause', field: f, op: 'in', value: [...args[1]] };
    const g = varName(args[1]);
    if (g !== null && typeof args[0] === 'string') return { kind: 'clause', field: g, op: 'contains', value: args[0] };
    return custom;
  }
  if (op === '!') {
    const inner = fromLogic(Array.isArray(args) && args.length === 1 ? args[0] : args);
    // Only the exact shapes toLogic writes, so the round trip is exact.
    if (inner.kind === 'clause' && inner.anyCase && inner.op === 'eq' && !Array.isArray(args))
      return { ...inner, op: 'ne' };
    if (inner.kind === 'clause' && inner.op === 'in' && !Array.isArray(args)) return { ...inner, op: 'not_in' };
    if (inner.kind === 'clause' && inner.op === 'contains' && !Array.isArray(args))
      return { ...inner, op: 'not_contains' };
    if (
      !Array.isArray(args) &&
      single(args) === 'missing' &&
      Array.isArray(args.missing) &&
      args.missing.length === 1 &&
      typeof args.missing[0] === 'string'
    )
      return { kind: 'clause', field: args.missing[0], op: 'present' };
    return custom;
  }
  if (op === 'missing' && Array.isArray(args) && args.length === 1 && typeof args[0] === 'string')
    return { kind: 'clause', field: args[0], op: 'missing' };
  if (op === '!!' && !Array.isArray(args) && varName(args) !== null)
    return { kind: 'clause', field: varName(args), op: 'truthy' };
  if (CMP[op] && Array.isArray(args)) {
    if (args.length === 2) {
      const f = varName(args[0]);
      if (f !== null && scalar(args[1]) && typeof args[1] !== 'boolean' && args[1] !== null)
        return { kind: 'clause', field: f, op: CMP[op], value: args[1] };
    }
    if (args.length === 3 && op === '<=') {
      const f = varName(args[1]);
      if (
        f !== null &&
        scalar(args[0]) &&
        scalar(args[2]) &&
        typeof args[0] === typeof args[2] &&
        typeof args[0] !== 'boolean' &&
        args[0] !== null
      )
        return { kind: 'clause', field: f, op: 'between', value: [args[0], args[2]] };
    }
    return custom;
  }
  // "contains any of": an `or` of substring tests on one field, written by this form.
  return custom;
}

/** JsonLogic for a form condition; undefined for an empty group (the rule always applies). */
export function toLogic(c) {
  if (!c) return undefined;
  if (c.kind === 'custom') return c.logic;
  if (c.kind === 'group') {
    const items = c.items.map(toLogic).filter((x) => x !== undefined);
    if (!items.length) return undefined;
    return items.length === 1 ? items[0] : { [c.join]: items };
  }
  if (c.anyCase && TEXT_OPS.has(c.op)) return toTextLogic(c);
  const f = c.field;
  switch (c.op) {
    case 'eq':
      return { '==': [v(f), c.value] };
    case 'ne':
      return { '!=': [v(f), c.value] };
    case 'in':
      return { in: [v(f), [...(c.value ?? [])]] };
    case 'not_in':
      return { '!': { in: [v(f), [...(c.value ?? [])]] } };
    case 'contains':
      return { in: [c.value ?? '', v(f)] };
    case 'contains_any':
      return { or: (c.value ?? []).map((s) => ({ in: [s, v(f)] })) };
    case 'not_contains':
      return { '!': { in: [c.value ?? '', v(f)] } };
    case 'gte':
    case 'gt':
    case 'lte':
    case 'lt':
      return { [CMP_BACK[c.op]]: [v(f), c.value] };
    case 'between':
      return { '<=': [c.value?.[0], v(f), c.value?.[1]] };
    case 'true':
      return { [c.loose ? '==' : '===']: [v(f), true] };
    case 'false':
      return { [c.loose ? '==' : '===']: [v(f), false] };
    case 'present':
      return { '!': { missing: [f] } };
    case 'missing':
      return { missing: [f] };
    case 'truthy':
      return { '!!': v(f) };
    default:
      throw new Error(`unknown operator '${c.op}'`);
  }
}

/**
 * "contains any of": a group `or` whose items are all `contains` on the same field is shown as
 * one clause with a list. Applied to a parsed tree for display; toLogic writes it back as the
 * same `or` of substring tests.
 */
export function simplify(c) {
  if (c.kind !== 'group') return c;
  const items = c.items.map(simplify);
  if (
    c.join === 'or' &&
    items.length > 1 &&
    items.every(
      (x) =>
        x.kind === 'clause' && x.op === 'contains' && x.field === items[0].field && !!x.anyCase === !!items[0].anyCase,
    )
  ) {
    const clause = { kind: 'clause', field: items[0].field, op: 'contains_any', value: items.map((x) => x.value) };
    return items[0].anyCase ? { ...clause, anyCase: true } : clause;
  }
  return { ...c, items };
}

/** The form view of a rule's `when`: always a group at the top. */
export function formOf(logic) {
  const c = simplify(fromLogic(logic));
  return c.kind === 'group' ? c : { kind: 'group', join: 'and', items: [c] };
}

/** A sensible operator and value for a field of this type (yes/no tests are strict: missing is neither). */
export function defaultClause(field, type) {
  if (type === 'boolean') return { kind: 'clause', field, op: 'true' };
  if (type === 'number') return { kind: 'clause', field, op: 'gte', value: 1 };
  if (type === 'date') return { kind: 'clause', field, op: 'gte', value: new Date().toISOString().slice(0, 10) };
  // CRM text is spelt many ways (CEO, ceo, Café, CAFE): new text clauses ignore case and accents
  return { kind: 'clause', field, op: 'eq', value: '', anyCase: true };
}

/** Fields a condition reads (for "unknown field" highlighting). */
export function fieldsOf(c, out = new Set()) {
  if (c.kind === 'group') c.items.forEach((x) => fieldsOf(x, out));
  else if (c.kind === 'clause') out.add(c.field);
  return out;
}

/** One line for people: "title contains any of CEO, VP and company_size ≥ 50". */
export function describe(c) {
  if (c.kind === 'custom') return 'custom JsonLogic';
  if (c.kind === 'group') {
    if (!c.items.length) return 'always';
    const parts = c.items.map((x) => (x.kind === 'group' && x.items.length > 1 ? `(${describe(x)})` : describe(x)));
    return parts.join(c.join === 'and' ? ' and ' : ' or ');
  }
  const o = OP[c.op];
  const val =
    o?.value === 'list'
      ? (c.value ?? []).join(', ')
      : o?.value === 'range'
        ? `${c.value?.[0]} and ${c.value?.[1]}`
        : o?.value === 'one'
          ? String(c.value)
          : '';
  const anyCase = c.anyCase && TEXT_OPS.has(c.op) ? ' (any case)' : '';
  return `${c.field} ${o?.label ?? c.op}${val === '' ? '' : ' ' + val}${anyCase}`;
}

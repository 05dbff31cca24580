// The fast hand-written JavaScript baseline: a rule set written out as one plain loop over row
// objects with every condition inlined as JavaScript expressions (no per-rule closures, no generic
// lookups), generated with `new Function` from the rule set so that any rule set — bench/rules.json,
// a shape benchmark cell, a generated rule set — gets the code a developer would write for it:
//
//   for (let i = 0; i < n; ++i) {
//     const r = rows[i], v0 = r.title ?? null, v1 = r.company_size ?? null, ...;
//     let g0 = 0;
//     if (typeof v0 === "string" && (v0.includes("CEO") || v0.includes("CTO"))) g0 += 20;
//     if (50 <= v1 && v1 <= 5000) g0 += 10;
//     ...
//   }
//
// Each condition keeps json-logic-engine's meaning for the values rows hold (missing = absent key,
// read as null; == with a number compares numbers; `in` on a text is a substring test; missing is
// "key absent"); bench/PLAIN-JS.md says how the totals were checked against json-logic-engine and
// leadscore. Shapes outside the supported subset throw Unsupported (the caller reports it).
import { foldText } from '../tests/js/extension-ops.mjs';

export class Unsupported extends Error {}

const isVar = (e) =>
  e !== null && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).length === 1 && 'var' in e;
const argsOf = (a) => (Array.isArray(a) ? a : [a]);

class Gen {
  constructor() {
    this.vars = new Map(); // field name -> local name
    this.consts = []; // hoisted constants (Sets, folded needles)
  }
  local(name) {
    if (typeof name !== 'string' || name === '' || name.includes('.')) throw new Unsupported(`var ${name}`);
    if (!this.vars.has(name)) this.vars.set(name, `v${this.vars.size}`);
    return this.vars.get(name);
  }
  hoist(code) {
    this.consts.push(code);
    return `c${this.consts.length - 1}`;
  }
  // The JS expression whose value is the JsonLogic value of e (for the values rows hold).
  x(e) {
    if (e === null || typeof e !== 'object') return JSON.stringify(e);
    if (Array.isArray(e)) throw new Unsupported('array literal');
    const op = Object.keys(e)[0];
    const a = e[op];
    const args = argsOf(a);
    const X = (k) => this.x(args[k]);
    switch (op) {
      case 'var': {
        const v = this.local(args[0]);
        return args.length > 1 ? `(${v} ?? ${JSON.stringify(args[1])})` : v;
      }
      case 'missing':
        return '(' + args.map((n) => `${this.local(n)} === null`).join(' || ') + ')';
      case '!':
        return `!${X(0)}`;
      case '!!':
        return `!!${X(0)}`;
      case 'and':
        return '(' + args.map((_, k) => X(k)).join(' && ') + ')';
      case 'or':
        return '(' + args.map((_, k) => X(k)).join(' || ') + ')';
      case 'if': {
        let code = args.length % 2 ? X(args.length - 1) : 'null';
        for (let k = args.length - (args.length % 2 ? 3 : 2); k >= 0; k -= 2)
          code = `(${X(k)} ? ${X(k + 1)} : ${code})`;
        return code;
      }
      case '==':
      case '!=':
        return this.looseEq(op, args);
      case '===':
      case '!==':
        return `(${X(0)} ${op} ${X(1)})`;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.compare(op, args);
      case 'in':
        return this.inOp(args);
      case '+':
        return args.length === 1 ? `(+${X(0)})` : '(' + args.map((_, k) => `+${X(k)}`).join(' + ') + ')';
      case '-':
        return args.length === 1 ? `(-${X(0)})` : `(${X(0)} - ${X(1)})`;
      case '*':
        return '(' + args.map((_, k) => X(k)).join(' * ') + ')';
      case 'max':
      case 'min':
        return `Math.${op}(${args.map((_, k) => X(k)).join(', ')})`;
      case 'cat':
        return (
          '("" + ' + args.map((_, k) => (typeof args[k] === 'string' ? X(k) : `(${X(k)} ?? "")`)).join(' + ') + ')'
        );
      case 'ls:same': {
        const [v, lit] = isVar(args[0]) ? args : [args[1], args[0]];
        if (!isVar(v) || typeof lit !== 'string') throw new Unsupported('ls:same shape');
        const l = this.x(v);
        return `(${l} !== null && fold(${l}) === ${JSON.stringify(foldText(lit))})`;
      }
      case 'ls:in': {
        const l = this.x(args[1]);
        if (Array.isArray(args[1]) || typeof args[0] !== 'string' || !isVar(args[1])) {
          if (!isVar(args[0]) || !Array.isArray(args[1])) throw new Unsupported('ls:in shape');
          const set = this.hoist(`new Set(${JSON.stringify(args[1].filter((s) => s !== null).map(foldText))})`);
          const v = this.x(args[0]);
          return `(${v} !== null && ${set}.has(fold(${v})))`;
        }
        return `(${l} !== null && fold(${l}).includes(${JSON.stringify(foldText(args[0]))}))`;
      }
    }
    throw new Unsupported(`operator ${op}`);
  }
  // `substr` only as a comparison operand: ({"==": [{"substr": [var, a, b]}, "lit"]}): the
  // engine throws on a missing value (the rule does not fire), so the test is guarded.
  substrEq(op, s, lit) {
    const [v, from, len] = argsOf(s.substr);
    if (!isVar(v) || typeof from !== 'number' || (len !== undefined && typeof len !== 'number') || (len ?? 0) < 0)
      throw new Unsupported('substr shape');
    const l = this.x(v);
    const eq = `${op === '==' || op === '===' ? '===' : '!=='} ${JSON.stringify(lit)}`;
    const args = len === undefined ? `${from}` : `${from}, ${len}`;
    // The whole condition: a missing value just means "does not fire". Inside and/or/!, the
    // engine's error aborts the whole condition, so the code throws too (the rule is in a try).
    if (this.top) return `(typeof ${l} === "string" && ${l}.substr(${args}) ${eq})`;
    this.throws = true;
    return `((${l} ?? nullText()).substr(${args}) ${eq})`;
  }
  looseEq(op, args) {
    const [l, r] = args;
    const sub = (e) => e && typeof e === 'object' && 'substr' in e;
    if (sub(l) && typeof r === 'string') return this.substrEq(op, l, r);
    if (sub(r) && typeof l === 'string') return this.substrEq(op, r, l);
    // JsonLogic (json-logic-engine): two texts (or null) compare as texts, anything else as numbers.
    const lit = typeof r === 'string' || typeof l === 'string' ? 'text' : 'number';
    const A = this.x(l),
      B = this.x(r);
    return lit === 'text' ? `(${A} ${op} ${B})` : `(+${A} ${op} +${B})`;
  }
  compare(op, args) {
    if (args.length === 3)
      return `(${this.x(args[0])} ${op} ${this.x(args[1])} && ${this.x(args[1])} ${op} ${this.x(args[2])})`;
    if (args.length !== 2) throw new Unsupported(`${op} arity`);
    return `(${this.x(args[0])} ${op} ${this.x(args[1])})`;
  }
  inOp([needle, hay]) {
    if (Array.isArray(hay)) {
      const v = this.x(needle);
      if (hay.length > 4 && hay.every((h) => typeof h === 'string'))
        return `${this.hoist(`new Set(${JSON.stringify(hay)})`)}.has(${v})`;
      if (hay.length === 0) return 'false';
      return '(' + hay.map((h) => `${v} === ${JSON.stringify(h)}`).join(' || ') + ')';
    }
    if (typeof needle !== 'string' || !isVar(hay)) throw new Unsupported('in shape');
    const h = this.x(hay);
    return `(typeof ${h} === "string" && ${h}.includes(${JSON.stringify(needle)}))`;
  }
}

const num = (v) => (v === -Infinity ? '-Infinity' : v === Infinity ? 'Infinity' : JSON.stringify(v));

// The scorer's source: docs/rules.md's arithmetic (per-unit points, rule / group / total clamps,
// groups in order) with each rule's condition inlined.
export function plainSource(rs) {
  const g = new Gen();
  const groups = (rs.groups ?? [{ id: 'fit' }, { id: 'engagement' }]).map((x) => ({ ...x, rules: [] }));
  for (const r of rs.rules) {
    if (r.enabled === false) continue;
    (groups.find((x) => x.id === (r.group ?? groups[0].id)) ?? groups[0]).rules.push(r);
  }
  const body = [];
  groups.forEach((grp, gi) => {
    body.push(`let g${gi} = 0;`);
    for (const r of grp.rules) {
      g.top = r.when && typeof r.when === 'object' && ['==', '!=', '===', '!=='].some((o) => o in r.when);
      g.throws = false;
      let cond = r.when === undefined || r.when === null ? 'true' : g.x(r.when);
      if (g.throws) {
        const id = body.length;
        body.push(`let f${id} = false;`, `try { f${id} = ${cond}; } catch { /* does not fire */ }`);
        cond = `f${id}`;
      }
      let pts = num(r.points);
      if (r.per) {
        const v = g.local(r.per);
        pts = `(typeof ${v} === "number" ? ${pts} * ${v} : ${v} ? ${pts} : 0)`;
        body.push(`if (${cond} && (typeof ${v} === "number" || typeof ${v} === "boolean")) {`);
      } else body.push(`if (${cond}) {`);
      if (r.min !== undefined || r.max !== undefined)
        body.push(
          `  const p = ${pts}; g${gi} += p < ${num(r.min ?? -Infinity)} ? ${num(r.min ?? -Infinity)} : p > ${num(r.max ?? Infinity)} ? ${num(r.max ?? Infinity)} : p;`,
        );
      else body.push(`  g${gi} += ${pts};`);
      body.push('}');
    }
    if (grp.min !== undefined) body.push(`if (g${gi} < ${num(grp.min)}) g${gi} = ${num(grp.min)};`);
    if (grp.max !== undefined) body.push(`if (g${gi} > ${num(grp.max)}) g${gi} = ${num(grp.max)};`);
  });
  body.push(`let t = ${groups.map((_, gi) => `g${gi}`).join(' + ') || '0'};`);
  if (rs.total?.min !== undefined) body.push(`if (t < ${num(rs.total.min)}) t = ${num(rs.total.min)};`);
  if (rs.total?.max !== undefined) body.push(`if (t > ${num(rs.total.max)}) t = ${num(rs.total.max)};`);
  body.push('out[i] = t;');
  const locals = [...g.vars].map(([name, v]) => `${v} = r[${JSON.stringify(name)}] ?? null`).join(', ');
  return [
    ...g.consts.map((c, k) => `const c${k} = ${c};`),
    'return function score(rows) {',
    '  const n = rows.length, out = new Float64Array(n);',
    '  for (let i = 0; i < n; ++i) {',
    `    const r = rows[i]${locals ? ', ' + locals : ''};`,
    ...body.map((l) => '    ' + l),
    '  }',
    '  return out;',
    '};',
  ].join('\n');
}

// The ASCII case fold inline (what a developer writes for English data); other text: docs/rules.md's fold.
const fold = (s) => {
  s = String(s);
  for (let k = 0; k < s.length; ++k) if (s.charCodeAt(k) > 127) return foldText(s);
  return s.toLowerCase();
};

const nullText = () => {
  throw new TypeError('substr of a missing value');
};

// (rows) => Float64Array of totals.
export function plainScorer(rs) {
  return new Function('fold', 'nullText', plainSource(rs))(fold, nullText);
}

// The same rows as objects of one shape (every field present, null where missing), built by one
// constructor: property reads in the scoring loop then stay monomorphic. Row objects parsed from
// JSON with missing keys absent have many shapes, which costs plain JS about half its speed.
export function uniformRows(rows) {
  const keys = new Set();
  for (const r of rows.slice(0, 1000)) for (const k in r) keys.add(k);
  for (const r of rows) for (const k in r) keys.add(k);
  const names = [...keys];
  const make = new Function(
    'r',
    `return {${names.map((k) => `${JSON.stringify(k)}: r[${JSON.stringify(k)}] ?? null`).join(', ')}};`,
  );
  return rows.map(make);
}

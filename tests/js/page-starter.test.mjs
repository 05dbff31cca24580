// A user's file starts the user's workspace (web/src/data/starter.js): the blank rule set, a
// template's fields matched to the file's columns (types that would lose values are not matched),
// and the template's rules rewritten to read the user's columns. Differential: json-logic-engine
// evaluates every sample rule on leads named the sample's way and its rewritten copy on the same
// leads named the user's way; they must agree lead by lead. Also the tier-order check of the
// Tiers panel (web/src/rules/tiers.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LogicEngine } from 'json-logic-engine';
import {
  applyTemplate,
  blankRules,
  fieldsOf,
  lossyDeclarations,
  previewTemplate,
  ruleFields,
  suggestMapping,
  withoutTypes,
} from '../../web/src/data/starter.js';
import { tierOrderError } from '../../web/src/rules/tiers.js';
import { rng } from './prng.mjs';

const read = (rel) => readFileSync(fileURLToPath(new URL(`../../${rel}`, import.meta.url)), 'utf8');
const sample = JSON.parse(read('samples/b2b-rules.json'));
const col = (name, type, header = name) => ({ name, header, type, distinct: 10, missing: 0 });

test('the blank rule set declares nothing about the data and has no rules', () => {
  const b = blankRules();
  assert.equal(b.fields, undefined);
  assert.deepEqual(b.rules, []);
  assert.deepEqual(
    b.tiers.map((t) => t.name),
    ['Hot', 'Warm', 'Cold'],
  );
});

test('template fields match columns by name or alias, never a column of another type', () => {
  const columns = [
    col('Lead Source', 'string'),
    col('Last Activity', 'string'), // activity names: the sample declares last_activity a date
    col('Job Title', 'string'),
    col('Employees', 'string'), // text where the sample wants a number: matching would lose values
    col('Country', 'string'),
  ];
  const m = Object.fromEntries(suggestMapping(sample, columns).map((x) => [x.field, x]));
  assert.equal(m.source.column, 'Lead Source');
  assert.equal(m.title.column, 'Job Title');
  assert.equal(m.country.column, 'Country');
  assert.equal(m.last_activity.column, null);
  assert.match(m.last_activity.reason, /holds text, not dates/);
  assert.equal(m.company_size.column, null);
  assert.equal(m.industry.column, null);
  assert.match(m.industry.reason, /no column/);
  // A column is matched to one field only.
  const used = Object.values(m)
    .map((x) => x.column)
    .filter(Boolean);
  assert.equal(new Set(used).size, used.length);
  assert.deepEqual(fieldsOf(sample).slice(0, 3), Object.keys(sample.fields).slice(0, 3));
});

test('rules reading an unmapped field are dropped and named; the rest read the user columns', () => {
  const columns = [col('Job Title', 'string'), col('Country', 'string')];
  const mapping = suggestMapping(sample, columns);
  const p = previewTemplate(sample, mapping, columns);
  assert.equal(p.kept.length + p.dropped.length, sample.rules.length);
  for (const d of p.dropped) assert.ok(d.missing.length > 0 && d.label, JSON.stringify(d));
  const doc = applyTemplate(sample, mapping, columns, 'mine');
  assert.equal(doc.name, 'mine');
  assert.equal(doc.fields, undefined);
  assert.deepEqual(doc.tiers, sample.tiers);
  for (const r of doc.rules) for (const f of ruleFields(r)) assert.ok(['Job Title', 'Country'].includes(f), f);
  assert.deepEqual(
    doc.rules.map((r) => r.id),
    p.kept.map((k) => k.rule.id),
  );
  // The template itself is not changed.
  assert.deepEqual(sample, JSON.parse(read('samples/b2b-rules.json')));
});

test('differential: a rewritten rule decides every lead as the template rule does (json-logic-engine)', () => {
  const engine = new LogicEngine();
  const truthy = (v) => (Array.isArray(v) ? v.length > 0 : !!v);
  const run = (logic, data) => {
    try {
      return truthy(engine.run(logic, data));
    } catch (e) {
      return `error: ${e.message}`;
    }
  };
  const fields = fieldsOf(sample);
  const header = (f) => `Their ${f.replace(/_/g, ' ')}`;
  const columns = fields.map((f) => col(header(f), sample.fields?.[f]?.type ?? 'string'));
  const mapping = fields.map((f) => ({ field: f, column: header(f) }));
  const doc = applyTemplate(sample, mapping, columns);
  assert.equal(doc.rules.length, sample.rules.length);
  // Leads: the sample's own rows, plus random values of every kind (missing included).
  const lines = read('samples/b2b-leads.csv').trim().split('\n');
  const next = rng(27);
  const values = [
    null,
    undefined,
    '',
    0,
    1,
    12,
    450,
    'CEO',
    'VP Sales',
    'Student',
    'Germany',
    'India',
    true,
    false,
    '2024-03-01',
  ];
  let checked = 0;
  for (let i = 0; i < 400; i++) {
    const lead = {};
    for (const f of fields) {
      const v = values[Math.floor(next() * values.length)];
      if (v !== undefined) lead[f] = v;
    }
    const theirs = Object.fromEntries(Object.entries(lead).map(([f, v]) => [header(f), v]));
    sample.rules.forEach((r, k) => {
      if (r.when === undefined) return;
      assert.deepEqual(run(doc.rules[k].when, theirs), run(r.when, lead), `${r.id} on ${JSON.stringify(lead)}`);
      checked++;
    });
  }
  assert.ok(checked > 1000 && lines.length > 100);
});

test('tier thresholds must stay ordered: a refused edit says which neighbour it crosses', () => {
  const tiers = [{ name: 'Hot', min: 70 }, { name: 'Warm', min: 40 }, { name: 'Cold' }];
  assert.equal(tierOrderError(tiers, 0), null);
  assert.equal(tierOrderError(tiers, 1), null);
  assert.equal(tierOrderError(tiers, 2), null);
  const typo = tiers.map((t, k) => (k === 1 ? { ...t, min: 400 } : t));
  assert.match(tierOrderError(typo, 1), /below Hot's 70/);
  const low = tiers.map((t, k) => (k === 0 ? { ...t, min: 40 } : t));
  assert.match(tierOrderError(low, 0), /above Warm's 40/);
  const open = tiers.map((t, k) => (k === 0 ? { name: 'Hot' } : t));
  assert.match(tierOrderError(open, 0), /only the last tier/);
});

test("a rule set's declarations that would empty values are found before loading", () => {
  const doc = {
    fields: {
      last_activity: { type: 'date', aliases: ['Last Activity'] },
      visits: { type: 'number', aliases: ['TotalVisits'] },
      optin: { type: 'number', aliases: ['Opt In'] },
      zip: { type: 'string' },
      closed: { type: 'date' },
    },
  };
  const info = {
    rows: 100,
    columns: [
      { name: 'Last Activity', header: 'Last Activity', type: 'string', missing: 3 },
      { name: 'TotalVisits', header: 'TotalVisits', type: 'number', missing: 0 },
      { name: 'Opt In', header: 'Opt In', type: 'boolean', missing: 0 },
      { name: 'zip', header: 'zip', type: 'number', missing: 0 },
      { name: 'closed', header: 'closed', type: 'string', missing: 100 },
    ],
  };
  const lossy = lossyDeclarations(doc, info);
  assert.deepEqual(
    lossy.map((l) => [l.field, l.column.header, l.column.values]),
    [['last_activity', 'Last Activity', 97]],
    'text declared a date loses values; numbers, yes/no as numbers, text and empty columns do not',
  );
  const fixed = withoutTypes(doc, ['last_activity', 'zip']);
  assert.deepEqual(fixed.fields.last_activity, { aliases: ['Last Activity'] });
  assert.equal(fixed.fields.zip, undefined);
  assert.deepEqual(fixed.fields.visits, doc.fields.visits);
  assert.deepEqual(lossyDeclarations(fixed, info), []);
});

// The form-based rule editor: field · operator · value · points · group, AND/OR groups,
// negative and per-unit points, caps. Every change commits a new rule set (live re-score).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { OPS, OP, formOf, toLogic, defaultClause, describe } from './condition.js';
import { engine, getState, useStore, ws } from '../app/store.js';
import { commit } from './actions.js';
import { NumberInput, TagInput, TextInput, useId } from '../shared/inputs.jsx';
import { Icon } from '../shared/icons.jsx';
import { EventCriteriaEditor } from '../events/EventCriteriaEditor.jsx';

const DEFAULT_GROUPS = [
  { id: 'fit', label: 'Fit' },
  { id: 'engagement', label: 'Engagement' },
];
export const groupsOf = (doc) => (doc?.groups?.length ? doc.groups : DEFAULT_GROUPS);

/** Fields a rule can use: the data's columns, plus declared fields the data lacks. */
export function useFields() {
  const { data, doc } = useStore();
  return useMemo(() => {
    const out = new Map();
    for (const c of data?.info.columns ?? [])
      out.set(c.name, {
        name: c.name,
        type: c.type,
        header: c.header,
        inData: true,
        distinct: c.distinct,
        missing: c.missing,
      });
    for (const [name, f] of Object.entries(doc?.fields ?? {}))
      if (!out.has(name)) out.set(name, { name, type: f.type ?? 'string', inData: false });
    return [...out.values()];
  }, [data, doc?.fields]);
}

// Suggestions for text values: the column's most common values, fetched once per column.
const suggestionCache = new Map();
function useSuggestions(field, type) {
  const { data } = useStore();
  const key = `${data?.info.rows}:${data?.name}:${field}`;
  const [list, setList] = useState(suggestionCache.get(key) ?? null);
  useEffect(() => {
    if (type !== 'string' || !field || !data) return;
    if (suggestionCache.has(key)) return setList(suggestionCache.get(key));
    let live = true;
    ws()
      .values({ column: field, limit: 200 })
      .then(
        (v) => {
          suggestionCache.set(key, v);
          if (live) setList(v);
        },
        () => {},
      );
    return () => {
      live = false;
    };
  }, [key, type]);
  return list;
}

function uniqueId(doc, base) {
  const ids = new Set((doc.rules ?? []).map((r) => r.id));
  const stem =
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'rule';
  if (!ids.has(stem)) return stem;
  for (let n = 2; ; n++) if (!ids.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

const withRules = (doc, rules) => ({ ...doc, rules });

function editRule(k, patch, key) {
  const doc = getState().doc;
  const rules = doc.rules.map((r, j) => (j === k ? clean({ ...r, ...patch }) : r));
  commit(withRules(doc, rules), { key });
}

// Optional keys set to null/undefined/'' are removed, so the JSON stays minimal.
function clean(rule) {
  const out = {};
  for (const [k, v] of Object.entries(rule))
    if (v !== null && v !== undefined && !(v === '' && k !== 'label')) out[k] = v;
  if (out.enabled === true) delete out.enabled;
  return out;
}

export function addRule(template = {}) {
  const doc = getState().doc;
  const groups = groupsOf(doc);
  const label = template.label ?? 'New rule';
  const rule = {
    id: uniqueId(doc, label),
    label,
    group: template.group ?? groups[0].id,
    points: template.points ?? 10,
    ...template,
  };
  commit(withRules(doc, [...(doc.rules ?? []), rule]));
  return doc.rules?.length ?? 0;
}

// ---- conditions -------------------------------------------------------------------------------

function ValueEditor({ clause, field, onChange, ruleLabel }) {
  const op = OP[clause.op];
  const type = field?.type ?? 'string';
  const suggestions = useSuggestions(clause.field, type);
  const listId = useId('sv');
  const label = `${ruleLabel}: value for ${clause.field}`;
  if (!op || op.value === 'none') return null;
  const one = (value, set, aria = label) =>
    type === 'number' ? (
      <NumberInput value={value} onCommit={set} label={aria} className="value" />
    ) : type === 'date' ? (
      <input
        type="date"
        class="value"
        value={typeof value === 'string' ? value.slice(0, 10) : ''}
        aria-label={aria}
        onInput={(e) => set(e.currentTarget.value)}
      />
    ) : (
      <>
        <TextInput
          className="value"
          value={value}
          onCommit={set}
          label={aria}
          list={suggestions?.length ? listId : undefined}
        />
        {suggestions?.length > 0 && (
          <datalist id={listId}>
            {suggestions.map((s) => (
              <option value={s} />
            ))}
          </datalist>
        )}
      </>
    );
  if (op.value === 'one') return one(clause.value, (value) => onChange({ ...clause, value }));
  if (op.value === 'range')
    return (
      <span class="range">
        {one(clause.value?.[0], (a) => onChange({ ...clause, value: [a, clause.value?.[1]] }), `${label} (from)`)}
        <span class="and">and</span>
        {one(clause.value?.[1], (b) => onChange({ ...clause, value: [clause.value?.[0], b] }), `${label} (to)`)}
      </span>
    );
  return (
    <TagInput
      values={clause.value ?? []}
      numeric={type === 'number'}
      suggestions={suggestions}
      label={label}
      onChange={(value) => onChange({ ...clause, value })}
    />
  );
}

function convertValue(clause, op, type) {
  const o = OP[op];
  const first = Array.isArray(clause.value) ? clause.value[0] : clause.value;
  const base = type === 'number' ? 0 : '';
  if (o.value === 'none') return undefined;
  if (o.value === 'list')
    return Array.isArray(clause.value)
      ? clause.value.filter((x) => x !== undefined && x !== '')
      : first !== undefined && first !== ''
        ? [first]
        : [];
  if (o.value === 'range')
    return Array.isArray(clause.value) && clause.value.length === 2 ? clause.value : [first ?? base, first ?? base];
  return first ?? base;
}

// Does a clause hold for a lead without a value in its field? Asked of the engine itself
// (JsonLogic compares a missing number as 0, so "< 30" holds for it): the answer is exact.
const matchesMissing = new Map();
function useMatchesMissing(clause, field) {
  const logic = JSON.stringify(toLogic(clause));
  const [yes, setYes] = useState(matchesMissing.get(logic) ?? false);
  useEffect(() => {
    if (!field?.missing) return setYes(false);
    if (matchesMissing.has(logic)) return setYes(matchesMissing.get(logic));
    let live = true;
    engine.apply(JSON.parse(logic), {}).then(
      (v) => {
        const truthy = Array.isArray(v) ? v.length > 0 : !!v;
        matchesMissing.set(logic, truthy);
        if (live) setYes(truthy);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [logic, field?.missing]);
  return yes && field?.missing > 0 && clause.op !== 'missing';
}

function Clause({ clause, fields, onChange, onRemove, ruleLabel, badFields }) {
  const field = fields.find((f) => f.name === clause.field);
  const type = field?.type ?? 'string';
  const ops = OPS.filter((o) => o.types.includes(type) || o.id === clause.op);
  const unknown = !field || !field.inData || badFields.has(clause.field);
  const emptyMatches = useMatchesMissing(clause, field);
  return (
    <div class="clause">
      <select
        aria-label={`${ruleLabel}: field`}
        class={unknown ? 'invalid' : ''}
        aria-invalid={unknown ? 'true' : undefined}
        value={clause.field}
        onChange={(e) => {
          const f = fields.find((x) => x.name === e.currentTarget.value);
          const keep = OP[clause.op]?.types.includes(f?.type ?? 'string');
          onChange(keep ? { ...clause, field: f.name } : defaultClause(f.name, f.type));
        }}
      >
        {!field && <option value={clause.field}>{clause.field} (not in the data)</option>}
        {fields.map((f) => (
          <option value={f.name}>
            {f.name}
            {f.inData ? '' : ' (not in the data)'}
          </option>
        ))}
      </select>
      <select
        aria-label={`${ruleLabel}: operator`}
        value={clause.op}
        onChange={(e) => {
          const op = e.currentTarget.value;
          onChange({ ...clause, op, value: convertValue(clause, op, type) });
        }}
      >
        {ops.map((o) => (
          <option value={o.id}>{o.label}</option>
        ))}
      </select>
      <ValueEditor clause={clause} field={field} onChange={onChange} ruleLabel={ruleLabel} />
      <button
        type="button"
        class="icon"
        aria-label={`${ruleLabel}: remove condition on ${clause.field}`}
        title="Remove condition"
        onClick={onRemove}
      >
        ×
      </button>
      {emptyMatches && (
        <p class="hint">
          Also true for the {field.missing.toLocaleString('en-US')} leads with no {clause.field}
          {type === 'number' ? ' (JsonLogic compares an empty number as 0)' : ''}. Add “{clause.field} has a value” to
          leave them out.
        </p>
      )}
    </div>
  );
}

function Custom({ node, onChange, onRemove, ruleLabel }) {
  const [text, setText] = useState(JSON.stringify(node.logic));
  const [error, setError] = useState(null);
  useEffect(() => setText(JSON.stringify(node.logic)), [JSON.stringify(node.logic)]);
  return (
    <div class="clause custom">
      <label class="custom-label">
        JsonLogic
        <input
          type="text"
          class="mono"
          value={text}
          aria-label={`${ruleLabel}: custom JsonLogic`}
          aria-invalid={error ? 'true' : undefined}
          onInput={(e) => {
            const t = e.currentTarget.value;
            setText(t);
            try {
              onChange({ kind: 'custom', logic: JSON.parse(t) });
              setError(null);
            } catch (err) {
              setError(`not valid JSON yet: ${err.message}`);
            }
          }}
        />
      </label>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
      <button type="button" class="icon" aria-label={`${ruleLabel}: remove custom condition`} onClick={onRemove}>
        ×
      </button>
    </div>
  );
}

function Group({ node, fields, onChange, onRemove, depth, ruleLabel, badFields }) {
  const set = (k, item) => onChange({ ...node, items: node.items.map((x, j) => (j === k ? item : x)) });
  const remove = (k) => onChange({ ...node, items: node.items.filter((_, j) => j !== k) });
  const first = fields.find((f) => f.inData) ?? fields[0];
  return (
    <div class={`group depth-${depth}`} role="group" aria-label={`${ruleLabel}: ${depth ? 'nested ' : ''}conditions`}>
      {node.items.length > 1 || depth > 0 ? (
        <div class="join">
          <select
            aria-label={`${ruleLabel}: how conditions combine`}
            value={node.join}
            onChange={(e) => onChange({ ...node, join: e.currentTarget.value })}
          >
            <option value="and">All of (AND)</option>
            <option value="or">Any of (OR)</option>
          </select>
          {depth > 0 && (
            <button type="button" class="icon" aria-label={`${ruleLabel}: remove group`} onClick={onRemove}>
              ×
            </button>
          )}
        </div>
      ) : null}
      {node.items.length === 0 && <p class="always">Applies to every lead.</p>}
      {node.items.map((item, k) =>
        item.kind === 'group' ? (
          <Group
            node={item}
            fields={fields}
            depth={depth + 1}
            ruleLabel={ruleLabel}
            badFields={badFields}
            onChange={(x) => set(k, x)}
            onRemove={() => remove(k)}
          />
        ) : item.kind === 'custom' ? (
          <Custom node={item} ruleLabel={ruleLabel} onChange={(x) => set(k, x)} onRemove={() => remove(k)} />
        ) : (
          <Clause
            clause={item}
            fields={fields}
            ruleLabel={ruleLabel}
            badFields={badFields}
            onChange={(x) => set(k, x)}
            onRemove={() => remove(k)}
          />
        ),
      )}
      <div class="group-actions">
        <button
          type="button"
          class="link"
          disabled={!first}
          onClick={() => onChange({ ...node, items: [...node.items, defaultClause(first.name, first.type)] })}
        >
          + condition
        </button>
        {depth < 3 && (
          <button
            type="button"
            class="link"
            disabled={!first}
            onClick={() =>
              onChange({
                ...node,
                items: [
                  ...node.items,
                  {
                    kind: 'group',
                    join: node.join === 'and' ? 'or' : 'and',
                    items: [defaultClause(first.name, first.type)],
                  },
                ],
              })
            }
          >
            + group
          </button>
        )}
      </div>
    </div>
  );
}

// ---- one rule ---------------------------------------------------------------------------------

const fmt = new Intl.NumberFormat('en-US');

function RuleCard({ rule, k, count, fields, groups, stats, rows, diagnostics, open, setOpen }) {
  const label = rule.label || rule.id;
  const form = useMemo(() => formOf(rule.when), [JSON.stringify(rule.when)]);
  const badFields = new Set(diagnostics.filter((d) => d.field).map((d) => d.field));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  const skipped = diagnostics.filter((d) => d.severity === 'skipped');
  const disabled = rule.enabled === false;
  const numeric = fields.filter((f) => f.type === 'number' || f.type === 'boolean');
  const doc = getState().doc;
  const move = (to) => {
    const rules = [...doc.rules];
    const [r] = rules.splice(k, 1);
    rules.splice(to, 0, r);
    commit(withRules(doc, rules));
  };
  return (
    <li
      class={`rule ${disabled || skipped.length ? 'disabled' : ''} ${errors.length ? 'has-error' : ''}`}
      data-rule-id={rule.id}
      aria-label={`Rule ${label}`}
    >
      <div class="rule-head">
        <input
          type="checkbox"
          checked={!disabled}
          aria-label={`${label}: enabled`}
          title={disabled ? 'Disabled: kept but not applied' : 'Enabled'}
          onChange={(e) => editRule(k, { enabled: e.currentTarget.checked ? undefined : false })}
        />
        <TextInput
          className="rule-label"
          value={rule.label ?? ''}
          placeholder={rule.id}
          label={`${label}: label`}
          onCommit={(v) => editRule(k, { label: v }, `label:${k}`)}
        />
        <span class="rule-tools">
          <button
            type="button"
            class="icon"
            aria-label={`${label}: move up`}
            title="Move up"
            disabled={k === 0}
            onClick={() => move(k - 1)}
          >
            <Icon name="up" />
          </button>
          <button
            type="button"
            class="icon"
            aria-label={`${label}: move down`}
            title="Move down"
            disabled={k === count - 1}
            onClick={() => move(k + 1)}
          >
            <Icon name="down" />
          </button>
          <button
            type="button"
            class="icon"
            aria-label={`${label}: duplicate`}
            title="Duplicate"
            onClick={() => {
              const copy = { ...rule, id: uniqueId(doc, `${rule.id}-copy`), label: `${label} (copy)` };
              const rules = [...doc.rules];
              rules.splice(k + 1, 0, copy);
              commit(withRules(doc, rules));
            }}
          >
            <Icon name="copy" />
          </button>
          <button
            type="button"
            class="icon danger"
            aria-label={`${label}: delete`}
            title="Delete"
            onClick={() =>
              commit(
                withRules(
                  doc,
                  doc.rules.filter((_, j) => j !== k),
                ),
              )
            }
          >
            <Icon name="trash" />
          </button>
          <button
            type="button"
            class="icon"
            aria-expanded={open ? 'true' : 'false'}
            aria-label={`${label}: details`}
            title="Details: id, per-unit points, caps"
            onClick={() => setOpen(!open)}
          >
            <Icon name={open ? 'more' : 'less'} />
          </button>
        </span>
      </div>
      <div class="rule-when">
        <span class="when-label">When</span>
        <Group
          node={form}
          fields={fields}
          depth={0}
          ruleLabel={label}
          badFields={badFields}
          onChange={(node) => editRule(k, { when: toLogic(node) }, `when:${k}`)}
          onRemove={() => {}}
        />
      </div>
      {(rule.events || open) && (
        <EventCriteriaEditor
          rule={rule}
          label={label}
          groupDecays={!!groups.find((g) => g.id === (rule.group ?? groups[0].id))?.decay}
          onChange={(events) => editRule(k, { events }, `events:${k}`)}
        />
      )}
      <div class="rule-then">
        <span class="when-label">Then</span>
        <NumberInput
          className={`points ${rule.points < 0 ? 'neg' : ''}`}
          value={rule.points}
          label={`${label}: points`}
          onCommit={(v) => editRule(k, { points: v }, `points:${k}`)}
        />
        <span class="pts">
          {rule.per
            ? `points per ${rule.per}`
            : rule.events?.repeat && rule.events.repeat !== 'once'
              ? `points ${rule.events.repeat === 'every' ? 'per event' : rule.events.repeat === 'daily' ? 'per active day' : 'per active week'}`
              : 'points'}
          {rule.max !== undefined || rule.min !== undefined
            ? ` (${[rule.min !== undefined ? `at least ${rule.min}` : '', rule.max !== undefined ? `at most ${rule.max}` : ''].filter(Boolean).join(', ')})`
            : ''}{' '}
          to
        </span>
        <select
          aria-label={`${label}: group`}
          value={rule.group ?? groups[0].id}
          onChange={(e) => editRule(k, { group: e.currentTarget.value })}
        >
          {groups.map((g) => (
            <option value={g.id}>{g.label ?? g.id}</option>
          ))}
        </select>
      </div>
      {open && (
        <div class="rule-details">
          <label>
            Rule id{' '}
            <TextInput value={rule.id} label={`${label}: id`} onCommit={(v) => editRule(k, { id: v }, `id:${k}`)} />
          </label>
          <label>
            Points per unit of
            <select
              aria-label={`${label}: per-unit field`}
              value={rule.per ?? ''}
              onChange={(e) => editRule(k, { per: e.currentTarget.value || undefined })}
            >
              <option value="">— (fixed points)</option>
              {numeric.map((f) => (
                <option value={f.name}>{f.name}</option>
              ))}
            </select>
          </label>
          <label>
            Min points{' '}
            <NumberInput
              optional
              value={rule.min}
              label={`${label}: minimum points`}
              onCommit={(v) => editRule(k, { min: v ?? undefined }, `min:${k}`)}
            />
          </label>
          <label>
            Max points{' '}
            <NumberInput
              optional
              value={rule.max}
              label={`${label}: maximum points`}
              onCommit={(v) => editRule(k, { max: v ?? undefined }, `max:${k}`)}
            />
          </label>
          <label class="wide">
            Why this rule exists
            <TextInput
              value={rule.description ?? ''}
              label={`${label}: description`}
              onCommit={(v) => editRule(k, { description: v }, `desc:${k}`)}
            />
          </label>
        </div>
      )}
      <div class="rule-foot">
        <span class="summary-line">{describe(form)}</span>
        {stats && !disabled && !skipped.length && rows > 0 && (
          <span class={`fires ${stats.fired === 0 ? 'warn' : ''}`} title={stats.plan}>
            fires for {fmt.format(stats.fired)} (
            {((100 * stats.fired) / rows).toFixed(stats.fired && stats.fired < rows / 100 ? 1 : 0)}%)
            {stats.errors > 0 && `, cannot evaluate for ${fmt.format(stats.errors)}`}
          </span>
        )}
      </div>
      {errors.map((d) => (
        <p class="diag error" role="alert">
          {d.message}
          {d.field ? (
            <>
              {' '}
              · field <code>{d.field}</code>
            </>
          ) : null}
        </p>
      ))}
      {skipped.map((d) => (
        <p class="diag warning skipped">
          Skipped for this data: {d.message} Map a column to <code>{d.field}</code> in the Data tab, or change the
          condition.
        </p>
      ))}
      {warnings.map((d) => (
        <p class="diag warning">{d.message}</p>
      ))}
    </li>
  );
}

// ---- the list ---------------------------------------------------------------------------------

/** Diagnostics of the current rules, by rule index. */
export function diagnosticsByRule(doc, scored, scoreError) {
  const out = new Map();
  const ids = new Map((doc?.rules ?? []).map((r, k) => [r.id, k]));
  const add = (d) => {
    let k = d.path && /^rules\[(\d+)\]/.exec(d.path) ? Number(/^rules\[(\d+)\]/.exec(d.path)[1]) : ids.get(d.ruleId);
    if (k === undefined) k = -1;
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(d);
  };
  for (const d of scored?.skipped ?? []) if (!scoreError) add({ severity: 'skipped', ...d });
  if (scoreError)
    for (const d of scoreError.diagnostics ?? [
      {
        severity: 'error',
        message: scoreError.message,
        path: scoreError.path,
        ruleId: scoreError.ruleId,
        field: scoreError.field,
      },
    ])
      add(d);
  else for (const d of scored?.warnings ?? []) add(d);
  return out;
}

export function RuleBuilder() {
  const { doc, scored, scoreError, data } = useStore();
  const fields = useFields();
  const groups = groupsOf(doc);
  const [open, setOpen] = useState(() => new Set());
  const [filter, setFilter] = useState('');
  const diags = diagnosticsByRule(doc, scored, scoreError);
  const statsById = new Map((scored?.stats ?? []).map((s) => [s.id, s]));
  const rules = doc?.rules ?? [];
  const shown = rules
    .map((r, k) => [r, k])
    .filter(
      ([r]) =>
        !filter ||
        `${r.id} ${r.label ?? ''} ${JSON.stringify(r.when ?? '')}`.toLowerCase().includes(filter.toLowerCase()),
    );
  const general = diags.get(-1) ?? [];
  return (
    <section class="builder" aria-label="Rules">
      <div class="builder-bar">
        <button
          type="button"
          class="primary"
          onClick={() => {
            const k = addRule();
            setOpen(new Set([...open, k]));
            setTimeout(() => document.querySelector(`.rule:nth-child(${k + 1}) .rule-label`)?.focus(), 50);
          }}
        >
          + Add rule
        </button>
        <input
          type="search"
          placeholder="Filter rules"
          aria-label="Filter rules"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        <span class="muted">
          {rules.length} rules{rules.length > 40 ? ' — consider fewer: people review what they can read' : ''}
        </span>
      </div>
      {general
        .filter((d) => !/^(tiers|groups|total|matrix|salesReady)/.test(d.path ?? ''))
        .map((d) => (
          <p
            class={`diag ${d.severity === 'warning' ? 'warning' : 'error'}`}
            role={d.severity === 'warning' ? undefined : 'alert'}
          >
            {d.message}
          </p>
        ))}
      <ol class="rules">
        {shown.map(([rule, k]) => (
          <RuleCard
            key={k}
            rule={rule}
            k={k}
            count={rules.length}
            fields={fields}
            groups={groups}
            stats={scoreError ? null : statsById.get(rule.id)}
            rows={data?.info.rows ?? 0}
            diagnostics={diags.get(k) ?? []}
            open={open.has(k)}
            setOpen={(o) => {
              const n = new Set(open);
              o ? n.add(k) : n.delete(k);
              setOpen(n);
            }}
          />
        ))}
      </ol>
      {!rules.length && (
        <p class="muted">No rules yet. Add one: every lead then scores by the rules that apply to it.</p>
      )}
    </section>
  );
}

// The form-based rule editor: field · operator · value · points · group, AND/OR groups,
// negative and per-unit points, caps. Every change commits a new rule set (live re-score).
import { useMemo, useState } from 'preact/hooks';
import { formOf, toLogic, describe } from './condition.js';
import { ConditionGroup } from './ConditionEditor.jsx';
import { getState, useStore } from '../app/store.js';
import { commit } from './actions.js';
import { NumberInput, TextInput } from '../shared/inputs.jsx';
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

// ---- one rule ---------------------------------------------------------------------------------

const fmt = new Intl.NumberFormat('en-US');

// Why a rule may score with what is only known after the outcome (computed in the core's
// evaluation): shown on the rule while it is in use.
function LeakFlag({ reasons, label }) {
  if (!reasons?.length) return null;
  return (
    <div class="diag leak" role="note" aria-label={`${label}: may leak the outcome`}>
      <span class="flag leak leak-flag">may leak the outcome</span>
      <ul class="leak-reasons">
        {reasons.map((r) => (
          <li>{r.message}</li>
        ))}
      </ul>
    </div>
  );
}

function RuleCard({ rule, k, count, fields, groups, stats, rows, diagnostics, open, setOpen, leak }) {
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
        <ConditionGroup
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
      <LeakFlag reasons={leak} label={label} />
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
  const { doc, scored, scoreError, data, evaluation, active } = useStore();
  const fields = useFields();
  const ev = evaluation[active];
  const leakById = new Map((ev?.rules ?? []).filter((r) => r.leakage?.length).map((r) => [r.id, r.leakage]));
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
            leak={rule.enabled === false ? null : leakById.get(rule.id)}
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

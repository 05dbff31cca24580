// A rule's condition as a form: clauses (field, operator, value) in nested all/any groups, with
// value suggestions from the loaded leads and custom JsonLogic where the form has no words for it.
import { useEffect, useState } from 'preact/hooks';
import { OPS, OP, TEXT_OPS, defaultClause, toLogic } from './condition.js';
import { engine, useStore, ws } from '../app/store.js';
import { NumberInput, TagInput, TextInput, useId } from '../shared/inputs.jsx';

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
      {type === 'string' && TEXT_OPS.has(clause.op) && (
        <label class="any-case" title="Compare ignoring case and accents: CEO = ceo, Café = CAFE (ls:same / ls:in)">
          <input
            type="checkbox"
            checked={!!clause.anyCase}
            onChange={(e) => onChange({ ...clause, anyCase: e.currentTarget.checked })}
          />
          any case
        </label>
      )}
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

export function ConditionGroup({ node, fields, onChange, onRemove, depth, ruleLabel, badFields }) {
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
          <ConditionGroup
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

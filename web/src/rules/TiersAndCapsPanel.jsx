// What scores mean: groups and their caps, the total's limits, tiers with next steps, the
// sales-ready threshold and the fit × engagement matrix.
import { useState } from 'preact/hooks';
import { getState, useStore } from '../app/store.js';
import { commit } from './actions.js';
import { tierOrderError } from './tiers.js';
import { groupsOf } from './RuleBuilder.jsx';
import { NumberInput, TextInput } from '../shared/inputs.jsx';
import { Icon } from '../shared/icons.jsx';
import { DecayEditor } from '../events/EventCriteriaEditor.jsx';

const set = (patch, key) => commit(clean({ ...getState().doc, ...patch }), { key });
const clean = (doc) => {
  const out = { ...doc };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
};
const drop = (o, k) => {
  const c = { ...o };
  if (c[k] === null || c[k] === undefined) delete c[k];
  return c;
};

function Diags({ list }) {
  return list.map((d) => (
    <p
      class={`diag ${d.severity === 'warning' ? 'warning' : 'error'}`}
      role={d.severity === 'warning' ? undefined : 'alert'}
    >
      {d.message}
    </p>
  ));
}

function Groups({ doc, diags }) {
  const groups = groupsOf(doc);
  const setGroup = (k, patch, key) =>
    set({ groups: groups.map((g, j) => (j === k ? drop(drop({ ...g, ...patch }, 'min'), 'max') : g)) }, key);
  return (
    <fieldset>
      <legend>Groups (sub-scores) and caps</legend>
      <table class="grid">
        <thead>
          <tr>
            <th>Id</th>
            <th>Label</th>
            <th>Min</th>
            <th>Max</th>
            <th>Event points fade</th>
            <th>
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g, k) => (
            <tr>
              <td>
                <code>{g.id}</code>
              </td>
              <td>
                <TextInput
                  value={g.label ?? ''}
                  placeholder={g.id}
                  label={`group ${g.id}: label`}
                  onCommit={(v) => setGroup(k, { label: v || undefined }, `g-label:${k}`)}
                />
              </td>
              <td>
                <NumberInput
                  optional
                  value={g.min}
                  label={`group ${g.id}: minimum`}
                  placeholder="none"
                  onCommit={(v) => setGroup(k, { min: v }, `g-min:${k}`)}
                />
              </td>
              <td>
                <NumberInput
                  optional
                  value={g.max}
                  label={`group ${g.id}: maximum (cap)`}
                  placeholder="none"
                  onCommit={(v) => setGroup(k, { max: v }, `g-max:${k}`)}
                />
              </td>
              <td class="group-decay">
                <select
                  aria-label={`group ${g.id}: decaying`}
                  value={g.decay ? 'yes' : 'no'}
                  onChange={(e) =>
                    setGroup(k, { decay: e.currentTarget.value === 'yes' ? { halfLife: 30 } : undefined })
                  }
                >
                  <option value="no">never</option>
                  <option value="yes">yes</option>
                </select>
                {g.decay && typeof g.decay === 'object' && (
                  <DecayEditor
                    decay={g.decay}
                    label={`group ${g.id}`}
                    onChange={(d) => setGroup(k, { decay: d ?? true })}
                  />
                )}
              </td>
              <td>
                <button
                  type="button"
                  class="icon danger"
                  aria-label={`delete group ${g.id}`}
                  disabled={groups.length < 2 || (doc.rules ?? []).some((r) => (r.group ?? groups[0].id) === g.id)}
                  title="Only a group no rule uses can be deleted"
                  onClick={() => set({ groups: groups.filter((_, j) => j !== k) })}
                >
                  <Icon name="trash" />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        class="link"
        onClick={() => {
          let n = groups.length + 1;
          while (groups.some((g) => g.id === `group-${n}`)) n++;
          set({ groups: [...groups, { id: `group-${n}`, label: `Group ${n}` }] });
        }}
      >
        + group
      </button>
      <div class="row">
        <label>
          Total at least{' '}
          <NumberInput
            optional
            value={doc.total?.min}
            label="total: minimum"
            placeholder="none"
            onCommit={(v) => set({ total: clean({ ...doc.total, min: v ?? undefined }) }, 't-min')}
          />
        </label>
        <label>
          Total at most{' '}
          <NumberInput
            optional
            value={doc.total?.max}
            label="total: maximum"
            placeholder="none"
            onCommit={(v) => set({ total: clean({ ...doc.total, max: v ?? undefined }) }, 't-max')}
          />
        </label>
      </div>
      <Diags list={diags.filter((d) => /^(groups|total)/.test(d.path ?? ''))} />
    </fieldset>
  );
}

function Tiers({ doc, diags }) {
  const tiers = doc.tiers ?? [{ name: 'All' }];
  const [minError, setMinError] = useState({}); // tier index -> message for a refused "score from"
  const setTier = (k, patch, key) => {
    const next = tiers.map((t, j) => (j === k ? drop(clean({ ...t, ...patch }), 'min') : t));
    if ('min' in patch) {
      const why = tierOrderError(next, k);
      setMinError({ ...minError, [k]: why });
      if (why) return;
    }
    set({ tiers: next }, key);
  };
  const ready = doc.salesReady;
  return (
    <fieldset>
      <legend>Tiers and next steps</legend>
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col">Score from</th>
            <th scope="col">Next step</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tiers.map((t, k) => (
            <tr>
              <td>
                <TextInput
                  value={t.name}
                  label={`tier ${k + 1}: name`}
                  onCommit={(v) => setTier(k, { name: v }, `tier-name:${k}`)}
                />
              </td>
              <td>
                <NumberInput
                  optional
                  value={t.min}
                  placeholder="lowest"
                  label={`tier ${t.name}: score from`}
                  invalid={!!minError[k]}
                  onCommit={(v) => setTier(k, { min: v }, `tier-min:${k}`)}
                />
                {minError[k] && (
                  <span class="field-error block" role="alert" data-testid={`tier-error-${k}`}>
                    {t.name}: {minError[k]}
                  </span>
                )}
              </td>
              <td>
                <TextInput
                  value={t.action ?? ''}
                  label={`tier ${t.name}: next step`}
                  onCommit={(v) => setTier(k, { action: v || undefined }, `tier-action:${k}`)}
                />
              </td>
              <td>
                <button
                  type="button"
                  class="icon danger"
                  aria-label={`delete tier ${t.name}`}
                  disabled={tiers.length < 2}
                  onClick={() => set({ tiers: tiers.filter((_, j) => j !== k) })}
                >
                  <Icon name="trash" />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        class="link"
        onClick={() =>
          set({
            tiers: [
              ...tiers,
              { name: `Tier ${tiers.length + 1}`, min: Math.max(0, ...tiers.map((t) => t.min ?? 0)) + 10 },
            ],
          })
        }
      >
        + tier
      </button>
      <div class="row">
        <label>
          Sales-ready from
          <select
            aria-label="sales-ready threshold: a tier or a score"
            value={typeof ready === 'string' ? `tier:${ready}` : ready === undefined ? '' : 'number'}
            onChange={(e) => {
              const v = e.currentTarget.value;
              set({
                salesReady:
                  v === '' ? undefined : v === 'number' ? Math.max(0, ...tiers.map((t) => t.min ?? 0)) : v.slice(5),
              });
            }}
          >
            <option value="">the top tier (default)</option>
            {tiers
              .filter((t) => t.min !== undefined)
              .map((t) => (
                <option value={`tier:${t.name}`}>tier {t.name}</option>
              ))}
            <option value="number">a score…</option>
          </select>
        </label>
        {typeof ready === 'number' && (
          <NumberInput value={ready} label="sales-ready score" onCommit={(v) => set({ salesReady: v }, 'ready')} />
        )}
      </div>
      <Diags list={diags.filter((d) => /^(tiers|salesReady)/.test(d.path ?? ''))} />
    </fieldset>
  );
}

function Bands({ axis, doc, m }) {
  const bands = m[axis]?.bands ?? [];
  const setBands = (b, key) => set({ matrix: { ...m, [axis]: { ...m[axis], bands: b } } }, key);
  const groups = groupsOf(doc);
  return (
    <div class="bands">
      <label>
        {axis === 'fit' ? 'Fit' : 'Engagement'} group
        <select
          aria-label={`matrix ${axis}: group`}
          value={m[axis]?.group ?? axis}
          onChange={(e) => set({ matrix: { ...m, [axis]: { ...m[axis], group: e.currentTarget.value } } })}
        >
          {groups.map((g) => (
            <option value={g.id}>{g.label ?? g.id}</option>
          ))}
        </select>
      </label>
      <table class="grid">
        <thead>
          <tr>
            <th>Band</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {bands.map((b, k) => (
            <tr>
              <td>
                <TextInput
                  value={b.label}
                  label={`matrix ${axis} band ${k + 1}: label`}
                  onCommit={(v) =>
                    setBands(
                      bands.map((x, j) => (j === k ? { ...x, label: v } : x)),
                      `${axis}-label:${k}`,
                    )
                  }
                />
              </td>
              <td>
                <NumberInput
                  optional
                  value={b.min}
                  placeholder="lowest"
                  label={`matrix ${axis} band ${b.label}: from`}
                  onCommit={(v) =>
                    setBands(
                      bands.map((x, j) => (j === k ? drop({ ...x, min: v }, 'min') : x)),
                      `${axis}-min:${k}`,
                    )
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MatrixEditor({ doc, diags }) {
  const m = doc.matrix;
  if (!m) {
    return (
      <fieldset>
        <legend>Fit × engagement matrix</legend>
        <p class="muted">
          Rate who the lead is (fit: A–D) against what they did (engagement: 1–4), with a next step per cell.
        </p>
        <button
          type="button"
          class="link"
          onClick={() =>
            set({
              matrix: {
                fit: {
                  group: 'fit',
                  bands: [{ label: 'A', min: 40 }, { label: 'B', min: 25 }, { label: 'C', min: 10 }, { label: 'D' }],
                },
                engagement: {
                  group: 'engagement',
                  bands: [{ label: '1', min: 40 }, { label: '2', min: 20 }, { label: '3', min: 5 }, { label: '4' }],
                },
                actions: { A1: 'Call now' },
              },
            })
          }
        >
          + add a matrix
        </button>
      </fieldset>
    );
  }
  const fit = m.fit?.bands ?? [],
    eng = m.engagement?.bands ?? [];
  return (
    <fieldset>
      <legend>Fit × engagement matrix</legend>
      <div class="row top">
        <Bands axis="fit" doc={doc} m={m} />
        <Bands axis="engagement" doc={doc} m={m} />
      </div>
      <table class="grid matrix-actions">
        <caption>Next step per cell</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="sr-only">fit, by engagement</span>
            </th>
            {eng.map((e) => (
              <th scope="col">{e.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {fit.map((f) => (
            <tr>
              <th scope="row">{f.label}</th>
              {eng.map((e) => {
                const cell = f.label + e.label;
                return (
                  <td>
                    <TextInput
                      value={m.actions?.[cell] ?? ''}
                      label={`next step for cell ${cell}`}
                      onCommit={(v) => {
                        const actions = { ...(m.actions ?? {}) };
                        if (v) actions[cell] = v;
                        else delete actions[cell];
                        set({ matrix: { ...m, actions } }, `cell:${cell}`);
                      }}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="link danger" onClick={() => set({ matrix: undefined })}>
        remove the matrix
      </button>
      <Diags list={diags.filter((d) => /^matrix/.test(d.path ?? ''))} />
    </fieldset>
  );
}

export function TiersAndCapsPanel() {
  const { doc, scoreError, scored } = useStore();
  if (!doc) return null;
  const diags = scoreError
    ? (scoreError.diagnostics ?? [{ severity: 'error', message: scoreError.message, path: scoreError.path }])
    : (scored?.warnings ?? []);
  return (
    <section class="model" aria-label="Scoring model">
      <fieldset>
        <legend>Rule set</legend>
        <label class="wide">
          Name{' '}
          <TextInput
            value={doc.name ?? ''}
            label="rule set name"
            onCommit={(v) => set({ name: v || undefined }, 'name')}
          />
        </label>
        <label class="wide">
          Description{' '}
          <TextInput
            value={doc.description ?? ''}
            label="rule set description"
            onCommit={(v) => set({ description: v || undefined }, 'description')}
          />
        </label>
      </fieldset>
      <Tiers doc={doc} diags={diags} />
      <Groups doc={doc} diags={diags} />
      <MatrixEditor doc={doc} diags={diags} />
    </section>
  );
}

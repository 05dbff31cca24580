// Event criteria in rules: count in a window, repeat, de-duplication, bands, and decay.
import { useStore } from '../app/store.js';
import { JsonInput, NumberInput, TagInput } from '../shared/inputs.jsx';

const COUNT_OPS = [
  ['>=', 'at least'],
  ['=', 'exactly'],
  ['<=', 'at most (also none)'],
  ['between', 'between'],
];
const REPEAT = [
  ['once', 'once'],
  ['every', 'for every event'],
  ['daily', 'at most once a day'],
  ['weekly', 'at most once a week'],
];

function countParts(count) {
  const op = Object.keys(count ?? { '>=': 1 })[0];
  return { op, value: (count ?? { '>=': 1 })[op] };
}

export function DecayEditor({ decay, onChange, label, allowOff = false }) {
  const kind =
    decay === false
      ? 'off'
      : !decay
        ? 'none'
        : decay.halfLife
          ? 'half'
          : decay.linear
            ? 'linear'
            : decay.expire
              ? 'expire'
              : 'none';
  const set = (k) =>
    onChange(
      k === 'none'
        ? undefined
        : k === 'off'
          ? false
          : k === 'half'
            ? { halfLife: 30 }
            : k === 'linear'
              ? { linear: { rate: 0.25, period: 7 } }
              : { expire: 90 },
    );
  return (
    <span class="decay">
      <select aria-label={`${label}: decay`} value={kind} onChange={(e) => set(e.currentTarget.value)}>
        <option value="none">{allowOff ? 'group default' : 'no decay'}</option>
        {allowOff && <option value="off">no decay</option>}
        <option value="half">halves every … days</option>
        <option value="linear">loses a share every … days</option>
        <option value="expire">expires after … days</option>
      </select>
      {kind === 'half' && (
        <>
          <NumberInput
            value={decay.halfLife}
            label={`${label}: half-life in days`}
            onCommit={(v) => onChange({ ...decay, halfLife: v })}
          />{' '}
          days
        </>
      )}
      {kind === 'linear' && (
        <>
          <NumberInput
            value={decay.linear.rate * 100}
            label={`${label}: share lost per period (%)`}
            onCommit={(v) => onChange({ ...decay, linear: { ...decay.linear, rate: v / 100 } })}
          />{' '}
          % every
          <NumberInput
            value={decay.linear.period}
            label={`${label}: period in days`}
            onCommit={(v) => onChange({ ...decay, linear: { ...decay.linear, period: v } })}
          />{' '}
          days
        </>
      )}
      {(kind === 'half' || kind === 'linear' || kind === 'expire') && (
        <>
          {kind !== 'expire' ? ', ' : ''}
          {kind !== 'expire' ? 'expires after' : ''}
          <NumberInput
            optional
            value={decay.expire}
            placeholder="never"
            label={`${label}: expires after days`}
            onCommit={(v) => onChange(v === null ? (({ expire, ...rest }) => rest)(decay) : { ...decay, expire: v })}
          />{' '}
          days
        </>
      )}
    </span>
  );
}

export function EventCriteriaEditor({ rule, onChange, label, groupDecays }) {
  const { events } = useStore();
  const ev = rule.events;
  const types = events?.types ? events.types.map((t) => t.type) : [];
  const columns = events?.columns ? events.columns.map((c) => c.name) : [];
  if (!ev) {
    return (
      <div class="rule-events off">
        <button
          type="button"
          class="link"
          onClick={() => onChange({ type: types[0] ?? 'page_view', within: 30, count: { '>=': 1 } })}
        >
          + count activity events
        </button>
      </div>
    );
  }
  const set = (patch) => {
    const next = { ...ev, ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
    onChange(next);
  };
  const { op, value } = countParts(ev.count);
  const typeList = ev.type === undefined ? [] : Array.isArray(ev.type) ? ev.type : [ev.type];
  return (
    <div class="rule-events" role="group" aria-label={`${label}: events`}>
      <div class="row tight">
        <span class="when-label">Events</span>
        <TagInput
          values={typeList}
          suggestions={types}
          label={`${label}: event types`}
          onChange={(t) => set({ type: t.length === 0 ? undefined : t.length === 1 ? t[0] : t })}
        />
        <button
          type="button"
          class="icon"
          aria-label={`${label}: stop counting events`}
          title="Stop counting events"
          onClick={() => onChange(undefined)}
        >
          ×
        </button>
      </div>
      <div class="row tight">
        <span class="when-label" />
        in the last{' '}
        <NumberInput
          optional
          value={ev.within}
          placeholder="all"
          label={`${label}: window in days`}
          onCommit={(v) => set({ within: v ?? undefined })}
        />{' '}
        days,
        <select
          aria-label={`${label}: count test`}
          value={op}
          onChange={(e) => {
            const o = e.currentTarget.value;
            set({
              count: {
                [o]:
                  o === 'between'
                    ? [typeof value === 'number' ? value : 1, (typeof value === 'number' ? value : 1) + 2]
                    : Array.isArray(value)
                      ? value[0]
                      : value,
              },
            });
          }}
        >
          {COUNT_OPS.map(([k, l]) => (
            <option value={k}>{l}</option>
          ))}
        </select>
        {op === 'between' ? (
          <>
            <NumberInput
              value={value[0]}
              label={`${label}: at least`}
              onCommit={(v) => set({ count: { between: [v, value[1]] } })}
            />{' '}
            and{' '}
            <NumberInput
              value={value[1]}
              label={`${label}: at most`}
              onCommit={(v) => set({ count: { between: [value[0], v] } })}
            />
          </>
        ) : (
          <NumberInput value={value} label={`${label}: count`} onCommit={(v) => set({ count: { [op]: v } })} />
        )}
        times
      </div>
      <div class="row tight">
        <span class="when-label" />
        points
        <select
          aria-label={`${label}: repeat`}
          value={ev.repeat ?? 'once'}
          onChange={(e) => set({ repeat: e.currentTarget.value === 'once' ? undefined : e.currentTarget.value })}
        >
          {REPEAT.map(([k, l]) => (
            <option value={k}>{l}</option>
          ))}
        </select>
        , same
        <select
          aria-label={`${label}: de-duplicate by`}
          value={ev.dedupe ?? ''}
          onChange={(e) => set({ dedupe: e.currentTarget.value || undefined })}
        >
          <option value="">— (no de-duplication)</option>
          {columns.map((c) => (
            <option value={c}>{c}</option>
          ))}
        </select>
        counts once
      </div>
      <div class="row tight">
        <span class="when-label" />
        {groupDecays ? (
          <>
            fading: <DecayEditor decay={ev.decay} allowOff label={label} onChange={(d) => set({ decay: d })} />
          </>
        ) : (
          <span class="muted">no fading: this rule's group does not decay (Tiers &amp; caps)</span>
        )}
      </div>
      <div class="row tight">
        <span class="when-label" />
        {ev.bands ? (
          <span class="bands-edit">
            by count:
            {ev.bands.map((b, k) => (
              <span class="band">
                <NumberInput
                  value={b.min}
                  label={`${label}: band ${k + 1} from count`}
                  onCommit={(v) => set({ bands: ev.bands.map((x, j) => (j === k ? { ...x, min: v } : x)) })}
                />
                + →
                <NumberInput
                  value={b.points}
                  label={`${label}: band ${k + 1} points`}
                  onCommit={(v) => set({ bands: ev.bands.map((x, j) => (j === k ? { ...x, points: v } : x)) })}
                />{' '}
                pts
              </span>
            ))}
            <button
              type="button"
              class="link"
              onClick={() =>
                set({
                  bands: [
                    ...ev.bands,
                    { min: (ev.bands.at(-1)?.min ?? 0) + 3, points: (ev.bands.at(-1)?.points ?? 0) + 3 },
                  ],
                })
              }
            >
              + band
            </button>
            <button type="button" class="link" onClick={() => set({ bands: undefined })}>
              use fixed points
            </button>
          </span>
        ) : (
          <button
            type="button"
            class="link"
            onClick={() =>
              set({
                bands: [
                  { min: 1, points: 2 },
                  { min: 4, points: 5 },
                ],
                repeat: undefined,
              })
            }
          >
            points by count bands (1–3 → 2, 4+ → 5)…
          </button>
        )}
      </div>
      <div class="row tight">
        <span class="when-label" />
        <label class="inline">
          only events where (JsonLogic)
          <JsonInput
            value={ev.where}
            label={`${label}: event condition (JsonLogic)`}
            placeholder='{"in": ["/pricing", {"var": "url"}]}'
            onCommit={(w) => set({ where: w })}
          />
        </label>
      </div>
    </div>
  );
}

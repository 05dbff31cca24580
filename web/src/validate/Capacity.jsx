// How many leads sales can take (a count or a share): the cut-off of every evaluation and comparison.
import { useStore } from '../app/store.js';
import { setCapacity } from '../app/refresh.js';
import { NumberInput } from '../shared/inputs.jsx';
import { fmt, num, pct } from '../shared/format.js';

export function Capacity() {
  const { capacity } = useStore();
  return (
    <div class="row capacity">
      <label>
        Sales can take
        <span class="row tight">
          <NumberInput
            value={capacity.value}
            label="sales capacity"
            onCommit={(v) => v > 0 && setCapacity({ ...capacity, value: v })}
          />
          <select
            aria-label="capacity unit"
            value={capacity.kind}
            onChange={(e) => setCapacity({ ...capacity, kind: e.currentTarget.value })}
          >
            <option value="share">% of the leads</option>
            <option value="count">leads</option>
          </select>
        </span>
      </label>
    </div>
  );
}

// What the top leads within capacity hold (a selection of the core's evaluation).
export function Selection({ s, label }) {
  if (!s) return null;
  return (
    <dl class="selection">
      <div>
        <dt>{label}</dt>
        <dd>{s.threshold === null ? '—' : `score ≥ ${num(s.threshold)}`}</dd>
      </div>
      <div>
        <dt>Leads</dt>
        <dd>{fmt.format(s.selected)}</dd>
      </div>
      <div>
        <dt>Conversions caught</dt>
        <dd>{fmt.format(s.conversions)}</dd>
      </div>
      <div>
        <dt>Precision</dt>
        <dd>{pct(s.precision)}</dd>
      </div>
      <div>
        <dt>Recall</dt>
        <dd>{pct(s.recall)}</dd>
      </div>
      {s.reason && (
        <div class="wide">
          <dd class="muted">{s.reason}</dd>
        </div>
      )}
    </dl>
  );
}

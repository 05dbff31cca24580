// Two rule sets on the same leads: tier and cell migration, movers, capacity. Every number is
// computed in the core (compare, C++ in wasm); this file only draws them.
import { useStore } from '../app/store.js';
import { clearSubset, showMigration } from '../app/refresh.js';
import { switchVariant, variantName } from '../rules/variants.js';
import uPlot from 'uplot';
import { Capacity, Selection } from '../validate/Capacity.jsx';
import { Plot, axes } from '../shared/Plot.jsx';
import { AB_COLORS as COLORS, fmt, num } from '../shared/format.js';

function MigrationMatrix({ m, kind, caption }) {
  const total = m.counts.flat().reduce((a, b) => a + b, 0) || 1;
  return (
    <table class="grid compact migration" aria-label={caption}>
      <caption>
        {caption} <span class="muted">(rows: A, columns: B; click a number to list those leads)</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">A \ B</th>
          {m.to.map((t) => (
            <th scope="col" class="num">
              {t}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {m.from.map((f, i) => (
          <tr>
            <th scope="row">{f}</th>
            {m.to.map((t, j) => {
              const n = m.counts[i][j];
              return (
                <td
                  class={`num ${f === t ? 'same' : n ? 'moved' : ''}`}
                  style={{ '--h': `${Math.round((100 * n) / total)}%` }}
                >
                  {n ? (
                    <button
                      type="button"
                      class="link"
                      aria-label={`${fmt.format(n)} leads from ${f} under A to ${t} under B`}
                      onClick={() => showMigration(kind, f, t)}
                    >
                      {fmt.format(n)}
                    </button>
                  ) : (
                    <span class="muted">0</span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OverlaidHistogram({ c, names }) {
  const e = c.histogram.edges;
  const xs = e.slice(0, -1);
  const width = e.length > 1 ? e[1] - e[0] : 1;
  const steps = uPlot.paths.stepped({ align: 1 });
  const data = [
    [...xs, e[e.length - 1]],
    [...c.histogram.a, c.histogram.a.at(-1)],
    [...c.histogram.b, c.histogram.b.at(-1)],
  ];
  const opts = {
    legend: { show: true, live: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: [e[0], e[e.length - 1] + width * 0] },
      y: { range: (u, lo, hi) => [0, hi * 1.15] },
    },
    axes: axes('score', 'leads'),
    series: [
      {},
      {
        label: `A: ${names.a}`,
        stroke: COLORS.a,
        fill: COLORS.a + '22',
        width: 2,
        paths: steps,
        points: { show: false },
      },
      {
        label: `B: ${names.b}`,
        stroke: COLORS.b,
        fill: COLORS.b + '22',
        width: 2,
        paths: steps,
        points: { show: false },
      },
    ],
  };
  return <Plot opts={opts} data={data} label={`Overlaid score histograms of ${names.a} and ${names.b}`} />;
}

export function ComparePanel() {
  const { comparison: c, compareWith, variants, active } = useStore();
  if (!compareWith)
    return (
      <section class="analysis">
        <p class="muted">
          Pick a second rule set in “Compare with” (or “Duplicate as draft”) to see what a change does before you ship
          it.
        </p>
      </section>
    );
  if (!c)
    return (
      <section class="analysis">
        <p class="muted">Comparing…</p>
      </section>
    );
  if (c.error)
    return (
      <section class="analysis">
        <p class="diag error">{c.error}</p>
      </section>
    );
  const name = (id) =>
    variantName(
      variants.find((v) => v.id === id),
      variants.findIndex((v) => v.id === id),
    );
  const names = { a: name(compareWith), b: name(active) };
  return (
    <section class="analysis" aria-label="Comparison of two rule sets">
      <p class="compare-head">
        <strong>A</strong> {names.a} → <strong>B</strong> {names.b} (being edited): what the change does, live.
        <button type="button" class="link" onClick={() => switchVariant(compareWith)}>
          edit A instead
        </button>
      </p>
      <div class="kpis">
        <div>
          <span class="kpi" data-testid="changed">
            {fmt.format(c.changed)}
          </span>
          <span class="muted">leads score differently</span>
        </div>
        <div>
          <span class="kpi up" data-testid="ready-up">
            {c.salesReady.up ? `+${fmt.format(c.salesReady.up)}` : '0'}
          </span>
          <span class="muted">become sales-ready under B</span>
        </div>
        <div>
          <span class="kpi down" data-testid="ready-down">
            {c.salesReady.down ? `−${fmt.format(c.salesReady.down)}` : '0'}
          </span>
          <span class="muted">drop out of sales-ready</span>
        </div>
        <div>
          <span class="kpi">
            {fmt.format(c.a.salesReady)} → {fmt.format(c.b.salesReady)}
          </span>
          <span class="muted">sales-ready leads</span>
        </div>
        {c.evaluation && (
          <div>
            <span class="kpi" data-testid="auc-compare">
              {num(c.evaluation.a.roc.auc, 3)} → {num(c.evaluation.b.roc.auc, 3)}
            </span>
            <span class="muted">AUC</span>
          </div>
        )}
      </div>
      <div class="charts two">
        <figure class="histogram">
          <figcaption>Scores under A and B</figcaption>
          <OverlaidHistogram c={c} names={names} />
        </figure>
        <div>
          <MigrationMatrix m={c.tiers} kind="tier" caption="Tier migration" />
        </div>
      </div>
      {c.cells && (
        <details class="wide-table">
          <summary>Fit × engagement cell migration</summary>
          <div class="scroll-x">
            <MigrationMatrix m={c.cells} kind="cell" caption="Fit × engagement cell migration" />
          </div>
        </details>
      )}
      {c.capacity && (
        <div class="capacity-compare">
          <h2 class="h4">If sales can take {fmt.format(c.capacity.capacity)} leads</h2>
          <Capacity />
          <div class="side-by-side" style={{ '--n': 2 }}>
            <Selection s={c.capacity.a} label={`A: ${names.a}`} />
            <Selection s={c.capacity.b} label={`B: ${names.b}`} />
          </div>
        </div>
      )}
      <h2 class="h4">Top movers: which rules account for the change</h2>
      <table class="grid compact movers" aria-label="top movers">
        <thead>
          <tr>
            <th scope="col">Lead</th>
            <th scope="col" class="num">
              A
            </th>
            <th scope="col" class="num">
              B
            </th>
            <th scope="col" class="num">
              Δ
            </th>
            <th scope="col">Tier</th>
            <th scope="col">Because</th>
          </tr>
        </thead>
        <tbody>
          {c.movers.map((m) => (
            <tr>
              <td class="num">{m.lead + 1}</td>
              <td class="num">{num(m.a)}</td>
              <td class="num">{num(m.b)}</td>
              <td class={`num ${m.delta > 0 ? 'pos' : 'neg'}`}>
                {m.delta > 0 ? '+' : ''}
                {num(m.delta)}
              </td>
              <td>{m.tierA === m.tierB ? m.tierA : `${m.tierA} → ${m.tierB}`}</td>
              <td class="because">
                {m.rules
                  .slice(0, 3)
                  .map(
                    (r) =>
                      `${r.label} ${r.delta > 0 ? '+' : ''}${num(r.delta)}${!r.inA ? ' (new)' : !r.inB ? ' (removed)' : ''}`,
                  )
                  .join('; ')}
                {m.rules.length > 3 ? `; ${m.rules.length - 3} more` : ''}
                {Math.abs(m.rules.reduce((a, r) => a + r.delta, 0) - m.delta) > 1e-9 ? ' · caps absorb part of it' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function SubsetBanner() {
  const { view } = useStore();
  if (!view.subset) return null;
  return (
    <p class="notice subset" role="status">
      Showing the leads that are {view.subset.from} under A and {view.subset.to} under B.
      <button type="button" class="link" onClick={clearSubset}>
        show all leads
      </button>
    </p>
  );
}

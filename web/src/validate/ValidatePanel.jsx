// Testing rule sets against what really happened. Every number here is computed in the core
// (evaluate, C++ in wasm); this file only draws them.
import { useStore } from '../app/store.js';
import { Capacity, Selection } from './Capacity.jsx';
import { OutcomesPanel } from './OutcomesPanel.jsx';
import { LearnPanel } from './LearnPanel.jsx';
import { variantName } from '../rules/variants.js';
import { Plot, axes } from '../shared/Plot.jsx';
import { AB_COLORS as COLORS, fmt, num, pct } from '../shared/format.js';

function RocChart({ evals }) {
  const series = [{}];
  const xs = new Set([0, 1]);
  for (const e of evals) for (const p of e.ev.roc.points) xs.add(p.fpr);
  const grid = [...xs].sort((a, b) => a - b);
  const data = [grid];
  for (const e of evals) {
    // A step-free polyline: interpolate each curve on the shared x grid.
    const pts = e.ev.roc.points;
    data.push(
      grid.map((x) => {
        let k = pts.findIndex((p) => p.fpr >= x);
        if (k < 0) return 1;
        if (pts[k].fpr === x) return Math.max(...pts.filter((p) => p.fpr === x).map((p) => p.tpr));
        const a = pts[k - 1],
          b = pts[k];
        return a.tpr + ((x - a.fpr) / (b.fpr - a.fpr)) * (b.tpr - a.tpr);
      }),
    );
    series.push({
      label: `${e.name} (AUC ${e.ev.roc.auc.toFixed(3)})`,
      stroke: COLORS[e.key],
      width: 2,
      points: { show: false },
    });
  }
  data.push(grid);
  series.push({ label: 'chance', stroke: '#9ca3af', dash: [4, 4], width: 1, points: { show: false } });
  const opts = {
    legend: { show: true, live: false },
    scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
    axes: axes('false positive rate', 'true positive rate'),
    series,
    cursor: { show: false },
  };
  return (
    <Plot
      opts={opts}
      data={data}
      height={240}
      label={`ROC curves: ${evals.map((e) => `${e.name} AUC ${e.ev.roc.auc.toFixed(3)}`).join(', ')}`}
    />
  );
}

function LiftChart({ evals }) {
  const n = Math.max(...evals.map((e) => e.ev.deciles.length));
  const xs = Array.from({ length: n }, (_, k) => k + 1);
  const series = [
    {},
    ...evals.map((e) => ({
      label: e.name,
      stroke: COLORS[e.key],
      width: 2,
      points: { show: true, size: 7, fill: COLORS[e.key] },
      value: (u, v) => (v === null ? '—' : `${v.toFixed(2)}×`),
    })),
  ];
  const data = [xs, ...evals.map((e) => xs.map((k) => e.ev.deciles[k - 1]?.lift ?? null))];
  const opts = {
    legend: { show: true, live: false },
    scales: { x: { time: false, range: [0.5, n + 0.5] }, y: { range: (u, lo, hi) => [0, Math.max(1.3, hi * 1.2)] } },
    axes: axes('score decile (1 = highest scores)', 'lift (× base rate)'),
    series,
    cursor: { show: false },
    hooks: {
      draw: [
        (u) => {
          // the 1× line: no better than picking leads at random
          const y = u.valToPos(1, 'y', true);
          u.ctx.save();
          u.ctx.strokeStyle = '#9ca3af';
          u.ctx.setLineDash([4, 4]);
          u.ctx.beginPath();
          u.ctx.moveTo(u.bbox.left, y);
          u.ctx.lineTo(u.bbox.left + u.bbox.width, y);
          u.ctx.stroke();
          u.ctx.restore();
        },
        (u) => {
          // each decile's lift written over its point (the core's numbers, only drawn here)
          const px = devicePixelRatio || 1;
          u.ctx.save();
          u.ctx.font = `${11 * px}px system-ui, sans-serif`;
          u.ctx.textAlign = 'center';
          for (let s = 1; s < u.series.length; s++) {
            u.ctx.fillStyle = '#1f2937';
            u.data[s].forEach((v, j) => {
              if (v === null || v === undefined) return;
              const x = u.valToPos(u.data[0][j], 'x', true);
              const y = u.valToPos(v, 'y', true) - (s === 1 ? 8 : -16) * px;
              u.ctx.fillText(`${v.toFixed(1)}×`, x, y);
            });
          }
          u.ctx.restore();
        },
      ],
    },
  };
  return (
    <Plot
      opts={opts}
      data={data}
      label={`Lift by score decile: ${evals.map((e) => `${e.name}: top decile ${num(e.ev.deciles[0]?.lift)}×`).join(', ')}`}
    />
  );
}

// ---- validation --------------------------------------------------------------------------------

function RateCell({ r }) {
  return (
    <td
      class="num"
      title={`${fmt.format(r.positives)} of ${fmt.format(r.known)} with a known outcome (${fmt.format(r.count)} leads)`}
    >
      {pct(r.rate)}{' '}
      <span class="muted">
        ({fmt.format(r.positives)}/{fmt.format(r.known)})
      </span>
    </td>
  );
}

function CellGrid({ ev }) {
  if (!ev.cells.length) return null;
  // Bands no lead falls in are left out (a grid made for other data would stay half empty).
  const filled = ev.cells.filter((c) => c.count > 0);
  const fits = [...new Set(ev.cells.map((c) => c.fit))].filter((f) => filled.some((c) => c.fit === f)),
    engs = [...new Set(ev.cells.map((c) => c.engagement))].filter((e) => filled.some((c) => c.engagement === e));
  if (!filled.length) return null;
  const hidden = ev.cells.length - fits.length * engs.length;
  const by = new Map(ev.cells.map((c) => [c.cell, c]));
  const max = Math.max(...ev.cells.map((c) => c.rate ?? 0), 1e-9);
  return (
    <table class="grid compact cells" aria-label="conversion per matrix cell">
      <caption>
        Conversion per fit × engagement cell
        {hidden > 0 ? ` (${hidden} cells in bands without leads left out)` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">
            <span class="sr-only">fit, by engagement</span>
          </th>
          {engs.map((e) => (
            <th scope="col" class="num">
              {e}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {fits.map((f) => (
          <tr>
            <th scope="row">{f}</th>
            {engs.map((e) => {
              const c = by.get(f + e);
              return (
                <td
                  class="num heat"
                  style={{ '--h': `${Math.round((100 * (c.rate ?? 0)) / max)}%` }}
                  title={`${c.cell}: ${fmt.format(c.positives)} of ${fmt.format(c.known)} converted; ${fmt.format(c.count)} leads`}
                >
                  {pct(c.rate, 0)}
                  <span class="muted small"> {fmt.format(c.count)}</span>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const FLAG_TEXT = {
  never_fires: 'never fires',
  nearly_always: 'fires on nearly everyone',
  no_lift: 'no lift',
  opposite_lift: 'works against its points',
  disabled: 'disabled',
  leak: 'may leak the outcome',
};

function RuleDiagnostics({ ev, name }) {
  return (
    <table class="grid compact rule-diag" aria-label={`rule diagnostics of ${name}`}>
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col" class="num">
            Pts
          </th>
          <th scope="col" class="num">
            Fires
          </th>
          <th scope="col" class="num">
            Converts when it fires
          </th>
          <th scope="col" class="num">
            … when not
          </th>
          <th scope="col" class="num">
            Lift
          </th>
          <th scope="col">Flags</th>
        </tr>
      </thead>
      <tbody>
        {ev.rules.map((r) => (
          <tr class={r.flags.length ? 'flagged' : ''} data-rule-id={r.id}>
            <td class="text">{r.label}</td>
            <td class="num">
              {r.points > 0 ? '+' : ''}
              {r.points}
            </td>
            <td class="num">{pct(r.share, 0)}</td>
            <RateCell r={r.whenFired} />
            <RateCell r={r.whenNotFired} />
            <td class="num">{r.lift === null ? '—' : `${r.lift.toFixed(2)}×`}</td>
            <td>
              {r.flags.map((f) => (
                <span
                  class={`flag ${f}`}
                  title={f === 'leak' ? (r.leakage ?? []).map((x) => x.message).join('\n') : undefined}
                >
                  {FLAG_TEXT[f] ?? f}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ValidatePanel() {
  const { outcomes, evaluation, active, compareWith, variants } = useStore();
  if (!outcomes || outcomes.error)
    return (
      <section class="analysis">
        <p class="muted">
          To validate a rule set, tell the page which leads converted: pick an outcome column or load a deals file in
          the <strong>Data</strong> tab.
        </p>
        <OutcomesPanel />
      </section>
    );
  const ids = compareWith ? [compareWith, active] : [active];
  const evals = ids.map((id, j) => ({
    id,
    key: compareWith && j === 0 ? 'a' : compareWith ? 'b' : 'a',
    name: variantName(
      variants.find((v) => v.id === id),
      variants.findIndex((v) => v.id === id),
    ),
    ev: evaluation[id],
  }));
  const ready = evals.filter((e) => e.ev && !e.ev.error);
  const errors = evals.filter((e) => e.ev?.error);
  const first = ready[0]?.ev;
  return (
    <section class="analysis" aria-label="Validation against outcomes">
      {errors.map((e) => (
        <p class="diag error">
          {e.name}: {e.ev.error}
        </p>
      ))}
      {!ready.length && !errors.length && <p class="muted">Evaluating…</p>}
      {first && (
        <>
          <p class="base-rate">
            {fmt.format(first.known)} leads with a known outcome, {fmt.format(first.positives)} converted: base rate{' '}
            <strong>{pct(first.baseRate)}</strong>
            {first.unknown ? `; ${fmt.format(first.unknown)} unknown (left out)` : ''}.
          </p>
          {first.warnings
            .filter((w) => ['no_outcomes', 'one_class'].includes(w.code))
            .map((w) => (
              <p class="diag warning">{w.message}</p>
            ))}
          <div class="side-by-side" style={{ '--n': ready.length }}>
            {ready.map((e) => (
              <div class={`variant-card ${e.key}`} data-variant={e.key}>
                <h2 class="h3">
                  <span class="swatch" style={{ '--c': COLORS[e.key] }} />
                  {e.name}
                </h2>
                <div class="kpis">
                  <div>
                    <span class="kpi" data-testid={`auc-${e.key}`}>
                      {e.ev.roc.auc === null ? '—' : e.ev.roc.auc.toFixed(3)}
                    </span>
                    <span class="muted">AUC{e.ev.roc.reason ? `: ${e.ev.roc.reason}` : ''}</span>
                  </div>
                  <div>
                    <span class="kpi">{pct(e.ev.salesReady.precision)}</span>
                    <span class="muted">precision at sales-ready</span>
                  </div>
                  <div>
                    <span class="kpi">{pct(e.ev.salesReady.shareOfConversions)}</span>
                    <span class="muted">of conversions caught by sales-ready</span>
                  </div>
                </div>
                <table class="grid compact" aria-label={`conversion per tier, ${e.name}`}>
                  <thead>
                    <tr>
                      <th scope="col">Tier</th>
                      <th scope="col" class="num">
                        Leads
                      </th>
                      <th scope="col" class="num">
                        Converted
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.ev.tiers.map((t) => (
                      <tr data-tier={t.tier}>
                        <td>{t.tier}</td>
                        <td class="num">{fmt.format(t.count)}</td>
                        <RateCell r={t} />
                      </tr>
                    ))}
                  </tbody>
                </table>
                <CellGrid ev={e.ev} />
                <Selection s={e.ev.salesReady} label="Sales-ready" />
                {e.ev.capacity && (
                  <Selection s={e.ev.capacity} label={`Top ${fmt.format(e.ev.capacity.capacity)} leads`} />
                )}
                {e.ev.warnings
                  .filter((w) => !['no_outcomes', 'one_class'].includes(w.code))
                  .map((w) => (
                    <p class={`diag ${/^leakage|^stronger_than_rules/.test(w.code) ? 'error' : 'warning'}`}>
                      {w.message}
                    </p>
                  ))}
              </div>
            ))}
          </div>
          <Capacity />
          {ready.every((e) => e.ev.roc.auc !== null) && (
            <div class="charts two">
              <figure class="histogram">
                <figcaption>ROC curve</figcaption>
                <RocChart evals={ready} />
              </figure>
              <figure class="histogram">
                <figcaption>Lift by score decile</figcaption>
                <LiftChart evals={ready} />
              </figure>
            </div>
          )}
          {ready.map((e) => (
            <details open={e.key === 'a'}>
              <summary>Rules of {e.name}: how often each fires and whether it predicts conversion</summary>
              <RuleDiagnostics ev={e.ev} name={e.name} />
            </details>
          ))}
          {first.columns.length > 0 && (
            <details>
              <summary>Columns that predict the outcome on their own</summary>
              <table class="grid compact">
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col" class="num">
                      AUC alone
                    </th>
                    <th scope="col">Flag</th>
                  </tr>
                </thead>
                <tbody>
                  {first.columns.slice(0, 12).map((c) => (
                    <tr>
                      <td class="text">{c.column}</td>
                      <td class="num">{c.auc.toFixed(3)}</td>
                      <td>
                        {c.leak ? <span class="flag leak">almost perfect: filled in after the outcome?</span> : null}
                        {c.farAbove ? <span class="flag leak">far above the other columns</span> : null}
                        {c.postOutcome ? <span class="flag">{c.postOutcome}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
        </>
      )}
      <LearnPanel />
    </section>
  );
}

// Testing rule sets against what really happened, and against each other. Every number here is
// computed in the core (evaluate / compare, C++ in wasm); this file only draws them.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { clearSubset, setCapacity, showMigration, switchVariant, useOutcome, useStore, variantName } from '../store.js';
import { pickFile } from './DataPanel.jsx';
import { NumberInput } from './inputs.jsx';

const fmt = new Intl.NumberFormat('en-US');
const pct = (x, digits = 1) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(digits)}%`);
const num = (x, d = 2) => (x === null || x === undefined ? '—' : Number.isInteger(x) ? fmt.format(x) : x.toFixed(d));
const COLORS = { a: '#1f2937', b: '#c2410c' };

// ---- outcomes ---------------------------------------------------------------------------------

export function OutcomesPanel() {
  const { data, outcome, outcomes } = useStore();
  const [mode, setMode] = useState(outcome?.source ?? 'column');
  const [idCol, setIdCol] = useState(outcome?.leadIdColumn ?? '');
  const [dealsId, setDealsId] = useState(outcome?.idColumn ?? '');
  if (!data) return null;
  const cols = data.info.columns;
  const candidates = cols.filter((c) => c.type === 'boolean' || (c.type === 'string' && c.distinct <= 20));
  const textCols = cols.filter((c) => c.type === 'string' || c.type === 'number');
  const leadId = idCol || (cols.find((c) => /(^|_)id$/i.test(c.name) && c.type === 'string') ?? textCols[0])?.name || '';
  const info = outcomes && !outcomes.error ? outcomes : null;
  return (
    <fieldset class="outcomes">
      <legend>Outcomes: which leads converted?</legend>
      <div class="row">
        <label class="inline"><input type="radio" name="outcome-mode" checked={mode === 'column'} onChange={() => setMode('column')} /> a column of these leads</label>
        <label class="inline"><input type="radio" name="outcome-mode" checked={mode === 'ids'} onChange={() => setMode('ids')} /> a second file (deals), joined by lead id</label>
      </div>
      {mode === 'column' ? (
        <div class="row">
          <label>Outcome column
            <select aria-label="outcome column" value={outcome?.source === 'column' ? outcome.column : ''}
              onChange={(e) => useOutcome(e.currentTarget.value ? { source: 'column', column: e.currentTarget.value } : null)}>
              <option value="">— none</option>
              {candidates.map((c) => <option value={c.name}>{c.name}</option>)}
            </select>
          </label>
          <span class="muted">yes/no, 1/0, true/false, won/lost; other values count as unknown</span>
        </div>
      ) : (
        <div class="row">
          <label>Lead id column
            <select aria-label="lead id column" value={leadId} onChange={(e) => setIdCol(e.currentTarget.value)}>
              {textCols.map((c) => <option value={c.name}>{c.name}</option>)}
            </select>
          </label>
          <label>Id column in the deals file
            <input type="text" aria-label="id column in the deals file" placeholder={`same: ${leadId}`} value={dealsId} onInput={(e) => setDealsId(e.currentTarget.value)} />
          </label>
          <button type="button" onClick={() => pickFile('.csv,.tsv,.txt,.json,.ndjson', (f) => useOutcome({ source: 'ids', leadIdColumn: leadId, idColumn: dealsId || undefined, input: f, name: f.name }))}>
            Choose deals file…
          </button>
        </div>
      )}
      {outcomes?.error && <p class="diag error" role="alert">Outcomes not used: {outcomes.error.message}</p>}
      {info && (
        <p class="outcome-info" data-testid="outcome-info">
          {info.source === 'column' ? <>From column <code>{info.column}</code>{outcome?.auto ? ' (found automatically)' : ''}: </> : <>From {outcome?.name ?? 'the deals file'} ({fmt.format(info.dealsRows)} rows) by <code>{info.leadIdColumn}</code>: </>}
          <strong>{fmt.format(info.positives)}</strong> converted, {fmt.format(info.negatives)} did not, {fmt.format(info.unknown)} unknown
          {info.unmatched ? <>; {fmt.format(info.unmatched)} deals match no lead{info.unmatchedExamples?.length ? ` (e.g. ${info.unmatchedExamples.slice(0, 3).join(', ')})` : ''}</> : null}
          {info.unknownValues?.length ? <>; unknown values: {info.unknownValues.slice(0, 5).map((u) => `${u.value} (${fmt.format(u.count)})`).join(', ')}</> : null}.
        </p>
      )}
      {info?.warnings?.map((w) => <p class="diag warning">{w.message}</p>)}
    </fieldset>
  );
}

// ---- charts -----------------------------------------------------------------------------------

function Plot({ opts, data, label, height = 200 }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const el = box.current;
    plot.current = new uPlot({ ...opts, width: el.clientWidth || 400, height }, data, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => { ro.disconnect(); plot.current?.destroy(); };
  }, [JSON.stringify(opts.series.map((s) => s.label))]);
  useEffect(() => { plot.current?.setData(data); }, [data]);
  return <div ref={box} class="chart" role="img" aria-label={label} />;
}

const axes = (x, y) => [
  { stroke: '#4b5563', grid: { show: false }, font: '12px system-ui, sans-serif', label: x, labelSize: 16, labelFont: '12px system-ui, sans-serif' },
  { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, font: '12px system-ui, sans-serif', label: y, labelSize: 16, labelFont: '12px system-ui, sans-serif', size: 50 },
];

function RocChart({ evals }) {
  const series = [{}];
  const xs = new Set([0, 1]);
  for (const e of evals) for (const p of e.ev.roc.points) xs.add(p.fpr);
  const grid = [...xs].sort((a, b) => a - b);
  const data = [grid];
  for (const e of evals) {
    // A step-free polyline: interpolate each curve on the shared x grid.
    const pts = e.ev.roc.points;
    data.push(grid.map((x) => {
      let k = pts.findIndex((p) => p.fpr >= x);
      if (k < 0) return 1;
      if (pts[k].fpr === x) return Math.max(...pts.filter((p) => p.fpr === x).map((p) => p.tpr));
      const a = pts[k - 1], b = pts[k];
      return a.tpr + ((x - a.fpr) / (b.fpr - a.fpr)) * (b.tpr - a.tpr);
    }));
    series.push({ label: `${e.name} (AUC ${e.ev.roc.auc.toFixed(3)})`, stroke: COLORS[e.key], width: 2, points: { show: false } });
  }
  data.push(grid);
  series.push({ label: 'chance', stroke: '#9ca3af', dash: [4, 4], width: 1, points: { show: false } });
  const opts = { legend: { show: true, live: false }, scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } }, axes: axes('false positive rate', 'true positive rate'), series, cursor: { show: false } };
  return <Plot opts={opts} data={data} height={240} label={`ROC curves: ${evals.map((e) => `${e.name} AUC ${e.ev.roc.auc.toFixed(3)}`).join(', ')}`} />;
}

function LiftChart({ evals }) {
  const n = Math.max(...evals.map((e) => e.ev.deciles.length));
  const xs = Array.from({ length: n }, (_, k) => k + 1);
  const series = [{}, ...evals.map((e) => ({ label: e.name, stroke: COLORS[e.key], width: 2, points: { show: true, size: 7, fill: COLORS[e.key] },
    value: (u, v) => (v === null ? '—' : `${v.toFixed(2)}×`) }))];
  const data = [xs, ...evals.map((e) => xs.map((k) => e.ev.deciles[k - 1]?.lift ?? null))];
  const opts = {
    legend: { show: true, live: false }, scales: { x: { time: false, range: [0.5, n + 0.5] }, y: { range: (u, lo, hi) => [0, Math.max(1.2, hi * 1.1)] } },
    axes: axes('score decile (1 = highest scores)', 'lift (× base rate)'), series, cursor: { show: false },
    hooks: { draw: [(u) => { // the 1× line: no better than picking leads at random
      const y = u.valToPos(1, 'y', true);
      u.ctx.save(); u.ctx.strokeStyle = '#9ca3af'; u.ctx.setLineDash([4, 4]); u.ctx.beginPath();
      u.ctx.moveTo(u.bbox.left, y); u.ctx.lineTo(u.bbox.left + u.bbox.width, y); u.ctx.stroke(); u.ctx.restore();
    }] },
  };
  return <Plot opts={opts} data={data} label={`Lift by score decile: ${evals.map((e) => `${e.name}: top decile ${num(e.ev.deciles[0]?.lift)}×`).join(', ')}`} />;
}

// ---- validation --------------------------------------------------------------------------------

function RateCell({ r }) {
  return <td class="num" title={`${fmt.format(r.positives)} of ${fmt.format(r.known)} with a known outcome (${fmt.format(r.count)} leads)`}>{pct(r.rate)} <span class="muted">({fmt.format(r.positives)}/{fmt.format(r.known)})</span></td>;
}

function CellGrid({ ev }) {
  if (!ev.cells.length) return null;
  const fits = [...new Set(ev.cells.map((c) => c.fit))], engs = [...new Set(ev.cells.map((c) => c.engagement))];
  const by = new Map(ev.cells.map((c) => [c.cell, c]));
  const max = Math.max(...ev.cells.map((c) => c.rate ?? 0), 1e-9);
  return (
    <table class="grid compact cells" aria-label="conversion per matrix cell">
      <caption>Conversion per fit × engagement cell</caption>
      <thead><tr><th></th>{engs.map((e) => <th scope="col" class="num">{e}</th>)}</tr></thead>
      <tbody>
        {fits.map((f) => (
          <tr><th scope="row">{f}</th>
            {engs.map((e) => {
              const c = by.get(f + e);
              return <td class="num heat" style={{ '--h': `${Math.round(100 * (c.rate ?? 0) / max)}%` }} title={`${c.cell}: ${fmt.format(c.positives)} of ${fmt.format(c.known)} converted; ${fmt.format(c.count)} leads`}>
                {pct(c.rate, 0)}<span class="muted small"> {fmt.format(c.count)}</span></td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const FLAG_TEXT = { never_fires: 'never fires', nearly_always: 'fires on nearly everyone', no_lift: 'no lift', opposite_lift: 'works against its points', disabled: 'disabled' };

function RuleDiagnostics({ ev, name }) {
  return (
    <table class="grid compact rule-diag" aria-label={`rule diagnostics of ${name}`}>
      <thead><tr><th scope="col">Rule</th><th scope="col" class="num">Pts</th><th scope="col" class="num">Fires</th><th scope="col" class="num">Converts when it fires</th><th scope="col" class="num">… when not</th><th scope="col" class="num">Lift</th><th scope="col">Flags</th></tr></thead>
      <tbody>
        {ev.rules.map((r) => (
          <tr class={r.flags.length ? 'flagged' : ''} data-rule-id={r.id}>
            <td class="text">{r.label}</td>
            <td class="num">{r.points > 0 ? '+' : ''}{r.points}</td>
            <td class="num">{pct(r.share, 0)}</td>
            <RateCell r={r.whenFired} />
            <RateCell r={r.whenNotFired} />
            <td class="num">{r.lift === null ? '—' : `${r.lift.toFixed(2)}×`}</td>
            <td>{r.flags.map((f) => <span class={`flag ${f}`}>{FLAG_TEXT[f] ?? f}</span>)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Capacity() {
  const { capacity } = useStore();
  return (
    <div class="row capacity">
      <label>Sales can take
        <span class="row tight">
          <NumberInput value={capacity.value} label="sales capacity" onCommit={(v) => v > 0 && setCapacity({ ...capacity, value: v })} />
          <select aria-label="capacity unit" value={capacity.kind} onChange={(e) => setCapacity({ ...capacity, kind: e.currentTarget.value })}>
            <option value="share">% of the leads</option>
            <option value="count">leads</option>
          </select>
        </span>
      </label>
    </div>
  );
}

function Selection({ s, label }) {
  if (!s) return null;
  return (
    <dl class="selection">
      <div><dt>{label}</dt><dd>{s.threshold === null ? '—' : `score ≥ ${num(s.threshold)}`}</dd></div>
      <div><dt>Leads</dt><dd>{fmt.format(s.selected)}</dd></div>
      <div><dt>Conversions caught</dt><dd>{fmt.format(s.conversions)}</dd></div>
      <div><dt>Precision</dt><dd>{pct(s.precision)}</dd></div>
      <div><dt>Recall</dt><dd>{pct(s.recall)}</dd></div>
      {s.reason && <div class="wide"><dd class="muted">{s.reason}</dd></div>}
    </dl>
  );
}

export function ValidatePanel() {
  const { outcomes, evaluation, active, compareWith, variants } = useStore();
  if (!outcomes || outcomes.error) return <section class="analysis"><p class="muted">To validate a rule set, tell the page which leads converted: pick an outcome column or load a deals file in the <strong>Data</strong> tab.</p><OutcomesPanel /></section>;
  const ids = compareWith ? [compareWith, active] : [active];
  const evals = ids.map((id, j) => ({ id, key: compareWith && j === 0 ? 'a' : compareWith ? 'b' : 'a', name: variantName(variants.find((v) => v.id === id), variants.findIndex((v) => v.id === id)), ev: evaluation[id] }));
  const ready = evals.filter((e) => e.ev && !e.ev.error);
  const errors = evals.filter((e) => e.ev?.error);
  const first = ready[0]?.ev;
  return (
    <section class="analysis" aria-label="Validation against outcomes">
      {errors.map((e) => <p class="diag error">{e.name}: {e.ev.error}</p>)}
      {!ready.length && !errors.length && <p class="muted">Evaluating…</p>}
      {first && (
        <>
          <p class="base-rate">{fmt.format(first.known)} leads with a known outcome, {fmt.format(first.positives)} converted: base rate <strong>{pct(first.baseRate)}</strong>{first.unknown ? `; ${fmt.format(first.unknown)} unknown (left out)` : ''}.</p>
          {first.warnings.filter((w) => ['no_outcomes', 'one_class'].includes(w.code)).map((w) => <p class="diag warning">{w.message}</p>)}
          <div class="side-by-side" style={{ '--n': ready.length }}>
            {ready.map((e) => (
              <div class={`variant-card ${e.key}`} data-variant={e.key}>
                <h3><span class="swatch" style={{ '--c': COLORS[e.key] }} />{e.name}</h3>
                <div class="kpis">
                  <div><span class="kpi" data-testid={`auc-${e.key}`}>{e.ev.roc.auc === null ? '—' : e.ev.roc.auc.toFixed(3)}</span><span class="muted">AUC{e.ev.roc.reason ? `: ${e.ev.roc.reason}` : ''}</span></div>
                  <div><span class="kpi">{pct(e.ev.salesReady.precision)}</span><span class="muted">precision at sales-ready</span></div>
                  <div><span class="kpi">{pct(e.ev.salesReady.shareOfConversions)}</span><span class="muted">of conversions caught by sales-ready</span></div>
                </div>
                <table class="grid compact" aria-label={`conversion per tier, ${e.name}`}>
                  <thead><tr><th scope="col">Tier</th><th scope="col" class="num">Leads</th><th scope="col" class="num">Converted</th></tr></thead>
                  <tbody>{e.ev.tiers.map((t) => <tr data-tier={t.tier}><td>{t.tier}</td><td class="num">{fmt.format(t.count)}</td><RateCell r={t} /></tr>)}</tbody>
                </table>
                <CellGrid ev={e.ev} />
                <Selection s={e.ev.salesReady} label="Sales-ready" />
                {e.ev.capacity && <Selection s={e.ev.capacity} label={`Top ${fmt.format(e.ev.capacity.capacity)} leads`} />}
                {e.ev.warnings.filter((w) => !['no_outcomes', 'one_class'].includes(w.code)).map((w) => <p class={`diag ${w.code === 'leakage' || w.code === 'stronger_than_rules' ? 'error' : 'warning'}`}>{w.message}</p>)}
              </div>
            ))}
          </div>
          <Capacity />
          {ready.every((e) => e.ev.roc.auc !== null) && (
            <div class="charts two">
              <figure class="histogram"><figcaption>ROC curve</figcaption><RocChart evals={ready} /></figure>
              <figure class="histogram"><figcaption>Lift by score decile</figcaption><LiftChart evals={ready} /></figure>
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
                <thead><tr><th scope="col">Column</th><th scope="col" class="num">AUC alone</th><th scope="col"></th></tr></thead>
                <tbody>{first.columns.slice(0, 12).map((c) => <tr><td class="text">{c.column}</td><td class="num">{c.auc.toFixed(3)}</td><td>{c.leak ? <span class="flag leak">almost perfect: filled in after the outcome?</span> : null}</td></tr>)}</tbody>
              </table>
            </details>
          )}
        </>
      )}
    </section>
  );
}

// ---- comparison --------------------------------------------------------------------------------

function MigrationMatrix({ m, kind, caption }) {
  const total = m.counts.flat().reduce((a, b) => a + b, 0) || 1;
  return (
    <table class="grid compact migration" aria-label={caption}>
      <caption>{caption} <span class="muted">(rows: A, columns: B; click a number to list those leads)</span></caption>
      <thead><tr><th scope="col">A \ B</th>{m.to.map((t) => <th scope="col" class="num">{t}</th>)}</tr></thead>
      <tbody>
        {m.from.map((f, i) => (
          <tr><th scope="row">{f}</th>
            {m.to.map((t, j) => {
              const n = m.counts[i][j];
              return (
                <td class={`num ${f === t ? 'same' : n ? 'moved' : ''}`} style={{ '--h': `${Math.round((100 * n) / total)}%` }}>
                  {n ? <button type="button" class="link" aria-label={`${fmt.format(n)} leads from ${f} under A to ${t} under B`} onClick={() => showMigration(kind, f, t)}>{fmt.format(n)}</button> : <span class="muted">0</span>}
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
  const data = [[...xs, e[e.length - 1]], [...c.histogram.a, c.histogram.a.at(-1)], [...c.histogram.b, c.histogram.b.at(-1)]];
  const opts = {
    legend: { show: true, live: false }, cursor: { show: false },
    scales: { x: { time: false, range: [e[0], e[e.length - 1] + width * 0] }, y: { range: (u, lo, hi) => [0, hi * 1.15] } },
    axes: axes('score', 'leads'),
    series: [{}, { label: `A: ${names.a}`, stroke: COLORS.a, fill: COLORS.a + '22', width: 2, paths: steps, points: { show: false } },
      { label: `B: ${names.b}`, stroke: COLORS.b, fill: COLORS.b + '22', width: 2, paths: steps, points: { show: false } }],
  };
  return <Plot opts={opts} data={data} label={`Overlaid score histograms of ${names.a} and ${names.b}`} />;
}

export function ComparePanel() {
  const { comparison: c, compareWith, variants, active } = useStore();
  if (!compareWith) return <section class="analysis"><p class="muted">Pick a second rule set in “Compare with” (or “Duplicate as draft”) to see what a change does before you ship it.</p></section>;
  if (!c) return <section class="analysis"><p class="muted">Comparing…</p></section>;
  if (c.error) return <section class="analysis"><p class="diag error">{c.error}</p></section>;
  const name = (id) => variantName(variants.find((v) => v.id === id), variants.findIndex((v) => v.id === id));
  const names = { a: name(compareWith), b: name(active) };
  return (
    <section class="analysis" aria-label="Comparison of two rule sets">
      <p class="compare-head">
        <strong>A</strong> {names.a} → <strong>B</strong> {names.b} (being edited): what the change does, live.
        <button type="button" class="link" onClick={() => switchVariant(compareWith)}>edit A instead</button>
      </p>
      <div class="kpis">
        <div><span class="kpi" data-testid="changed">{fmt.format(c.changed)}</span><span class="muted">leads score differently</span></div>
        <div><span class="kpi up" data-testid="ready-up">{c.salesReady.up ? `+${fmt.format(c.salesReady.up)}` : '0'}</span><span class="muted">become sales-ready under B</span></div>
        <div><span class="kpi down" data-testid="ready-down">{c.salesReady.down ? `−${fmt.format(c.salesReady.down)}` : '0'}</span><span class="muted">drop out of sales-ready</span></div>
        <div><span class="kpi">{fmt.format(c.a.salesReady)} → {fmt.format(c.b.salesReady)}</span><span class="muted">sales-ready leads</span></div>
        {c.evaluation && <div><span class="kpi" data-testid="auc-compare">{num(c.evaluation.a.roc.auc, 3)} → {num(c.evaluation.b.roc.auc, 3)}</span><span class="muted">AUC</span></div>}
      </div>
      <div class="charts two">
        <figure class="histogram"><figcaption>Scores under A and B</figcaption><OverlaidHistogram c={c} names={names} /></figure>
        <div><MigrationMatrix m={c.tiers} kind="tier" caption="Tier migration" /></div>
      </div>
      {c.cells && (
        <details class="wide-table">
          <summary>Fit × engagement cell migration</summary>
          <div class="scroll-x"><MigrationMatrix m={c.cells} kind="cell" caption="Fit × engagement cell migration" /></div>
        </details>
      )}
      {c.capacity && (
        <div class="capacity-compare">
          <h4>If sales can take {fmt.format(c.capacity.capacity)} leads</h4>
          <Capacity />
          <div class="side-by-side" style={{ '--n': 2 }}>
            <Selection s={c.capacity.a} label={`A: ${names.a}`} />
            <Selection s={c.capacity.b} label={`B: ${names.b}`} />
          </div>
        </div>
      )}
      <h4>Top movers: which rules account for the change</h4>
      <table class="grid compact movers" aria-label="top movers">
        <thead><tr><th scope="col">Lead</th><th scope="col" class="num">A</th><th scope="col" class="num">B</th><th scope="col" class="num">Δ</th><th scope="col">Tier</th><th scope="col">Because</th></tr></thead>
        <tbody>
          {c.movers.map((m) => (
            <tr>
              <td class="num">{m.lead + 1}</td><td class="num">{num(m.a)}</td><td class="num">{num(m.b)}</td>
              <td class={`num ${m.delta > 0 ? 'pos' : 'neg'}`}>{m.delta > 0 ? '+' : ''}{num(m.delta)}</td>
              <td>{m.tierA === m.tierB ? m.tierA : `${m.tierA} → ${m.tierB}`}</td>
              <td class="because">{m.rules.slice(0, 3).map((r) => `${r.label} ${r.delta > 0 ? '+' : ''}${num(r.delta)}${!r.inA ? ' (new)' : !r.inB ? ' (removed)' : ''}`).join('; ')}
                {m.rules.length > 3 ? `; ${m.rules.length - 3} more` : ''}
                {Math.abs(m.rules.reduce((a, r) => a + r.delta, 0) - m.delta) > 1e-9 ? ' · caps absorb part of it' : ''}</td>
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
      <button type="button" class="link" onClick={clearSubset}>show all leads</button>
    </p>
  );
}

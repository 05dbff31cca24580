// "Learn from outcomes": a scorecard learned in the worker (docs/learn.md) shown as a feature
// table (IV, WoE, points), the flagged features with their reasons, and a button that opens the
// learned rule set as a new variant compared with the current one. Below it, channel quality by a
// chosen column. Every number is the core's; this file only draws them.
import { useState } from 'preact/hooks';
import uPlot from 'uplot';
import { useStore } from '../app/store.js';
import { Plot, axes } from '../shared/Plot.jsx';
import { fmt, num, pct } from '../shared/format.js';
import { cancelLearning, channelQuality, explainLearned, learnFromOutcomes, openLearnedVariant } from './learn.js';

const STAGES = {
  features: 'building features',
  'cross-validation': 'cross-validating',
  fit: 'fitting',
  scorecard: 'scaling points',
};

function LearnOptions({ onLearn, busy }) {
  const [model, setModel] = useState('logistic');
  const [scale, setScale] = useState('pdo');
  const [useRules, setUseRules] = useState(true);
  return (
    <div class="row learn-options">
      <label>
        Model
        <select aria-label="model" value={model} onChange={(e) => setModel(e.currentTarget.value)}>
          <option value="logistic">logistic regression (L2, cross-validated)</option>
          <option value="naive_bayes">naive Bayes</option>
        </select>
      </label>
      <label>
        Points
        <select aria-label="points scale" value={scale} onChange={(e) => setScale(e.currentTarget.value)}>
          <option value="pdo">600 at odds 1:19, +50 per doubling</option>
          <option value="0-100">0 to 100</option>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked={useRules} onChange={(e) => setUseRules(e.currentTarget.checked)} />
        the current rules' conditions as features
      </label>
      <button type="button" class="primary" disabled={busy} onClick={() => onLearn({ model, scale, useRules })}>
        Learn
      </button>
    </div>
  );
}

function Flagged({ report }) {
  if (!report.flagged.length) return null;
  return (
    <ul class="learn-flagged" aria-label="flagged features">
      {report.flagged.map((f) => (
        <li data-feature={f.name}>
          <span class={`flag ${f.flag === 'leakage' ? 'leak' : ''}`}>{f.flag}</span> <strong>{f.name}</strong>:{' '}
          {f.reason}
        </li>
      ))}
    </ul>
  );
}

function FeatureTable({ report }) {
  const used = report.features.filter((f) => f.used);
  return (
    <table class="grid compact" aria-label="learned features">
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col" class="num">
            IV
          </th>
          <th scope="col">Level</th>
          <th scope="col" class="num">
            Leads
          </th>
          <th scope="col" class="num">
            Converted
          </th>
          <th scope="col" class="num">
            WoE
          </th>
          <th scope="col" class="num">
            Points
          </th>
        </tr>
      </thead>
      <tbody>
        {used.map((f) =>
          f.levels.map((l, k) => (
            <tr data-feature={f.name} data-level={l.label}>
              <td class="text">{k === 0 ? f.name : ''}</td>
              <td class="num">{k === 0 ? f.iv.toFixed(3) : ''}</td>
              <td class="text">{l.label}</td>
              <td class="num">{fmt.format(l.count)}</td>
              <td class="num">{pct(l.rate)}</td>
              <td class="num">{l.woe.toFixed(2)}</td>
              <td class="num">{l.rounded}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

function LeadFactors({ lead }) {
  const [n, setN] = useState('1');
  return (
    <div class="learn-lead">
      <label>
        Lead
        <input type="number" min="1" aria-label="lead number" value={n} onInput={(e) => setN(e.currentTarget.value)} />
      </label>
      <button type="button" onClick={() => explainLearned(Math.max(0, Number(n) - 1))}>
        Probability and top factors
      </button>
      {lead?.error && <p class="diag error">{lead.error}</p>}
      {lead && !lead.error && (
        <p data-testid="learned-lead">
          Lead {lead.lead}: {pct(lead.probability)} likely to convert, {lead.points} points.{' '}
          {lead.factors.map((f) => `${f.feature} = ${f.level} (${f.points})`).join(', ')}
        </p>
      )}
    </div>
  );
}

function Result({ learn }) {
  const r = learn.result.report;
  return (
    <div class="learn-result" data-testid="learn-result">
      <div class="kpis">
        <span class="kpi" data-testid="learn-auc">
          {num(r.auc.rounded, 3)}
        </span>
        <span class="muted">
          held-out AUC of the rounded points (model {num(r.auc.model, 3)}), learned on {fmt.format(r.leads.train)}{' '}
          leads, checked on {fmt.format(r.leads.test)}
          {r.c !== null ? `, C = ${r.c}` : ''}; scores {r.range.roundedMin} to {r.range.roundedMax}
        </span>
      </div>
      <button type="button" class="primary" onClick={openLearnedVariant}>
        Open as a new variant and compare
      </button>
      <Flagged report={r} />
      <FeatureTable report={r} />
      <LeadFactors lead={learn.lead} />
    </div>
  );
}

function ChannelChart({ report }) {
  const rows = report.channels.filter((c) => c.rate !== null && c.rate !== undefined);
  if (!rows.length) return null;
  const xs = rows.map((_, k) => k);
  const opts = {
    legend: { show: false },
    scales: {
      x: { time: false, range: [-0.5, rows.length - 0.5] },
      y: { range: (u, lo, hi) => [0, Math.max(1.2, hi * 1.1)] },
    },
    axes: [
      { ...axes('', '')[0], values: (u, ticks) => ticks.map((t) => rows[t]?.value ?? ''), splits: () => xs },
      axes('', 'lift (× overall)')[1],
    ],
    series: [{}, { label: 'lift', fill: '#2563eb', stroke: '#2563eb', paths: uPlot.paths.bars({ size: [0.6, 48] }) }],
    cursor: { show: false },
  };
  return (
    <Plot
      opts={opts}
      data={[xs, rows.map((c) => c.lift)]}
      height={200}
      label={`lift by ${report.column}: ${rows.map((c) => `${c.value} ${num(c.lift)}`).join(', ')}`}
    />
  );
}

function Channels() {
  const { data, channels } = useStore();
  const cols = (data?.info.columns ?? []).filter((c) => c.type === 'string' || c.type === 'boolean');
  return (
    <details class="channels">
      <summary>Channel quality: score and conversion by lead source, campaign, …</summary>
      <label>
        Group by
        <select
          aria-label="channel column"
          value={channels?.column ?? ''}
          onChange={(e) => channelQuality(e.currentTarget.value)}
        >
          <option value="">choose a column</option>
          {cols.map((c) => (
            <option value={c.name}>{c.name}</option>
          ))}
        </select>
      </label>
      {channels?.error && <p class="diag error">{channels.error}</p>}
      {channels && !channels.error && (
        <>
          <ChannelChart report={channels} />
          <table class="grid compact" aria-label={`channels by ${channels.column}`}>
            <thead>
              <tr>
                <th scope="col">{channels.column}</th>
                <th scope="col" class="num">
                  Leads
                </th>
                <th scope="col" class="num">
                  Mean score
                </th>
                <th scope="col" class="num">
                  Median
                </th>
                <th scope="col" class="num">
                  Converted
                </th>
                <th scope="col" class="num">
                  Lift
                </th>
              </tr>
            </thead>
            <tbody>
              {channels.channels.map((c) => (
                <tr data-channel={c.value}>
                  <td class="text">{c.value}</td>
                  <td class="num">{fmt.format(c.leads)}</td>
                  <td class="num">{num(c.mean, 1)}</td>
                  <td class="num">{num(c.median, 1)}</td>
                  <td class="num">{pct(c.rate)}</td>
                  <td class="num">{c.lift === null || c.lift === undefined ? '—' : `${c.lift.toFixed(2)}×`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </details>
  );
}

export function LearnPanel() {
  const { learn } = useStore();
  return (
    <section class="learn" aria-label="Learn from outcomes">
      <h3>Learn from outcomes</h3>
      <p class="muted">
        Points learned from the leads whose outcome is known, checked on a held-out quarter, as an ordinary rule set you
        can open, compare and edit. Needs 1,000 leads with outcomes and 120 conversions.
      </p>
      <LearnOptions onLearn={learnFromOutcomes} busy={learn?.running} />
      {learn?.running && (
        <p role="status" class="learn-progress">
          <progress value={learn.progress.done} max="1" /> {STAGES[learn.progress.stage] ?? learn.progress.stage}…{' '}
          <button type="button" onClick={cancelLearning}>
            Cancel
          </button>
        </p>
      )}
      {learn?.error && (
        <p class="diag error" role="alert" data-testid="learn-error">
          {learn.error.code === 'cancelled' ? 'Learning was cancelled.' : learn.error.message}
        </p>
      )}
      {learn?.result && <Result learn={learn} />}
      <Channels />
    </section>
  );
}

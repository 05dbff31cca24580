// Scores: tier counts, the histogram, a breakdown by any text column, the virtualised table of
// leads and, for a clicked lead, its ledger. Lead values are always rendered as text.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { refreshView, scrollTo, select, setBreakdown } from '../app/refresh.js';
import { useStore } from '../app/store.js';
import { ScoreHistogram, tierColor } from '../shared/ScoreHistogram.jsx';
import { Icon } from '../shared/icons.jsx';

const fmt = new Intl.NumberFormat('en-US');
const num = (x) => (Number.isInteger(x) ? fmt.format(x) : fmt.format(Math.round(x * 100) / 100));
const pct = (x) => `${(100 * x).toFixed(x > 0 && x < 0.01 ? 1 : 0)}%`;
const ROW_H = 30;

function TierBadge({ tiers, k }) {
  const t = tiers[k];
  if (!t) return null;
  return (
    <span class="badge" style={{ '--c': tierColor(k, tiers.length) }}>
      {t.name}
    </span>
  );
}

export function TierCards() {
  const { scored, view } = useStore();
  if (!scored) return null;
  const { summary, rules } = scored;
  const n = summary.rows || 1;
  return (
    <ul class="tier-cards" aria-label="Leads per tier">
      {summary.tiers.map((t, k) => (
        <li>
          <button
            type="button"
            class={`tier-card ${view.tier === t.name ? 'active' : ''}`}
            style={{ '--c': tierColor(k, summary.tiers.length) }}
            aria-pressed={view.tier === t.name ? 'true' : 'false'}
            title={`Show only ${t.name} leads`}
            data-tier={t.name}
            onClick={() => refreshView({ tier: view.tier === t.name ? '' : t.name })}
          >
            <span class="tier-name">{t.name}</span>
            <span class="tier-count">{fmt.format(t.count)}</span>
            <span class="tier-share">
              {pct(t.count / n)}
              {rules.tiers[k]?.min !== undefined ? ` · score ≥ ${rules.tiers[k].min}` : ''}
            </span>
            {rules.tiers[k]?.action && <span class="tier-action">{rules.tiers[k].action}</span>}
          </button>
        </li>
      ))}
      <li class="tier-card ready">
        <span class="tier-name">Sales-ready</span>
        <span class="tier-count" data-testid="sales-ready">
          {fmt.format(summary.salesReady)}
        </span>
        <span class="tier-share">
          {pct(summary.salesReady / n)}
          {rules.salesReady !== undefined ? ` · score ≥ ${rules.salesReady}` : ''}
        </span>
        <span class="tier-action">mean score {num(summary.mean)}</span>
      </li>
    </ul>
  );
}

export function ScoreChart() {
  const { scored } = useStore();
  if (!scored) return null;
  return <ScoreHistogram summary={scored.summary} tiers={scored.rules.tiers} salesReady={scored.rules.salesReady} />;
}

export function Breakdown() {
  const { data, breakdown, breakdownColumn, scored } = useStore();
  const cols = (data?.info.columns ?? []).filter(
    (c) => c.type === 'boolean' || (c.type === 'string' && c.distinct <= 5000),
  );
  if (!cols.length || !scored) return null;
  const current = breakdown?.column ?? breakdownColumn;
  return (
    <section class="breakdown" aria-label="Scores by column">
      <label>
        Scores by
        <select
          aria-label="break scores down by column"
          value={current}
          onChange={(e) => setBreakdown(e.currentTarget.value)}
        >
          {cols.map((c) => (
            <option value={c.name}>{c.name}</option>
          ))}
        </select>
      </label>
      {breakdown?.error && <p class="diag error">{breakdown.error}</p>}
      {breakdown?.rows && (
        <table class="grid compact">
          <thead>
            <tr>
              <th scope="col">{breakdown.column}</th>
              <th scope="col" class="num">
                Leads
              </th>
              <th scope="col" class="num">
                Mean score
              </th>
              <th scope="col" class="num">
                Sales-ready
              </th>
            </tr>
          </thead>
          <tbody>
            {breakdown.rows.map((r) => (
              <tr>
                <td class={`text ${r.value === null || r.other ? 'muted' : ''}`}>
                  {r.value === null ? '(empty)' : r.value}
                </td>
                <td class="num">{fmt.format(r.count)}</td>
                <td class="num">{num(r.mean)}</td>
                <td class="num">
                  <span class="bar" style={{ '--w': `${Math.round(100 * r.salesReady)}%` }}>
                    {pct(r.salesReady)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const cellText = (v) =>
  v === undefined ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'number' ? num(v) : String(v);

export function LeadTable() {
  const { scored, view, data, selected } = useStore();
  const scroller = useRef(null);
  const [height, setHeight] = useState(480);
  const [top, setTop] = useState(0);
  const [text, setText] = useState(view.text);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, [!!scored]);
  useEffect(() => {
    const t = setTimeout(() => text !== view.text && refreshView({ text }), 150);
    return () => clearTimeout(t);
  }, [text]);
  useEffect(() => {
    // a new sort or filter starts at the top
    if (scroller.current) scroller.current.scrollTop = 0;
    setTop(0);
  }, [view.sort, view.tier, view.text]);
  if (!scored || !data) return null;
  const tiers = scored.rules.tiers;
  const groups = scored.rules.groups;
  const matrix = !!scored.rules.matrix;
  const columns = data.info.columns;
  const count = view.count;
  const first = Math.floor(top / ROW_H);
  const visible = Math.ceil(height / ROW_H) + 1;
  const byPos = new Map(view.rows.map((r, j) => [view.offset + j, r]));
  const sortBy = (key) => {
    const dir =
      view.sort.key === key
        ? view.sort.dir === 'desc'
          ? 'asc'
          : 'desc'
        : key === 'score' || key.startsWith('group:')
          ? 'desc'
          : 'asc';
    refreshView({ sort: { key, dir } });
  };
  const widths = [
    '64px',
    '64px',
    '96px',
    ...groups.map(() => '92px'),
    ...(matrix ? ['52px'] : []),
    ...columns.map((c) => (c.type === 'number' ? '104px' : c.type === 'boolean' ? '84px' : '168px')),
  ];
  const template = { gridTemplateColumns: widths.join(' ') };
  const totalWidth = widths.reduce((a, w) => a + parseInt(w, 10), 0);
  const rows = [];
  for (let p = first; p < Math.min(count, first + visible); p++) {
    const r = byPos.get(p);
    rows.push(
      r ? (
        <div
          key={r.i}
          role="row"
          class={`tr ${selected === r.i ? 'selected' : ''}`}
          style={{ ...template, top: `${p * ROW_H}px` }}
          tabIndex={0}
          data-lead={r.i}
          aria-rowindex={p + 2}
          aria-selected={selected === r.i ? 'true' : 'false'}
          onClick={() => select(r.i)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              select(r.i);
            } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const next = e.currentTarget[e.key === 'ArrowDown' ? 'nextElementSibling' : 'previousElementSibling'];
              if (next?.classList.contains('tr')) next.focus();
              else scroller.current.scrollTop += e.key === 'ArrowDown' ? ROW_H : -ROW_H;
            }
          }}
        >
          <span role="gridcell" class="num muted">
            {r.i + 1}
          </span>
          <span role="gridcell" class="num score">
            {num(r.total)}
          </span>
          <span role="gridcell">
            <TierBadge tiers={tiers} k={r.tier} />
          </span>
          {groups.map((g, k) => (
            <span role="gridcell" class="num">
              {num(r.groups[k])}
            </span>
          ))}
          {matrix && (
            <span role="gridcell" class="cell">
              {r.cell}
            </span>
          )}
          {columns.map((c) => (
            <span role="gridcell" class={c.type === 'number' ? 'num' : 'text'} title={cellText(r.values[c.name])}>
              {cellText(r.values[c.name])}
            </span>
          ))}
        </div>
      ) : (
        <div key={`p${p}`} role="row" class="tr placeholder" style={{ ...template, top: `${p * ROW_H}px` }}>
          <span role="gridcell">…</span>
        </div>
      ),
    );
  }
  const head = (key, label, cls = '') => (
    <span
      role="columnheader"
      class={cls}
      aria-sort={view.sort.key === key ? (view.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" class="sort" onClick={() => sortBy(key)} title={`Sort by ${label}`}>
        {label}
        {view.sort.key === key ? (view.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </span>
  );
  return (
    <section class="leads" aria-label="Scored leads">
      <div class="table-bar">
        <input
          type="search"
          placeholder="Search leads (any text column)"
          aria-label="Search leads"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <select aria-label="Show tier" value={view.tier} onChange={(e) => refreshView({ tier: e.currentTarget.value })}>
          <option value="">All tiers</option>
          {tiers.map((t) => (
            <option value={t.name}>{t.name}</option>
          ))}
        </select>
        <span class="muted" role="status" aria-live="polite" data-testid="lead-count">
          {view.pending ? 'sorting and filtering… ' : ''}
          {fmt.format(count)} of {fmt.format(data.info.rows)} leads
        </span>
      </div>
      <div
        class="table-scroll"
        ref={scroller}
        role="grid"
        aria-rowcount={count + 1}
        aria-label="Leads, highest score first by default"
        onScroll={(e) => {
          const t = e.currentTarget.scrollTop;
          setTop(t);
          scrollTo(Math.floor(t / ROW_H));
        }}
      >
        <div role="row" class="thead" style={{ ...template, width: `${totalWidth}px` }} aria-rowindex={1}>
          {head('lead', '#', 'num')}
          {head('score', 'Score', 'num')}
          <span role="columnheader">Tier</span>
          {groups.map((g) => head(`group:${g.id}`, g.label ?? g.id, 'num'))}
          {matrix && <span role="columnheader">Cell</span>}
          {columns.map((c) => head(c.name, c.name, c.type === 'number' ? 'num' : ''))}
        </div>
        <div class="tbody" style={{ height: `${count * ROW_H}px`, width: `${totalWidth}px` }}>
          {rows}
        </div>
      </div>
    </section>
  );
}

/** A learned rule set's probability and the features that move this lead most (both from the core). */
function LearnedWhy({ learned }) {
  return (
    <section class="learned-why" aria-label="Learned model" data-testid="learned-why">
      <p>
        Probability of converting:{' '}
        <strong data-testid="learned-probability">{(100 * learned.probability).toFixed(1)}%</strong>
        <span class="muted"> (what the learned model makes of these points)</span>
      </p>
      <h3 class="h4">Top factors</h3>
      <ul class="learned-factors">
        {learned.factors.map((f) => (
          <li data-feature={f.feature}>
            {f.rule ?? `${f.feature}: its 0-point level`}{' '}
            <span class={f.contribution < 0 ? 'neg' : 'pos'}>
              {f.contribution > 0 ? '+' : ''}
              {num(f.contribution)}
            </span>
            <span class="muted"> points against the average lead</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LedgerDrawer() {
  const { selected, ledger, scored } = useStore();
  const closeRef = useRef(null);
  useEffect(() => {
    if (selected === null) return undefined;
    closeRef.current?.focus();
    // Escape closes the ledger wherever focus is (not only inside it: focus can still be on the
    // row that opened it, or back in the table), except in a dialog, which closes itself.
    const onKey = (e) => {
      if (e.key === 'Escape' && !e.target.closest?.('dialog')) select(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selected]);
  if (selected === null) return null;
  const l = ledger?.ledger;
  const tiers = scored?.rules.tiers ?? [];
  const tierK = tiers.findIndex((t) => t.name === l?.tier);
  return (
    <aside class="drawer" aria-label={`Lead ${selected + 1}: why it scored what it did`}>
      <div class="drawer-head">
        <h2 class="h3">
          Lead {selected + 1}
          {l?.line ? <span class="muted"> · line {l.line}</span> : null}
        </h2>
        <button type="button" ref={closeRef} class="icon" aria-label="Close the ledger" onClick={() => select(null)}>
          <Icon name="close" />
        </button>
      </div>
      {ledger?.error && <p class="diag error">{ledger.error}</p>}
      {l && (
        <>
          <div class="ledger-total">
            <span class="big" data-testid="ledger-total">
              {num(l.total)}
            </span>
            <TierBadge tiers={tiers} k={tierK} />
            {l.cell && <span class="cell-badge">cell {l.cell}</span>}
            {l.salesReady && <span class="ready-badge">sales-ready</span>}
          </div>
          {(l.action || l.cellAction) && (
            <p class="next-step">
              Next step: <strong>{l.cellAction || l.action}</strong>
            </p>
          )}
          {l.learned && <LearnedWhy learned={l.learned} />}
          <table class="grid ledger" aria-label="Ledger">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col" class="num">
                  Points
                </th>
              </tr>
            </thead>
            {l.groups.map((g) => (
              <tbody>
                {l.rules
                  .filter((r) => r.group === g.id)
                  .map((r) => (
                    <tr>
                      <td>
                        {r.label}
                        {r.value !== undefined ? (
                          <span class="muted">
                            {' '}
                            ({num(r.value)} × {num(r.raw / (r.value || 1))})
                          </span>
                        ) : null}
                        {r.count !== undefined && (
                          <span class="event-detail" data-testid="event-detail">
                            {' '}
                            {fmt.format(r.count)} event{r.count === 1 ? '' : 's'}
                            {r.occurrences !== undefined ? `, ${fmt.format(r.occurrences)} scored` : ''}
                            {r.daysSince !== undefined
                              ? `, newest ${r.daysSince} day${r.daysSince === 1 ? '' : 's'} ago`
                              : ''}
                            {r.decay !== undefined && r.decay !== 1 ? (
                              <>
                                : {num(r.raw)} raw × {r.decay.toFixed(3)} decay = {num(r.effective)}
                              </>
                            ) : (
                              ''
                            )}
                            {r.future ? `; ${r.future} future-dated not counted` : ''}
                            {r.undated ? `; ${r.undated} undated not counted` : ''}
                          </span>
                        )}
                        {r.clipped && (
                          <span class="clip">
                            {' '}
                            {num(r.raw)} → {r.clipped}
                          </span>
                        )}
                        {r.note && <span class="muted"> {r.note}</span>}
                      </td>
                      <td class={`num ${r.points < 0 ? 'neg' : 'pos'}`}>
                        {r.points > 0 ? '+' : ''}
                        {num(r.points)}
                      </td>
                    </tr>
                  ))}
                <tr class="subtotal">
                  <th scope="row">
                    {g.label}
                    {g.clipped ? (
                      <span class="clip">
                        {' '}
                        {num(g.sum)} → {g.clipped}
                      </span>
                    ) : null}
                  </th>
                  <td class="num">{num(g.score)}</td>
                </tr>
              </tbody>
            ))}
            <tfoot>
              <tr>
                <th scope="row">
                  Total
                  {l.clipped ? (
                    <span class="clip">
                      {' '}
                      {num(l.sum)} → {l.clipped}
                    </span>
                  ) : null}
                </th>
                <td class="num">{num(l.total)}</td>
              </tr>
            </tfoot>
          </table>
          {l.errors?.length > 0 && (
            <p class="diag warning">
              Could not evaluate for this lead: {l.errors.map((e) => `${e.id} (${e.message})`).join('; ')}
            </p>
          )}
          <h2 class="h4">Values</h2>
          <dl class="values">
            {Object.entries(ledger.row).map(([k, v]) => (
              <div>
                <dt>{k}</dt>
                <dd class="text">{cellText(v)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </aside>
  );
}

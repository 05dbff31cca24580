// Engagement over time: activity events next to the leads, the as-of date every score is
// computed against, event criteria in rules (count in a window, repeat, de-duplication, bands,
// decay) and "days since" fields for date columns.
import { useState } from 'preact/hooks';
import { commit, getState, loadEventsFile, setAsOfDate, today, useStore } from '../store.js';
import { JsonInput, NumberInput, TagInput } from './inputs.jsx';
import { pickFile } from './DataPanel.jsx';

const fmt = new Intl.NumberFormat('en-US');

export function AsOfControl() {
  const { asOf, asOfFixed } = useStore();
  return (
    <label class="as-of" title="Every day count and decay is computed against this date">
      Scores as of
      <input type="date" aria-label="scores as of date" value={asOf ?? ''} onChange={(e) => setAsOfDate(e.currentTarget.value)} />
      {asOfFixed && <button type="button" class="link" onClick={() => setAsOfDate(today())}>today</button>}
    </label>
  );
}

export function EventsPanel() {
  const { data, events, eventsName, eventsLoading } = useStore();
  const [opts, setOpts] = useState({ leadId: '', leadKey: '', type: '', timestamp: '' });
  if (!data) return null;
  const info = events && !events.error ? events : null;
  const options = Object.fromEntries(Object.entries(opts).filter(([, v]) => v));
  const leadCols = data.info.columns.filter((c) => c.type === 'string' || c.type === 'number');
  return (
    <fieldset class="events">
      <legend>Activity events (optional)</legend>
      <p class="muted">One row per event: lead id, event type, when it happened, and any properties (page, campaign, e-mail id). Rules can then count events in a time window, let points fade with age, and ask how long since a lead last did something.</p>
      <div class="row">
        <button type="button" onClick={() => pickFile('.csv,.tsv,.txt,.json,.ndjson,.jsonl', (f) => loadEventsFile(f, f.name, { options }))}>Choose events file…</button>
        {data.name.startsWith('Sample:') && !info && (
          <button type="button" onClick={async () => {
            const r = await fetch('./samples/b2b-events.csv');
            loadEventsFile(await r.blob(), 'Sample events (b2b-events.csv)');
          }}>Use the sample's events</button>
        )}
        {info && <button type="button" class="link danger" onClick={() => loadEventsFile(null, null)}>remove events</button>}
        <AsOfControl />
      </div>
      <details>
        <summary>Which columns are which (found automatically)</summary>
        <div class="row">
          <label>Lead id in events <input type="text" aria-label="events: lead id column" placeholder={info?.leadId ?? 'lead_id'} value={opts.leadId} onInput={(e) => setOpts({ ...opts, leadId: e.currentTarget.value })} /></label>
          <label>Matched to leads' column
            <select aria-label="leads: id column the events refer to" value={opts.leadKey} onChange={(e) => setOpts({ ...opts, leadKey: e.currentTarget.value })}>
              <option value="">{info?.leadKey ? `auto: ${info.leadKey}` : 'auto'}</option>
              {leadCols.map((c) => <option value={c.name}>{c.name}</option>)}
            </select>
          </label>
          <label>Event type <input type="text" aria-label="events: type column" placeholder={info?.type ?? 'type'} value={opts.type} onInput={(e) => setOpts({ ...opts, type: e.currentTarget.value })} /></label>
          <label>Timestamp <input type="text" aria-label="events: timestamp column" placeholder={info?.timestamp ?? 'timestamp'} value={opts.timestamp} onInput={(e) => setOpts({ ...opts, timestamp: e.currentTarget.value })} /></label>
        </div>
      </details>
      {eventsLoading && <p role="status">Loading {eventsLoading.name}… {fmt.format(eventsLoading.progress.rowsParsed ?? 0)} events</p>}
      {events?.error && <p class="diag error" role="alert">The events were not loaded{events.error.line ? ` (line ${events.error.line})` : ''}: {events.error.message}{info ? ' The previous events are still used.' : ''}</p>}
      {info && (
        <div class="events-info" data-testid="events-info">
          <p><strong>{eventsName}</strong>: {fmt.format(info.rows)} events, {fmt.format(info.matched)} joined to {fmt.format(info.leadsWithEvents)} leads
            {info.firstDay ? `, from ${info.firstDay} to ${info.lastDay}` : ''}.</p>
          {(info.unknownLeads > 0 || info.missingLeadId > 0 || info.undated > 0) && (
            <p class="diag warning">
              {info.unknownLeads > 0 && <>{fmt.format(info.unknownLeads)} events name a lead that is not in the data (e.g. {info.unknownLeadIds.slice(0, 3).join(', ')}): kept, never scored. </>}
              {info.missingLeadId > 0 && <>{fmt.format(info.missingLeadId)} events have no lead id. </>}
              {info.undated > 0 && <>{fmt.format(info.undated)} events have no usable date and are not counted (see the lines below). </>}
            </p>
          )}
          <p class="types">{info.types.slice(0, 12).map((t) => <span class="tag"><span class="tag-text">{t.type}</span> <span class="muted">{fmt.format(t.count)}</span></span>)}</p>
          {info.problems.length > 0 && (
            <ul class="event-problems">{info.problems.slice(0, 6).map((p) => <li><span class="where">line {p.line}</span> {p.message}</li>)}</ul>
          )}
        </div>
      )}
    </fieldset>
  );
}

// ---- "days since" fields for date columns -----------------------------------------------------

export function DaysSinceButton({ column }) {
  const doc = getState().doc;
  const name = `days_since_${column.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`;
  const exists = !!doc.fields?.[name];
  return (
    <button type="button" class="link" disabled={exists} title={exists ? `${name} exists` : `Add a number field: days from ${column} to the as-of date`}
      onClick={() => commit({ ...doc, fields: { ...(doc.fields ?? {}), [name]: { daysSince: column, description: `Days from ${column} to the as-of date` } } })}>
      {exists ? `✓ ${name}` : '+ days since'}
    </button>
  );
}

// ---- event criteria of a rule -----------------------------------------------------------------

const COUNT_OPS = [['>=', 'at least'], ['=', 'exactly'], ['<=', 'at most (also none)'], ['between', 'between']];
const REPEAT = [['once', 'once'], ['every', 'for every event'], ['daily', 'at most once a day'], ['weekly', 'at most once a week']];

function countParts(count) {
  const op = Object.keys(count ?? { '>=': 1 })[0];
  return { op, value: (count ?? { '>=': 1 })[op] };
}

export function DecayEditor({ decay, onChange, label, allowOff = false }) {
  const kind = decay === false ? 'off' : !decay ? 'none' : decay.halfLife ? 'half' : decay.linear ? 'linear' : decay.expire ? 'expire' : 'none';
  const set = (k) => onChange(k === 'none' ? undefined : k === 'off' ? false : k === 'half' ? { halfLife: 30 } : k === 'linear' ? { linear: { rate: 0.25, period: 7 } } : { expire: 90 });
  return (
    <span class="decay">
      <select aria-label={`${label}: decay`} value={kind} onChange={(e) => set(e.currentTarget.value)}>
        <option value="none">{allowOff ? 'group default' : 'no decay'}</option>
        {allowOff && <option value="off">no decay</option>}
        <option value="half">halves every … days</option>
        <option value="linear">loses a share every … days</option>
        <option value="expire">expires after … days</option>
      </select>
      {kind === 'half' && <><NumberInput value={decay.halfLife} label={`${label}: half-life in days`} onCommit={(v) => onChange({ ...decay, halfLife: v })} /> days</>}
      {kind === 'linear' && <>
        <NumberInput value={decay.linear.rate * 100} label={`${label}: share lost per period (%)`} onCommit={(v) => onChange({ ...decay, linear: { ...decay.linear, rate: v / 100 } })} /> % every
        <NumberInput value={decay.linear.period} label={`${label}: period in days`} onCommit={(v) => onChange({ ...decay, linear: { ...decay.linear, period: v } })} /> days</>}
      {(kind === 'half' || kind === 'linear' || kind === 'expire') && (
        <>{kind !== 'expire' ? ', ' : ''}{kind !== 'expire' ? 'expires after' : ''}
          <NumberInput optional value={decay.expire} placeholder="never" label={`${label}: expires after days`} onCommit={(v) => onChange(v === null ? (({ expire, ...rest }) => rest)(decay) : { ...decay, expire: v })} /> days</>
      )}
    </span>
  );
}

export function EventCriteriaEditor({ rule, onChange, label, groupDecays }) {
  const { events } = useStore();
  const ev = rule.events;
  const types = events && !events.error ? events.types.map((t) => t.type) : [];
  const columns = events && !events.error ? events.columns.map((c) => c.name) : [];
  if (!ev) {
    return (
      <div class="rule-events off">
        <button type="button" class="link" onClick={() => onChange({ type: types[0] ?? 'page_view', within: 30, count: { '>=': 1 } })}>+ count activity events</button>
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
        <TagInput values={typeList} suggestions={types} label={`${label}: event types`} onChange={(t) => set({ type: t.length === 0 ? undefined : t.length === 1 ? t[0] : t })} />
        <button type="button" class="icon" aria-label={`${label}: stop counting events`} title="Stop counting events" onClick={() => onChange(undefined)}>×</button>
      </div>
      <div class="row tight">
        <span class="when-label" />
        in the last <NumberInput optional value={ev.within} placeholder="all" label={`${label}: window in days`} onCommit={(v) => set({ within: v ?? undefined })} /> days,
        <select aria-label={`${label}: count test`} value={op} onChange={(e) => {
          const o = e.currentTarget.value;
          set({ count: { [o]: o === 'between' ? [typeof value === 'number' ? value : 1, (typeof value === 'number' ? value : 1) + 2] : Array.isArray(value) ? value[0] : value } });
        }}>
          {COUNT_OPS.map(([k, l]) => <option value={k}>{l}</option>)}
        </select>
        {op === 'between'
          ? <><NumberInput value={value[0]} label={`${label}: at least`} onCommit={(v) => set({ count: { between: [v, value[1]] } })} /> and <NumberInput value={value[1]} label={`${label}: at most`} onCommit={(v) => set({ count: { between: [value[0], v] } })} /></>
          : <NumberInput value={value} label={`${label}: count`} onCommit={(v) => set({ count: { [op]: v } })} />}
        times
      </div>
      <div class="row tight">
        <span class="when-label" />
        points
        <select aria-label={`${label}: repeat`} value={ev.repeat ?? 'once'} onChange={(e) => set({ repeat: e.currentTarget.value === 'once' ? undefined : e.currentTarget.value })}>
          {REPEAT.map(([k, l]) => <option value={k}>{l}</option>)}
        </select>
        , same
        <select aria-label={`${label}: de-duplicate by`} value={ev.dedupe ?? ''} onChange={(e) => set({ dedupe: e.currentTarget.value || undefined })}>
          <option value="">— (no de-duplication)</option>
          {columns.map((c) => <option value={c}>{c}</option>)}
        </select>
        counts once
      </div>
      <div class="row tight">
        <span class="when-label" />
        {groupDecays ? <>fading: <DecayEditor decay={ev.decay} allowOff label={label} onChange={(d) => set({ decay: d })} /></> : <span class="muted">no fading: this rule's group does not decay (Tiers &amp; caps)</span>}
      </div>
      <div class="row tight">
        <span class="when-label" />
        {ev.bands ? (
          <span class="bands-edit">by count:
            {ev.bands.map((b, k) => (
              <span class="band">
                <NumberInput value={b.min} label={`${label}: band ${k + 1} from count`} onCommit={(v) => set({ bands: ev.bands.map((x, j) => (j === k ? { ...x, min: v } : x)) })} />+ →
                <NumberInput value={b.points} label={`${label}: band ${k + 1} points`} onCommit={(v) => set({ bands: ev.bands.map((x, j) => (j === k ? { ...x, points: v } : x)) })} /> pts
              </span>
            ))}
            <button type="button" class="link" onClick={() => set({ bands: [...ev.bands, { min: (ev.bands.at(-1)?.min ?? 0) + 3, points: (ev.bands.at(-1)?.points ?? 0) + 3 }] })}>+ band</button>
            <button type="button" class="link" onClick={() => set({ bands: undefined })}>use fixed points</button>
          </span>
        ) : (
          <button type="button" class="link" onClick={() => set({ bands: [{ min: 1, points: 2 }, { min: 4, points: 5 }], repeat: undefined })}>points by count bands (1–3 → 2, 4+ → 5)…</button>
        )}
      </div>
      <div class="row tight">
        <span class="when-label" />
        <label class="inline">only events where (JsonLogic)
          <JsonInput value={ev.where} label={`${label}: event condition (JsonLogic)`} placeholder='{"in": ["/pricing", {"var": "url"}]}' onCommit={(w) => set({ where: w })} />
        </label>
      </div>
    </div>
  );
}

// Engagement over time, on the Data tab: activity events next to the leads, the as-of date every
// score is computed against, and "days since" fields for date columns.
import { useState } from 'preact/hooks';
import { getState, today, useStore } from '../app/store.js';
import { loadEventsFile, setAsOfDate } from './actions.js';
import { commit } from '../rules/actions.js';
import { pickFile } from '../shared/pickFile.js';
import { counted, fmt } from '../shared/format.js';

export function AsOfControl() {
  const { asOf, asOfFixed } = useStore();
  return (
    <label class="as-of" title="Every day count and decay is computed against this date">
      Scores as of
      <input
        type="date"
        aria-label="scores as of date"
        value={asOf ?? ''}
        onChange={(e) => setAsOfDate(e.currentTarget.value)}
      />
      {asOfFixed && (
        <button type="button" class="link" onClick={() => setAsOfDate(today())}>
          today
        </button>
      )}
    </label>
  );
}

// "line 3, column 9, field notes" for an error or a problem ("" when it has no location).
function located({ line, column, field }) {
  return [line && `line ${line}`, line && column && `column ${column}`, field && `field ${field}`]
    .filter(Boolean)
    .join(', ');
}
const where = (e) => (located(e) ? ` (${located(e)})` : '');
const sentence = (m) => (/[.!?]$/.test(m) ? m : `${m}.`);

export function EventsPanel() {
  const { data, events, eventsName, eventsLoading } = useStore();
  const [opts, setOpts] = useState({ leadId: '', leadKey: '', type: '', timestamp: '' });
  if (!data) return null;
  // After a failed load `events` keeps the previous events' info (still in use) next to the error.
  const info = events && events.rows !== undefined ? events : null;
  const options = Object.fromEntries(Object.entries(opts).filter(([, v]) => v));
  const leadCols = data.info.columns.filter((c) => c.type === 'string' || c.type === 'number');
  return (
    <fieldset class="events">
      <legend>Activity events (optional)</legend>
      <p class="muted">
        One row per event: lead id, event type, when it happened, and any properties (page, campaign, e-mail id). Rules
        can then count events in a time window, let points fade with age, and ask how long since a lead last did
        something.
      </p>
      <div class="row">
        <button
          type="button"
          onClick={() => pickFile('.csv,.tsv,.txt,.json,.ndjson,.jsonl', (f) => loadEventsFile(f, f.name, { options }))}
        >
          Choose events file…
        </button>
        {data.name.startsWith('Sample:') && !info && (
          <button
            type="button"
            onClick={async () => {
              const r = await fetch('./samples/b2b-events.csv');
              loadEventsFile(await r.blob(), 'Sample events (b2b-events.csv)');
            }}
          >
            Use the sample's events
          </button>
        )}
        {info && (
          <button type="button" class="link danger" onClick={() => loadEventsFile(null, null)}>
            remove events
          </button>
        )}
        <AsOfControl />
      </div>
      <details>
        <summary>Which columns are which (found automatically)</summary>
        <div class="row">
          <label>
            Lead id in events{' '}
            <input
              type="text"
              aria-label="events: lead id column"
              placeholder={info?.leadId ?? 'lead_id'}
              value={opts.leadId}
              onInput={(e) => setOpts({ ...opts, leadId: e.currentTarget.value })}
            />
          </label>
          <label>
            Matched to leads' column
            <select
              aria-label="leads: id column the events refer to"
              value={opts.leadKey}
              onChange={(e) => setOpts({ ...opts, leadKey: e.currentTarget.value })}
            >
              <option value="">{info?.leadKey ? `auto: ${info.leadKey}` : 'auto'}</option>
              {leadCols.map((c) => (
                <option value={c.name}>{c.name}</option>
              ))}
            </select>
          </label>
          <label>
            Event type{' '}
            <input
              type="text"
              aria-label="events: type column"
              placeholder={info?.type ?? 'type'}
              value={opts.type}
              onInput={(e) => setOpts({ ...opts, type: e.currentTarget.value })}
            />
          </label>
          <label>
            Timestamp{' '}
            <input
              type="text"
              aria-label="events: timestamp column"
              placeholder={info?.timestamp ?? 'timestamp'}
              value={opts.timestamp}
              onInput={(e) => setOpts({ ...opts, timestamp: e.currentTarget.value })}
            />
          </label>
        </div>
      </details>
      {eventsLoading && (
        <p role="status">
          Loading {eventsLoading.name}… {fmt.format(eventsLoading.progress.rowsParsed ?? 0)} events
        </p>
      )}
      {events?.error && !eventsLoading && (
        <p class="diag error" role="alert">
          The events were not loaded{where(events.error)}: {sentence(events.error.message)}
          {info ? ' The previous events are still used.' : ''}
        </p>
      )}
      {info && (
        <div class="events-info" data-testid="events-info">
          <p>
            <strong>{eventsName}</strong>: {counted(info.rows, 'event')}, {fmt.format(info.matched)} joined to{' '}
            {counted(info.leadsWithEvents, 'lead')}
            {info.firstDay ? `, from ${info.firstDay} to ${info.lastDay}` : ''}.
          </p>
          {(info.unknownLeads > 0 || info.missingLeadId > 0 || info.undated > 0) && (
            <p class="diag warning">
              {info.unknownLeads > 0 && (
                <>
                  {counted(info.unknownLeads, 'event')} {info.unknownLeads === 1 ? 'names' : 'name'} a lead that is not
                  in the data (e.g. {info.unknownLeadIds.slice(0, 3).join(', ')}): kept, never scored.{' '}
                </>
              )}
              {info.missingLeadId > 0 && (
                <>
                  {counted(info.missingLeadId, 'event')} {info.missingLeadId === 1 ? 'has' : 'have'} no lead id.{' '}
                </>
              )}
              {info.undated > 0 && (
                <>
                  {counted(info.undated, 'event')} {info.undated === 1 ? 'has' : 'have'} no usable date and{' '}
                  {info.undated === 1 ? 'is' : 'are'} not counted (see the lines below).{' '}
                </>
              )}
            </p>
          )}
          <p class="types">
            {info.types.slice(0, 12).map((t) => (
              <span class="tag">
                <span class="tag-text">{t.type}</span> <span class="muted">{fmt.format(t.count)}</span>
              </span>
            ))}
          </p>
          {info.problems.length > 0 && (
            <ul class="event-problems">
              {info.problems.slice(0, 6).map((p) => (
                <li>
                  <span class="where">{located(p)}:</span> {p.message}
                </li>
              ))}
            </ul>
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
    <button
      type="button"
      class="link"
      disabled={exists}
      title={exists ? `${name} exists` : `Add a number field: days from ${column} to the as-of date`}
      onClick={() =>
        commit({
          ...doc,
          fields: {
            ...(doc.fields ?? {}),
            [name]: { daysSince: column, description: `Days from ${column} to the as-of date` },
          },
        })
      }
    >
      {exists ? `✓ ${name}` : '+ days since'}
    </button>
  );
}

// ---- event criteria of a rule -----------------------------------------------------------------

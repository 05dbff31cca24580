// Where outcomes (converted or not) come from: a column of the leads or a deals file joined by id.
import { useState } from 'preact/hooks';
import { useStore } from '../app/store.js';
import { useOutcome } from './actions.js';
import { pickFile } from '../shared/pickFile.js';
import { fmt } from '../shared/format.js';

// ---- outcomes ---------------------------------------------------------------------------------

export function OutcomesPanel() {
  const { data, outcome, outcomes } = useStore();
  const [mode, setMode] = useState(outcome?.source ?? 'column');
  const [idCol, setIdCol] = useState(outcome?.leadIdColumn ?? '');
  const [dealsId, setDealsId] = useState(outcome?.idColumn ?? '');
  if (!data) return null;
  const cols = data.info.columns;
  const candidates = cols.filter(
    (c) =>
      c.type === 'boolean' || (c.type === 'string' && c.distinct <= 20) || (c.type === 'number' && c.distinct <= 2),
  );
  const textCols = cols.filter((c) => c.type === 'string' || c.type === 'number');
  const leadId =
    idCol || (cols.find((c) => /(^|_)id$/i.test(c.name) && c.type === 'string') ?? textCols[0])?.name || '';
  const info = outcomes && !outcomes.error ? outcomes : null;
  return (
    <fieldset class="outcomes">
      <legend>Outcomes: which leads converted?</legend>
      <div class="row">
        <label class="inline">
          <input type="radio" name="outcome-mode" checked={mode === 'column'} onChange={() => setMode('column')} /> a
          column of these leads
        </label>
        <label class="inline">
          <input type="radio" name="outcome-mode" checked={mode === 'ids'} onChange={() => setMode('ids')} /> a second
          file (deals), joined by lead id
        </label>
      </div>
      {mode === 'column' ? (
        <div class="row">
          <label>
            Outcome column
            <select
              aria-label="outcome column"
              value={outcome?.source === 'column' ? outcome.column : ''}
              onChange={(e) =>
                useOutcome(e.currentTarget.value ? { source: 'column', column: e.currentTarget.value } : null)
              }
            >
              <option value="">— none</option>
              {candidates.map((c) => (
                <option value={c.name}>{c.name}</option>
              ))}
            </select>
          </label>
          <span class="muted">yes/no, 1/0, true/false, won/lost; other values count as unknown</span>
        </div>
      ) : (
        <div class="row">
          <label>
            Lead id column
            <select aria-label="lead id column" value={leadId} onChange={(e) => setIdCol(e.currentTarget.value)}>
              {textCols.map((c) => (
                <option value={c.name}>{c.name}</option>
              ))}
            </select>
          </label>
          <label>
            Id column in the deals file
            <input
              type="text"
              aria-label="id column in the deals file"
              placeholder={`same: ${leadId}`}
              value={dealsId}
              onInput={(e) => setDealsId(e.currentTarget.value)}
            />
          </label>
          <button
            type="button"
            onClick={() =>
              pickFile('.csv,.tsv,.txt,.json,.ndjson', (f) =>
                useOutcome({
                  source: 'ids',
                  leadIdColumn: leadId,
                  idColumn: dealsId || undefined,
                  input: f,
                  name: f.name,
                }),
              )
            }
          >
            Choose deals file…
          </button>
        </div>
      )}
      {outcomes?.error && (
        <p class="diag error" role="alert">
          Outcomes not used: {outcomes.error.message}
        </p>
      )}
      {info && (
        <p class="outcome-info" data-testid="outcome-info">
          {info.source === 'column' ? (
            <>
              From column <code>{info.column}</code>
              {outcome?.auto ? ' (found automatically)' : ''}:{' '}
            </>
          ) : (
            <>
              From {outcome?.name ?? 'the deals file'} ({fmt.format(info.dealsRows)} rows) by{' '}
              <code>{info.leadIdColumn}</code>:{' '}
            </>
          )}
          <strong>{fmt.format(info.positives)}</strong> converted, {fmt.format(info.negatives)} did not,{' '}
          {fmt.format(info.unknown)} unknown
          {info.unmatched ? (
            <>
              ; {fmt.format(info.unmatched)} deals match no lead
              {info.unmatchedExamples?.length ? ` (e.g. ${info.unmatchedExamples.slice(0, 3).join(', ')})` : ''}
            </>
          ) : null}
          {info.unknownValues?.length ? (
            <>
              ; unknown values:{' '}
              {info.unknownValues
                .slice(0, 5)
                .map((u) => `${u.value} (${fmt.format(u.count)})`)
                .join(', ')}
            </>
          ) : null}
          .
        </p>
      )}
      {info?.warnings?.map((w) => (
        <p class="diag warning">{w.message}</p>
      ))}
    </fieldset>
  );
}

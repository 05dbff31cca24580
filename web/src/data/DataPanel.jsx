// Data in: paste, drop or pick a file (CSV, TSV, JSON, NDJSON). Shows what was detected and lets
// the user fix column types and map columns to the field names the rules use.
import { useState } from 'preact/hooks';
import { getState, useStore } from '../app/store.js';
import { cancelLoad, loadData, setReadAs } from './actions.js';
import { openUserFile } from './workspace.js';
import { pickFile } from '../shared/pickFile.js';
import { bytes, fmt } from '../shared/format.js';
import { commit } from '../rules/actions.js';
import { TagInput } from '../shared/inputs.jsx';
import { OutcomesPanel } from '../validate/OutcomesPanel.jsx';
import { DaysSinceButton, EventsPanel } from '../events/EventsPanel.jsx';

const DELIMS = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
const DEFAULT_MISSING = ['', 'N/A', 'NA', 'n/a', 'null', 'NULL', 'None', '-', 'Select', 'unknown', 'Unknown'];

// The best-scored leads of the part of a big file read first (scored in the worker), shown while
// the rest loads.
function LoadPreview({ preview }) {
  const cols = Object.keys(preview.rows[0]?.values ?? {}).slice(0, 4);
  return (
    <figure class="load-preview">
      <figcaption>
        First scored rows: the top {preview.rows.length} of the first {fmt.format(preview.leads)} leads (
        {bytes(preview.bytes)} read); the full table follows when the file is in.
      </figcaption>
      <table>
        <thead>
          <tr>
            <th>Score</th>
            <th>Tier</th>
            {cols.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={r.i}>
              <td class="num">{fmt.format(Math.round(r.total * 10) / 10)}</td>
              <td>{preview.tiers[r.tier] ?? ''}</td>
              {cols.map((c) => (
                <td key={c}>{String(r.values[c] ?? '')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

// Field declarations: set a column's type, or map its header to a field the rules use.
function setFieldType(col, type) {
  const doc = getState().doc;
  const fields = { ...(doc.fields ?? {}) };
  const f = { ...(fields[col.name] ?? {}) };
  if (type) f.type = type;
  else delete f.type;
  if (Object.keys(f).length) fields[col.name] = f;
  else delete fields[col.name];
  commit({ ...doc, fields });
}

function mapColumn(col, target) {
  const doc = getState().doc;
  const fields = {};
  // Take the header out of every other field's aliases, then add it to the target's.
  for (const [name, f] of Object.entries(doc.fields ?? {})) {
    const aliases = (f.aliases ?? []).filter((a) => a !== col.header);
    const g = { ...f };
    if (aliases.length) g.aliases = aliases;
    else delete g.aliases;
    fields[name] = g;
  }
  if (target) {
    const f = { ...(fields[target] ?? {}) };
    if (target !== col.header) f.aliases = [...(f.aliases ?? []), col.header];
    fields[target] = f;
  }
  commit({ ...doc, fields });
}

function Columns({ info, doc }) {
  const declared = Object.keys(doc.fields ?? {});
  const used = new Set(info.columns.map((c) => c.name));
  return (
    <table class="grid columns">
      <caption>Columns: fix a type, or tell the rules which field a column is</caption>
      <thead>
        <tr>
          <th scope="col">Header in the file</th>
          <th scope="col">Field for rules</th>
          <th scope="col">Type</th>
          <th scope="col">Empty</th>
          <th scope="col">Distinct</th>
        </tr>
      </thead>
      <tbody>
        {info.columns.map((c) => {
          const hinted = doc.fields?.[c.name]?.type;
          return (
            <tr>
              <td class="text">{c.header}</td>
              <td>
                <select
                  aria-label={`field for column ${c.header}`}
                  value={declared.includes(c.name) ? c.name : ''}
                  onChange={(e) => mapColumn(c, e.currentTarget.value)}
                >
                  <option value="">{c.name === c.header ? 'its own name' : c.name}</option>
                  {declared.map((n) => (
                    <option value={n} disabled={n !== c.name && used.has(n)}>
                      {n}
                      {n !== c.name && used.has(n) ? ' (taken)' : ''}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  aria-label={`type of column ${c.header}`}
                  value={hinted ?? ''}
                  onChange={(e) => setFieldType(c, e.currentTarget.value)}
                >
                  <option value="">{`auto: ${c.type}`}</option>
                  {['string', 'number', 'boolean', 'date'].map((t) => (
                    <option value={t}>{t}</option>
                  ))}
                </select>
              </td>
              <td class="num">
                {fmt.format(c.missing)}
                {info.rows ? <span class="muted"> ({Math.round((100 * c.missing) / info.rows)}%)</span> : null}
              </td>
              <td class="num">
                {c.distinct === undefined ? '' : fmt.format(c.distinct)}
                {c.type === 'date' ? <DaysSinceButton column={c.name} /> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Problems({ problems }) {
  const [all, setAll] = useState(false);
  if (!problems.length) return <p class="ok">No load problems: every cell was read as its column's type.</p>;
  const shown = all ? problems : problems.slice(0, 8);
  return (
    <div class="load-problems">
      <h2 class="h4">
        {fmt.format(problems.length)} load problem{problems.length === 1 ? '' : 's'}{' '}
        <span class="muted">(no row was dropped)</span>
      </h2>
      <ul>
        {shown.map((p) => (
          <li>
            <span class="where">
              {p.line ? `line ${p.line}` : 'file'}
              {p.column ? `, column ${p.column}` : ''}
              {p.field ? ` (${p.field})` : ''}
            </span>{' '}
            {p.message}
          </li>
        ))}
      </ul>
      {problems.length > shown.length && (
        <button type="button" class="link" onClick={() => setAll(true)}>
          show all {fmt.format(problems.length)}
        </button>
      )}
    </div>
  );
}

export function DataPanel() {
  const { data, loading, loadError } = useStore();
  const doc = useStore().doc ?? {};
  const [text, setText] = useState('');
  const [over, setOver] = useState(false);
  const info = data?.info;
  const onDrop = (e) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer?.files?.[0];
    if (f) openUserFile(f);
    else {
      const t = e.dataTransfer?.getData('text');
      if (t) loadData(t, 'Dropped text');
    }
  };
  return (
    <section class="data" aria-label="Data">
      <div
        class={`drop ${over ? 'over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <label for="paste">Paste leads (CSV, TSV, JSON or NDJSON, with a header row)</label>
        <textarea
          id="paste"
          class="mono paste"
          rows={6}
          value={text}
          placeholder={'Name,Job Title,Employees,Demo Requested\nAnn Lee,VP Sales,450,Yes'}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <div class="row">
          <button
            type="button"
            class="primary"
            disabled={!text.trim() || !!loading}
            onClick={() => loadData(text, 'Pasted data')}
          >
            Score pasted data
          </button>
          <button
            type="button"
            onClick={() =>
              pickFile('.csv,.tsv,.txt,.json,.ndjson,.jsonl,.xlsx,text/csv,application/json', openUserFile)
            }
          >
            Choose a file…
          </button>
          <span class="muted">or drop a file here. Nothing leaves this computer.</span>
        </div>
      </div>
      {loading && (
        <div class="loading" role="status" aria-live="polite">
          <span>
            Loading {loading.name}: {bytes(loading.progress.bytesRead)} of {bytes(loading.progress.totalBytes)},{' '}
            {fmt.format(loading.progress.rowsParsed)} rows
          </span>
          <progress
            max={loading.progress.totalBytes || 1}
            value={loading.progress.bytesRead}
            aria-label="load progress"
          />
          <button type="button" onClick={cancelLoad}>
            Cancel
          </button>
          {loading.preview && <LoadPreview preview={loading.preview} />}
        </div>
      )}
      {loadError && (
        <p class="diag error" role="alert">
          {loadError.code === 'cancelled' ? (
            'Load cancelled; the previous data is still loaded.'
          ) : (
            <>
              Could not load the data
              {loadError.line
                ? ` (line ${loadError.line}${loadError.column ? `, column ${loadError.column}` : ''})`
                : ''}
              : {loadError.message}
              {loadError.code === 'memory'
                ? ' For files this size, use the command line: leadscore score --rules rules.json --leads file.csv'
                : ''}
              . The previous data is still loaded.
            </>
          )}
        </p>
      )}
      {info && (
        <>
          <dl class="detected">
            <div>
              <dt>Data</dt>
              <dd>{data.name}</dd>
            </div>
            <div>
              <dt>Rows</dt>
              <dd>{fmt.format(info.rows)}</dd>
            </div>
            <div>
              <dt>Format</dt>
              <dd>
                {info.source?.format === 'xlsx'
                  ? `XLSX, sheet “${info.source.sheet}”${info.source.sheets.length > 1 ? ` of ${info.source.sheets.length}` : ''}`
                  : info.format.toUpperCase()}
                {!info.source && info.delimiter ? `, ${DELIMS[info.delimiter] ?? info.delimiter}-separated` : ''}
              </dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>
                {bytes(data.size)}
                {data.ms ? `, read in ${Math.round(data.ms)} ms` : ''}
              </dd>
            </div>
          </dl>
          <div class="missing-tokens">
            <span>Cells that mean “no value”:</span>
            <TagInput
              values={doc.missing ?? DEFAULT_MISSING}
              label="missing-value texts"
              onChange={(missing) => commit({ ...doc, missing })}
            />
          </div>
          <ReadAs />
          <Problems problems={info.problems} />
          <EventsPanel />
          <OutcomesPanel />
          <Columns info={info} doc={doc} />
        </>
      )}
    </section>
  );
}

// The decimal separator and date order, for files the data alone does not decide (load notes
// say when a column could be read both ways).
function ReadAs() {
  const readAs = useStore().readAs ?? {};
  return (
    <div class="read-as">
      <label>
        Decimal separator{' '}
        <select value={readAs.decimal ?? 'auto'} onChange={(e) => setReadAs({ decimal: e.currentTarget.value })}>
          <option value="auto">detect per column</option>
          <option value=".">point: 1,234.5</option>
          <option value=",">comma: 1.234,5</option>
        </select>
      </label>
      <label>
        Dates like 03/04/2024{' '}
        <select value={readAs.dateOrder ?? 'auto'} onChange={(e) => setReadAs({ dateOrder: e.currentTarget.value })}>
          <option value="auto">detect (month first if unsure)</option>
          <option value="MDY">month first: March 4</option>
          <option value="DMY">day first: 3 April</option>
        </select>
      </label>
    </div>
  );
}

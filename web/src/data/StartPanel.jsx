// Shown after a user's own file was opened over the sample: the file is read with its own columns
// and a blank rule set; here the user keeps it blank or starts from a template mapped to the
// columns, seeing what each mapping does before anything changes.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useStore } from '../app/store.js';
import { fmt } from '../shared/format.js';
import { previewTemplate, ruleFields, suggestMapping } from './starter.js';
import { sampleRules, startBlank, startFromTemplate } from './workspace.js';

const typeWord = (t) => (t === 'string' ? 'text' : t === 'number' ? 'numbers' : t === 'date' ? 'dates' : 'yes/no');

function MappingRow({ m, columns, setColumn, uses }) {
  const col = columns.find((c) => c.name === m.column);
  return (
    <tr data-field={m.field}>
      <th scope="row" class="text">
        {m.field}
        {m.type ? <span class="muted"> ({typeWord(m.type)})</span> : null}
      </th>
      <td>
        <select
          aria-label={`your column for template field ${m.field}`}
          value={m.column ?? ''}
          onChange={(e) => setColumn(m.field, e.currentTarget.value || null)}
        >
          <option value="">— none: drop its rules</option>
          {columns.map((c) => (
            <option value={c.name}>{c.header}</option>
          ))}
        </select>
      </td>
      <td class="what">
        {col
          ? `${uses} rule${uses === 1 ? '' : 's'} read “${col.header}” (${typeWord(col.type)}, ${fmt.format(col.distinct ?? 0)} distinct)`
          : uses
            ? `${uses} rule${uses === 1 ? '' : 's'} dropped${m.reason ? `: ${m.reason}` : ''}`
            : (m.reason ?? 'not used by a rule')}
        {col && m.type && m.type !== col.type && m.type !== 'string' ? (
          <span class="warn-text"> · the template expects {typeWord(m.type)}: its rules may not match</span>
        ) : null}
      </td>
    </tr>
  );
}

function TemplateMapping({ template, columns }) {
  const [mapping, setMapping] = useState(() => suggestMapping(template, columns));
  const preview = useMemo(() => previewTemplate(template, mapping, columns), [mapping]);
  const uses = (field) => (template.rules ?? []).filter((r) => ruleFields(r).has(field)).length;
  const setColumn = (field, column) => setMapping(mapping.map((m) => (m.field === field ? { ...m, column } : m)));
  return (
    <div class="template-mapping">
      <div class="scroll-x">
        <table class="grid compact">
          <caption>
            Template “{template.name}”: its fields and your columns (your columns keep their names and types)
          </caption>
          <thead>
            <tr>
              <th scope="col">Template field</th>
              <th scope="col">Your column</th>
              <th scope="col">What it does</th>
            </tr>
          </thead>
          <tbody>
            {mapping.map((m) => (
              <MappingRow m={m} columns={columns} setColumn={setColumn} uses={uses(m.field)} />
            ))}
          </tbody>
        </table>
      </div>
      <p data-testid="template-preview">
        <strong>{preview.kept.length}</strong> rule{preview.kept.length === 1 ? '' : 's'} kept
        {preview.dropped.length ? (
          <>
            , <strong>{preview.dropped.length}</strong> dropped (
            {preview.dropped.map((d) => `${d.label}: no ${d.missing.join(', ')}`).join('; ')})
          </>
        ) : null}
        .
      </p>
      <button type="button" class="primary" onClick={() => startFromTemplate(template, mapping)}>
        Use the template with this mapping
      </button>
    </div>
  );
}

export function StartPanel() {
  const { starter, data } = useStore();
  const [template, setTemplate] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => setTemplate(null), [starter?.name]);
  if (!starter || !data) return null;
  const columns = data.info.columns;
  return (
    <section class="starter" aria-labelledby="starter-title" data-testid="starter">
      <h2 id="starter-title">Start a rule set for “{starter.name}”</h2>
      <p>
        Its {fmt.format(columns.length)} columns are read as they are, with their own names and types; the rule set is
        blank. Undo (Ctrl+Z) brings the sample’s rules back.
      </p>
      <div class="row">
        <button type="button" class="primary" onClick={startBlank}>
          Start blank
        </button>
        <button
          type="button"
          aria-expanded={template ? 'true' : 'false'}
          onClick={() =>
            template
              ? setTemplate(null)
              : sampleRules().then(setTemplate, (e) => setError(`The template could not be read: ${e.message}`))
          }
        >
          Start from a template…
        </button>
      </div>
      {error && (
        <p class="diag error" role="alert">
          {error}
        </p>
      )}
      {template && <TemplateMapping template={template} columns={columns} />}
    </section>
  );
}

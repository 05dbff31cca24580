// Export the scored leads: CSV or XLSX, which columns, and header names a CRM's import maps
// without edits (docs/crm.md). Every input cell is written as it was read (the core's export).
import { useState } from 'preact/hooks';
import { useStore } from '../app/store.js';
import { exportScores } from './actions.js';

const ADDED = [
  ['score', 'Score'],
  ['groups', 'Group scores'],
  ['tier', 'Tier'],
  ['action', 'Action'],
  ['sales_ready', 'Sales-ready'],
  ['cell', 'Matrix cell'],
  ['reasons', 'Reasons'],
];

// Header names for a CRM import: custom properties/fields named like this map by themselves.
export const NAMES = {
  leadscore: { label: 'leadscore’s (score, tier, …)', rename: {} },
  hubspot: {
    label: 'HubSpot properties (Lead Score, Lead Tier, Score Reasons)',
    rename: { score: 'Lead Score', tier: 'Lead Tier', reasons: 'Score Reasons' },
  },
  salesforce: {
    label: 'Salesforce fields (Lead Score, Lead Tier, Score Reasons)',
    rename: { score: 'Lead Score', tier: 'Lead Tier', reasons: 'Score Reasons' },
  },
};

export function ExportButton({ disabled }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={disabled} aria-haspopup="dialog">
        Export scores…
      </button>
      {open && <ExportDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function ExportDialog({ onClose }) {
  const columns = useStore().data?.info?.columns ?? [];
  const [format, setFormat] = useState('csv');
  const [added, setAdded] = useState(new Set(ADDED.map(([k]) => k)));
  const [keep, setKeep] = useState(new Set(columns.map((c) => c.header)));
  const [names, setNames] = useState('leadscore');
  const toggle = (set, key, on) => {
    const next = new Set(set);
    if (on) next.add(key);
    else next.delete(key);
    return next;
  };
  const submit = async (e) => {
    e.preventDefault();
    const all = keep.size === columns.length;
    const ok = await exportScores({
      format,
      add: ADDED.map(([k]) => k).filter((k) => added.has(k)),
      keep: all ? undefined : columns.map((c) => c.header).filter((h) => keep.has(h)),
      rename: NAMES[names].rename,
    });
    if (ok) onClose();
  };
  return (
    <dialog
      open
      class="export-dialog"
      aria-labelledby="export-title"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <form onSubmit={submit}>
        <h2 id="export-title">Export scores</h2>
        <fieldset>
          <legend>Format</legend>
          {['csv', 'xlsx'].map((f) => (
            <label>
              <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              {f === 'csv' ? 'CSV' : 'Excel (XLSX)'}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Scores to add</legend>
          {ADDED.map(([k, label]) => (
            <label>
              <input
                type="checkbox"
                checked={added.has(k)}
                onChange={(e) => setAdded(toggle(added, k, e.currentTarget.checked))}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <fieldset class="export-columns">
          <legend>Columns of your data</legend>
          {columns.map((c) => (
            <label>
              <input
                type="checkbox"
                checked={keep.has(c.header)}
                onChange={(e) => setKeep(toggle(keep, c.header, e.currentTarget.checked))}
              />
              {c.header}
            </label>
          ))}
        </fieldset>
        <label>
          Column names{' '}
          <select value={names} onChange={(e) => setNames(e.currentTarget.value)}>
            {Object.entries(NAMES).map(([k, n]) => (
              <option value={k}>{n.label}</option>
            ))}
          </select>
        </label>
        <div class="dialog-buttons">
          <button type="submit" class="primary">
            Export
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

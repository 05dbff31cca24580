// Where outcomes come from (a column of the leads, or a deals file joined by id).
import * as persist from '../app/persist.js';
import { refreshAnalysis } from '../app/refresh.js';
import { getState, saveWorkspace, setState, ws } from '../app/store.js';

const OUTCOME_NAMES = ['converted', 'is_converted', 'y', 'won', 'outcome', 'closed_won', 'deal_won'];

/** A boolean column with an outcome-like name is taken as the outcome unless the user chose. */
export async function autoOutcome(info) {
  const chosen = getState().outcome;
  if (chosen) return useOutcome(chosen, { save: false });
  const col = info.columns.find(
    (c) =>
      OUTCOME_NAMES.includes(c.name.toLowerCase()) &&
      (c.type === 'boolean' || c.type === 'string' || (c.type === 'number' && c.distinct <= 2)),
  );
  if (col) await useOutcome({ source: 'column', column: col.name, auto: true }, { save: false });
  else setState({ outcomes: null });
}

const outcomeArgs = (src) =>
  src.source === 'column'
    ? { source: 'column', column: src.column }
    : {
        source: 'ids',
        leadIdColumn: src.leadIdColumn,
        input: src.input,
        options: src.idColumn ? { idColumn: src.idColumn } : {},
      };

/** Outcomes from a column ({source: 'column', column}) or a deals file ({source: 'ids', leadIdColumn, idColumn, input: File, name}); null: none. */
export async function useOutcome(src, { save = true } = {}) {
  if (!getState().data) return;
  try {
    if (src?.source === 'ids' && !src.input) throw new Error('choose the deals file first');
    const info = await ws().setOutcomes(src ? outcomeArgs(src) : null);
    const { input, ...keep } = src ?? {};
    setState({ outcome: src ? keep : null, outcomes: info, evaluation: {}, comparison: null });
    if (save && src?.source === 'ids') persist.saveDeals({ name: src.name, blob: input }).catch(() => {});
    saveWorkspace();
    await refreshAnalysis();
  } catch (e) {
    setState({ outcomes: { error: { message: e.message, code: e.code, field: e.field } } });
  }
}

// What is on screen, fetched again from the worker after anything changed: the row window, the
// open ledger, the breakdown, the validation and comparison. Each is "latest wins" in the worker
// client: while one is computing, only the newest request waits.
import { getState, saveWorkspace, setState, ws } from './store.js';

const ROW_WINDOW = 80;
const ignoreCrash = (e, then) => e.code !== 'crashed' && then(e);

export async function refreshView(patch = {}) {
  const state = getState();
  if (!state.data) return;
  const view = { ...state.view, ...patch };
  const reorder = 'sort' in patch || 'tier' in patch || 'text' in patch || 'subset' in patch;
  if (reorder) view.offset = 0;
  // A tier of another rule set (after switching or renaming): show every tier again.
  if (view.tier && state.scored && !state.scored.rules.tiers.some((t) => t.name === view.tier)) view.tier = '';
  setState({ view: reorder ? { ...view, pending: true } : view });
  try {
    const args = {
      variant: state.active,
      sort: view.sort,
      tier: view.tier,
      text: view.text,
      subset: view.subset ?? null,
    };
    const r = await ws().view({ ...args, offset: view.offset, limit: ROW_WINDOW }, { latest: 'view' });
    if (r.superseded) return;
    setState((s) => ({ view: { ...s.view, count: r.count, offset: r.offset, rows: r.rows, pending: false } }));
  } catch (e) {
    ignoreCrash(e, () => setState((s) => ({ view: { ...s.view, count: 0, rows: [] } })));
  }
}

/** The table scrolled: fetch the window around `first` when it is not loaded. */
export function scrollTo(first) {
  const v = getState().view;
  if (v.rows.length && first >= v.offset && first + 30 <= v.offset + v.rows.length) return;
  if (v.rows.length && first >= v.offset && v.offset + v.rows.length >= v.count) return;
  refreshView({ offset: Math.max(0, first - 20) });
}

export async function select(lead) {
  setState((s) => ({ selected: lead, ledger: lead === null ? null : s.ledger }));
  await refreshLedger();
}

export async function refreshLedger() {
  const { selected: lead, data, active } = getState();
  if (lead === null || !data) return;
  try {
    const r = await ws().ledger({ variant: active, lead }, { latest: 'ledger' });
    if (!r.superseded && getState().selected === lead) setState({ ledger: r });
  } catch (e) {
    ignoreCrash(e, () => setState({ ledger: { error: e.message } }));
  }
}

export async function setBreakdown(column) {
  setState({ breakdownColumn: column });
  saveWorkspace();
  await refreshBreakdown();
}

export async function refreshBreakdown() {
  const state = getState();
  const cols = state.data?.info.columns ?? [];
  const col =
    cols.find((c) => c.name === state.breakdownColumn) ?? cols.find((c) => c.type === 'string' && c.distinct <= 50);
  if (!col || !state.scored) return setState({ breakdown: null });
  try {
    const r = await ws().breakdown({ variant: state.active, column: col.name }, { latest: 'breakdown' });
    if (!r.superseded) setState({ breakdown: r });
  } catch (e) {
    ignoreCrash(e, () => setState({ breakdown: { column: col.name, error: e.message } }));
  }
}

const capacityArg = ({ capacity }) =>
  capacity.kind === 'share' ? { share: capacity.value / 100 } : { count: capacity.value };

/** Evaluations and the comparison for what is on screen (computed in the core, in the worker). */
export async function refreshAnalysis() {
  const state = getState();
  if (!state.data) return;
  const capacity = capacityArg(state);
  const jobs = [];
  // The active rule set is evaluated whenever outcomes are known, on any tab: its rules carry
  // their leakage flags (RuleBuilder.jsx) for as long as they are in use.
  // Off the Validate tab nobody waits for it (a load or an edit is done when its scores are shown).
  const validating = state.resultsTab === 'validate';
  const evaluated = validating ? [state.compareWith, state.active] : [state.active];
  const background = [];
  if (state.outcomes && !state.outcomes.error)
    for (const id of evaluated.filter(Boolean))
      (validating ? jobs : background).push(
        ws()
          .evaluate({ variant: id, capacity }, { latest: `evaluate:${id}` })
          .then(
            (r) => !r.superseded && setState((s) => ({ evaluation: { ...s.evaluation, [id]: r } })),
            (e) =>
              ignoreCrash(e, () => setState((s) => ({ evaluation: { ...s.evaluation, [id]: { error: e.message } } }))),
          ),
      );
  if (state.resultsTab === 'compare' && state.compareWith) {
    // A is the reference (the rule set compared with), B the one being edited: "what my change does".
    const ids = { a_id: state.compareWith, b_id: state.active };
    jobs.push(
      ws()
        .compare({ a: ids.a_id, b: ids.b_id, capacity }, { latest: 'compare' })
        .then(
          (r) => !r.superseded && setState({ comparison: { ...r, ...ids } }),
          (e) => ignoreCrash(e, () => setState({ comparison: { error: e.message } })),
        ),
    );
  }
  await Promise.all(jobs);
}

/** Everything that shows scores, after the scores changed. */
export const refreshAll = () => Promise.all([refreshView(), refreshBreakdown(), refreshLedger(), refreshAnalysis()]);

export const setTab = (tab) => setState({ tab });

export function setResultsTab(resultsTab) {
  setState({ resultsTab });
  saveWorkspace();
  refreshAnalysis();
}

export function setCapacity(capacity) {
  setState({ capacity });
  saveWorkspace();
  refreshAnalysis();
}

/** Show, in the table, the leads of one migration cell (A's tier/cell -> B's). */
export function showMigration(kind, from, to) {
  setState({ resultsTab: 'scores' });
  refreshView({ subset: { kind, from, to, other: getState().compareWith, otherIsA: true }, tier: '', text: '' });
}
export const clearSubset = () => refreshView({ subset: null });

// Activity events for the loaded leads, and the as-of date every time condition is computed against.
import * as persist from '../app/persist.js';
import { refreshAll } from '../app/refresh.js';
import { applyStates, getState, notify, saveWorkspace, setState, today, ws } from '../app/store.js';

/** Activity events (CSV/JSON/NDJSON) for the loaded leads; null clears them. */
export async function loadEventsFile(input, name, { save = true, options = {} } = {}) {
  if (!getState().data) return false;
  const controller = new AbortController();
  setState({ eventsLoading: { name, controller, progress: { bytesRead: 0, totalBytes: input?.size ?? 0 } } });
  try {
    const r = await ws().loadEvents(
      { input, options },
      {
        signal: controller.signal,
        onProgress: (p) =>
          setState((s) => (s.eventsLoading ? { eventsLoading: { ...s.eventsLoading, progress: p } } : {})),
      },
    );
    setState({ events: r.info, eventsName: input ? name : null, eventsLoading: null });
    applyStates(r.variants);
    if (save) (input ? persist.saveEvents({ name, blob: input, options }) : persist.clearEvents()).catch(() => {});
    await refreshAll();
    return true;
  } catch (e) {
    const error = { message: e.message, code: e.code, line: e.line, column: e.column, field: e.field };
    setState((s) => ({ eventsLoading: null, events: { ...(s.events ?? {}), error } }));
    return false;
  }
}

export async function setAsOfDate(date) {
  const value = date || today();
  try {
    const r = await ws().setAsOf({ date: value });
    setState({ asOf: value, asOfFixed: !!date && date !== today() });
    applyStates(r.variants);
    saveWorkspace();
    await refreshAll();
  } catch (e) {
    notify(`The date was not changed: ${e.message}`, 'error');
  }
}

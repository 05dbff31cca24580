// One tab saves a workspace: the newest. A tab that sees another open the same workspace (same
// origin, same browser profile) writes its pending save, stops saving and says so; reloading it
// takes the workspace back. Without this, two tabs overwrite each other's edits silently.
import { setReadOnly } from './persist.js';
import { flushSaves, setState } from './store.js';

const CHANNEL = 'leadscore-workspace';
const LOCK = 'leadscore-tab';

// How many other tabs hold the workspace open (each holds a shared Web Lock while it lives).
async function otherTabs() {
  if (!navigator.locks) return 1; // unknown: ask, and wait a moment for an answer
  const { held = [] } = await navigator.locks.query();
  return held.filter((l) => l.name === LOCK).length;
}

/** Takes the workspace from any other tab; resolves once they have written their last save. */
export async function claimWorkspace() {
  if (typeof BroadcastChannel === 'undefined') return;
  const me = crypto.randomUUID();
  const channel = new BroadcastChannel(CHANNEL);
  let released;
  const gotRelease = new Promise((ok) => (released = ok));
  channel.onmessage = async ({ data: m }) => {
    if (!m || m.from === me) return;
    if (m.type === 'open') {
      await flushSaves();
      setReadOnly(true);
      setState({ otherTab: true });
      channel.postMessage({ type: 'released', from: me, to: m.from });
    } else if (m.type === 'released' && m.to === me) released();
  };
  const others = await otherTabs();
  navigator.locks?.request(LOCK, { mode: 'shared' }, () => new Promise(() => {}));
  channel.postMessage({ type: 'open', from: me });
  if (others) await Promise.race([gotRelease, new Promise((ok) => setTimeout(ok, 1000))]);
}

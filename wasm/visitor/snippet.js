// The snippet's script (dist/visitor/leadscore-visitor.js, a classic script built by
// scripts/build-visitor.mjs): loaded with `async`, it picks up the commands the page queued in
// `window.leadscore.q` before it arrived, replaces the queue with the live API and records the
// page. Configuration comes from its own <script> tag (docs/embed.md):
//   data-rules="URL"           the rule set (JSON, as the workbench exports it)
//   data-consent="implied"     consent is implied by the site's own notice: store from the start
//   data-retention-days="90"   data-max-events="500"
//   data-auto="off"            do not record page views, clicks and submits by itself
import { autoTrack, createVisitor } from './leadscore-visitor.js';

const script = document.currentScript;
const attr = (name) => script?.getAttribute(`data-${name}`) ?? null;
const base = script?.src ? new URL('.', script.src) : new URL('.', location.href);
const queued = window.leadscore?.q ?? [];

const visitor = createVisitor({
  consent: attr('consent') === 'implied',
  retentionDays: Number(attr('retention-days') ?? 90),
  maxEvents: Number(attr('max-events') ?? 500),
  wasmUrl: new URL('leadscore-visitor-core.wasm', base),
});

// The live API: `leadscore('track', 'download')` still works, and so does `leadscore.track(...)`.
function leadscore(command, ...args) {
  if (typeof visitor[command] !== 'function') throw new TypeError(`leadscore('${command}'): no such command`);
  return visitor[command](...args);
}
Object.assign(leadscore, visitor, { version: '0.1.0' });
window.leadscore = leadscore;

// The host page comes first: recording is immediate (a storage write), but the rule set, the
// .wasm and the first score wait for the page's load event, so they never compete with it.
const pageLoaded = () =>
  document.readyState === 'complete'
    ? Promise.resolve()
    : new Promise((ok) => addEventListener('load', ok, { once: true }));

async function start() {
  const rulesUrl = attr('rules');
  // Queued commands first (listeners, consent, properties), so the first score sees them.
  for (const args of queued) leadscore(...args);
  if (attr('auto') !== 'off') autoTrack(visitor);
  await pageLoaded();
  if (rulesUrl) {
    const res = await fetch(new URL(rulesUrl, location.href), { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`leadscore: the rule set at ${rulesUrl} answered ${res.status}`);
    visitor.setRules(await res.json());
  }
  window.dispatchEvent(new CustomEvent('leadscore:ready', { detail: visitor }));
}
start().catch((e) => console.error(e));

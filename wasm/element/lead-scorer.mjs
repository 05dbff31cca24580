// <lead-scorer>: the results view as a standard custom element (docs/embed.md). Give it a rule
// set and leads; it shows the leads per tier and the top leads with their score, tier and next
// step, and a lead's ledger on click. Every number comes from the scoring core (summary, top,
// ledger); nothing is recomputed here.
//
//   <lead-scorer rules="/rules.json" src="/leads.csv" top="10"></lead-scorer>
//   el.rules = {...}; el.csv = 'Name,Title\n...';        (properties win over attributes)
//
// Styling: shadow DOM with CSS parts (status, error, tiers, tier, table, row, cell, ledger) and
// custom properties (--lead-scorer-font, -fg, -bg, -accent, -border, -radius, -hot, -warm, -cold).
// Events (bubbling, composed): lead-scorer:scored {summary, top}, lead-scorer:select {index, row,
// ledger}, lead-scorer:error {error}. Styles are a constructed stylesheet, so a host page's strict
// Content-Security-Policy (no 'unsafe-inline') does not block them.
import { load } from '../leadscore.mjs';

const CSS = `
:host { display: block; font: var(--lead-scorer-font, 14px/1.4 system-ui, sans-serif);
  color: var(--lead-scorer-fg, #1b1f24); background: var(--lead-scorer-bg, #fff);
  border: 1px solid var(--lead-scorer-border, #d0d7de); border-radius: var(--lead-scorer-radius, 8px);
  padding: 12px; }
:host([hidden]) { display: none; }
[part~=error] { color: #b42318; }
[part~=tiers] { display: flex; gap: 8px; flex-wrap: wrap; margin: 0 0 8px; padding: 0; list-style: none; }
[part~=tier] { border-left: 4px solid var(--lead-scorer-accent, #0969da); padding: 2px 8px; }
[part~=tier][data-rank="0"] { border-color: var(--lead-scorer-hot, #cf222e); }
[part~=tier][data-rank="1"] { border-color: var(--lead-scorer-warm, #bf8700); }
[part~=tier][data-rank="2"] { border-color: var(--lead-scorer-cold, #57606a); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--lead-scorer-border, #d0d7de); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
[part~=row] { cursor: pointer; }
[part~=row]:hover, [part~=row]:focus { background: color-mix(in srgb, var(--lead-scorer-accent, #0969da) 10%, transparent); outline: none; }
[part~=ledger] { margin: 8px 0 0; padding-left: 18px; }
`;

const Base = globalThis.HTMLElement ?? class {};
let sheet;
const styles = () => {
  if (!sheet && globalThis.CSSStyleSheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet ? [sheet] : [];
};

const el = (doc, tag, part, text) => {
  const e = doc.createElement(tag);
  if (part) e.setAttribute('part', part);
  if (text !== undefined) e.textContent = String(text);
  return e;
};

export class LeadScorerElement extends Base {
  static observedAttributes = ['rules', 'src', 'top', 'name-column'];
  #rules = null;
  #csv = null;
  #run = 0;
  #scorer = null;
  #leads = null;
  /** The last summary (tier counts, min/max/mean), null before the first score. */
  summary = null;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = styles();
  }
  connectedCallback() {
    this.#schedule();
  }
  disconnectedCallback() {
    this.#dispose();
  }
  attributeChangedCallback() {
    if (this.isConnected) this.#schedule();
  }
  /** The rule set: an object or JSON text (wins over the `rules` attribute, a URL). */
  get rules() {
    return this.#rules;
  }
  set rules(v) {
    this.#rules = v;
    this.#schedule();
  }
  /** The leads as CSV (or TSV/JSON/NDJSON) text (wins over the `src` attribute, a URL). */
  get csv() {
    return this.#csv;
  }
  set csv(v) {
    this.#csv = v;
    this.#schedule();
  }
  get top() {
    return Math.max(1, Math.min(1000, Math.floor(Number(this.getAttribute('top') ?? 10)) || 10));
  }
  set top(n) {
    this.setAttribute('top', String(n));
  }

  // Latest wins. An upgrade calls attributeChangedCallback once per attribute and then
  // connectedCallback, so changes in one task coalesce into one run; a run superseded while it
  // awaits a fetch or the module returns without touching the shadow DOM, which belongs to the
  // latest run (a late "Scoring…" over a finished table was a real bug).
  #schedule() {
    const run = ++this.#run;
    queueMicrotask(() => {
      if (run === this.#run) this.#score(run).catch((e) => run === this.#run && this.#fail(e));
    });
  }

  async #score(run) {
    const rulesUrl = this.getAttribute('rules'),
      src = this.getAttribute('src');
    const rules = this.#rules ?? (rulesUrl ? await fetchText(rulesUrl) : null);
    const csv = this.#csv ?? (src ? await fetchText(src) : null);
    if (run !== this.#run) return;
    if (rules === null || csv === null) return this.#status('Waiting for a rule set and leads…');
    this.#status('Scoring…');
    const ls = await load();
    if (run !== this.#run) return;
    this.#dispose();
    const leads = ls.loadLeads(csv, { rules });
    this.#leads = leads;
    this.#scorer = ls.score(leads, rules, { skipMissingFields: true });
    this.summary = this.#scorer.summary({ bins: 10 });
    this.#render(this.summary);
  }

  #render(summary) {
    const doc = this.ownerDocument;
    const root = this.shadowRoot;
    root.replaceChildren();
    const tiers = el(doc, 'ul', 'tiers');
    summary.tiers.forEach((t, rank) => {
      const li = el(
        doc,
        'li',
        `tier tier-${t.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        `${t.name}: ${t.count}`,
      );
      li.dataset.rank = String(rank);
      tiers.append(li);
    });
    root.append(tiers, el(doc, 'p', 'status', `${summary.rows} leads · ${summary.salesReady} sales-ready`));
    const table = el(doc, 'table', 'table');
    const head = table.createTHead().insertRow();
    for (const h of ['#', this.#nameColumn() ?? 'lead', 'score', 'tier', 'next step'])
      head.append(el(doc, 'th', '', h));
    const body = table.createTBody();
    const top = [];
    for (const i of this.#scorer.top(this.top)) {
      const ledger = this.#scorer.ledger(i);
      const row = this.#leads.row(i);
      top.push({ index: i, score: ledger.total, tier: ledger.tier });
      const tr = body.insertRow();
      tr.setAttribute('part', 'row');
      tr.tabIndex = 0;
      const name = this.#nameColumn();
      const cells = [i + 1, name ? (row[name] ?? '') : `lead ${i + 1}`, ledger.total, ledger.tier, ledger.action];
      cells.forEach((c, k) => {
        const td = el(doc, 'td', 'cell', c);
        if (k === 0 || k === 2) td.className = 'num';
        tr.append(td);
      });
      const select = () => this.#select(i, row, ledger);
      tr.addEventListener('click', select);
      tr.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && select());
    }
    root.append(table);
    this.#emit('scored', { summary, top });
  }

  #select(index, row, ledger) {
    this.shadowRoot.querySelector('[part~=ledger]')?.remove();
    const list = el(this.ownerDocument, 'ul', 'ledger');
    for (const r of ledger.rules)
      list.append(el(this.ownerDocument, 'li', '', `${r.label}: ${r.points > 0 ? '+' : ''}${r.points}`));
    this.shadowRoot.append(list);
    this.#emit('select', { index, row, ledger });
  }

  #nameColumn() {
    const want = this.getAttribute('name-column');
    if (want) return want;
    const cols = this.#leads?.info.columns.map((c) => c.name) ?? [];
    return cols.find((c) => /^(name|full_?name|company|email)$/i.test(c)) ?? null;
  }

  #status(text) {
    this.shadowRoot.replaceChildren(el(this.ownerDocument, 'p', 'status', text));
  }

  #fail(error) {
    this.shadowRoot.replaceChildren(el(this.ownerDocument, 'p', 'error', error.message));
    this.#emit('error', { error });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(`lead-scorer:${type}`, { detail, bubbles: true, composed: true }));
  }

  #dispose() {
    this.#scorer?.dispose();
    this.#leads?.dispose();
    this.#scorer = this.#leads = null;
  }
}

async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url}: ${res.status} ${res.statusText}`);
  return res.text();
}

/** Registers the element (done on import in a browser; call it for another tag name). */
export function define(name = 'lead-scorer') {
  if (globalThis.customElements && !customElements.get(name))
    customElements.define(name, class extends LeadScorerElement {});
}
if (globalThis.customElements && !customElements.get('lead-scorer'))
  customElements.define('lead-scorer', LeadScorerElement);

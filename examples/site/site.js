// The example site's own script: what a site owner writes around the leadscore snippet
// (docs/embed.md). It shows the demo offer to hot visitors, asks for consent, forgets on request,
// and tells leadscore what the demo form says about the visitor (fit).
const $ = (id) => document.getElementById(id);
// Queued until the runtime has loaded (window.leadscore is the snippet's queue until then).
const leadscore = (...args) => window.leadscore(...args);

// The CTA for hot visitors: the DOM event bubbles to document (composed: also out of shadow roots).
document.addEventListener('leadscore:tier', (e) => {
  $('hot-cta').hidden = e.detail.tier !== 'Hot';
  document.documentElement.dataset.leadTier = e.detail.tier;
});

// Consent: the banner until the visitor decides; the runtime stores nothing before "Allow".
window.addEventListener('leadscore:ready', (e) => {
  $('consent').hidden = e.detail.hasConsent();
});
$('consent-yes').addEventListener('click', () => {
  leadscore('consent', true);
  $('consent').hidden = true;
});
$('consent-no').addEventListener('click', () => {
  leadscore('consent', false);
  $('consent').hidden = true;
});
$('forget').addEventListener('click', (e) => {
  e.preventDefault();
  leadscore('forget');
  $('consent').hidden = false;
});

// The demo form: a static site has no back end, so it thanks the visitor in place. leadscore has
// already recorded the submit (its listener runs first) and filled the hidden score fields.
$('demo')?.addEventListener('submit', (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const employees = Number(form.get('employees'));
  leadscore('set', { title: String(form.get('title') ?? ''), ...(employees > 0 ? { employees } : {}) });
  e.target.hidden = true;
  $('thanks').hidden = false;
});

// The <lead-scorer> page: say what the element reported.
document.addEventListener('lead-scorer:scored', (e) => {
  const s = e.detail.summary;
  $('scorer-status').textContent = `Scored ${s.rows} leads: ${s.tiers.map((t) => `${t.name} ${t.count}`).join(', ')}.`;
});
document.addEventListener('lead-scorer:error', (e) => {
  $('scorer-status').textContent = `Could not score: ${e.detail.error.message}`;
});

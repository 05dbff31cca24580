// Number formats shared by the tabs.
export const fmt = new Intl.NumberFormat('en-US');
// "1 event", "2 events" (nouns whose plural adds an s).
export const counted = (n, noun) => `${fmt.format(n)} ${noun}${n === 1 ? '' : 's'}`;
export const pct = (x, digits = 1) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(digits)}%`);
export const num = (x, d = 2) =>
  x === null || x === undefined ? '—' : Number.isInteger(x) ? fmt.format(x) : x.toFixed(d);
// Rule set A (the reference) and B (the one being edited) in every chart.
export const AB_COLORS = { a: '#1f2937', b: '#c2410c' };
export const bytes = (n) =>
  n >= 1 << 30
    ? `${+(n / (1 << 30)).toFixed(1)} GB`
    : n >= 1 << 20
      ? `${(n / (1 << 20)).toFixed(1)} MB`
      : n >= 1024
        ? `${(n / 1024).toFixed(0)} KB`
        : `${n} bytes`;

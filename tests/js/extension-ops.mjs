// leadscore's extension operators for the json-logic-engine oracle (docs/rules.md): ls:same and
// ls:in compare text ignoring case and accents. Written from the documented definition with
// JavaScript's own Unicode data (String.prototype.normalize / toLowerCase), independently of the
// C++ evaluator in core/jsonlogic/eval.cpp.

// ASCII and the Latin letters U+00C0..U+024F lower-cased without their accents; the rest as is.
export function foldText(value) {
  let out = '';
  for (const ch of String(value)) {
    const cp = ch.codePointAt(0);
    if (cp < 0x80) out += ch.toLowerCase();
    else if (cp >= 0xc0 && cp <= 0x24f) out += ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    else out += ch;
  }
  return out;
}

const present = (v) => v !== null && v !== undefined;

export function sameText(a, b) {
  return present(a) && present(b) && foldText(a) === foldText(b);
}

export function inText(needle, hay) {
  if (!present(needle) || !present(hay)) return false;
  const n = foldText(needle);
  if (Array.isArray(hay)) return hay.some((e) => present(e) && foldText(e) === n);
  return foldText(hay).includes(n);
}

// Registers ls:same and ls:in on a json-logic-engine LogicEngine.
export function addExtensionOps(engine) {
  const args = (a) => (Array.isArray(a) ? a : [a]);
  engine.addMethod('ls:same', (a) => sameText(...args(a).slice(0, 2)), { deterministic: true });
  engine.addMethod('ls:in', (a) => inText(...args(a).slice(0, 2)), { deterministic: true });
  return engine;
}

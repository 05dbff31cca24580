// XLSX (Office Open XML spreadsheets, as CRMs and Excel export them) -> CSV text the core loads
// like any other file. Loaded lazily by the worker only when a file starts like a ZIP archive.
//
// Why this and not a spreadsheet library: the npm `xlsx` package is frozen at 0.18.5 with known
// advisories, and the full-featured readers are several hundred KB. Reading the first (or a
// chosen) sheet's values needs only unzip (fflate, MIT, ~8 KB gzipped) and four XML parts with a
// flat structure (workbook, its relationships, shared strings, styles, the sheet), which a small
// tag scanner reads; a Web Worker has no DOMParser.
//
// Cell types are kept: numbers as JavaScript prints them, booleans as true/false, dates (numbers
// with a date format, or t="d") as ISO 8601 (with the time of day when there is one), errors
// (#N/A...) as empty cells with a note, text as written.
import { unzipSync, strFromU8 } from 'fflate';

const decodeEntities = (s) =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (m, e) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });

function attrs(tag) {
  const out = {};
  for (const m of tag.matchAll(/([\w:]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]] = decodeEntities(m[3] ?? m[4]);
  return out;
}

// Text of every <t> inside an element (rich text runs included; phonetic <rPh> runs left out).
function textOf(xml) {
  const plain = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let s = '';
  for (const m of plain.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>|<t\b[^>]*\/>/g)) s += decodeEntities(m[1] ?? '');
  return s;
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

// Which cell styles (the `s` index) format numbers as dates.
function dateStyles(stylesXml) {
  if (!stylesXml) return new Set();
  const custom = new Map();
  for (const m of stylesXml.matchAll(/<numFmt\b[^>]*>/g)) {
    const a = attrs(m[0]);
    custom.set(Number(a.numFmtId), a.formatCode ?? '');
  }
  const isDateFormat = (id) => {
    if (BUILTIN_DATE_FORMATS.has(id)) return true;
    const code = custom.get(id);
    if (!code) return false;
    // date/time letters outside quoted text, [colour] / [$-locale] brackets and escapes
    const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
    return /[dmyhs]/i.test(bare) && !/^[#0.,%\s]*$/.test(bare);
  };
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml);
  const dates = new Set();
  if (!xfs) return dates;
  let i = 0;
  for (const m of xfs[1].matchAll(/<xf\b[^>]*>/g)) {
    if (isDateFormat(Number(attrs(m[0]).numFmtId ?? 0))) dates.add(i);
    i++;
  }
  return dates;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

// Excel serial -> ISO 8601 (1900 system with its fictitious 1900-02-29, or the 1904 system).
function serialToIso(serial, date1904) {
  const days = Math.floor(serial);
  const epochDays = date1904 ? days - 24107 : days - (days < 60 ? 25568 : 25569);
  const ms = Math.round((serial - days) * 86400000);
  const d = new Date(epochDays * 86400000 + ms);
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (ms === 0) return day;
  return `${day}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

// "BC12" -> 54 (0-based column index).
function columnIndex(ref) {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

const csvCell = (v) => (/[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function cellValue(cell, inner, ctx) {
  const type = cell.t ?? 'n';
  const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
  if (type === 'inlineStr') return textOf(inner);
  if (v === undefined || v === '') return ''; // (a formula without a cached value)
  if (type === 's') return ctx.strings[Number(v)] ?? '';
  if (type === 'str') return decodeEntities(v);
  if (type === 'b') return v === '1' ? 'true' : 'false';
  if (type === 'e') {
    ctx.errors++;
    return '';
  }
  if (type === 'd') return decodeEntities(v);
  const num = Number(v);
  if (ctx.dates.has(Number(cell.s ?? 0)) && Number.isFinite(num)) return serialToIso(num, ctx.date1904);
  return Number.isFinite(num) ? String(num) : decodeEntities(v);
}

/**
 * Reads one sheet of an XLSX file.
 * @param {Uint8Array} bytes the whole file
 * @param {{sheet?: string | number}} [options] a sheet name or 0-based index (default: the first)
 * @returns {{csv: string, sheet: string, sheets: string[], rows: number, notes: string[]}}
 */
export function xlsxToCsv(bytes, options = {}) {
  let files;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name.startsWith('xl/') });
  } catch (e) {
    throw Object.assign(
      new Error(`this XLSX file cannot be unzipped (${e.message}); save it again from the spreadsheet`),
      {
        code: 'format',
      },
    );
  }
  const part = (name) => (files[name] ? strFromU8(files[name]) : undefined);
  const workbook = part('xl/workbook.xml');
  if (!workbook)
    throw Object.assign(new Error('this ZIP file is not an XLSX workbook (no xl/workbook.xml)'), { code: 'format' });
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => attrs(m[0]));
  if (!sheets.length) throw Object.assign(new Error('the workbook has no sheets'), { code: 'empty' });
  const want = options.sheet ?? 0;
  const index = typeof want === 'number' ? want : sheets.findIndex((s) => s.name === want);
  if (index < 0 || index >= sheets.length)
    throw Object.assign(
      new Error(
        `no sheet ${JSON.stringify(want)}; the workbook has ${sheets.map((s) => JSON.stringify(s.name)).join(', ')}`,
      ),
      { code: 'load' },
    );
  const rels = part('xl/_rels/workbook.xml.rels') ?? '';
  const rid = sheets[index]['r:id'];
  const rel = [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => attrs(m[0])).find((r) => r.Id === rid);
  const target = rel ? rel.Target.replace(/^\/?(xl\/)?/, 'xl/') : `xl/worksheets/sheet${index + 1}.xml`;
  const sheetXml = part(target);
  if (!sheetXml) throw Object.assign(new Error(`the sheet part ${target} is missing`), { code: 'format' });

  const ctx = {
    strings: [...(part('xl/sharedStrings.xml') ?? '').matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>/g)].map((m) =>
      textOf(m[1]),
    ),
    dates: dateStyles(part('xl/styles.xml')),
    date1904: /<workbookPr\b[^>]*date1904\s*=\s*["'](1|true)["']/.test(workbook),
    errors: 0,
  };
  const lines = [];
  let width = 0;
  for (const row of sheetXml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const cells = [];
    for (const c of (row[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const cell = attrs(c[1]);
      const at = cell.r ? columnIndex(cell.r) : cells.length;
      while (cells.length < at) cells.push('');
      cells[at] = cellValue(cell, c[2] ?? '', ctx);
    }
    width = Math.max(width, cells.length);
    lines.push(cells);
  }
  const csv = lines
    .map((cells) => Array.from({ length: width }, (_, i) => csvCell(cells[i] ?? '')).join(','))
    .join('\r\n');
  const notes = [];
  if (sheets.length > 1)
    notes.push(`read the sheet "${sheets[index].name}" of ${sheets.length} (${sheets.map((s) => s.name).join(', ')})`);
  if (ctx.errors) notes.push(`${ctx.errors} cells held spreadsheet errors (#N/A, #DIV/0!...) and were read as empty`);
  return {
    csv,
    sheet: sheets[index].name,
    sheets: sheets.map((s) => s.name),
    rows: Math.max(0, lines.length - 1),
    notes,
  };
}

/** Whether bytes start like a ZIP archive (XLSX, ODS, DOCX...). */
export const looksLikeZip = (head) =>
  head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;

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
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

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

// ---------------------------------------------------------------- writing

const xmlText = (s) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // characters XML 1.0 cannot carry (control characters other than tab, LF, CR)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

// Rows of an RFC 4180 CSV text (quotes, doubled quotes, CRLF or LF): leadscore's own export.
export function parseCsvRows(text) {
  const rows = [];
  let row = [],
    field = '',
    i = 0,
    quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), (i += 2));
      else if (c === '"') ((quoted = false), i++);
      else ((field += c), i++);
    } else if (c === '"' && field === '') ((quoted = true), i++);
    else if (c === ',') (row.push(field), (field = ''), i++);
    else if (c === '\r' || c === '\n') {
      (row.push(field), rows.push(row), (row = []), (field = ''));
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else ((field += c), i++);
  }
  if (field !== '' || row.length) (row.push(field), rows.push(row));
  return rows;
}

const colName = (i) => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

// A number cell only where the text is exactly how JavaScript prints that number: "02139",
// "5.0", "$1,200.50" and 19-digit ids stay text as they were read.
const isCanonicalNumber = (t) => t !== '' && /^-?[0-9]/.test(t) && String(Number(t)) === t;

export const XLSX_MAX_ROWS = 1048576; // Excel's sheet limit, header included

/**
 * leadscore's scored CSV as an XLSX workbook of one sheet "Scores". Numbers are number cells;
 * everything else is text exactly as written, without the CSV formula guard's apostrophe (a
 * text cell in XLSX is never run as a formula).
 * @param {string} csv
 * @param {{textColumns?: Set<string>}} [options] headers of columns written as text even where a value looks like a number
 * @returns {Uint8Array}
 */
export function csvToXlsx(csv, { textColumns = new Set() } = {}) {
  const rows = parseCsvRows(csv);
  const asText = (rows[0] ?? []).map((h) => textColumns.has(h));
  if (rows.length > XLSX_MAX_ROWS)
    throw Object.assign(
      new Error(
        `${rows.length - 1} leads do not fit in one spreadsheet sheet (at most ${XLSX_MAX_ROWS - 1}); export CSV`,
      ),
      { code: 'limit' },
    );
  const sheet = rows.map((cells, r) => {
    const xml = cells.map((t, c) => {
      const ref = colName(c) + (r + 1);
      if (r > 0 && !asText[c] && isCanonicalNumber(t)) return `<c r="${ref}"><v>${t}</v></c>`;
      const text = /^'[=+\-@\t\r]/.test(t) ? t.slice(1) : t;
      if (text === '') return '';
      return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(text)}</t></is></c>`;
    });
    return `<row r="${r + 1}">${xml.join('')}</row>`;
  });
  const files = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Scores" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheet.join('')}</sheetData></worksheet>`,
  };
  const zipped = {};
  for (const [name, text] of Object.entries(files)) zipped[name] = strToU8(text);
  return zipSync(zipped, { level: 6 });
}

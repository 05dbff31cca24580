// XLSX import (wasm/xlsx.mjs, used by the worker): a workbook written by openpyxl (an
// independent XLSX writer; tests/data/xlsx/make-crm-export.py) read cell by cell, then loaded
// through the worker so the core types its columns, plus the errors a user can meet.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { zipSync, strToU8 } from 'fflate';
import { csvToXlsx, xlsxToCsv } from '../../wasm/xlsx.mjs';
import { connect } from '../../wasm/worker-client.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const book = new Uint8Array(readFileSync(join(root, 'tests/data/xlsx/crm-export.xlsx')));
const DIST = join(root, 'dist/leadscore.mjs');

test('cells keep their types: numbers, booleans, dates, date-times, text as written', () => {
  const r = xlsxToCsv(book);
  assert.equal(r.sheet, 'Leads');
  assert.deepEqual(r.sheets, ['Leads', 'Deals']);
  assert.equal(r.rows, 3);
  const lines = r.csv.split('\r\n');
  assert.equal(lines[0], 'Email,Job Title,Employees,Revenue,Opted In,Created,Last Call,Zip,Notes');
  assert.equal(lines[1], 'ann@acme.com,CEO,250,1200.5,true,2024-03-01,2024-03-02T09:30:00Z,02139,"Zoë, ""VIP"""');
  // a formula without a cached value (openpyxl writes none) is an empty cell, not 0
  assert.equal(lines[2], 'bob@beta.io,vp sales,12,,false,2023-12-31,,10001,');
  assert.equal(lines[3], 'cy@gamma.org,Engineer,5000,0.1,true,1999-01-01,2024-01-01T00:00:01Z,94103," padded "');
  assert.match(r.notes[0], /read the sheet "Leads" of 2/);
});

test('a sheet by name or index; an unknown sheet names the ones there are', () => {
  assert.equal(xlsxToCsv(book, { sheet: 'Deals' }).csv, 'Email,Won\r\nann@acme.com,1');
  assert.equal(xlsxToCsv(book, { sheet: 1 }).csv, 'Email,Won\r\nann@acme.com,1');
  assert.throws(() => xlsxToCsv(book, { sheet: 'Contacts' }), /no sheet "Contacts"; the workbook has "Leads", "Deals"/);
});

test('not a workbook: a clear format error', () => {
  assert.throws(
    () => xlsxToCsv(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2])),
    (e) => e.code === 'format',
  );
  const docx = zipSync({ 'word/document.xml': strToU8('<w:document/>') });
  assert.throws(() => xlsxToCsv(docx), /not an XLSX workbook/);
});

test('shared strings with rich text runs, inline strings, entities, 1904 dates, error cells', () => {
  const files = {
    'xl/workbook.xml': strToU8(
      '<workbook><workbookPr date1904="1"/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/sharedStrings.xml': strToU8(
      '<sst><si><r><t>Head</t></r><r><t xml:space="preserve"> &amp; Co</t></r></si></sst>',
    ),
    'xl/styles.xml': strToU8(
      '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="[$-409]d\\-mmm\\-yy;@"/></numFmts>' +
        '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>x&lt;y</t></is></c></row>' +
        '<row r="2"><c r="A2" s="1"><v>0</v></c><c r="B2" t="e"><v>#N/A</v></c><c r="C2"><v>1e-7</v></c></row></sheetData></worksheet>',
    ),
  };
  const r = xlsxToCsv(zipSync(files));
  assert.equal(r.csv, 'Head & Co,,x<y\r\n1904-01-01,,1e-7');
  assert.match(r.notes.join(' '), /1 cells held spreadsheet errors/);
});

// Through the worker: the file is recognised by its first bytes, the reader loaded on demand.
const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: ./scripts/build.sh module';
let dir = null,
  remote = null;
after(() => {
  remote?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the worker loads an XLSX file and the core types its columns', { skip }, async () => {
  mkdirSync(join(root, 'build'), { recursive: true });
  dir = mkdtempSync(join(root, 'build', 'xlsx-worker-')); // under the repo: xlsx.mjs finds fflate
  copyFileSync(DIST, join(dir, 'leadscore.mjs'));
  for (const f of ['worker.mjs', 'xlsx.mjs']) copyFileSync(join(root, 'wasm', f), join(dir, f));
  remote = connect(new Worker(pathToFileURL(join(dir, 'worker.mjs'))));
  const { info } = await remote.loadLeads(new Blob([book]));
  assert.equal(info.rows, 3);
  const type = (name) => info.columns.find((c) => c.name === name).type;
  assert.equal(type('Employees'), 'number');
  assert.equal(type('Opted In'), 'boolean');
  assert.equal(type('Created'), 'date');
  assert.equal(type('Last Call'), 'date');
  assert.equal(type('Zip'), 'string'); // "02139": an identifier, kept as text
  assert.equal(info.source.sheet, 'Leads');
  const deals = await remote.loadLeads(book, { sheet: 'Deals' });
  assert.equal(deals.info.rows, 1);
  await assert.rejects(remote.loadLeads(book, { sheet: 9 }), (e) => e.code === 'load' && /no sheet 9/.test(e.message));
  // the page's path: a workspace loads, scores and re-reads the workbook
  const w = await remote.workspace();
  const rules = { rules: [{ id: 'ceo', points: 10, when: { 'ls:same': [{ var: 'Job Title' }, 'ceo'] } }] };
  const r = await w.loadLeads({ input: new Blob([book]), rules: { a: rules } });
  assert.equal(r.info.rows, 3);
  assert.deepEqual(r.info.source, {
    format: 'xlsx',
    sheet: 'Leads',
    sheets: ['Leads', 'Deals'],
    notes: r.info.source.notes,
  });
  assert.equal(r.variants.a.summary.max, 10);
  const again = await w.reload({ options: {}, rules: { a: rules } });
  assert.equal(again.info.rows, 3);
});

test('the XLSX export opens in openpyxl, an independent reader, with numbers as numbers', () => {
  const csv =
    'name,zip,amount,score,note\r\nAnn,02139,"$1,200.50",10,"\'=cmd"\r\nBob,10001,5.0,-2.5,"a ""q"" <b>&"\r\n';
  const file = join(root, 'build', `xlsx-export-${process.pid}.xlsx`);
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(file, csvToXlsx(csv, { textColumns: new Set(['zip']) }));
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import json, sys, openpyxl\n' +
          'ws = openpyxl.load_workbook(sys.argv[1]).active\n' +
          'print(json.dumps([ws.title] + [[c.value for c in r] for r in ws.iter_rows()]))',
        file,
      ],
      { encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(out), [
      'Scores',
      ['name', 'zip', 'amount', 'score', 'note'],
      ['Ann', '02139', '$1,200.50', 10, '=cmd'],
      ['Bob', '10001', '5.0', -2.5, 'a "q" <b>&'],
    ]);
  } finally {
    rmSync(file, { force: true });
  }
  // and back through our own reader
  assert.equal(
    xlsxToCsv(csvToXlsx(csv)).csv,
    'name,zip,amount,score,note\r\nAnn,02139,"$1,200.50",10,=cmd\r\nBob,10001,5.0,-2.5,"a ""q"" <b>&"',
  );
});

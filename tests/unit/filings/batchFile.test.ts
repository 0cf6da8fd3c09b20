/**
 * Reading batch files (媒體申報) before the layout: UTF-8 with and without BOM, Big5/CP950 made
 * with iconv-lite, RFC 4180 quoting, .xlsx made with exceljs (formulas reported, never evaluated),
 * macro workbooks refused, and the limits (10 MB, 5,000 rows, columns, empty lines, duplicates).
 */
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseBatchFile } from '../../../portal/src/filings/batchFile.ts';
import { BATCH_FILE_MAX_BYTES } from '../../../shared/portal/batchesApi.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { HEADER, csvText, enrolRow, nationalId, row, xlsxBytes } from '../../support/batchFiles.ts';

const WITHDRAW = row({ kind: '退保', idNumber: 'B222222228', date: '115/12/01', reason: '離職' });
const ENROL = enrolRow('A123456789', '2026-12-01', '王小明');
const BAD_ID = enrolRow('A123456788', '2026-12-01', '陳美麗');

const utf8 = (text: string) => Buffer.from(text, 'utf8');

async function refusal(promise: Promise<unknown>): Promise<PortalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PortalError);
  return error as PortalError;
}

describe('CSV text', () => {
  it('reads UTF-8 without a BOM', async () => {
    const parsed = await parseBatchFile('a.csv', utf8(csvText([HEADER, ENROL, WITHDRAW])));
    expect(parsed.encoding).toBe('utf-8');
    expect(parsed.report).toEqual([]);
    expect(parsed.filings.map((f) => f.row)).toEqual([2, 3]);
    expect(parsed.filings[0]!.filing).toMatchObject({ kind: 'enrol', name: '王小明', insuredAmount: 29500 });
  });

  it('reads UTF-8 with the BOM Excel writes, and the header still matches', async () => {
    const parsed = await parseBatchFile('a.csv', utf8(`\uFEFF${csvText([HEADER, WITHDRAW])}`));
    expect(parsed.encoding).toBe('utf-8-bom');
    expect(parsed.report).toEqual([]);
    expect(parsed.filings).toHaveLength(1);
  });

  it('reads Big5 (CP950) and reports the wrong cell of a row by row and field', async () => {
    const bytes = iconv.encode(csvText([HEADER, ENROL, BAD_ID, WITHDRAW]), 'cp950');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const parsed = await parseBatchFile('big5.csv', bytes);
    expect(parsed.encoding).toBe('big5');
    expect(parsed.report).toEqual([{ row: 3, field: 'idNumber', code: 'ERR_FIELD_ID_CHECKSUM' }]);
    expect(parsed.filings.map((f) => [f.row, 'name' in f.filing ? f.filing.name : f.filing.kind])).toEqual([
      [2, '王小明'],
      [4, 'withdraw'],
    ]);
  });

  it('keeps quoted commas, quotes and line breaks inside one cell (RFC 4180)', async () => {
    const text = csvText([HEADER, enrolRow('A123456789', '2026-12-01', '王"小"明'), WITHDRAW]);
    expect(text).toContain('"29,500"');
    const parsed = await parseBatchFile('a.csv', utf8(text));
    // The quote is kept as part of the name, so the name rule refuses it on row 2 only.
    expect(parsed.report.map((i) => [i.row, i.field])).toEqual([[2, 'name']]);
    expect(parsed.filings.map((f) => f.row)).toEqual([3]);
  });

  it('reports an unclosed quote as a malformed file at its row, with no filings', async () => {
    const parsed = await parseBatchFile('a.csv', utf8(`${csvText([HEADER, WITHDRAW])}加保,"健保,A1\r\n`));
    expect(parsed.filings).toEqual([]);
    expect(parsed.report).toEqual([{ row: 3, field: 'row', code: 'ERR_BATCH_CSV_MALFORMED' }]);
  });

  it('refuses text that is neither UTF-8 nor CP950 (UTF-16, binary) instead of guessing', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvText([HEADER]), 'utf16le')]);
    expect((await refusal(parseBatchFile('a.csv', utf16))).code).toBe('ERR_PORTAL_BATCH_ENCODING');
    const garbled = Buffer.from([0x41, 0x2c, 0xff, 0xff, 0x0d, 0x0a]);
    expect((await refusal(parseBatchFile('a.csv', garbled))).code).toBe('ERR_PORTAL_BATCH_ENCODING');
  });

  it('names wrong and missing columns and reads no row', async () => {
    const header = [...HEADER.slice(0, -1), '備註'];
    const parsed = await parseBatchFile('a.csv', utf8(csvText([header, WITHDRAW])));
    expect(parsed.filings).toEqual([]);
    // Rows are counted even when none is read (the CSV is read record by record).
    expect(parsed.rowCount).toBe(1);
    expect(parsed.report).toEqual(
      expect.arrayContaining([
        { row: 1, field: 'row', code: 'ERR_BATCH_UNKNOWN_COLUMN' },
        { row: 1, field: 'newName', code: 'ERR_BATCH_MISSING_COLUMN' },
      ]),
    );
  });

  it('skips empty lines, keeps the file row numbers and reports a duplicated row', async () => {
    const text = `\r\n${csvText([HEADER])}\r\n,,,\r\n${csvText([WITHDRAW, WITHDRAW])}`;
    const parsed = await parseBatchFile('a.csv', utf8(text));
    expect(parsed.rowCount).toBe(2);
    expect(parsed.filings.map((f) => f.row)).toEqual([5]);
    expect(parsed.report).toEqual([{ row: 6, field: 'row', code: 'ERR_BATCH_DUPLICATE_ROW' }]);
  });

  it('reads 5,000 rows and refuses 5,001', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => enrolRow(nationalId(i), '2026-12-01'));
    const parsed = await parseBatchFile('big.csv', iconv.encode(csvText([HEADER, ...rows]), 'cp950'));
    expect(parsed.report).toEqual([]);
    expect(parsed.filings).toHaveLength(5000);
    const tooMany = await parseBatchFile('big.csv', utf8(csvText([HEADER, ...rows, WITHDRAW])));
    expect(tooMany.filings).toEqual([]);
    expect(tooMany.report).toEqual([{ row: 1, field: 'row', code: 'ERR_BATCH_TOO_MANY_ROWS' }]);
    expect(tooMany.rowCount).toBe(5001);
  });

  it('refuses a file over 10 MB before reading it', async () => {
    const big = Buffer.alloc(BATCH_FILE_MAX_BYTES + 1, 0x2c);
    const error = await refusal(parseBatchFile('big.csv', big));
    expect(error.code).toBe('ERR_PORTAL_BATCH_TOO_LARGE');
    expect(error.statusCode).toBe(413);
  });
});

describe('.xlsx workbooks', () => {
  it('reads text, number and date cells as a clerk sees them', async () => {
    const enrol = enrolRow('A123456789', '', '王小明') as (string | number | Date)[];
    enrol[5] = new Date(Date.UTC(2026, 11, 1));
    enrol[6] = 29500;
    const parsed = await parseBatchFile('a.xlsx', await xlsxBytes([HEADER, enrol, WITHDRAW]));
    expect(parsed.encoding).toBe('xlsx');
    expect(parsed.report).toEqual([]);
    expect(parsed.filings[0]!.filing).toMatchObject({ enrolmentDate: '2026-12-01', insuredAmount: 29500 });
  });

  it('reports a formula cell on its row and column and never uses its value', async () => {
    const bytes = await xlsxBytes([HEADER, ENROL, WITHDRAW], (sheet) => {
      // Column G (健保投保金額) of row 2: a formula whose cached result would be a valid grade.
      sheet.getCell('G2').value = { formula: '29000+500', result: 29500 };
    });
    const parsed = await parseBatchFile('a.xlsx', bytes);
    expect(parsed.report).toEqual([{ row: 2, field: 'insuredAmount', code: 'ERR_BATCH_FORMULA_CELL' }]);
    expect(parsed.filings.map((f) => f.row)).toEqual([3]);
  });

  it('refuses a macro-enabled workbook by its content, whatever its name, and by an .xlsm name', async () => {
    const zip = await JSZip.loadAsync(await xlsxBytes([HEADER, WITHDRAW]));
    zip.file('xl/vbaProject.bin', Buffer.from('not really VBA'));
    const withMacros = await zip.generateAsync({ type: 'nodebuffer' });
    expect((await refusal(parseBatchFile('innocent.xlsx', withMacros))).code).toBe('ERR_PORTAL_BATCH_MACROS');
    const plain = await xlsxBytes([HEADER, WITHDRAW]);
    expect((await refusal(parseBatchFile('book.xlsm', plain))).code).toBe('ERR_PORTAL_BATCH_MACROS');
  });

  it('refuses a damaged workbook and a legacy binary .xls', async () => {
    const damaged = (await xlsxBytes([HEADER, WITHDRAW])).subarray(0, 200);
    expect((await refusal(parseBatchFile('a.xlsx', damaged))).code).toBe('ERR_PORTAL_BATCH_UNREADABLE');
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await refusal(parseBatchFile('a.xls', ole))).code).toBe('ERR_PORTAL_BATCH_FILE_TYPE');
  });
});

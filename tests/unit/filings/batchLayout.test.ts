/** The batch layout (媒體申報): header handling, per-row reports, empty lines, duplicated rows. */
import { describe, expect, it } from 'vitest';
import { BATCH_COLUMNS, batchHeaderRow, parseBatchRows } from '../../../shared/filings/batchLayout.ts';
import { FIELD_LABELS, type FilingField } from '../../../shared/filings/labels.ts';

const HEADER = batchHeaderRow();
const row = (cells: Partial<Record<FilingField, string>>): string[] =>
  BATCH_COLUMNS.map((c) => cells[c.field] ?? '');

const ENROL = row({
  kind: '加保',
  scheme: '健保',
  idNumber: 'A123456789',
  name: '王小明',
  birthDate: '79/05/17',
  enrolmentDate: '115/12/01',
  insuredAmount: '29,500',
});
const WITHDRAW = row({ kind: '退保', idNumber: 'B222222228', date: '2026/12/01', reason: '離職' });
const DEPENDANT = row({
  kind: '眷屬加保',
  insuredIdNumber: 'A123456789',
  idNumber: 'F134567896',
  name: '王小安',
  birthDate: '2020-01-01',
  relationship: '子女',
  date: '2026-12-01',
  reason: 'DA01',
});

describe('parseBatchRows', () => {
  it('reads the template header with zh-TW names in the documented order', () => {
    expect(HEADER.slice(0, 4)).toEqual(['申報類別', '投保類別', '身分證號', '姓名']);
    expect(HEADER).toHaveLength(18);
  });

  it('turns valid rows into normalised filings with their row numbers', () => {
    const { filings, report } = parseBatchRows([HEADER, ENROL, WITHDRAW, DEPENDANT]);
    expect(report).toEqual([]);
    expect(filings).toEqual([
      {
        row: 2,
        filing: {
          kind: 'enrol',
          scheme: 'nhi',
          idNumber: 'A123456789',
          name: '王小明',
          birthDate: '1990-05-17',
          enrolmentDate: '2026-12-01',
          insuredAmount: 29500,
        },
      },
      { row: 3, filing: { kind: 'withdraw', idNumber: 'B222222228', date: '2026-12-01', reason: 'W01' } },
      {
        row: 4,
        filing: {
          kind: 'dependant-enrol',
          insuredIdNumber: 'A123456789',
          idNumber: 'F134567896',
          name: '王小安',
          birthDate: '2020-01-01',
          relationship: 'R02',
          date: '2026-12-01',
          reason: 'DA01',
        },
      },
    ]);
  });

  it('accepts the columns in any order and a byte-order mark before the first header', () => {
    const order = [...BATCH_COLUMNS.keys()].reverse();
    const header = order.map((i) => HEADER[i]!);
    header[0] = `\uFEFF${header[0]}`;
    const { filings, report } = parseBatchRows([header, order.map((i) => WITHDRAW[i]!)]);
    expect(report).toEqual([]);
    expect(filings).toHaveLength(1);
  });

  it('skips empty lines, including blank cells and leading empty lines, and keeps spreadsheet row numbers', () => {
    const { filings, report } = parseBatchRows([[], HEADER, ['', ' '], ENROL, [], WITHDRAW]);
    expect(report).toEqual([]);
    expect(filings.map((f) => f.row)).toEqual([4, 6]);
  });

  it('reports each wrong cell by row and field, and keeps the valid rows', () => {
    const bad = row({ kind: '退保', idNumber: 'B222222227', date: '2026-02-30', reason: 'X' });
    const { filings, report } = parseBatchRows([HEADER, ENROL, bad]);
    expect(filings.map((f) => f.row)).toEqual([2]);
    expect(report).toEqual([
      { row: 3, field: 'idNumber', code: 'ERR_FIELD_ID_CHECKSUM' },
      { row: 3, field: 'date', code: 'ERR_FIELD_DATE_NOT_REAL' },
      { row: 3, field: 'reason', code: 'ERR_FIELD_CODE_UNKNOWN' },
    ]);
  });

  it('reports a missing required cell, a cell the kind does not use, and an unknown or missing kind', () => {
    const missing = row({ kind: '退保', idNumber: 'B222222228', reason: 'W01' });
    const extra = row({
      kind: '退保',
      idNumber: 'B222222228',
      date: '2026-12-01',
      reason: 'W01',
      insuredAmount: '29500',
    });
    const unknownKind = row({ kind: '轉出', idNumber: 'B222222228' });
    const noKind = row({ idNumber: 'B222222228' });
    const { filings, report } = parseBatchRows([HEADER, missing, extra, unknownKind, noKind]);
    expect(filings).toEqual([]);
    expect(report).toEqual([
      { row: 2, field: 'date', code: 'ERR_FIELD_REQUIRED' },
      { row: 3, field: 'insuredAmount', code: 'ERR_BATCH_FIELD_NOT_FOR_KIND' },
      { row: 4, field: 'kind', code: 'ERR_FIELD_CODE_UNKNOWN' },
      { row: 5, field: 'kind', code: 'ERR_FIELD_REQUIRED' },
    ]);
  });

  it('reports a reason code of another kind (a dependant reason on a withdrawal)', () => {
    const { report } = parseBatchRows([
      HEADER,
      row({ kind: '退保', idNumber: 'B222222228', date: '2026-12-01', reason: 'DW01' }),
    ]);
    expect(report).toEqual([{ row: 2, field: 'reason', code: 'ERR_FIELD_CODE_UNKNOWN' }]);
  });

  it('refuses hostile text in a cell (header injection, bidi override)', () => {
    const hostile = [...ENROL];
    const name = BATCH_COLUMNS.findIndex((c) => c.field === 'name');
    hostile[name] = '王小明\r\nBcc: x';
    expect(parseBatchRows([HEADER, hostile]).report).toEqual([
      { row: 2, field: 'name', code: 'ERR_FIELD_CONTROL_CHARACTER' },
    ]);
    hostile[name] = '\u202E王小明';
    expect(parseBatchRows([HEADER, hostile]).report).toEqual([
      { row: 2, field: 'name', code: 'ERR_FIELD_CONTROL_CHARACTER' },
    ]);
  });

  it('skips a duplicated row and says so', () => {
    const { filings, report } = parseBatchRows([HEADER, WITHDRAW, ENROL, [...WITHDRAW]]);
    expect(filings.map((f) => f.row)).toEqual([2, 3]);
    expect(report).toEqual([{ row: 4, field: 'row', code: 'ERR_BATCH_DUPLICATE_ROW' }]);
  });

  it('treats rows that differ only in writing (ROC vs ISO date, 29,500 vs 29500) as duplicates', () => {
    const sameInIso = row({
      kind: 'enrol',
      scheme: '健保',
      idNumber: 'a123456789',
      name: ' 王小明',
      birthDate: '1990-05-17',
      enrolmentDate: '2026-12-01',
      insuredAmount: '29500',
    });
    const { filings, report } = parseBatchRows([HEADER, ENROL, sameInIso]);
    expect(filings).toHaveLength(1);
    expect(report).toEqual([{ row: 3, field: 'row', code: 'ERR_BATCH_DUPLICATE_ROW' }]);
  });

  it('leaves out both rows when one person and kind appear twice with different data', () => {
    const other = [...ENROL];
    other[BATCH_COLUMNS.findIndex((c) => c.field === 'insuredAmount')] = '30300';
    const { filings, report } = parseBatchRows([HEADER, ENROL, WITHDRAW, other]);
    expect(filings.map((f) => f.row)).toEqual([3]);
    expect(report).toEqual([
      { row: 2, field: 'row', code: 'ERR_BATCH_CONFLICTING_ROWS' },
      { row: 4, field: 'row', code: 'ERR_BATCH_CONFLICTING_ROWS' },
    ]);
  });

  it('reports cells beyond the header', () => {
    const { filings, report } = parseBatchRows([HEADER, [...WITHDRAW, 'stray']]);
    expect(filings).toEqual([]);
    expect(report).toEqual([{ row: 2, field: 'row', code: 'ERR_BATCH_EXTRA_CELLS' }]);
  });

  it('refuses a header with a missing, doubled or unknown column, and reads no rows then', () => {
    const missing = HEADER.filter((h) => h !== FIELD_LABELS.reason['zh-TW']);
    expect(parseBatchRows([missing, WITHDRAW])).toEqual({
      filings: [],
      report: [{ row: 1, field: 'reason', code: 'ERR_BATCH_MISSING_COLUMN' }],
    });
    expect(parseBatchRows([[...HEADER, '姓名'], WITHDRAW]).report).toEqual([
      { row: 1, field: 'name', code: 'ERR_BATCH_DUPLICATE_COLUMN' },
    ]);
    expect(parseBatchRows([[...HEADER, '備註'], WITHDRAW]).report).toEqual([
      { row: 1, field: 'row', code: 'ERR_BATCH_UNKNOWN_COLUMN' },
    ]);
  });

  it('reports an empty file and a file with only a header', () => {
    expect(parseBatchRows([]).report).toEqual([{ row: 1, field: 'row', code: 'ERR_BATCH_EMPTY' }]);
    expect(parseBatchRows([[''], HEADER, []]).report).toEqual([
      { row: 2, field: 'row', code: 'ERR_BATCH_EMPTY' },
    ]);
  });

  it('reads 5,000 rows and refuses 5,001', () => {
    const rows = (n: number) => [
      HEADER,
      ...Array.from({ length: n }, (_, i) =>
        row({
          kind: '投保金額調整',
          idNumber: 'A123456789',
          insuredAmount: String(29500 + i),
          effectiveMonth: '2027-01',
        }),
      ),
    ];
    // Same person and kind on every row: all conflict, but all are read.
    expect(parseBatchRows(rows(5000)).report).toHaveLength(5000);
    expect(parseBatchRows(rows(5001)).report).toEqual([
      { row: 1, field: 'row', code: 'ERR_BATCH_TOO_MANY_ROWS' },
    ]);
  });
});

describe('the documented example (shared/filings/README.md)', () => {
  /** Splits one CSV line with double-quoted cells; enough for the README example, not a CSV reader. */
  const splitCsvLine = (line: string): string[] =>
    Array.from(line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g), (m) =>
      m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'),
    ).slice(0, -1);

  it('parses with no report, and its header is the template header', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../../shared/filings/README.md', import.meta.url), 'utf8');
    const csv = /```\n(申報類別,[^`]*)```/.exec(readme)?.[1];
    expect(csv).toBeDefined();
    const rows = csv!.trimEnd().split('\n').map(splitCsvLine);
    expect(rows[0]).toEqual(HEADER);
    const { filings, report } = parseBatchRows(rows);
    expect(report).toEqual([]);
    expect(filings.map((f) => f.filing.kind)).toEqual([
      'enrol',
      'withdraw',
      'dependant-enrol',
      'amount-change',
    ]);
  });
});

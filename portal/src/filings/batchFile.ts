/**
 * An uploaded batch file (媒體申報) → the valid filings and a report per row: the file's kind is
 * told from its bytes (a zip is a workbook; old binary .xls and anything else are refused), its
 * name only refuses macro-enabled workbooks early. Rows then go through the shared layout
 * (shared/filings/batchLayout.ts), exactly as any other client would read them.
 */
import {
  BATCH_COLUMNS,
  BatchRowReader,
  parseBatchRows,
  type BatchParse,
} from '../../../shared/filings/batchLayout.ts';
import { FIELD_LABELS, type FilingField } from '../../../shared/filings/labels.ts';
import { BATCH_FILE_MAX_BYTES, type BatchEncoding } from '../../../shared/portal/batchesApi.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { readCsvRecords } from './batchCsv.ts';
import { compiledCheck } from './compiledSchemas.ts';
import { decodeCsvText } from './batchText.ts';
import { readXlsxRows, type CellPosition } from './batchXlsx.ts';

export interface BatchFileParse extends BatchParse {
  encoding: BatchEncoding;
  /** Data rows read (blank lines and the header not counted). */
  rowCount: number;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0] as const;
const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);
const MACRO_NAME = /\.(xlsm|xltm|xlam|xlsb)$/i;

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

function countDataRows(rows: readonly (readonly string[])[]): number {
  const header = rows.findIndex((cells) => !isBlank(cells));
  return header < 0 ? 0 : rows.slice(header + 1).filter((cells) => !isBlank(cells)).length;
}

/** The field of a column, by the header cell above it ('row' when the header does not name one). */
function columnField(rows: readonly (readonly string[])[], column: number): FilingField {
  const header = rows.find((cells) => !isBlank(cells)) ?? [];
  const text = (header[column - 1] ?? '').replace(/^\uFEFF/, '').trim();
  return BATCH_COLUMNS.find((c) => FIELD_LABELS[c.field]['zh-TW'] === text)?.field ?? 'row';
}

/**
 * Formula cells were read as empty: their row is left out, and on their cell the formula is
 * reported instead of whatever the empty cell caused (a required field, a duplicate).
 */
function withFormulaCells(
  parsed: BatchParse,
  rows: readonly (readonly string[])[],
  formulaCells: readonly CellPosition[],
): BatchParse {
  if (formulaCells.length === 0) return parsed;
  const cells = formulaCells.map((c) => ({ row: c.row, field: columnField(rows, c.column) }));
  const formulaRows = new Set(cells.map((c) => c.row));
  const report = parsed.report
    .filter((issue) => !formulaRows.has(issue.row) || issue.field !== 'row')
    .filter((issue) => !cells.some((c) => c.row === issue.row && c.field === issue.field))
    .concat(cells.map((c) => ({ ...c, code: 'ERR_BATCH_FORMULA_CELL' as const })))
    .sort((a, b) => a.row - b.row);
  return { filings: parsed.filings.filter((f) => !formulaRows.has(f.row)), report };
}

export async function parseBatchFile(fileName: string, bytes: Uint8Array): Promise<BatchFileParse> {
  if (bytes.byteLength > BATCH_FILE_MAX_BYTES) {
    throw new PortalError('ERR_PORTAL_BATCH_TOO_LARGE', {
      field: 'content',
      detail: `${bytes.byteLength} bytes`,
    });
  }
  if (MACRO_NAME.test(fileName)) {
    throw new PortalError('ERR_PORTAL_BATCH_MACROS', {
      field: 'fileName',
      detail: 'macro-enabled file name',
    });
  }
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new PortalError('ERR_PORTAL_BATCH_FILE_TYPE', { field: 'content', detail: 'OLE (legacy .xls)' });
  }
  if (startsWith(bytes, ZIP_MAGIC)) {
    const { rows, formulaCells } = await readXlsxRows(bytes);
    const parsed = withFormulaCells(parseBatchRows(rows, compiledCheck), rows, formulaCells);
    return { ...parsed, encoding: 'xlsx', rowCount: countDataRows(rows) };
  }
  const { text, encoding } = decodeCsvText(bytes);
  const reader = new BatchRowReader(compiledCheck);
  const read = readCsvRecords(text, (cells) => reader.add(cells));
  if (!read.ok) {
    return {
      filings: [],
      report: [{ row: read.row, field: 'row', code: 'ERR_BATCH_CSV_MALFORMED' }],
      encoding,
      rowCount: 0,
    };
  }
  const { filings, report, rowCount } = reader.finish();
  return { filings, report, encoding, rowCount };
}

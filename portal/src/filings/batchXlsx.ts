/**
 * An .xlsx workbook → rows of cell strings (its first worksheet), read with exceljs. Formulas are
 * never evaluated, nor is the value Excel cached for them used: each formula cell is returned as a
 * position for the report and left empty. Workbooks with macros (a VBA project or the macro-enabled
 * content type, whatever the file is called) are refused, as are zips that unpack to more than a
 * sheet of 5,000 rows could need.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { PortalError } from '../../../shared/portal/errors.ts';

export interface CellPosition {
  /** 1-based, as the spreadsheet numbers them. */
  row: number;
  column: number;
}

export interface XlsxRows {
  rows: (readonly string[])[];
  formulaCells: CellPosition[];
}

/** A 5,000-row sheet of 18 columns is a few MB of XML; far more is a zip bomb, not a batch. */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
const MACRO_CONTENT_TYPE = /macroEnabled|vbaProject/i;

/** jszip keeps each entry's uncompressed size from the central directory on a private field. */
function declaredSize(entry: JSZip.JSZipObject): number {
  const data = (entry as unknown as { _data?: { uncompressedSize?: unknown } })._data;
  return typeof data?.uncompressedSize === 'number' ? data.uncompressedSize : 0;
}

async function inspectZip(bytes: Uint8Array): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new PortalError('ERR_PORTAL_BATCH_UNREADABLE', { field: 'content', detail: String(error) });
  }
  const names = Object.keys(zip.files);
  const contentTypes = (await zip.file('[Content_Types].xml')?.async('string')) ?? '';
  if (names.some((n) => /vbaProject\.bin$/i.test(n)) || MACRO_CONTENT_TYPE.test(contentTypes)) {
    throw new PortalError('ERR_PORTAL_BATCH_MACROS', { field: 'content', detail: 'VBA project in workbook' });
  }
  const unpacked = Object.values(zip.files).reduce((sum, entry) => sum + declaredSize(entry), 0);
  if (unpacked > MAX_UNPACKED_BYTES) {
    throw new PortalError('ERR_PORTAL_BATCH_TOO_LARGE', {
      field: 'content',
      detail: `unpacks to ${unpacked} bytes`,
    });
  }
}

function isoDay(date: Date): string {
  // exceljs gives date cells as instants at UTC midnight of the day the cell shows.
  return date.toISOString().slice(0, 10);
}

/** What a clerk sees in a cell that holds a value (not a formula), as text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDay(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return value.error;
  if ('text' in value && typeof value.text === 'string') return value.text;
  return '';
}

export async function readXlsxRows(bytes: Uint8Array): Promise<XlsxRows> {
  await inspectZip(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw new PortalError('ERR_PORTAL_BATCH_UNREADABLE', { field: 'content', detail: String(error) });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet)
    throw new PortalError('ERR_PORTAL_BATCH_UNREADABLE', { field: 'content', detail: 'no worksheet' });
  const rows: (readonly string[])[] = [];
  const formulaCells: CellPosition[] = [];
  const blank: readonly string[] = [];
  sheet.eachRow((row, rowNumber) => {
    // Rows exceljs skips (never written) are blank lines of the sheet.
    while (rows.length < rowNumber - 1) rows.push(blank);
    const cells: string[] = [];
    row.eachCell((cell, column) => {
      while (cells.length < column - 1) cells.push('');
      if (cell.type === ExcelJS.ValueType.Formula) {
        formulaCells.push({ row: rowNumber, column });
        cells.push('');
      } else cells.push(cellText(cell.value));
    });
    rows.push(cells);
  });
  return { rows, formulaCells };
}

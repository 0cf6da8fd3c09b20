/**
 * Batch files for tests and the bench: valid ID numbers made from the checksum rule, rows in the
 * template's column order, CSV text written as Excel writes it, and .xlsx made with exceljs.
 */
import ExcelJS from 'exceljs';
import { BATCH_COLUMNS, batchHeaderRow } from '../../shared/filings/batchLayout.ts';
import type { FilingField } from '../../shared/filings/labels.ts';
import { isValidNationalId } from '../../shared/tw/nationalId.ts';

/** The n-th citizen ID number of a letter (n < 10,000,000), with the check digit that makes it valid. */
export function nationalId(n: number, letter = 'A', sex: 1 | 2 = 1): string {
  const body = `${letter}${sex}${String(n).padStart(7, '0')}`;
  for (let d = 0; d <= 9; d++) if (isValidNationalId(`${body}${d}`)) return `${body}${d}`;
  throw new Error(`no check digit for ${body}`);
}

export const HEADER = batchHeaderRow();

export const row = (cells: Partial<Record<FilingField, string>>): string[] =>
  BATCH_COLUMNS.map((c) => cells[c.field] ?? '');

/** An 加保 (health only) row at the lowest 2026 grade. */
export const enrolRow = (idNumber: string, enrolmentDate: string, name = '王小明'): string[] =>
  row({
    kind: '加保',
    scheme: '健保',
    idNumber,
    name,
    birthDate: '1990-05-17',
    enrolmentDate,
    insuredAmount: '29,500',
  });

/** RFC 4180 as Excel writes it: quoted only where needed, CRLF. */
export function csvText(rows: readonly (readonly string[])[]): string {
  const cell = (t: string) => (/[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export async function xlsxBytes(
  rows: readonly (readonly ExcelJS.CellValue[])[],
  edit?: (sheet: ExcelJS.Worksheet) => void,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('媒體申報');
  for (const r of rows) sheet.addRow([...r]);
  edit?.(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The batch template files: CSV in UTF-8 with a byte-order mark (so Excel in Taiwan opens it as
 * UTF-8, not Big5) and an .xlsx whose cells are text (Excel would otherwise turn 115/12/01 or a
 * leading zero into something else). Both hold the header row and the example rows.
 */
import ExcelJS from 'exceljs';
import { batchTemplateRows } from '../../../shared/filings/batchExample.ts';
import { excelCsvCell } from './batchCsv.ts';

export function batchTemplateCsv(): Buffer {
  const lines = batchTemplateRows().map((row) => row.map(excelCsvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function batchTemplateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('媒體申報');
  const rows = batchTemplateRows();
  rows.forEach((cells, i) => {
    const row = sheet.addRow(cells);
    row.eachCell((cell) => {
      cell.numFmt = '@';
    });
    if (i === 0) row.font = { bold: true };
  });
  sheet.columns.forEach((column, i) => {
    column.width = Math.max(10, (rows[0]![i] ?? '').length * 2 + 2);
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

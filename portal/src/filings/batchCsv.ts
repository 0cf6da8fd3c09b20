/** CSV text → rows of cell strings, quoting per RFC 4180 (csv-parse); one record is one spreadsheet row. */
import { CsvError, parse } from 'csv-parse/sync';

export type CsvRead = { ok: true; rows: string[][] } | { ok: false; row: number; detail: string };

export function readCsvRows(text: string): CsvRead {
  try {
    const rows: string[][] = parse(text, {
      // Rows may have fewer cells than the header (trailing empty cells left out); extra filled
      // cells are reported by the layout. Empty lines are kept so that row numbers stay the file's.
      relax_column_count: true,
      skip_empty_lines: false,
    });
    return { ok: true, rows };
  } catch (error) {
    if (error instanceof CsvError) {
      // The record being read when it failed, numbered as a spreadsheet shows rows.
      const row = (typeof error.records === 'number' ? error.records : 0) + 1;
      return { ok: false, row, detail: `${error.code}: ${error.message}` };
    }
    throw error;
  }
}

/**
 * CSV text → rows of cell strings, quoting per RFC 4180 (csv-parse); one record is one spreadsheet
 * row. Each record goes to `onRecord` as soon as it is read and is not collected: a 5,000-row file's
 * table of cells never lives whole beside what is made of it.
 */
import { CsvError, parse } from 'csv-parse/sync';

export type CsvRead = { ok: true } | { ok: false; row: number; detail: string };

export function readCsvRecords(text: string, onRecord: (cells: string[]) => void): CsvRead {
  try {
    parse(text, {
      // Rows may have fewer cells than the header (trailing empty cells left out); extra filled
      // cells are reported by the layout. Empty lines are kept so that row numbers stay the file's.
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (record: string[]) => {
        onRecord(record);
        return null;
      },
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof CsvError) {
      // The record being read when it failed, numbered as a spreadsheet shows rows.
      const row = (typeof error.records === 'number' ? error.records : 0) + 1;
      return { ok: false, row, detail: `${error.code}: ${error.message}` };
    }
    throw error;
  }
}

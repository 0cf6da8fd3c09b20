/**
 * CSV text → rows of cell strings, quoting per RFC 4180; one record is one spreadsheet row.
 *
 * csv-parse is the reference reader: its records, and its refusals with their row, are the
 * portal's. It reads byte by byte, though, and was the largest cost of a 5,000-row preview, so
 * papaparse reads first; its records are taken only when writing them back as Excel writes CSV
 * (a cell quoted only when it holds a comma, quote or line break; quotes doubled; CRLF between
 * records) gives the file's text exactly. Such text has one reading under RFC 4180, so both
 * libraries agree on it (a property test holds them to it); any other file (other line endings,
 * quotes where none are needed, anything malformed) goes to csv-parse alone.
 */
import { CsvError, parse } from 'csv-parse/sync';
import Papa from 'papaparse';

export type CsvRead = { ok: true } | { ok: false; row: number; detail: string };

const CRLF = '\r\n';
const NEEDS_QUOTES = /[",\r\n]/;

/** A cell as Excel writes it (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. */
export function excelCsvCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A record as Excel writes it. */
function written(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += excelCsvCell(cells[i]!);
  }
  return line;
}

/** papaparse's records, when written back they are the text itself; otherwise undefined. */
function excelRecords(text: string): string[][] | undefined {
  if (text === '') return undefined;
  const result = Papa.parse<string[]>(text, {
    delimiter: ',',
    newline: CRLF,
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
  });
  if (result.errors.length > 0) return undefined;
  const records = result.data;
  const endsWithBreak = text.endsWith(CRLF);
  // A final line break ends the last record; papaparse reads an empty record after it.
  if (endsWithBreak) {
    const last = records.pop();
    if (last?.length !== 1 || last[0] !== '') return undefined;
  }
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    const line = written(records[i]!);
    if (!text.startsWith(line, at)) return undefined;
    at += line.length;
    if (i < records.length - 1 || endsWithBreak) {
      if (!text.startsWith(CRLF, at)) return undefined;
      at += CRLF.length;
    }
  }
  return at === text.length ? records : undefined;
}

/** Each record in order to `onRecord`; a refusal names the row being read when the text broke. */
export function readCsvRecords(text: string, onRecord: (cells: string[]) => void): CsvRead {
  const fast = excelRecords(text);
  if (fast) {
    for (const cells of fast) onRecord(cells);
    return { ok: true };
  }
  try {
    parse(text, {
      // Rows may have fewer cells than the header (trailing empty cells left out); extra filled
      // cells are reported by the layout. Empty lines are kept so that row numbers stay the file's.
      relax_column_count: true,
      skip_empty_lines: false,
      // Each record goes on as soon as it is read: the table of cells is not collected.
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

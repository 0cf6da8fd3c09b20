/**
 * CSV for Excel in Taiwan: UTF-8 with a BOM (without it Excel reads the bytes as CP950 and garbles
 * every Chinese name), CRLF line ends, RFC 4180 quoting. A cell starting with = + - @ (or a tab / CR)
 * gets a leading apostrophe so that Excel shows it as text instead of running it as a formula.
 */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The whole file: BOM, header, rows. */
export function csvDocument(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>,
): Buffer {
  return Buffer.from(UTF8_BOM + csvLine(header) + rows.map(csvLine).join(''), 'utf8');
}

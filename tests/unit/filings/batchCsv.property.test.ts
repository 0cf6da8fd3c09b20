/**
 * The batch CSV reader (portal/src/filings/batchCsv.ts) against csv-parse, the reference: for any
 * text, the same records, or the same refusal at the same row. papaparse's records are only taken
 * for text written as Excel writes CSV, so both kinds of text are generated: arbitrary characters
 * (mostly the ones CSV gives meaning to), and records written back Excel's way, which the fast
 * reading must take.
 */
import { CsvError, parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from '../../../portal/src/filings/batchCsv.ts';
import { csvText } from '../../support/batchFiles.ts';

type Read = { records: string[][] } | { row: number };

function reference(text: string): Read {
  try {
    const records: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: false });
    return { records };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { row: (typeof error.records === 'number' ? error.records : 0) + 1 };
  }
}

function read(text: string): Read {
  const records: string[][] = [];
  const result = readCsvRecords(text, (cells) => records.push(cells));
  return result.ok ? { records } : { row: result.row };
}

const csvChar = fc.constantFrom('a', '中', ' ', ',', '"', '\r', '\n', '\r\n', '\uFEFF');
const anyText = fc.array(csvChar, { maxLength: 40 }).map((parts) => parts.join(''));
const cell = fc.array(csvChar, { maxLength: 6 }).map((parts) => parts.join(''));
const records = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });

describe('batch CSV reading', () => {
  it('reads any text as csv-parse does: the same records or the same refusal row', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(read(text)).toEqual(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads text written as Excel writes it as csv-parse does, with or without the last line break', () => {
    fc.assert(
      fc.property(records, fc.boolean(), (rows, lastBreak) => {
        const text = lastBreak ? csvText(rows) : csvText(rows).slice(0, -2);
        expect(read(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes a changed byte in Excel text as the changed file (one quote more is malformed)', () => {
    const text = csvText([
      ['姓名', '金額'],
      ['王小明', '29,500'],
    ]);
    expect(read(text)).toEqual({
      records: [
        ['姓名', '金額'],
        ['王小明', '29,500'],
      ],
    });
    const broken = text.replace('"29,500"', '"29,500""');
    expect(read(broken)).toEqual(reference(broken));
    expect(read(broken)).toHaveProperty('row');
  });
});

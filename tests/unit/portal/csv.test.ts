/** CSV for Excel (portal/src/services/queries/csv.ts): BOM, CRLF, quoting, formula cells as text. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from '../../../portal/src/services/queries/csv.ts';

describe('query CSV', () => {
  it('starts with the UTF-8 BOM and ends lines with CRLF', () => {
    const file = csvDocument(['姓名 Name', '金額'], [['王大明', 30300]]);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.subarray(3).toString('utf8')).toBe('姓名 Name,金額\r\n王大明,30300\r\n');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
  });

  it('keeps Excel from running a text cell as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+886')).toBe("'+886");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    // Numbers are written as numbers, negative ones included.
    expect(csvCell(-5)).toBe('-5');
  });
});

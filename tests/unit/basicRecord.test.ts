/**
 * NHI basic data record (57 bytes). Records are built by hand from the documented layout:
 *   0–11 card number · 12–31 name (Big5-HKSCS, NUL-padded) · 32–41 ID · 42–48 birth (ROC YYYMMDD) ·
 *   49 sex · 50–56 issue date (ROC YYYMMDD).
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  NHI_BASIC_LAYOUT,
  NhiRecordError,
  parseNhiBasicRecord,
} from '../../native-host/src/cards/nhi/basicRecord.ts';

interface RecordFields {
  cardNumber?: string;
  /** Name bytes (already encoded); padded with NULs to 20 bytes. */
  name?: Buffer;
  idNumber?: string;
  birthDate?: string;
  sex?: string;
  issueDate?: string;
}

/** Places each ASCII/byte field at its documented offset; unspecified bytes stay NUL. */
function buildRecord(fields: RecordFields = {}): Buffer {
  const f = {
    cardNumber: '000012345678',
    name: iconv.encode('王小明', 'big5hkscs'),
    idNumber: 'A123456789',
    birthDate: '0690229',
    sex: 'M',
    issueDate: '1120315',
    ...fields,
  };
  const record = Buffer.alloc(57, 0);
  record.write(f.cardNumber, 0, 12, 'latin1');
  f.name.copy(record, 12, 0, Math.min(f.name.length, 20));
  record.write(f.idNumber, 32, 10, 'latin1');
  record.write(f.birthDate, 42, 7, 'latin1');
  record.write(f.sex, 49, 1, 'latin1');
  record.write(f.issueDate, 50, 7, 'latin1');
  return record;
}

/** Gregorian → ROC YYYMMDD, computed here from the rule (ROC year = Gregorian − 1911). */
function roc(year: number, month: number, day: number): string {
  return `${String(year - 1911).padStart(3, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}
function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

describe('NHI_BASIC_LAYOUT', () => {
  it('tiles the 57-byte record with no gaps or overlaps, in the documented order', () => {
    const fields = Object.entries(NHI_BASIC_LAYOUT);
    expect(fields.map(([name]) => name)).toEqual([
      'cardNumber',
      'name',
      'idNumber',
      'birthDate',
      'sex',
      'issueDate',
    ]);
    let next = 0;
    for (const [, [start, end]] of fields) {
      expect(start).toBe(next);
      expect(end).toBeGreaterThan(start);
      next = end;
    }
    expect(next).toBe(57);
    expect(NHI_BASIC_LAYOUT.issueDate).toEqual([50, 57]);
    expect(NHI_BASIC_LAYOUT.birthDate).toEqual([42, 49]);
  });
});

describe('parseNhiBasicRecord', () => {
  it('reads every field from its offset', () => {
    const record = buildRecord({
      cardNumber: '000098765432',
      name: iconv.encode('陳大文', 'big5hkscs'),
      idNumber: 'A123456789',
      birthDate: '0690229', // 1980-02-29 (leap day)
      sex: 'F',
      issueDate: '1120315', // 2023-03-15
    });
    expect(parseNhiBasicRecord(record)).toEqual({
      cardNumber: '000098765432',
      name: '陳大文',
      idNumber: 'A123456789',
      idNumberValid: true,
      birthDate: '1980-02-29',
      sex: 'F',
      issueDate: '2023-03-15',
    });
  });

  it('strips NUL padding and surrounding spaces (ASCII and full-width) from the name', () => {
    // '王小明' followed by an ASCII space and a full-width space (Big5 A1 40), then NULs.
    const padded = iconv.encode(' 王小明 　', 'big5hkscs');
    expect(parseNhiBasicRecord(buildRecord({ name: padded })).name).toBe('王小明');
  });

  it('reads a name that fills all 20 bytes (no NUL terminator)', () => {
    const tenChars = '一二三四五六七八九十'; // 10 Big5 characters = 20 bytes
    const name = iconv.encode(tenChars, 'big5hkscs');
    expect(name.length).toBe(20);
    expect(parseNhiBasicRecord(buildRecord({ name })).name).toBe(tenChars);
  });

  it('trims trailing spaces and NULs from ASCII fields', () => {
    const record = buildRecord({ idNumber: 'A1234567' }); // 8 chars, rest NUL
    record.write('  ', 40, 'latin1'); // …then two spaces fill the field
    const parsed = parseNhiBasicRecord(record);
    expect(parsed.idNumber).toBe('A1234567');
    expect(parsed.idNumberValid).toBe(false);
  });

  it('decodes HKSCS characters (𠕇 = FA40, 峯) rather than private-use code points', () => {
    const name = iconv.encode('林𠕇峯', 'big5hkscs');
    // Guard the fixture itself: 𠕇 really is FA 40 in Big5-HKSCS.
    expect(name.subarray(2, 4)).toEqual(Buffer.from([0xfa, 0x40]));
    const parsed = parseNhiBasicRecord(buildRecord({ name }));
    expect(parsed.name).toBe('林𠕇峯');
    expect(parsed.name.codePointAt(1)).toBe(0x20547); // 𠕇 is outside the BMP, not U+E000…
  });

  it('also decodes FA40 written directly as bytes', () => {
    const name = Buffer.from([0xfa, 0x40]);
    expect(parseNhiBasicRecord(buildRecord({ name })).name).toBe('𠕇');
  });

  it('reports the ID checksum in idNumberValid without rejecting the record', () => {
    expect(parseNhiBasicRecord(buildRecord({ idNumber: 'A123456789' })).idNumberValid).toBe(true);
    const bad = parseNhiBasicRecord(buildRecord({ idNumber: 'A123456788' }));
    expect(bad.idNumberValid).toBe(false);
    expect(bad.idNumber).toBe('A123456788');
  });

  it('upper-cases the ID number before checking it', () => {
    const parsed = parseNhiBasicRecord(buildRecord({ idNumber: 'a123456789' }));
    expect(parsed.idNumber).toBe('A123456789');
    expect(parsed.idNumberValid).toBe(true);
  });

  it('takes the issue date from bytes 50–56, not from the birth date', () => {
    // Year, month and day all differ, so any derivation from the birth date would show.
    const record = buildRecord({ birthDate: '0750412', issueDate: '1081130' });
    const parsed = parseNhiBasicRecord(record);
    expect(parsed.birthDate).toBe('1986-04-12');
    expect(parsed.issueDate).toBe('2019-11-30');
  });

  it('keeps birth and issue dates independent for any pair of valid dates', () => {
    const date = fc
      .date({
        min: new Date(Date.UTC(1912, 0, 1)),
        max: new Date(Date.UTC(2910, 11, 31)),
        noInvalidDate: true,
      })
      .map((d) => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()] as const);
    fc.assert(
      fc.property(date, date, ([by, bm, bd], [iy, im, idd]) => {
        const parsed = parseNhiBasicRecord(
          buildRecord({ birthDate: roc(by, bm, bd), issueDate: roc(iy, im, idd) }),
        );
        expect(parsed.birthDate).toBe(iso(by, bm, bd));
        expect(parsed.issueDate).toBe(iso(iy, im, idd));
      }),
      { numRuns: 300 },
    );
  });

  it.each([0, 56, 58, 128])('rejects a record of %i bytes', (length) => {
    expect(() => parseNhiBasicRecord(Buffer.alloc(length, 0x30))).toThrow(NhiRecordError);
  });

  it.each([
    ['letters', '00001234567A'],
    ['too short', '00001234567'],
    ['blank', ''],
  ])('rejects a card number that is not 12 digits (%s)', (_, cardNumber) => {
    expect(() => parseNhiBasicRecord(buildRecord({ cardNumber }))).toThrow(NhiRecordError);
  });

  it.each(['X', 'm', '1', ''])('rejects sex %j', (sex) => {
    expect(() => parseNhiBasicRecord(buildRecord({ sex }))).toThrow(NhiRecordError);
  });

  it.each([
    ['month 13', '0751301'],
    ['month 00', '0750001'],
    ['30 February', '0750230'],
    ['29 February in a common year', '0700229'],
    ['day 00', '0750400'],
    ['ROC year 000', '0000101'],
    ['non-digits', '07504AB'],
    ['blank', ''],
  ])('rejects an impossible birth date (%s)', (_, birthDate) => {
    expect(() => parseNhiBasicRecord(buildRecord({ birthDate }))).toThrow(NhiRecordError);
  });

  it.each([
    ['month 13', '1121301'],
    ['30 February', '1120230'],
    ['ROC year 000', '0000101'],
  ])('rejects an impossible issue date (%s)', (_, issueDate) => {
    expect(() => parseNhiBasicRecord(buildRecord({ issueDate }))).toThrow(NhiRecordError);
  });
});

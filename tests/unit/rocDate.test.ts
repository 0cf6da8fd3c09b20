/** ROC (Minguo) dates: ROC year + 1911 = Gregorian year; YYYMMDD on cards, ISO YYYY-MM-DD out. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoToRocDate, RocDateError, rocToIsoDate } from '../../shared/tw/rocDate.ts';

describe('rocToIsoDate', () => {
  it.each([
    ['0010101', '1912-01-01'], // first day of the ROC calendar
    ['0690229', '1980-02-29'], // leap day
    ['0890229', '2000-02-29'], // 2000 is a leap year (divisible by 400)
    ['1131231', '2024-12-31'],
    ['9991231', '2910-12-31'], // last representable day
  ])('converts %s to %s', (roc, iso) => {
    expect(rocToIsoDate(roc)).toBe(iso);
  });

  it.each([
    ['29 Feb in a common year (ROC 070 = 1981)', '0700229'],
    ['29 Feb 2100 (not a leap year)', '1890229'],
    ['30 February', '0690230'],
    ['31 April', '0750431'],
    ['month 13', '0751301'],
    ['month 00', '0750001'],
    ['day 00', '0750100'],
    ['day 32', '0750132'],
    ['ROC year 000', '0000101'],
  ])('rejects a day that does not exist: %s', (_, roc) => {
    expect(() => rocToIsoDate(roc)).toThrow(RocDateError);
  });

  it.each(['', '690229', '00690229', '069-02-29', '069022a', ' 0690229', '0690229\n', '１２３４５６７'])(
    'rejects a malformed value %j',
    (roc) => {
      expect(() => rocToIsoDate(roc)).toThrow(RocDateError);
    },
  );
});

describe('isoToRocDate', () => {
  it.each([
    ['1912-01-01', '0010101'],
    ['1980-02-29', '0690229'],
    ['2023-03-15', '1120315'],
    ['2910-12-31', '9991231'],
  ])('converts %s to %s', (iso, roc) => {
    expect(isoToRocDate(iso)).toBe(roc);
  });

  it.each([
    ['before the ROC calendar', '1911-12-31'],
    ['after ROC 999', '2911-01-01'],
    ['a day that does not exist', '1981-02-29'],
    ['month 13', '2020-13-01'],
    ['not ISO', '2020/01/01'],
    ['short year', '20-01-01'],
    ['blank', ''],
  ])('rejects %s (%s)', (_, iso) => {
    expect(() => isoToRocDate(iso)).toThrow(RocDateError);
  });
});

describe('round trip', () => {
  const isoDate = fc
    .date({ min: new Date(Date.UTC(1912, 0, 1)), max: new Date(Date.UTC(2910, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it('isoToRocDate then rocToIsoDate gives the same day for every date 1912..2910', () => {
    fc.assert(
      fc.property(isoDate, (iso) => {
        const roc = isoToRocDate(iso);
        expect(roc).toMatch(/^\d{7}$/);
        // The year part follows the rule, independently of the implementation.
        expect(Number(roc.slice(0, 3))).toBe(Number(iso.slice(0, 4)) - 1911);
        expect(roc.slice(3)).toBe(iso.slice(5, 7) + iso.slice(8, 10));
        expect(rocToIsoDate(roc)).toBe(iso);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts a ROC date exactly when its Gregorian day exists', () => {
    const parts = fc.record({
      year: fc.integer({ min: 1, max: 999 }),
      month: fc.integer({ min: 0, max: 14 }),
      day: fc.integer({ min: 0, max: 32 }),
    });
    fc.assert(
      fc.property(parts, ({ year, month, day }) => {
        const roc = `${String(year).padStart(3, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
        const gregorian = year + 1911;
        const leap = (gregorian % 4 === 0 && gregorian % 100 !== 0) || gregorian % 400 === 0;
        const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        const exists = month >= 1 && month <= 12 && day >= 1 && day <= monthDays[month - 1]!;
        if (exists) expect(rocToIsoDate(roc)).toBe(`${gregorian}-${roc.slice(3, 5)}-${roc.slice(5, 7)}`);
        else expect(() => rocToIsoDate(roc)).toThrow(RocDateError);
      }),
      { numRuns: 2000 },
    );
  });
});

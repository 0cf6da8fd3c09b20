/** Dates as a clerk sees them: the Taipei calendar day, and ROC / Gregorian writing. */
import { describe, expect, it } from 'vitest';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { RocDateError } from '../../../shared/tw/rocDate.ts';

describe('taipeiDate', () => {
  it.each([
    ['2026-12-01T15:59:59.999Z', '2026-12-01'], // 23:59:59 in Taipei
    ['2026-12-01T16:00:00.000Z', '2026-12-02'], // midnight in Taipei
    ['2026-12-31T16:00:00.000Z', '2027-01-01'], // new year in Taipei, still 31 Dec in UTC
    ['2028-02-28T16:00:00.000Z', '2028-02-29'], // leap day
  ])('turns %s into %s', (instant, day) => {
    expect(taipeiDate(new Date(instant))).toBe(day);
  });

  it('refuses an invalid instant', () => {
    expect(() => taipeiDate(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('formatClerkDate', () => {
  it('writes the ROC year, the Gregorian year, or both', () => {
    expect(formatClerkDate('2026-12-02')).toBe('115/12/02');
    expect(formatClerkDate('2026-12-02', 'gregorian')).toBe('2026/12/02');
    expect(formatClerkDate('2026-12-02', 'both')).toBe('115/12/02 (2026/12/02)');
  });

  it('writes a two-digit ROC year without a leading zero', () => {
    expect(formatClerkDate('2010-12-31')).toBe('99/12/31');
  });

  it('refuses a day that does not exist', () => {
    expect(() => formatClerkDate('2026-02-29')).toThrow(RocDateError);
  });
});

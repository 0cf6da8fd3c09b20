/** Day arithmetic on ISO dates: real days only, leap years, month and year ends, both directions. */
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isRealIsoDate, lastDayOf } from '../../../shared/fields/calendar.ts';

describe('calendar', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-1-01', false],
    ['2026-01-01\n', false],
    ['２０２６-01-01', false],
    ['0099-12-31', false],
    ['0100-01-01', true],
    ['9999-12-31', true],
  ])('%s is a real ISO date: %s', (text, real) => {
    expect(isRealIsoDate(text)).toBe(real);
  });

  it('adds days across month, leap-day and year ends, and back', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-03', 3)).toBe('2026-12-06');
    expect(addDays('1970-01-01', -1)).toBe('1969-12-31');
    expect(addDays('2000-03-01', -366)).toBe('1999-03-01');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
  });

  it('counts whole days either way, as Date does', () => {
    for (const [from, to] of [
      ['2026-12-03', '2027-03-01'],
      ['1900-01-01', '2199-12-31'],
      ['2024-02-29', '2023-02-28'],
    ] as const) {
      expect(daysBetween(from, to)).toBe((Date.parse(to) - Date.parse(from)) / 86_400_000);
    }
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow(RangeError);
  });
});

/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD) and months (YYYY-MM), without time zones: filings
 * speak of calendar days in Taipei, so days are counted on the proleptic Gregorian calendar in UTC.
 * Days are counted with integer arithmetic (no regular expressions, no Date objects on the common
 * path): every filing of a 5,000-row batch runs these several times.
 */

const ISO_MONTH = /^(\d{4})-(\d{2})$/;
const DASH = 0x2d;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(y: number, month: number): number {
  return month === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** The ASCII digits text[start, end) as a number, or -1 when any is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** True when the text is YYYY-MM-DD and that day exists (leap days included). */
export function isRealIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return false;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 7);
  const d = digitsAt(text, 8, 10);
  // Years 0000–0099 stay refused, as they always were here (Date.UTC read them as 1900–1999).
  if (y < 100 || mo < 1 || mo > 12) return false;
  return d >= 1 && d <= daysInMonth(y, mo);
}

export function isIsoMonth(text: string): boolean {
  const m = ISO_MONTH.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** Days since 1970-01-01 of a real ISO date (H. Hinnant's days_from_civil). */
function dayNumber(iso: string): number {
  if (!isRealIsoDate(iso)) throw new RangeError(`not a real ISO date: ${JSON.stringify(iso)}`);
  const m = digitsAt(iso, 5, 7);
  const y = digitsAt(iso, 0, 4) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + digitsAt(iso, 8, 10) - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The ISO date of a day number (civil_from_days); years outside 0100–9999 as Date writes them. */
function isoOfDay(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 100 || y > 9999) return new Date(days * 86_400_000).toISOString().slice(0, 10);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** The day `days` after (or before, if negative) an ISO date. */
export function addDays(iso: string, days: number): string {
  return isoOfDay(dayNumber(iso) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** The month `count` months after (or before) a YYYY-MM month. */
export function addMonths(month: string, count: number): string {
  if (!isIsoMonth(month)) throw new RangeError(`not a YYYY-MM month: ${JSON.stringify(month)}`);
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + count;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function firstDayOf(month: string): string {
  return `${month}-01`;
}

export function lastDayOf(month: string): string {
  return addDays(firstDayOf(addMonths(month, 1)), -1);
}

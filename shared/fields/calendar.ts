/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD) and months (YYYY-MM), without time zones: filings
 * speak of calendar days in Taipei, so days are counted on the proleptic Gregorian calendar in UTC.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

/** True when the text is YYYY-MM-DD and that day exists (leap days included). */
export function isRealIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function isIsoMonth(text: string): boolean {
  const m = ISO_MONTH.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

function toUtc(iso: string): Date {
  if (!isRealIsoDate(iso)) throw new RangeError(`not a real ISO date: ${JSON.stringify(iso)}`);
  return new Date(`${iso}T00:00:00Z`);
}

/** The day `days` after (or before, if negative) an ISO date. */
export function addDays(iso: string, days: number): string {
  const d = toUtc(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
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

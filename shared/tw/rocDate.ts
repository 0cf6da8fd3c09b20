/**
 * ROC (Minguo) calendar dates as stored on NHI cards: YYYMMDD with the year counted from 1912
 * (ROC year + 1911 = Gregorian year).
 */
import { isRealIsoDate } from '../fields/calendar.ts';

export class RocDateError extends Error {}

/** Converts a 7-character ROC date `YYYMMDD` to ISO `YYYY-MM-DD`, checking that the day exists. */
export function rocToIsoDate(roc: string): string {
  if (!/^\d{7}$/.test(roc)) throw new RocDateError(`not a YYYMMDD ROC date: ${JSON.stringify(roc)}`);
  const rocYear = Number(roc.slice(0, 3));
  if (rocYear < 1) throw new RocDateError(`ROC year must be at least 1: ${roc}`);
  // Years 1912–2910: always four digits. The calendar's own check, not a Date per card read.
  const iso = `${rocYear + 1911}-${roc.slice(3, 5)}-${roc.slice(5, 7)}`;
  if (!isRealIsoDate(iso)) throw new RocDateError(`no such day: ${roc}`);
  return iso;
}

/** The inverse, used by the lab to write card data: ISO `YYYY-MM-DD` to ROC `YYYMMDD`. */
export function isoToRocDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RocDateError(`not an ISO date: ${JSON.stringify(iso)}`);
  const rocYear = Number(m[1]) - 1911;
  if (rocYear < 1 || rocYear > 999) throw new RocDateError(`outside the ROC calendar: ${iso}`);
  const roc = `${String(rocYear).padStart(3, '0')}${m[2]}${m[3]}`;
  rocToIsoDate(roc); // validates the day
  return roc;
}

/** ISO `YYYY-MM-DD` as Taiwanese forms write it: ROC year, `115/12/31`. */
export function rocDisplayDate(iso: string): string {
  const roc = isoToRocDate(iso);
  return `${Number(roc.slice(0, 3))}/${roc.slice(3, 5)}/${roc.slice(5, 7)}`;
}

/** A month `YYYY-MM` as Taiwanese forms write it: `115/11`. */
export function rocDisplayMonth(month: string): string {
  return rocDisplayDate(`${month}-01`).slice(0, -3);
}

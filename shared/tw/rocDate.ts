/**
 * ROC (Minguo) calendar dates as stored on NHI cards: YYYMMDD with the year counted from 1912
 * (ROC year + 1911 = Gregorian year).
 */

export class RocDateError extends Error {}

/** Converts a 7-character ROC date `YYYMMDD` to ISO `YYYY-MM-DD`, checking that the day exists. */
export function rocToIsoDate(roc: string): string {
  if (!/^\d{7}$/.test(roc)) throw new RocDateError(`not a YYYMMDD ROC date: ${JSON.stringify(roc)}`);
  const rocYear = Number(roc.slice(0, 3));
  const month = Number(roc.slice(3, 5));
  const day = Number(roc.slice(5, 7));
  if (rocYear < 1) throw new RocDateError(`ROC year must be at least 1: ${roc}`);
  const year = rocYear + 1911;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RocDateError(`no such day: ${roc}`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
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

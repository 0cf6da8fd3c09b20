/**
 * Dates as a clerk in Taiwan sees them: the calendar day in Asia/Taipei, written with the ROC year
 * (115/12/02) and/or the Gregorian year (2026/12/02). Builds on rocDate.ts for the ROC conversion.
 */
import { isoToRocDate } from './rocDate.ts';

/** Taiwan has kept UTC+8 without daylight saving since 1980, so a fixed offset is exact for filings. */
const TAIPEI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar day (ISO YYYY-MM-DD) in Asia/Taipei at the given instant. */
export function taipeiDate(instant: Date): string {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('not a valid instant');
  return new Date(t + TAIPEI_OFFSET_MS).toISOString().slice(0, 10);
}

export type ClerkDateStyle = 'roc' | 'gregorian' | 'both';

/** Writes an ISO date the Taiwanese way: 'roc' 115/12/02, 'gregorian' 2026/12/02, 'both' 115/12/02 (2026/12/02). */
export function formatClerkDate(iso: string, style: ClerkDateStyle = 'roc'): string {
  const roc = isoToRocDate(iso); // also checks that the day exists
  // The ROC year is written without leading zeros (99/12/31, 115/01/02).
  const rocText = `${Number(roc.slice(0, 3))}/${roc.slice(3, 5)}/${roc.slice(5, 7)}`;
  const gregorianText = iso.replaceAll('-', '/');
  if (style === 'roc') return rocText;
  if (style === 'gregorian') return gregorianText;
  return `${rocText} (${gregorianText})`;
}

/**
 * Dates as a clerk in Taiwan sees them, written with the ROC year (115/12/02) and/or the Gregorian
 * year (2026/12/02). The day itself comes from taipeiTime.ts; the ROC conversion from rocDate.ts.
 */
import { rocDisplayDate } from './rocDate.ts';
import { taipeiNow } from './taipeiTime.ts';

export type ClerkDateStyle = 'roc' | 'gregorian' | 'both';

/** Writes an ISO date the Taiwanese way: 'roc' 115/12/02, 'gregorian' 2026/12/02, 'both' 115/12/02 (2026/12/02). */
export function formatClerkDate(iso: string, style: ClerkDateStyle = 'roc'): string {
  const rocText = rocDisplayDate(iso); // also checks that the day exists
  const gregorianText = iso.replaceAll('-', '/');
  if (style === 'roc') return rocText;
  if (style === 'gregorian') return gregorianText;
  return `${rocText} (${gregorianText})`;
}

/** An instant as Taipei wall-clock date and time: 'roc' 115/12/02 21:42, 'gregorian' 2026/12/02 21:42. */
export function formatClerkDateTime(instant: Date | string, style: ClerkDateStyle = 'roc'): string {
  const { date, time } = taipeiNow(typeof instant === 'string' ? new Date(instant) : instant);
  return `${formatClerkDate(date, style)} ${time}`;
}

/**
 * Calendar dates and times in Asia/Taipei. Taiwan has kept UTC+8 without daylight saving since 1979,
 * so a fixed offset is exact for every date the portal handles and needs no time-zone database
 * (which the extension's pages may not have).
 */
const TAIPEI_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface TaipeiDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** YYYY-MM */
  month: string;
  day: number;
  /** HH:MM */
  time: string;
}

export function taipeiNow(now: Date): TaipeiDateTime {
  const t = now.getTime();
  if (!Number.isFinite(t)) throw new RangeError('not a valid instant');
  const iso = new Date(t + TAIPEI_OFFSET_MS).toISOString();
  return {
    date: iso.slice(0, 10),
    month: iso.slice(0, 7),
    day: Number(iso.slice(8, 10)),
    time: iso.slice(11, 16),
  };
}

/** The calendar day (ISO YYYY-MM-DD) in Asia/Taipei at the given instant. */
export function taipeiDate(instant: Date): string {
  return taipeiNow(instant).date;
}

/** The instant a Taipei wall-clock date and time (YYYY-MM-DD, HH:MM) happens. */
export function taipeiInstant(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

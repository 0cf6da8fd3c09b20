/**
 * Dated data with a source for every entry: a rule or table is a list of periods, each in force
 * from its `from` day until the next period starts. `status` says how far to trust it (the words of
 * shared/reference/taiwan-nhi-facts.md): 'confirmed' (two or more independent public sources agree),
 * 'unconfirmed' (one source, or a third-party copy only), 'designed' (no public source exists;
 * CardBridge chose it, and `note` says why).
 */

export type SourceStatus = 'confirmed' | 'unconfirmed' | 'designed';

export interface Sourced {
  source: string;
  status: SourceStatus;
  note?: string;
}

export interface DatedPeriod<T> extends Sourced {
  /** First day in force, ISO YYYY-MM-DD (Taipei calendar day). */
  from: string;
  value: T;
}

/** The period in force on an ISO date, or undefined before the first one. Periods may come in any order. */
export function inForceOn<T>(periods: readonly DatedPeriod<T>[], date: string): DatedPeriod<T> | undefined {
  let best: DatedPeriod<T> | undefined;
  for (const p of periods) if (p.from <= date && (best === undefined || p.from > best.from)) best = p;
  return best;
}

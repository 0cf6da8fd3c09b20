/**
 * Timing rules, as dated data: how late a filing may be before it is flagged, how far ahead a date
 * may lie, and the NHI Act art. 20 windows for insured-amount changes.
 */
import type { DatedPeriod } from '../rules/dated.ts';

export interface TimingPolicy {
  /** Enrolment and withdrawal are due within this many days after the event (NHI's 3-day rule). */
  filingDeadlineDays: number;
  /** No date in a filing may lie more than this many days after the filing day. */
  futureLimitDays: number;
}

export const TIMING_POLICY: readonly DatedPeriod<TimingPolicy>[] = [
  {
    from: '1995-03-01',
    value: { filingDeadlineDays: 3, futureLimitDays: 30 },
    source:
      'filingDeadlineDays: shared/reference/taiwan-nhi-facts.md ("Enrolment filings", NHI Act art. 15); ' +
      'futureLimitDays: designed by CardBridge',
    status: 'unconfirmed',
    note:
      'The 3-day rule wording is unconfirmed. 30 days ahead lets a clerk file a known start or leaving date ' +
      'in the coming month while catching year typos (2062 for 2026); it is CardBridge policy, not NHI law.',
  },
];

/**
 * NHI Act art. 20 (facts file): pay changed February–July → notify by the end of August; changed
 * August–January → by the end of the following February. The change takes effect on the first day
 * of the month after the notification.
 */
export interface AdjustmentWindow {
  /** Months (1–12) in which the pay changed. */
  changedInMonths: readonly number[];
  /** Month (1–12) by whose end the unit must notify. */
  notifyByEndOfMonth: number;
}

export const ART20_WINDOWS: readonly DatedPeriod<readonly AdjustmentWindow[]>[] = [
  {
    from: '2011-01-26',
    value: [
      { changedInMonths: [2, 3, 4, 5, 6, 7], notifyByEndOfMonth: 8 },
      { changedInMonths: [8, 9, 10, 11, 12, 1], notifyByEndOfMonth: 2 },
    ],
    source:
      'shared/reference/taiwan-nhi-facts.md ("Insured-amount changes (art. 20)"); contacttaiwan.tw FAQ 10',
    status: 'confirmed',
    note: "The start date is the amended Act's promulgation (from memory, unconfirmed); the windows themselves agree in both sources.",
  },
];

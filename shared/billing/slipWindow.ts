/**
 * What the download area (下載區) and the slip mail offer on a given Taipei date: the slips issued
 * from January of the previous year up to the latest 20th, and the next issue date. The day a slip is
 * issued (SLIP_ISSUE_DAY) it is mailed and appears in the download area.
 */
import {
  addMonths,
  SLIP_ISSUE_DAY,
  slipIssuedIn,
  type BillingCycle,
  type SlipPeriod,
} from './slipSchedule.ts';

/** The first issue month kept: January of the previous year. */
export function retentionStart(today: string): string {
  return `${Number(today.slice(0, 4)) - 1}-01`;
}

/** The latest issue month whose 20th has come (YYYY-MM). */
export function latestIssueMonth(today: string): string {
  const month = today.slice(0, 7);
  return Number(today.slice(8, 10)) >= SLIP_ISSUE_DAY ? month : addMonths(month, -1);
}

/** The slips a unit of this cycle can download on `today` (ISO date, Taipei), newest first. */
export function downloadablePeriods(cycle: BillingCycle, today: string): SlipPeriod[] {
  const periods: SlipPeriod[] = [];
  const start = retentionStart(today);
  for (let month = latestIssueMonth(today); month >= start; month = addMonths(month, -1)) {
    const period = slipIssuedIn(cycle, month);
    if (period) periods.push(period);
  }
  return periods;
}

/** Whether a slip period may be downloaded on `today`: issued, and not before the retention start. */
export function isDownloadable(period: SlipPeriod, today: string): boolean {
  return period.issueMonth >= retentionStart(today) && period.issueMonth <= latestIssueMonth(today);
}

/** The next slip this unit is mailed: the first issue date on or after `today` with a slip for the cycle. */
export function nextSlip(cycle: BillingCycle, today: string): { issueDate: string; period: SlipPeriod } {
  let month = today.slice(0, 7);
  if (Number(today.slice(8, 10)) > SLIP_ISSUE_DAY) month = addMonths(month, 1);
  for (;;) {
    const period = slipIssuedIn(cycle, month);
    if (period) return { issueDate: `${month}-${String(SLIP_ISSUE_DAY).padStart(2, '0')}`, period };
    month = addMonths(month, 1);
  }
}

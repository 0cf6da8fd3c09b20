/**
 * What the download area (下載區) and the slip mail offer on a given Taipei date: the slips issued
 * from January of the previous year up to the latest 20th, and the next issue date. The day a slip is
 * issued (SLIP_ISSUE_DAY) it is mailed and appears in the download area.
 */
import { slipForIssueMonth, type CycleHistory } from './billingCycles.ts';
import { addMonths, SLIP_ISSUE_DAY, type BillingCycle, type SlipPeriod } from './slipSchedule.ts';

/** A unit's cycle history, or one cycle that never changed. */
const historyOf = (cycle: BillingCycle | CycleHistory): CycleHistory =>
  typeof cycle === 'string' ? { base: cycle, changes: [] } : cycle;

/** The first issue month kept: January of the previous year. */
export function retentionStart(today: string): string {
  return `${Number(today.slice(0, 4)) - 1}-01`;
}

/** The latest issue month whose 20th has come (YYYY-MM). */
export function latestIssueMonth(today: string): string {
  const month = today.slice(0, 7);
  return Number(today.slice(8, 10)) >= SLIP_ISSUE_DAY ? month : addMonths(month, -1);
}

/** The slips a unit of this cycle (history) can download on `today` (ISO date, Taipei), newest first. */
export function downloadablePeriods(cycle: BillingCycle | CycleHistory, today: string): SlipPeriod[] {
  const history = historyOf(cycle);
  const periods: SlipPeriod[] = [];
  const start = retentionStart(today);
  for (let month = latestIssueMonth(today); month >= start; month = addMonths(month, -1)) {
    const period = slipForIssueMonth(history, month);
    if (period) periods.push(period);
  }
  return periods;
}

/** Whether a slip period may be downloaded on `today`: issued, and not before the retention start. */
export function isDownloadable(period: SlipPeriod, today: string): boolean {
  return period.issueMonth >= retentionStart(today) && period.issueMonth <= latestIssueMonth(today);
}

/** The next slip this unit is mailed: the first issue date on or after `today` with a slip for the cycle. */
export function nextSlip(
  cycle: BillingCycle | CycleHistory,
  today: string,
): { issueDate: string; period: SlipPeriod } {
  const history = historyOf(cycle);
  let month = today.slice(0, 7);
  if (Number(today.slice(8, 10)) > SLIP_ISSUE_DAY) month = addMonths(month, 1);
  for (;;) {
    const period = slipForIssueMonth(history, month);
    if (period) return { issueDate: `${month}-${String(SLIP_ISSUE_DAY).padStart(2, '0')}`, period };
    month = addMonths(month, 1);
  }
}

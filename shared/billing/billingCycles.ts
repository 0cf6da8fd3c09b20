/**
 * A unit's billing cycle as dated history (issue 11): monthly or bi-monthly slips, changed from a
 * premium month on. The one answer to "which cycle is in force for this unit at this month", used by
 * the dispatch, the Slips page and the download area.
 *
 * `fromMonth` is the first premium month billed under the new cycle. Bi-monthly periods are an odd
 * month and the even one after it (slips issued in odd months, slipSchedule.ts), so a change starts in
 * an odd month: then the last slip of the old cycle and the first of the new one neither overlap nor
 * leave a month out, in both directions.
 */
import { addMonths, BILLING_CYCLES, slipIssuedIn, slipPeriodById } from './slipSchedule.ts';
import { SlipPeriodError, type BillingCycle, type SlipPeriod } from './slipSchedule.ts';

export interface CycleChange {
  /** First premium month billed under `cycle` (YYYY-MM, odd month). */
  fromMonth: string;
  cycle: BillingCycle;
}

export interface CycleHistory {
  /** The cycle before the first change (the unit's own `billing_cycle`). */
  base: BillingCycle;
  changes: readonly CycleChange[];
}

/** The cycle in force for a premium month (YYYY-MM): the latest change from that month or before. */
export function cycleInForce(history: CycleHistory, month: string): BillingCycle {
  let best: CycleChange | undefined;
  for (const c of history.changes)
    if (c.fromMonth <= month && (best === undefined || c.fromMonth > best.fromMonth)) best = c;
  return best?.cycle ?? history.base;
}

/** The slip a unit gets in an issue month, under the cycle in force for the month before it. */
export function slipForIssueMonth(history: CycleHistory, issueMonth: string): SlipPeriod | undefined {
  return slipIssuedIn(cycleInForce(history, addMonths(issueMonth, -1)), issueMonth);
}

/** A slip period by id, refused when the unit's cycle in force then is not the period's. */
export function unitSlipPeriod(history: CycleHistory, periodId: string): SlipPeriod {
  const period = slipPeriodById(periodId.includes('+') ? 'bimonthly' : 'monthly', periodId);
  if (cycleInForce(history, period.months[0]!) !== period.cycle)
    throw new SlipPeriodError(`the unit was not ${period.cycle} for ${periodId}`);
  return period;
}

/** What is wrong with a requested change, as the operator CLI's ERR_ code. */
export type CycleChangeProblem =
  | 'ERR_PORTAL_BILLING_CYCLE_INVALID'
  | 'ERR_PORTAL_BILLING_CYCLE_MONTH_INVALID'
  | 'ERR_PORTAL_BILLING_CYCLE_MONTH_BILLED';

/**
 * Checks a change before it is stored: a known cycle, an odd YYYY-MM month, and a month not billed
 * yet (later than the premium month of the latest slip issued, `latestIssueMonth`).
 */
export function checkCycleChange(
  cycle: string,
  fromMonth: string,
  latestIssueMonth: string,
): CycleChangeProblem | undefined {
  if (!(BILLING_CYCLES as readonly string[]).includes(cycle)) return 'ERR_PORTAL_BILLING_CYCLE_INVALID';
  const m = /^(\d{4})-(\d{2})$/.exec(fromMonth);
  const month = m ? Number(m[2]) : 0;
  if (month < 1 || month > 12 || month % 2 === 0) return 'ERR_PORTAL_BILLING_CYCLE_MONTH_INVALID';
  if (fromMonth < latestIssueMonth) return 'ERR_PORTAL_BILLING_CYCLE_MONTH_BILLED';
  return undefined;
}

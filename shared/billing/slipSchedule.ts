/**
 * Which premium months an e-payment slip (電子繳款單) covers, when it is issued and when it is due,
 * as dated rules with their sources.
 *
 * - Monthly units: the slip issued in month N+1 (mailed on the 20th) bills month N and is due by the
 *   end of month N+1 (NHI Act art. 30, taiwan-nhi-facts.md: "from memory: unconfirmed").
 * - Bi-monthly units get their slip in odd months (the e-service desk's own page: "雙月繳款單：單月
 *   20日"): the slip issued in odd month M bills months M−2 and M−1 and is due by the end of M
 *   (CardBridge's reading; unconfirmed).
 * - Late payment (art. 35, unconfirmed wording): 15 days' grace after the due date, then 0.1% of the
 *   amount a day, at most 15% for units.
 */
import { inForceOn, type DatedPeriod } from '../rules/dated.ts';
import { monthEnd } from './premium.ts';

export type BillingCycle = 'monthly' | 'bimonthly';
export const BILLING_CYCLES: readonly BillingCycle[] = ['monthly', 'bimonthly'];

export interface LatePaymentRule {
  graceDays: number;
  /** Surcharge per day after the grace, in 1/10,000 of the amount (10 = 0.1%). */
  dailyBasisPoints: number;
  /** The surcharge's cap, in 1/10,000 of the amount (1500 = 15%). */
  capBasisPoints: number;
}

export const LATE_PAYMENT_RULES: readonly DatedPeriod<LatePaymentRule>[] = [
  {
    from: '2025-01-01',
    value: { graceDays: 15, dailyBasisPoints: 10, capBasisPoints: 1500 },
    source: 'taiwan-nhi-facts.md "Premiums" (NHI Act art. 35)',
    status: 'unconfirmed',
  },
];

/** The day of the month slips are mailed and appear in the download area (Asia/Taipei). */
export const SLIP_ISSUE_DAY = 20;

export interface SlipPeriod {
  cycle: BillingCycle;
  /** The premium months billed, oldest first (YYYY-MM). */
  months: string[];
  /** The month the slip is issued in (YYYY-MM); it is mailed on SLIP_ISSUE_DAY. */
  issueMonth: string;
  /** The last day to pay without a surcharge's grace counting (ISO date). */
  dueDate: string;
  /** Stable name of the period: `2026-11` monthly, `2026-11+12` bi-monthly. */
  id: string;
}

export class SlipPeriodError extends Error {}

function parseMonth(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const value = m ? { year: Number(m[1]), month: Number(m[2]) } : undefined;
  if (!value || value.month < 1 || value.month > 12) throw new SlipPeriodError(`not a month: ${month}`);
  return value;
}

/** Adds whole months to a YYYY-MM month. */
export function addMonths(month: string, delta: number): string {
  const { year, month: m } = parseMonth(month);
  const index = year * 12 + (m - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The slip a unit of this cycle gets in an issue month, or undefined when it gets none then. */
export function slipIssuedIn(cycle: BillingCycle, issueMonth: string): SlipPeriod | undefined {
  const { month } = parseMonth(issueMonth);
  const dueDate = monthEnd(issueMonth);
  if (cycle === 'monthly') {
    const billed = addMonths(issueMonth, -1);
    return { cycle, months: [billed], issueMonth, dueDate, id: billed };
  }
  if (month % 2 === 0) return undefined;
  const first = addMonths(issueMonth, -2);
  const second = addMonths(issueMonth, -1);
  return { cycle, months: [first, second], issueMonth, dueDate, id: `${first}+${second.slice(5)}` };
}

/** The slip period a period id names, checked against the unit's cycle. */
export function slipPeriodById(cycle: BillingCycle, id: string): SlipPeriod {
  const m = /^(\d{4}-\d{2})(?:\+(\d{2}))?$/.exec(id);
  if (!m) throw new SlipPeriodError(`not a slip period: ${id}`);
  const first = m[1]!;
  const issue = addMonths(first, cycle === 'monthly' ? 1 : 2);
  const period = slipIssuedIn(cycle, issue);
  if (!period || period.id !== id) throw new SlipPeriodError(`no ${cycle} slip for period ${id}`);
  return period;
}

export function latePaymentRuleFor(
  month: string,
  table: readonly DatedPeriod<LatePaymentRule>[] = LATE_PAYMENT_RULES,
): LatePaymentRule {
  const found = inForceOn(table, `${month}-01`);
  if (!found) throw new SlipPeriodError(`no late-payment rule for ${month}`);
  return found.value;
}

/** The surcharge for paying `daysLate` days after the due date (whole NT$, rounded down). */
export function lateSurcharge(amount: number, daysLate: number, rule: LatePaymentRule): number {
  const chargedDays = Math.max(0, daysLate - rule.graceDays);
  const basisPoints = Math.min(chargedDays * rule.dailyBasisPoints, rule.capBasisPoints);
  return Math.floor((amount * basisPoints) / 10_000);
}

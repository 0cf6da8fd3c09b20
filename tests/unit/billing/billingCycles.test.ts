/** A unit's billing cycle as dated history (shared/billing/billingCycles.ts). */
import { describe, expect, it } from 'vitest';
import {
  checkCycleChange,
  cycleInForce,
  slipForIssueMonth,
  unitSlipPeriod,
  type CycleHistory,
} from '../../../shared/billing/billingCycles.ts';
import { addMonths } from '../../../shared/billing/slipSchedule.ts';
import { downloadablePeriods, nextSlip } from '../../../shared/billing/slipWindow.ts';

const toBimonthly: CycleHistory = {
  base: 'monthly',
  changes: [{ fromMonth: '2027-03', cycle: 'bimonthly' }],
};
const toMonthly: CycleHistory = { base: 'bimonthly', changes: [{ fromMonth: '2027-03', cycle: 'monthly' }] };

/** The premium months billed by the slips issued from `first` to `last`, in order. */
function billedMonths(history: CycleHistory, first: string, last: string): string[] {
  const months: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1))
    months.push(...(slipForIssueMonth(history, m)?.months ?? []));
  return months;
}

describe('billing cycle history', () => {
  it('answers the base cycle before any change and the latest change after it', () => {
    const history: CycleHistory = {
      base: 'monthly',
      changes: [
        { fromMonth: '2028-01', cycle: 'monthly' },
        { fromMonth: '2027-03', cycle: 'bimonthly' },
      ],
    };
    expect(cycleInForce(history, '2027-02')).toBe('monthly');
    expect(cycleInForce(history, '2027-03')).toBe('bimonthly');
    expect(cycleInForce(history, '2027-12')).toBe('bimonthly');
    expect(cycleInForce(history, '2028-01')).toBe('monthly');
  });

  it('bills every month exactly once across a change, in both directions', () => {
    expect(billedMonths(toMonthly, '2027-01', '2028-01')).toEqual(
      Array.from({ length: 14 }, (_, i) => addMonths('2026-11', i)),
    );
    expect(billedMonths(toBimonthly, '2027-01', '2028-01')).toEqual(
      Array.from({ length: 14 }, (_, i) => addMonths('2026-12', i)).slice(0, 13),
    );
  });

  it('gives a unit turned bi-monthly no slip in even months after the change', () => {
    expect(slipForIssueMonth(toBimonthly, '2027-03')?.id).toBe('2027-02');
    expect(slipForIssueMonth(toBimonthly, '2027-04')).toBeUndefined();
    expect(slipForIssueMonth(toBimonthly, '2027-05')?.id).toBe('2027-03+04');
    expect(slipForIssueMonth(toMonthly, '2027-03')?.id).toBe('2027-01+02');
    expect(slipForIssueMonth(toMonthly, '2027-04')?.id).toBe('2027-03');
  });

  it('accepts a period only of the cycle in force for it', () => {
    expect(unitSlipPeriod(toBimonthly, '2027-02').cycle).toBe('monthly');
    expect(unitSlipPeriod(toBimonthly, '2027-03+04').cycle).toBe('bimonthly');
    expect(() => unitSlipPeriod(toBimonthly, '2027-03')).toThrow(/not monthly/);
    expect(() => unitSlipPeriod(toBimonthly, '2027-01+02')).toThrow(/not bimonthly/);
  });

  it('feeds the download area and the next mailing', () => {
    expect(
      downloadablePeriods(toBimonthly, '2027-05-20')
        .map((p) => p.id)
        .slice(0, 4),
    ).toEqual(['2027-03+04', '2027-02', '2027-01', '2026-12']);
    expect(nextSlip(toBimonthly, '2027-03-21')).toMatchObject({
      issueDate: '2027-05-20',
      period: { id: '2027-03+04' },
    });
  });

  it('refuses an unknown cycle, a month that is not odd YYYY-MM, and a month already billed', () => {
    expect(checkCycleChange('bimonthly', '2027-03', '2026-12')).toBeUndefined();
    expect(checkCycleChange('weekly', '2027-03', '2026-12')).toBe('ERR_PORTAL_BILLING_CYCLE_INVALID');
    expect(checkCycleChange('monthly', '2027-04', '2026-12')).toBe('ERR_PORTAL_BILLING_CYCLE_MONTH_INVALID');
    expect(checkCycleChange('monthly', '2027-13', '2026-12')).toBe('ERR_PORTAL_BILLING_CYCLE_MONTH_INVALID');
    expect(checkCycleChange('monthly', '27-03', '2026-12')).toBe('ERR_PORTAL_BILLING_CYCLE_MONTH_INVALID');
    // The slip issued in 2026-12 billed 2026-11: a change from 2026-11 would rewrite it.
    expect(checkCycleChange('bimonthly', '2026-11', '2026-12')).toBe('ERR_PORTAL_BILLING_CYCLE_MONTH_BILLED');
    expect(checkCycleChange('bimonthly', '2027-01', '2026-12')).toBeUndefined();
  });
});

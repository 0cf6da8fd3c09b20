/** Slip periods, due dates and the late-payment surcharge. */
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  lateSurcharge,
  latePaymentRuleFor,
  slipIssuedIn,
  slipPeriodById,
  SlipPeriodError,
} from '../../../shared/billing/slipSchedule.ts';

describe('slip periods', () => {
  it('bills the previous month on a monthly slip, due at the end of the issue month', () => {
    expect(slipIssuedIn('monthly', '2026-12')).toEqual({
      cycle: 'monthly',
      months: ['2026-11'],
      issueMonth: '2026-12',
      dueDate: '2026-12-31',
      id: '2026-11',
    });
    expect(slipIssuedIn('monthly', '2027-01')?.months).toEqual(['2026-12']);
    expect(slipIssuedIn('monthly', '2028-03')?.dueDate).toBe('2028-03-31');
  });

  it('gives bi-monthly units a slip in odd months only, for the two months before', () => {
    expect(slipIssuedIn('bimonthly', '2026-12')).toBeUndefined();
    expect(slipIssuedIn('bimonthly', '2027-01')).toMatchObject({
      months: ['2026-11', '2026-12'],
      id: '2026-11+12',
    });
    expect(slipIssuedIn('bimonthly', '2026-03')).toMatchObject({
      months: ['2026-01', '2026-02'],
      dueDate: '2026-03-31',
    });
  });

  it('finds a period by its id and refuses ids that do not fit the cycle', () => {
    expect(slipPeriodById('monthly', '2026-11').issueMonth).toBe('2026-12');
    expect(slipPeriodById('bimonthly', '2026-11+12').issueMonth).toBe('2027-01');
    expect(() => slipPeriodById('bimonthly', '2026-12+01')).toThrow(SlipPeriodError);
    expect(() => slipPeriodById('bimonthly', '2026-11')).toThrow(SlipPeriodError);
    expect(() => slipPeriodById('monthly', '2026-11+12')).toThrow(SlipPeriodError);
    expect(() => slipPeriodById('monthly', '2026-13')).toThrow(SlipPeriodError);
  });

  it('adds months across years', () => {
    expect(addMonths('2026-01', -2)).toBe('2025-11');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-12', -24)).toBe('2024-12');
  });
});

describe('late-payment surcharge', () => {
  const rule = latePaymentRuleFor('2026-12');
  it('charges nothing within the grace days', () => {
    expect(lateSurcharge(100_000, 15, rule)).toBe(0);
  });
  it('charges 0.1% a day after the grace', () => {
    expect(lateSurcharge(100_000, 16, rule)).toBe(100);
    expect(lateSurcharge(100_000, 25, rule)).toBe(1_000);
  });
  it('stops at 15%', () => {
    expect(lateSurcharge(100_000, 400, rule)).toBe(15_000);
  });
});

/** Dated tables: the periods in force on a date, the minimum, and values from the facts file. */
import { describe, expect, it } from 'vitest';
import { inForceOn } from '../../../shared/rules/dated.ts';
import {
  GRADE_TABLES,
  LABOUR_INSURED_SALARY_GRADES,
  NHI_INSURED_AMOUNT_GRADES,
  gradesOn,
  minimumOn,
} from '../../../shared/filings/gradeTables.ts';
import { ART20_WINDOWS, TIMING_POLICY } from '../../../shared/filings/policy.ts';

describe('NHI insured-amount grades', () => {
  it('has the 58 grades of the facts file from 2026-01-01, 29,500 to 313,000', () => {
    const grades = gradesOn(NHI_INSURED_AMOUNT_GRADES, '2026-01-01');
    expect(grades).toHaveLength(58);
    expect(grades[0]).toBe(29500);
    expect(grades.at(-1)).toBe(313000);
    expect(grades).toContain(150000);
  });

  it('keeps 2025 (from 28,590) in force until the last day of 2025', () => {
    expect(minimumOn(NHI_INSURED_AMOUNT_GRADES, '2025-12-31')).toBe(28590);
    expect(minimumOn(NHI_INSURED_AMOUNT_GRADES, '2026-01-01')).toBe(29500);
    expect(gradesOn(NHI_INSURED_AMOUNT_GRADES, '2025-06-30')).toContain(28800);
    expect(gradesOn(NHI_INSURED_AMOUNT_GRADES, '2026-06-30')).not.toContain(28800);
  });

  it('has no grades before its first period', () => {
    expect(gradesOn(NHI_INSURED_AMOUNT_GRADES, '2024-12-31')).toEqual([]);
    expect(minimumOn(NHI_INSURED_AMOUNT_GRADES, '2024-12-31')).toBeUndefined();
  });

  it('gives the facts file check values with the 5.17% rate and the 30% / 60% shares', () => {
    // Employee share = round(amount × 5.17% × 30%); unit share = round(amount × 5.17% × 60% × 1.56).
    const employee = (amount: number) => Math.round((amount * 517 * 30) / 1_000_000);
    const unit = (amount: number) => Math.round((amount * 517 * 60 * 156) / 100_000_000);
    const grades = gradesOn(NHI_INSURED_AMOUNT_GRADES, '2026-01-01');
    expect(employee(grades[0]!)).toBe(458);
    expect(employee(grades.at(-1)!)).toBe(4855);
    expect(unit(grades.at(-1)!)).toBe(15146);
  });

  it('lists every table strictly ascending, with a source and a status on every period', () => {
    for (const table of [
      GRADE_TABLES.nhiInsuredAmount,
      GRADE_TABLES.labourInsuredSalary,
      GRADE_TABLES.labourPartTime,
    ]) {
      for (const period of table) {
        expect(period.source.length).toBeGreaterThan(10);
        expect(['confirmed', 'unconfirmed', 'designed']).toContain(period.status);
        period.value.forEach((g, i) => i > 0 && expect(g).toBeGreaterThan(period.value[i - 1]!));
      }
    }
    for (const period of [...GRADE_TABLES.pensionRates, ...TIMING_POLICY, ...ART20_WINDOWS]) {
      expect(period.source.length).toBeGreaterThan(10);
    }
  });
});

describe('labour insured-salary grades', () => {
  it('starts at the 2026 minimum wage and tops out at 45,800, marked unconfirmed', () => {
    const period = inForceOn(LABOUR_INSURED_SALARY_GRADES, '2026-03-15')!;
    expect(period.value[0]).toBe(29500);
    expect(period.value.at(-1)).toBe(45800);
    expect(period.status).toBe('unconfirmed');
  });

  it('uses the 2025 table on 2025-12-31', () => {
    expect(minimumOn(LABOUR_INSURED_SALARY_GRADES, '2025-12-31')).toBe(28590);
  });
});

describe('inForceOn', () => {
  it('picks the latest period started on or before the date, whatever the order', () => {
    const periods = [
      { from: '2026-01-01', value: 'b', source: 's', status: 'designed' as const },
      { from: '2025-01-01', value: 'a', source: 's', status: 'designed' as const },
    ];
    expect(inForceOn(periods, '2025-12-31')?.value).toBe('a');
    expect(inForceOn(periods, '2026-01-01')?.value).toBe('b');
    expect(inForceOn(periods, '2024-01-01')).toBeUndefined();
  });
});

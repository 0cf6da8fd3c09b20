/**
 * Health-insurance premium rules for employees of an insured unit, as dated data: each period says
 * from which month it applies and where its figures come from (taiwan-nhi-facts.md, "Premiums").
 * Figures are integers in fixed units so that the arithmetic is exact: the rate in 1/10,000, shares
 * and the average number of dependants in 1/100.
 */

import { inForceOn, type DatedPeriod } from '../rules/dated.ts';

export interface PremiumRules {
  /** Premium rate in 1/10,000 (517 = 5.17%). */
  rateBasisPoints: number;
  /** Shares of an employee's premium in 1/100 (NHI Act art. 27). */
  insuredSharePercent: number;
  unitSharePercent: number;
  governmentSharePercent: number;
  /** Dependants charged to the insured person at most (art. 18). */
  maxChargedDependants: number;
  /** Average number of dependants the unit pays for per employee, in 1/100 (0.56 → 56). */
  averageDependantsHundredths: number;
}

const FACTS =
  'taiwan-nhi-facts.md "Premiums — health insurance" (NHI Act arts. 18, 27; rate and average from third-party tables)';

/** Oldest first. The retention window (January of the previous year) starts inside the first period. */
export const PREMIUM_RULES: readonly DatedPeriod<PremiumRules>[] = [
  {
    from: '2025-01-01',
    value: {
      rateBasisPoints: 517,
      insuredSharePercent: 30,
      unitSharePercent: 60,
      governmentSharePercent: 10,
      maxChargedDependants: 3,
      averageDependantsHundredths: 56,
    },
    source: FACTS,
    status: 'unconfirmed',
    note: 'the shares and the cap on dependants are law; the rate and the average come from third-party tables',
  },
];

export class PremiumRulesError extends Error {}

/** The rules in force for a month (YYYY-MM). */
export function premiumRulesFor(
  month: string,
  table: readonly DatedPeriod<PremiumRules>[] = PREMIUM_RULES,
): PremiumRules {
  const found = inForceOn(table, `${month}-01`);
  if (!found) throw new PremiumRulesError(`no premium rules for ${month}`);
  return found.value;
}

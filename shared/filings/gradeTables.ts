/**
 * Grade tables, as dated data: the NHI insured-amount grades (全民健康保險投保金額分級表), the
 * labour-insurance insured-salary grades (勞工保險投保薪資分級表) and the labour pension
 * contribution-rate bounds. Insured amounts must be one of the grades in force on the effective date.
 */
import { inForceOn, type DatedPeriod } from '../rules/dated.ts';

const FACTS = 'shared/reference/taiwan-nhi-facts.md ("Premiums — health insurance")';
const PAYROLL_COPY_2026 =
  'supra126/taiwan-payroll data/2026.json (third-party copy citing nhi.gov.tw cp-19421, 衛部保字第1140153424號令, issued 2025-12-12)';

// prettier-ignore
const NHI_GRADES_2026 = [
  29500, 30300, 31800, 33300, 34800, 36300, 38200, 40100, 42000, 43900, 45800, 48200, 50600, 53000,
  55400, 57800, 60800, 63800, 66800, 69800, 72800, 76500, 80200, 83900, 87600, 92100, 96600, 101100,
  105600, 110100, 115500, 120900, 126300, 131700, 137100, 142500, 147900, 150000, 156400, 162800,
  169200, 175600, 182000, 189500, 197000, 204500, 212000, 219500, 228200, 236900, 245600, 254300,
  263000, 273000, 283000, 293000, 303000, 313000,
] as const;

/** NHI insured-amount grades (NT$ a month), lowest first; the lowest is the legal minimum. */
export const NHI_INSURED_AMOUNT_GRADES: readonly DatedPeriod<readonly number[]>[] = [
  {
    from: '2025-01-01',
    // 2025 differs from 2026 only at the bottom: 28,590 and 28,800 below the shared 30,300.
    value: [28590, 28800, ...NHI_GRADES_2026.slice(1)],
    source:
      `${FACTS}: "2025 started at 28,590"; the other 58 grades from supra126/taiwan-payroll data/2025.json ` +
      '(third-party copy citing nhi.gov.tw cp-17661)',
    status: 'unconfirmed',
    note: 'Only the first grade (28,590, the 2025 minimum wage) is in the facts file; 59 grades in the copy.',
  },
  {
    from: '2026-01-01',
    value: NHI_GRADES_2026,
    source: `${FACTS}, 58 grades; the same 58 grades in ${PAYROLL_COPY_2026}`,
    status: 'confirmed',
    note: 'Two third-party copies agree, both citing the NHIA; check values in the facts file.',
  },
];

const BLI_COPY =
  'supra126/taiwan-payroll data/{2025,2026}.json (one third-party copy citing bli.gov.tw/0005475.html)';

/**
 * Labour-insurance insured-salary grades for full-time workers (NT$ a month). The top grade 45,800
 * is also stated by contacttaiwan.tw (FAQ 10, tables since 2022).
 */
export const LABOUR_INSURED_SALARY_GRADES: readonly DatedPeriod<readonly number[]>[] = [
  {
    from: '2025-01-01',
    value: [28590, 28800, 30300, 31800, 33300, 34800, 36300, 38200, 40100, 42000, 43900, 45800],
    source: `${BLI_COPY}: 勞動部勞動保2字第1130087589號令, in force 2025-01-01`,
    status: 'unconfirmed',
    note: 'Full list from one third-party copy; first grade equals the 2025 minimum wage (facts file).',
  },
  {
    from: '2026-01-01',
    value: [29500, 30300, 31800, 33300, 34800, 36300, 38200, 40100, 42000, 43900, 45800],
    source: `${BLI_COPY}: 勞動部勞動保2字第1140091863號令 (2025-11-21), in force 2026-01-01`,
    status: 'unconfirmed',
    note: 'Full list from one third-party copy; first grade equals the 2026 minimum wage (facts file), top grade 45,800 also from contacttaiwan.tw.',
  },
];

/**
 * Grades below the minimum wage that labour insurance allows only for part-time workers (and a few
 * other groups the table names). A filing with one of them is accepted with a warning to confirm.
 */
export const LABOUR_PART_TIME_GRADES: readonly DatedPeriod<readonly number[]>[] = [
  {
    from: '2025-01-01',
    value: [
      11100, 12540, 13500, 15840, 16500, 17280, 17880, 19047, 20008, 21009, 22000, 23100, 24000, 25250, 26400,
      27600,
    ],
    source: BLI_COPY,
    status: 'unconfirmed',
  },
  {
    from: '2026-01-01',
    value: [
      11100, 12540, 13500, 15840, 16500, 17280, 17880, 19047, 20008, 21009, 22000, 23100, 24000, 25250, 26400,
      27600, 28590,
    ],
    source: BLI_COPY,
    status: 'unconfirmed',
  },
];

export interface PensionRateBounds {
  /** Employer contribution, whole percent of the monthly contribution wage: at least this. */
  employerMinPercent: number;
  /** Employee voluntary contribution, whole percent: from 0 up to this. */
  employeeMaxPercent: number;
}

export const LABOUR_PENSION_RATE_BOUNDS: readonly DatedPeriod<PensionRateBounds>[] = [
  {
    from: '2005-07-01',
    value: { employerMinPercent: 6, employeeMaxPercent: 6 },
    source: 'Labor Pension Act (勞工退休金條例) art. 14, as given in the project brief (issue 10 task)',
    status: 'unconfirmed',
    note: 'In force since the new pension system began (2005-07-01); not checked against the law text here. Whole percents only (CardBridge choice for the forms).',
  },
];

export interface GradeTables {
  nhiInsuredAmount: readonly DatedPeriod<readonly number[]>[];
  labourInsuredSalary: readonly DatedPeriod<readonly number[]>[];
  labourPartTime: readonly DatedPeriod<readonly number[]>[];
  pensionRates: readonly DatedPeriod<PensionRateBounds>[];
}

/** The tables CardBridge ships; checks take them as a parameter so tests and future years can pass others. */
export const GRADE_TABLES: GradeTables = {
  nhiInsuredAmount: NHI_INSURED_AMOUNT_GRADES,
  labourInsuredSalary: LABOUR_INSURED_SALARY_GRADES,
  labourPartTime: LABOUR_PART_TIME_GRADES,
  pensionRates: LABOUR_PENSION_RATE_BOUNDS,
};

/** The grades in force on an ISO date, lowest first (empty before the first table). */
export function gradesOn(table: readonly DatedPeriod<readonly number[]>[], date: string): readonly number[] {
  return inForceOn(table, date)?.value ?? [];
}

/** The lowest grade in force on a date: the legal minimum insured amount / salary. */
export function minimumOn(
  table: readonly DatedPeriod<readonly number[]>[],
  date: string,
): number | undefined {
  return gradesOn(table, date)[0];
}

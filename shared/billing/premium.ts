/**
 * A unit's monthly health-insurance premium, worked out from its roster's history.
 *
 * Rules (taiwan-nhi-facts.md, "Premiums — health insurance"; figures in premiumRules.ts):
 * - employee share = round(amount × rate × 30%) for the insured person and once more for each
 *   dependant, at most 3 dependants;
 * - unit share per employee = round(amount × rate × 60% × (1 + average dependants));
 * - a whole month is charged whatever day a person joins; the unit a person belongs to on the
 *   month's last day pays that month. A withdrawal date is the last insured day (inclusive), so a
 *   person who leaves on the last day of a month is still this unit's for that month
 *   (CardBridge's reading of "belongs at month end"; unconfirmed against NHI's own billing).
 * Rounding is half up to whole NT$, on exact integer arithmetic (no floating-point drift).
 */
import { premiumRulesFor, type PremiumRules } from './premiumRules.ts';

/** One spell of a person insured through this unit. A person who rejoins has a second spell. */
export interface InsuredSpell {
  idNumber: string;
  name: string;
  /** ISO date of enrolment. */
  from: string;
  /** ISO date of withdrawal: the last day insured through this unit. Absent while insured. */
  to?: string;
  /** Insured amount from a month (YYYY-MM) on, oldest first; the first entry covers the enrolment. */
  amounts: readonly { fromMonth: string; amount: number }[];
}

/** One spell of a dependant enrolled under an insured person of this unit. */
export interface DependantSpell {
  idNumber: string;
  name: string;
  insuredIdNumber: string;
  from: string;
  to?: string;
}

export interface DependantLine {
  idNumber: string;
  name: string;
  /** The dependant's premium, charged to the insured person; 0 past the third dependant. */
  share: number;
  charged: boolean;
}

export interface EmployeePremium {
  idNumber: string;
  name: string;
  insuredAmount: number;
  /** round(amount × rate × insured share): the insured person's own premium. */
  ownShare: number;
  dependants: DependantLine[];
  /** What the insured person pays: own share plus the charged dependants' shares. */
  personTotal: number;
  unitShare: number;
}

export interface UnitPremium {
  month: string;
  rules: PremiumRules;
  employees: EmployeePremium[];
  totals: {
    insuredPersons: number;
    dependants: number;
    chargedDependants: number;
    personShare: number;
    unitShare: number;
    /** What the unit remits: the persons' shares it withholds plus its own share. */
    total: number;
  };
}

export type BillingResult =
  { kind: 'bill'; premium: UnitPremium } | { kind: 'nothing-to-bill'; month: string };

export class BillingInputError extends Error {}

/** Round half up of numerator / denominator, both non-negative integers. */
function roundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** The insured person's own monthly premium share for an insured amount. */
export function employeeShare(amount: number, rules: PremiumRules): number {
  return roundHalfUp(amount * rules.rateBasisPoints * rules.insuredSharePercent, 10_000 * 100);
}

/** The unit's monthly premium share for one employee. */
export function unitShare(amount: number, rules: PremiumRules): number {
  return roundHalfUp(
    amount * rules.rateBasisPoints * rules.unitSharePercent * (100 + rules.averageDependantsHundredths),
    10_000 * 100 * 100,
  );
}

/** Last day of a month (YYYY-MM) as an ISO date. */
export function monthEnd(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new BillingInputError(`not a month: ${month}`);
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, '0')}`;
}

function coversDay(spell: { from: string; to?: string }, day: string): boolean {
  return spell.from <= day && (spell.to === undefined || spell.to >= day);
}

function amountFor(spell: InsuredSpell, month: string): number {
  let amount: number | undefined;
  for (const step of spell.amounts) if (step.fromMonth <= month) amount = step.amount;
  if (amount === undefined || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new BillingInputError(`no insured amount for ${spell.idNumber} in ${month}`);
  }
  return amount;
}

/** Bills one unit for one month from the roster's history. */
export function billUnitMonth(
  month: string,
  insured: readonly InsuredSpell[],
  dependants: readonly DependantSpell[],
  rules: PremiumRules = premiumRulesFor(month),
): BillingResult {
  const end = monthEnd(month);
  const atEnd = insured.filter((spell) => coversDay(spell, end));
  if (atEnd.length === 0) return { kind: 'nothing-to-bill', month };

  const dependantsOf = new Map<string, DependantSpell[]>();
  for (const spell of dependants) {
    if (!coversDay(spell, end)) continue;
    const list = dependantsOf.get(spell.insuredIdNumber) ?? [];
    list.push(spell);
    dependantsOf.set(spell.insuredIdNumber, list);
  }

  const employees = atEnd
    .map((spell): EmployeePremium => {
      const insuredAmount = amountFor(spell, month);
      const ownShare = employeeShare(insuredAmount, rules);
      // The earliest-enrolled dependants are the charged ones; ties by ID number keep it stable.
      const mine = (dependantsOf.get(spell.idNumber) ?? []).sort(
        (a, b) => a.from.localeCompare(b.from) || a.idNumber.localeCompare(b.idNumber),
      );
      const lines = mine.map((d, index): DependantLine => {
        const charged = index < rules.maxChargedDependants;
        return { idNumber: d.idNumber, name: d.name, share: charged ? ownShare : 0, charged };
      });
      const personTotal = ownShare + lines.reduce((sum, line) => sum + line.share, 0);
      return {
        idNumber: spell.idNumber,
        name: spell.name,
        insuredAmount,
        ownShare,
        dependants: lines,
        personTotal,
        unitShare: unitShare(insuredAmount, rules),
      };
    })
    .sort((a, b) => a.idNumber.localeCompare(b.idNumber));

  const personShare = employees.reduce((sum, e) => sum + e.personTotal, 0);
  const unitTotal = employees.reduce((sum, e) => sum + e.unitShare, 0);
  const dependantCount = employees.reduce((sum, e) => sum + e.dependants.length, 0);
  const charged = employees.reduce((sum, e) => sum + e.dependants.filter((d) => d.charged).length, 0);
  return {
    kind: 'bill',
    premium: {
      month,
      rules,
      employees,
      totals: {
        insuredPersons: employees.length,
        dependants: dependantCount,
        chargedDependants: charged,
        personShare,
        unitShare: unitTotal,
        total: personShare + unitTotal,
      },
    },
  };
}

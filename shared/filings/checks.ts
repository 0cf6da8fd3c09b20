/**
 * The filing checks (issue 10), pure functions of (filing, today in Asia/Taipei, tables[, roster]).
 * The same function runs in the pages before signing and in the portal on receipt and again at
 * processing time. 'error' refuses the filing; 'warning' accepts it flagged, with the reason shown.
 */
import { addMonths, daysBetween, firstDayOf, lastDayOf, monthOf } from '../fields/calendar.ts';
import * as rules from '../fields/rules.ts';
import type { FieldResult } from '../fields/rules.ts';
import type {
  AmountChangeFiling,
  CorrectionFiling,
  DependantEnrolFiling,
  DependantWithdrawFiling,
  EnrolFiling,
  Filing,
  WithdrawFiling,
} from './contracts.ts';
import { inForceOn, type DatedPeriod } from '../rules/dated.ts';
import type { FilingIssueCode } from './errors.ts';
import { gradesOn, type GradeTables } from './gradeTables.ts';
import type { FilingField } from './labels.ts';
import { ART20_WINDOWS, TIMING_POLICY, type AdjustmentWindow, type TimingPolicy } from './policy.ts';
import { applyFilingInPlace, hasDependants, workingCopy, type RosterSnapshot } from './roster.ts';

export type Severity = 'error' | 'warning';

export interface FilingIssue {
  field: FilingField;
  code: FilingIssueCode;
  severity: Severity;
}

export interface CheckContext {
  /** The filing day, ISO, in Asia/Taipei (shared/tw/taipeiTime.ts taipeiDate). */
  today: string;
  tables: GradeTables;
  timing?: readonly DatedPeriod<TimingPolicy>[];
  art20?: readonly DatedPeriod<readonly AdjustmentWindow[]>[];
  /** Without a roster, the roster rules are not checked (the pages may not have one). */
  roster?: RosterSnapshot;
}

/** True when the list holds an issue that refuses the filing. */
export function hasErrors(issues: readonly FilingIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** True when the filing came after its deadline (a warning: it is still taken; the row keeps `late`). */
export function isLateFiling(issues: readonly FilingIssue[]): boolean {
  return issues.some((i) => i.code === 'ERR_CHECK_LATE_FILING');
}

class Report {
  readonly issues: FilingIssue[] = [];
  error(field: FilingField, code: FilingIssueCode): void {
    this.issues.push({ field, code, severity: 'error' });
  }
  warning(field: FilingField, code: FilingIssueCode): void {
    this.issues.push({ field, code, severity: 'warning' });
  }
  /**
   * Runs a field rule on a value taken from a filing; reports its refusal, or a value that is not
   * already in the normalised form the rule returns (e.g. untrimmed or NFD text). Returns whether it passed.
   */
  rule(field: FilingField, result: FieldResult<unknown>, given: unknown): boolean {
    if (!result.ok) this.error(field, result.code);
    else if (result.value !== given) this.error(field, 'ERR_FIELD_NOT_NORMALISED');
    return result.ok && result.value === given;
  }
}

function timingOn(ctx: CheckContext): TimingPolicy {
  const period = inForceOn(ctx.timing ?? TIMING_POLICY, ctx.today);
  if (!period) throw new RangeError(`no timing policy in force on ${ctx.today}`);
  return period.value;
}

/** A date of the change itself: real, not too far ahead; late (3-day rule) is a warning when `deadline`. */
function checkEventDate(
  r: Report,
  ctx: CheckContext,
  field: FilingField,
  value: string,
  deadline: boolean,
): boolean {
  if (!r.rule(field, rules.date(value), value)) return false;
  const timing = timingOn(ctx);
  const ahead = daysBetween(ctx.today, value);
  if (ahead > timing.futureLimitDays) r.error(field, 'ERR_CHECK_DATE_TOO_FAR_AHEAD');
  // Due within N days after the event: on day N (Taipei) it is still on time, on day N+1 late.
  else if (deadline && -ahead > timing.filingDeadlineDays) r.warning(field, 'ERR_CHECK_LATE_FILING');
  return true;
}

function checkBirthDate(
  r: Report,
  ctx: CheckContext,
  birthDate: string,
  eventDate: string | undefined,
): void {
  if (!r.rule('birthDate', rules.date(birthDate), birthDate)) return;
  if (birthDate > ctx.today) r.error('birthDate', 'ERR_CHECK_BIRTH_IN_FUTURE');
  else if (eventDate !== undefined && birthDate >= eventDate)
    r.error('birthDate', 'ERR_CHECK_BIRTH_NOT_BEFORE_DATE');
}

function checkNhiAmount(r: Report, ctx: CheckContext, field: FilingField, amount: number, on: string): void {
  if (!r.rule(field, rules.amount(amount), amount)) return;
  const grades = gradesOn(ctx.tables.nhiInsuredAmount, on);
  if (grades.length === 0) r.error(field, 'ERR_CHECK_NO_TABLE_FOR_DATE');
  else if (amount < grades[0]!) r.error(field, 'ERR_CHECK_AMOUNT_BELOW_MINIMUM');
  else if (!grades.includes(amount)) r.error(field, 'ERR_CHECK_AMOUNT_NOT_A_GRADE');
}

function checkLabourFields(r: Report, ctx: CheckContext, f: EnrolFiling, on: string): void {
  const labourFields = ['labourInsuredSalary', 'employerPensionPercent', 'employeePensionPercent'] as const;
  if (f.scheme === 'nhi') {
    for (const field of labourFields)
      if (f[field] !== undefined) r.error(field, 'ERR_CHECK_LABOUR_FIELDS_NOT_JOINT');
    return;
  }
  for (const field of labourFields) if (f[field] === undefined) r.error(field, 'ERR_FIELD_REQUIRED');
  if (
    f.labourInsuredSalary !== undefined &&
    r.rule('labourInsuredSalary', rules.amount(f.labourInsuredSalary), f.labourInsuredSalary)
  ) {
    const grades = gradesOn(ctx.tables.labourInsuredSalary, on);
    if (grades.length === 0) r.error('labourInsuredSalary', 'ERR_CHECK_NO_TABLE_FOR_DATE');
    else if (gradesOn(ctx.tables.labourPartTime, on).includes(f.labourInsuredSalary)) {
      r.warning('labourInsuredSalary', 'ERR_CHECK_LABOUR_SALARY_PART_TIME');
    } else if (!grades.includes(f.labourInsuredSalary))
      r.error('labourInsuredSalary', 'ERR_CHECK_LABOUR_SALARY_NOT_A_GRADE');
  }
  const bounds = inForceOn(ctx.tables.pensionRates, on)?.value;
  if (
    f.employerPensionPercent !== undefined &&
    r.rule('employerPensionPercent', rules.percent(f.employerPensionPercent), f.employerPensionPercent)
  ) {
    if (bounds && f.employerPensionPercent < bounds.employerMinPercent) {
      r.error('employerPensionPercent', 'ERR_CHECK_EMPLOYER_PENSION_TOO_LOW');
    }
  }
  if (
    f.employeePensionPercent !== undefined &&
    r.rule('employeePensionPercent', rules.percent(f.employeePensionPercent), f.employeePensionPercent)
  ) {
    if (bounds && f.employeePensionPercent > bounds.employeeMaxPercent) {
      r.error('employeePensionPercent', 'ERR_CHECK_EMPLOYEE_PENSION_TOO_HIGH');
    }
  }
}

function checkEnrol(r: Report, ctx: CheckContext, f: EnrolFiling): void {
  const idOk = r.rule('idNumber', rules.idNumber(f.idNumber, ctx.today), f.idNumber);
  r.rule('name', rules.personName(f.name), f.name);
  const dateOk = checkEventDate(r, ctx, 'enrolmentDate', f.enrolmentDate, true);
  checkBirthDate(r, ctx, f.birthDate, dateOk ? f.enrolmentDate : undefined);
  if (dateOk) {
    checkNhiAmount(r, ctx, 'insuredAmount', f.insuredAmount, f.enrolmentDate);
    checkLabourFields(r, ctx, f, f.enrolmentDate);
  }
  if (idOk && ctx.roster) {
    if (ctx.roster.insured.has(f.idNumber)) r.error('idNumber', 'ERR_CHECK_ALREADY_INSURED');
    else if (ctx.roster.dependantOf.has(f.idNumber)) r.error('idNumber', 'ERR_CHECK_IS_DEPENDANT_HERE');
  }
}

function checkWithdraw(r: Report, ctx: CheckContext, f: WithdrawFiling): void {
  const idOk = r.rule('idNumber', rules.idNumber(f.idNumber), f.idNumber);
  checkEventDate(r, ctx, 'date', f.date, true);
  if (idOk && ctx.roster) {
    if (!ctx.roster.insured.has(f.idNumber)) r.error('idNumber', 'ERR_CHECK_NOT_INSURED');
    else if (hasDependants(ctx.roster, f.idNumber)) r.warning('idNumber', 'ERR_CHECK_DEPENDANTS_REMAIN');
  }
}

function checkDependant(
  r: Report,
  ctx: CheckContext,
  f: DependantEnrolFiling | DependantWithdrawFiling,
): void {
  const enrolling = f.kind === 'dependant-enrol';
  const insuredOk = r.rule('insuredIdNumber', rules.idNumber(f.insuredIdNumber), f.insuredIdNumber);
  const idOk = r.rule('idNumber', rules.idNumber(f.idNumber, enrolling ? ctx.today : undefined), f.idNumber);
  r.rule('name', rules.personName(f.name), f.name);
  const dateOk = checkEventDate(r, ctx, 'date', f.date, true);
  checkBirthDate(r, ctx, f.birthDate, dateOk && enrolling ? f.date : undefined);
  if (!insuredOk || !idOk) return;
  if (f.idNumber === f.insuredIdNumber) {
    r.error('idNumber', 'ERR_CHECK_DEPENDANT_IS_INSURED_PERSON');
    return;
  }
  const roster = ctx.roster;
  if (!roster) return;
  if (enrolling) {
    if (!roster.insured.has(f.insuredIdNumber))
      r.error('insuredIdNumber', 'ERR_CHECK_INSURED_PERSON_NOT_HERE');
    if (roster.insured.has(f.idNumber)) r.error('idNumber', 'ERR_CHECK_IS_INSURED_HERE');
    else if (roster.dependantOf.has(f.idNumber)) r.error('idNumber', 'ERR_CHECK_ALREADY_DEPENDANT');
  } else if (roster.dependantOf.get(f.idNumber) !== f.insuredIdNumber) {
    r.error('idNumber', 'ERR_CHECK_NOT_DEPENDANT_OF');
  }
}

/** The last day to notify a pay change made in `changed` (YYYY-MM), under the art. 20 windows. */
export function adjustmentDeadline(
  changed: string,
  windows: readonly AdjustmentWindow[],
): string | undefined {
  const changedMonthNumber = Number(changed.slice(5, 7));
  const window = windows.find((w) => w.changedInMonths.includes(changedMonthNumber));
  if (!window) return undefined;
  // The deadline is the first window-end month on or after the change month.
  let month = changed;
  while (Number(month.slice(5, 7)) !== window.notifyByEndOfMonth) month = addMonths(month, 1);
  return lastDayOf(month);
}

function checkAmountChange(r: Report, ctx: CheckContext, f: AmountChangeFiling): void {
  const idOk = r.rule('idNumber', rules.idNumber(f.idNumber), f.idNumber);
  if (r.rule('effectiveMonth', rules.month(f.effectiveMonth), f.effectiveMonth)) {
    if (f.effectiveMonth !== addMonths(monthOf(ctx.today), 1))
      r.error('effectiveMonth', 'ERR_CHECK_EFFECTIVE_MONTH');
    else checkNhiAmount(r, ctx, 'insuredAmount', f.insuredAmount, firstDayOf(f.effectiveMonth));
  }
  if (
    f.payChangedMonth !== undefined &&
    r.rule('payChangedMonth', rules.month(f.payChangedMonth), f.payChangedMonth)
  ) {
    if (f.payChangedMonth > monthOf(ctx.today)) r.error('payChangedMonth', 'ERR_CHECK_PAY_CHANGE_IN_FUTURE');
    else {
      const windows = inForceOn(ctx.art20 ?? ART20_WINDOWS, firstDayOf(f.payChangedMonth))?.value ?? [];
      const deadline = adjustmentDeadline(f.payChangedMonth, windows);
      if (deadline !== undefined && ctx.today > deadline)
        r.warning('payChangedMonth', 'ERR_CHECK_ADJUSTMENT_LATE');
    }
  }
  if (idOk && ctx.roster && !ctx.roster.insured.has(f.idNumber)) r.error('idNumber', 'ERR_CHECK_NOT_INSURED');
}

function checkCorrection(r: Report, ctx: CheckContext, f: CorrectionFiling): void {
  const idOk = r.rule('idNumber', rules.idNumber(f.idNumber), f.idNumber);
  if (f.newIdNumber === undefined && f.newName === undefined)
    r.error('newIdNumber', 'ERR_CHECK_CORRECTION_EMPTY');
  if (f.newName !== undefined) r.rule('newName', rules.personName(f.newName), f.newName);
  if (
    f.newIdNumber !== undefined &&
    r.rule('newIdNumber', rules.idNumber(f.newIdNumber, ctx.today), f.newIdNumber)
  ) {
    if (f.newIdNumber === f.idNumber) r.error('newIdNumber', 'ERR_CHECK_CORRECTION_UNCHANGED');
    else if (
      ctx.roster &&
      (ctx.roster.insured.has(f.newIdNumber) || ctx.roster.dependantOf.has(f.newIdNumber))
    ) {
      r.error('newIdNumber', 'ERR_CHECK_NEW_ID_IN_USE');
    }
  }
  if (idOk && ctx.roster && !ctx.roster.insured.has(f.idNumber) && !ctx.roster.dependantOf.has(f.idNumber)) {
    r.error('idNumber', 'ERR_CHECK_NOT_INSURED');
  }
}

/**
 * All issues of one filing (already shaped by the Filing schema). Field rules run again here, so
 * a value that is not in its normalised form or fails its rule is reported on its field.
 */
export function checkFiling(filing: Filing, ctx: CheckContext): FilingIssue[] {
  const r = new Report();
  switch (filing.kind) {
    case 'enrol':
      checkEnrol(r, ctx, filing);
      break;
    case 'withdraw':
      checkWithdraw(r, ctx, filing);
      break;
    case 'dependant-enrol':
    case 'dependant-withdraw':
      checkDependant(r, ctx, filing);
      break;
    case 'amount-change':
      checkAmountChange(r, ctx, filing);
      break;
    case 'correction':
      checkCorrection(r, ctx, filing);
      break;
  }
  return r.issues;
}

export interface BatchCheck<T> {
  /** Filings with no error, in order, each with its warnings. */
  accepted: { item: T; filing: Filing; warnings: FilingIssue[] }[];
  refused: { item: T; filing: Filing; issues: FilingIssue[] }[];
}

/**
 * Checks the filings of one submission in order: each accepted filing updates the roster the next
 * ones are checked against (enrol a person, then their dependant, in one batch). `item` carries
 * whatever the caller needs back (a row number).
 */
export function checkBatch<T>(
  items: readonly { item: T; filing: Filing }[],
  ctx: CheckContext,
): BatchCheck<T> {
  const result: BatchCheck<T> = { accepted: [], refused: [] };
  // One copy changed in place: copying the roster per filing made a 5,000-row batch quadratic.
  const roster = ctx.roster && workingCopy(ctx.roster);
  const rowCtx: CheckContext = roster ? { ...ctx, roster } : ctx;
  for (const { item, filing } of items) {
    const issues = checkFiling(filing, rowCtx);
    if (hasErrors(issues)) result.refused.push({ item, filing, issues });
    else {
      result.accepted.push({ item, filing, warnings: issues });
      if (roster) applyFilingInPlace(roster, filing);
    }
  }
  return result;
}

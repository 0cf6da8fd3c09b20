/**
 * The filing checks: dates real and in order, grades in force, the future limit, the 3-day rule
 * (with the Taipei day boundary), the art. 20 windows, and the roster rules. Every refusal has a test.
 */
import { describe, expect, it } from 'vitest';
import {
  adjustmentDeadline,
  checkBatch,
  checkFiling,
  hasErrors,
  isLateFiling,
  type CheckContext,
} from '../../../shared/filings/checks.ts';
import type { Filing } from '../../../shared/filings/contracts.ts';
import { GRADE_TABLES } from '../../../shared/filings/gradeTables.ts';
import { ART20_WINDOWS } from '../../../shared/filings/policy.ts';
import { applyFiling, rosterSnapshot } from '../../../shared/filings/roster.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';

// Valid ID numbers (checksums computed from the published rule).
const EMPLOYEE = 'A123456789';
const OTHER = 'B222222228';
const CHILD = 'F134567896';
const RESIDENT = 'A800000014';
const OLD_RESIDENT = 'AC00000003';

const TODAY = '2026-12-02';
const roster = rosterSnapshot([EMPLOYEE], [{ idNumber: CHILD, insuredIdNumber: EMPLOYEE }]);
const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({
  today: TODAY,
  tables: GRADE_TABLES,
  roster,
  ...over,
});

const enrol = (over: Partial<Extract<Filing, { kind: 'enrol' }>> = {}): Filing => ({
  kind: 'enrol',
  scheme: 'nhi',
  idNumber: OTHER,
  name: '林美華',
  birthDate: '1990-05-17',
  enrolmentDate: '2026-12-01',
  insuredAmount: 29500,
  ...over,
});

const codes = (filing: Filing, context = ctx()) =>
  checkFiling(filing, context).map((i) => `${i.field}:${i.code}:${i.severity}`);

describe('enrolment', () => {
  it('accepts a correct filing with no issues', () => {
    expect(codes(enrol())).toEqual([]);
  });

  it('accepts a joint filing with labour salary and pension rates in bounds', () => {
    const f = enrol({
      scheme: 'joint',
      labourInsuredSalary: 45800,
      employerPensionPercent: 6,
      employeePensionPercent: 6,
    });
    expect(codes(f)).toEqual([]);
  });

  it.each([
    ['birth after enrolment', { birthDate: '2026-12-01' }, 'birthDate:ERR_CHECK_BIRTH_NOT_BEFORE_DATE:error'],
    [
      'birth after today',
      { birthDate: '2026-12-03', enrolmentDate: '2026-12-20' },
      'birthDate:ERR_CHECK_BIRTH_IN_FUTURE:error',
    ],
    [
      'birth on a day that does not exist',
      { birthDate: '1990-02-30' },
      'birthDate:ERR_FIELD_DATE_NOT_REAL:error',
    ],
    [
      'enrolment on a day that does not exist',
      { enrolmentDate: '2026-11-31' },
      'enrolmentDate:ERR_FIELD_DATE_NOT_REAL:error',
    ],
    [
      'amount below the 2026 minimum',
      { insuredAmount: 28590 },
      'insuredAmount:ERR_CHECK_AMOUNT_BELOW_MINIMUM:error',
    ],
    ['amount between grades', { insuredAmount: 30000 }, 'insuredAmount:ERR_CHECK_AMOUNT_NOT_A_GRADE:error'],
    [
      'amount above the top grade',
      { insuredAmount: 400000 },
      'insuredAmount:ERR_CHECK_AMOUNT_NOT_A_GRADE:error',
    ],
    [
      'enrolment before any table',
      { enrolmentDate: '2024-12-31', birthDate: '1990-01-01' },
      'insuredAmount:ERR_CHECK_NO_TABLE_FOR_DATE:error',
    ],
    ['a name with a control character', { name: '林美華\u202E' }, 'name:ERR_FIELD_CONTROL_CHARACTER:error'],
    ['a name not trimmed', { name: ' 林美華' }, 'name:ERR_FIELD_NOT_NORMALISED:error'],
    [
      'an ID number with a wrong check digit',
      { idNumber: 'B222222227' },
      'idNumber:ERR_FIELD_ID_CHECKSUM:error',
    ],
    [
      'labour fields on a health-only filing',
      { labourInsuredSalary: 45800 },
      'labourInsuredSalary:ERR_CHECK_LABOUR_FIELDS_NOT_JOINT:error',
    ],
  ] as const)('refuses %s', (_what, over, expected) => {
    expect(codes(enrol(over))).toContain(expected);
  });

  it('takes the 2025 grades for an enrolment dated in 2025', () => {
    const f = enrol({ enrolmentDate: '2025-12-31', insuredAmount: 28590 });
    // Amount fits 2025; the filing is late, which is only a warning.
    expect(codes(f)).toEqual(['enrolmentDate:ERR_CHECK_LATE_FILING:warning']);
    expect(codes(enrol({ enrolmentDate: '2026-01-01', insuredAmount: 28590 }))).toContain(
      'insuredAmount:ERR_CHECK_AMOUNT_BELOW_MINIMUM:error',
    );
  });

  it('refuses a joint filing missing its labour fields, or with them out of bounds', () => {
    expect(codes(enrol({ scheme: 'joint' }))).toEqual([
      'labourInsuredSalary:ERR_FIELD_REQUIRED:error',
      'employerPensionPercent:ERR_FIELD_REQUIRED:error',
      'employeePensionPercent:ERR_FIELD_REQUIRED:error',
    ]);
    const bad = enrol({
      scheme: 'joint',
      labourInsuredSalary: 46000,
      employerPensionPercent: 5,
      employeePensionPercent: 7,
    });
    expect(codes(bad)).toEqual([
      'labourInsuredSalary:ERR_CHECK_LABOUR_SALARY_NOT_A_GRADE:error',
      'employerPensionPercent:ERR_CHECK_EMPLOYER_PENSION_TOO_LOW:error',
      'employeePensionPercent:ERR_CHECK_EMPLOYEE_PENSION_TOO_HIGH:error',
    ]);
  });

  it('accepts a part-time labour grade with a warning', () => {
    const f = enrol({
      scheme: 'joint',
      labourInsuredSalary: 11100,
      employerPensionPercent: 6,
      employeePensionPercent: 0,
    });
    expect(codes(f)).toEqual(['labourInsuredSalary:ERR_CHECK_LABOUR_SALARY_PART_TIME:warning']);
    expect(hasErrors(checkFiling(f, ctx()))).toBe(false);
  });

  it('refuses an old-format resident number once it has expired (filed in 2031)', () => {
    const f = enrol({ idNumber: OLD_RESIDENT, enrolmentDate: '2031-01-02', insuredAmount: 29500 });
    expect(codes(f, ctx({ today: '2031-01-02' }))).toContain(
      'idNumber:ERR_FIELD_ID_OLD_RESIDENT_EXPIRED:error',
    );
    expect(codes(enrol({ idNumber: OLD_RESIDENT }))).toEqual([]);
  });

  it('accepts a new-format resident number', () => {
    expect(codes(enrol({ idNumber: RESIDENT }))).toEqual([]);
  });
});

describe('the future limit (30 days, dated policy)', () => {
  it('accepts a date 30 days ahead and refuses 31 days ahead', () => {
    expect(codes(enrol({ enrolmentDate: '2027-01-01' }))).toEqual([]);
    expect(codes(enrol({ enrolmentDate: '2027-01-02' }))).toEqual([
      'enrolmentDate:ERR_CHECK_DATE_TOO_FAR_AHEAD:error',
    ]);
  });
});

describe("NHI's 3-day rule, on the Taipei calendar", () => {
  const onDay = (enrolmentDate: string, instant: string) =>
    codes(enrol({ enrolmentDate }), ctx({ today: taipeiDate(new Date(instant)) }));

  it('is on time on the 3rd day after at 23:59 Taipei and late at 00:00 the next day', () => {
    // Enrolled 2026-12-01: due by the end of 2026-12-04 Taipei time (15:59:59 UTC).
    expect(onDay('2026-12-01', '2026-12-04T15:59:59.999Z')).toEqual([]);
    expect(onDay('2026-12-01', '2026-12-04T16:00:00.000Z')).toEqual([
      'enrolmentDate:ERR_CHECK_LATE_FILING:warning',
    ]);
  });

  it('counts across a month end and a leap day', () => {
    expect(onDay('2028-02-27', '2028-03-01T15:59:00Z')).toEqual([]); // 28, 29 Feb, 1 Mar
    expect(onDay('2028-02-27', '2028-03-01T16:00:00Z')).toEqual([
      'enrolmentDate:ERR_CHECK_LATE_FILING:warning',
    ]);
    expect(onDay('2026-01-31', '2026-02-03T15:00:00Z')).toEqual([]);
  });

  it('flags a late withdrawal without refusing it', () => {
    const issues = checkFiling(
      { kind: 'withdraw', idNumber: EMPLOYEE, date: '2026-11-20', reason: 'W01' },
      ctx(),
    );
    expect(issues.map((i) => i.code)).toContain('ERR_CHECK_LATE_FILING');
    expect(issues.find((i) => i.code === 'ERR_CHECK_LATE_FILING')?.severity).toBe('warning');
    // The one rule both the receipt and the processing job use for the row's `late` flag.
    expect(isLateFiling(issues)).toBe(true);
    expect(hasErrors(issues)).toBe(false);
    const onTime = checkFiling(
      { kind: 'withdraw', idNumber: EMPLOYEE, date: '2026-11-30', reason: 'W01' },
      ctx(),
    );
    expect(isLateFiling(onTime)).toBe(false);
  });
});

describe('withdrawal', () => {
  const withdraw = (idNumber: string, date = '2026-12-01'): Filing => ({
    kind: 'withdraw',
    idNumber,
    date,
    reason: 'W01',
  });

  it('refuses to withdraw someone not insured here', () => {
    expect(codes(withdraw(OTHER))).toEqual(['idNumber:ERR_CHECK_NOT_INSURED:error']);
  });

  it('warns when the person still has dependants here', () => {
    expect(codes(withdraw(EMPLOYEE))).toEqual(['idNumber:ERR_CHECK_DEPENDANTS_REMAIN:warning']);
  });

  it('refuses a date too far ahead', () => {
    expect(codes(withdraw(EMPLOYEE, '2027-06-01'))).toContain('date:ERR_CHECK_DATE_TOO_FAR_AHEAD:error');
  });

  it('skips the roster rules when no roster is given', () => {
    expect(codes(withdraw(OTHER), ctx({ roster: undefined }))).toEqual([]);
  });
});

describe('roster rules', () => {
  it('refuses to enrol someone already insured here', () => {
    expect(codes(enrol({ idNumber: EMPLOYEE }))).toEqual(['idNumber:ERR_CHECK_ALREADY_INSURED:error']);
  });

  it('refuses to enrol as insured someone who is a dependant here', () => {
    expect(codes(enrol({ idNumber: CHILD }))).toEqual(['idNumber:ERR_CHECK_IS_DEPENDANT_HERE:error']);
  });

  const dependant = (
    kind: 'dependant-enrol' | 'dependant-withdraw',
    insuredIdNumber: string,
    idNumber: string,
  ): Filing =>
    kind === 'dependant-enrol'
      ? {
          kind,
          insuredIdNumber,
          idNumber,
          name: '林小安',
          birthDate: '2020-01-01',
          relationship: 'R02',
          date: '2026-12-01',
          reason: 'DA01',
        }
      : {
          kind,
          insuredIdNumber,
          idNumber,
          name: '林小安',
          birthDate: '2020-01-01',
          relationship: 'R02',
          date: '2026-12-01',
          reason: 'DW05',
        };

  it('accepts a dependant of a person insured here', () => {
    expect(codes(dependant('dependant-enrol', EMPLOYEE, RESIDENT))).toEqual([]);
    expect(codes(dependant('dependant-withdraw', EMPLOYEE, CHILD))).toEqual([]);
  });

  it('refuses a dependant of someone not insured here', () => {
    expect(codes(dependant('dependant-enrol', OTHER, RESIDENT))).toEqual([
      'insuredIdNumber:ERR_CHECK_INSURED_PERSON_NOT_HERE:error',
    ]);
  });

  it('refuses as dependant someone insured here, or already a dependant here', () => {
    const insured = rosterSnapshot([EMPLOYEE, OTHER], []);
    expect(codes(dependant('dependant-enrol', EMPLOYEE, OTHER), ctx({ roster: insured }))).toEqual([
      'idNumber:ERR_CHECK_IS_INSURED_HERE:error',
    ]);
    expect(codes(dependant('dependant-enrol', EMPLOYEE, CHILD))).toEqual([
      'idNumber:ERR_CHECK_ALREADY_DEPENDANT:error',
    ]);
  });

  it('refuses a person as their own dependant', () => {
    expect(codes(dependant('dependant-enrol', EMPLOYEE, EMPLOYEE))).toEqual([
      'idNumber:ERR_CHECK_DEPENDANT_IS_INSURED_PERSON:error',
    ]);
  });

  it("refuses to withdraw a dependant who is not that insured person's dependant", () => {
    const two = rosterSnapshot([EMPLOYEE, OTHER], [{ idNumber: CHILD, insuredIdNumber: EMPLOYEE }]);
    expect(codes(dependant('dependant-withdraw', OTHER, CHILD), ctx({ roster: two }))).toEqual([
      'idNumber:ERR_CHECK_NOT_DEPENDANT_OF:error',
    ]);
  });

  it('refuses a dependant born after the date of enrolment', () => {
    const f = { ...dependant('dependant-enrol', EMPLOYEE, RESIDENT), birthDate: '2026-12-02' } as Filing;
    expect(codes(f)).toContain('birthDate:ERR_CHECK_BIRTH_NOT_BEFORE_DATE:error');
  });
});

describe('insured-amount change (art. 20)', () => {
  const change = (over: Partial<Extract<Filing, { kind: 'amount-change' }>> = {}): Filing => ({
    kind: 'amount-change',
    idNumber: EMPLOYEE,
    insuredAmount: 45800,
    effectiveMonth: '2027-01',
    ...over,
  });

  it('accepts a change effective the month after the filing', () => {
    expect(codes(change())).toEqual([]);
  });

  it('refuses an effective month other than the next one', () => {
    expect(codes(change({ effectiveMonth: '2026-12' }))).toEqual([
      'effectiveMonth:ERR_CHECK_EFFECTIVE_MONTH:error',
    ]);
    expect(codes(change({ effectiveMonth: '2027-02' }))).toEqual([
      'effectiveMonth:ERR_CHECK_EFFECTIVE_MONTH:error',
    ]);
  });

  it('checks the amount against the grades in force on the 1st of the effective month', () => {
    // Filed on 2025-12-15 for January 2026: the 2026 table applies, so 28,590 is too low.
    const filedIn2025 = ctx({ today: '2025-12-15' });
    expect(codes(change({ insuredAmount: 28590, effectiveMonth: '2026-01' }), filedIn2025)).toEqual([
      'insuredAmount:ERR_CHECK_AMOUNT_BELOW_MINIMUM:error',
    ]);
  });

  it('refuses a change for someone not insured here', () => {
    expect(codes(change({ idNumber: OTHER }))).toEqual(['idNumber:ERR_CHECK_NOT_INSURED:error']);
  });

  it('refuses a pay change month after this month', () => {
    expect(codes(change({ payChangedMonth: '2027-01' }))).toEqual([
      'payChangedMonth:ERR_CHECK_PAY_CHANGE_IN_FUTURE:error',
    ]);
  });

  it('flags a change notified after its window, and not one within it', () => {
    // Pay changed 2026-07 → due by 2026-08-31; filed 2026-12-02: late.
    expect(codes(change({ payChangedMonth: '2026-07' }))).toEqual([
      'payChangedMonth:ERR_CHECK_ADJUSTMENT_LATE:warning',
    ]);
    // Pay changed 2026-08 → due by 2027-02-28: on time.
    expect(codes(change({ payChangedMonth: '2026-08' }))).toEqual([]);
  });

  it('computes the art. 20 deadlines at the month edges', () => {
    const windows = ART20_WINDOWS[0]!.value;
    expect(adjustmentDeadline('2026-02', windows)).toBe('2026-08-31');
    expect(adjustmentDeadline('2026-07', windows)).toBe('2026-08-31');
    expect(adjustmentDeadline('2026-08', windows)).toBe('2027-02-28');
    expect(adjustmentDeadline('2027-01', windows)).toBe('2027-02-28');
    expect(adjustmentDeadline('2027-12', windows)).toBe('2028-02-29'); // leap year
  });
});

describe('correction', () => {
  it('accepts a name correction and an ID correction', () => {
    expect(codes({ kind: 'correction', idNumber: EMPLOYEE, newName: '林美樺' })).toEqual([]);
    expect(codes({ kind: 'correction', idNumber: EMPLOYEE, newIdNumber: RESIDENT })).toEqual([]);
  });

  it.each([
    [
      'nothing to correct',
      { kind: 'correction', idNumber: EMPLOYEE },
      'newIdNumber:ERR_CHECK_CORRECTION_EMPTY:error',
    ],
    [
      'the same ID',
      { kind: 'correction', idNumber: EMPLOYEE, newIdNumber: EMPLOYEE },
      'newIdNumber:ERR_CHECK_CORRECTION_UNCHANGED:error',
    ],
    [
      'an ID already used here',
      { kind: 'correction', idNumber: EMPLOYEE, newIdNumber: CHILD },
      'newIdNumber:ERR_CHECK_NEW_ID_IN_USE:error',
    ],
    [
      'a person not on the roster',
      { kind: 'correction', idNumber: OTHER, newName: '王大明' },
      'idNumber:ERR_CHECK_NOT_INSURED:error',
    ],
    [
      'a bad new name',
      { kind: 'correction', idNumber: EMPLOYEE, newName: '王\u0000' },
      'newName:ERR_FIELD_CONTROL_CHARACTER:error',
    ],
  ] as const)('refuses %s', (_what, filing, expected) => {
    expect(codes(filing as Filing)).toContain(expected);
  });
});

describe('checkBatch: filings of one submission in order', () => {
  const dependantOfNew: Filing = {
    kind: 'dependant-enrol',
    insuredIdNumber: OTHER,
    idNumber: RESIDENT,
    name: '林小安',
    birthDate: '2020-01-01',
    relationship: 'R02',
    date: '2026-12-01',
    reason: 'DA02',
  };

  it('accepts a dependant of a person enrolled earlier in the same batch', () => {
    const result = checkBatch(
      [
        { item: 2, filing: enrol() },
        { item: 3, filing: dependantOfNew },
      ],
      ctx(),
    );
    expect(result.accepted.map((a) => a.item)).toEqual([2, 3]);
    expect(result.refused).toEqual([]);
  });

  it('refuses that dependant when the enrolment comes after it, and a person enrolled twice', () => {
    const result = checkBatch(
      [
        { item: 2, filing: dependantOfNew },
        { item: 3, filing: enrol() },
        { item: 4, filing: enrol({ insuredAmount: 30300 }) },
      ],
      ctx(),
    );
    expect(result.accepted.map((a) => a.item)).toEqual([3]);
    expect(result.refused.map((r) => [r.item, r.issues.map((i) => i.code)])).toEqual([
      [2, ['ERR_CHECK_INSURED_PERSON_NOT_HERE']],
      [4, ['ERR_CHECK_ALREADY_INSURED']],
    ]);
  });

  it('keeps the warnings of accepted filings', () => {
    const late = checkBatch([{ item: 'a', filing: enrol({ enrolmentDate: '2026-11-01' }) }], ctx());
    expect(late.accepted[0]?.warnings.map((w) => w.code)).toEqual(['ERR_CHECK_LATE_FILING']);
  });

  it("changes only its own copy of the roster: the caller's snapshot stays as it was", () => {
    const before = rosterSnapshot([EMPLOYEE], [{ idNumber: CHILD, insuredIdNumber: EMPLOYEE }]);
    const withdraw: Filing = { kind: 'withdraw', idNumber: EMPLOYEE, date: '2026-12-01', reason: 'W01' };
    const result = checkBatch(
      [
        { item: 2, filing: enrol({ idNumber: OTHER }) },
        { item: 3, filing: withdraw },
      ],
      ctx({ roster: before }),
    );
    expect(result.accepted.map((a) => a.item)).toEqual([2, 3]);
    expect([...before.insured]).toEqual([EMPLOYEE]);
    // The same batch again against the same snapshot gives the same answer.
    const again = checkBatch([{ item: 2, filing: enrol({ idNumber: OTHER }) }], ctx({ roster: before }));
    expect(again.refused).toEqual([]);
  });
});

describe('applyFiling', () => {
  it('moves an ID correction through the insured set and the dependants that belong to the person', () => {
    const next = applyFiling(roster, { kind: 'correction', idNumber: EMPLOYEE, newIdNumber: RESIDENT });
    expect([...next.insured]).toEqual([RESIDENT]);
    expect(next.dependantOf.get(CHILD)).toBe(RESIDENT);
    expect(roster.insured.has(EMPLOYEE)).toBe(true); // the snapshot passed in is left as it was
  });

  it('removes withdrawn persons and dependants', () => {
    expect(
      applyFiling(roster, { kind: 'withdraw', idNumber: EMPLOYEE, date: '2026-12-01', reason: 'W01' }).insured
        .size,
    ).toBe(0);
    const gone = applyFiling(roster, {
      kind: 'dependant-withdraw',
      insuredIdNumber: EMPLOYEE,
      idNumber: CHILD,
      name: '林小安',
      birthDate: '2020-01-01',
      relationship: 'R02',
      date: '2026-12-01',
      reason: 'DW05',
    });
    expect(gone.dependantOf.size).toBe(0);
  });
});

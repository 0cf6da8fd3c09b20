/** Monthly premium: the facts file's check values and hand-worked joiners, leavers and dependants. */
import { describe, expect, it } from 'vitest';
import {
  billUnitMonth,
  BillingInputError,
  employeeShare,
  monthEnd,
  unitShare,
  type DependantSpell,
  type InsuredSpell,
} from '../../../shared/billing/premium.ts';
import { PremiumRulesError, premiumRulesFor } from '../../../shared/billing/premiumRules.ts';

const rules = premiumRulesFor('2026-03');

function person(idNumber: string, from: string, amount: number, to?: string): InsuredSpell {
  return {
    idNumber,
    name: `員工${idNumber.slice(-2)}`,
    from,
    ...(to ? { to } : {}),
    amounts: [{ fromMonth: from.slice(0, 7), amount }],
  };
}

function dependant(idNumber: string, insuredIdNumber: string, from: string, to?: string): DependantSpell {
  return { idNumber, name: `眷屬${idNumber.slice(-2)}`, insuredIdNumber, from, ...(to ? { to } : {}) };
}

function bill(month: string, insured: InsuredSpell[], dependants: DependantSpell[] = []) {
  const result = billUnitMonth(month, insured, dependants);
  if (result.kind !== 'bill') throw new Error(`expected a bill for ${month}`);
  return result.premium;
}

describe('premium shares', () => {
  it('matches the check values in the facts file', () => {
    expect(employeeShare(29_500, rules)).toBe(458);
    expect(employeeShare(313_000, rules)).toBe(4_855);
    expect(unitShare(313_000, rules)).toBe(15_146);
  });

  it('rounds half up on exact arithmetic (29,500 × 5.17% × 60% × 1.56 = 1,427.54)', () => {
    expect(unitShare(29_500, rules)).toBe(1_428);
    // 45,800 × 5.17% × 30% = 710.358 → 710; × 60% × 1.56 = 2,216.317 → 2,216.
    expect(employeeShare(45_800, rules)).toBe(710);
    expect(unitShare(45_800, rules)).toBe(2_216);
  });

  it('has no rules before the first dated period', () => {
    expect(() => premiumRulesFor('2024-12')).toThrow(PremiumRulesError);
  });
});

describe('billUnitMonth', () => {
  it('charges a joiner the whole month they join', () => {
    const premium = bill('2026-03', [person('A123456789', '2026-03-15', 45_800)]);
    expect(premium.employees).toHaveLength(1);
    expect(premium.totals).toMatchObject({ personShare: 710, unitShare: 2_216, total: 2_926 });
  });

  it('leaves a person who left mid-month to the next unit, and bills the month before', () => {
    const leaver = person('A123456789', '2026-01-05', 29_500, '2026-03-10');
    const stayer = person('B223456789', '2026-01-05', 313_000);
    const march = bill('2026-03', [leaver, stayer]);
    expect(march.employees.map((e) => e.idNumber)).toEqual(['B223456789']);
    expect(march.totals.personShare).toBe(4_855);
    const february = bill('2026-02', [leaver, stayer]);
    expect(february.totals.personShare).toBe(458 + 4_855);
    expect(february.totals.unitShare).toBe(1_428 + 15_146);
  });

  it('bills this unit for a person who leaves on the last day of the month', () => {
    const premium = bill('2026-02', [person('A123456789', '2026-01-05', 29_500, '2026-02-28')]);
    expect(premium.totals.personShare).toBe(458);
    expect(
      billUnitMonth('2026-03', [person('A123456789', '2026-01-05', 29_500, '2026-02-28')], []).kind,
    ).toBe('nothing-to-bill');
  });

  it('charges at most three dependants to the insured person, the earliest enrolled first', () => {
    const insured = person('A123456789', '2025-06-01', 29_500);
    const deps = [
      dependant('C100000001', 'A123456789', '2025-06-01'),
      dependant('C100000002', 'A123456789', '2025-07-01'),
      dependant('C100000003', 'A123456789', '2026-03-20'), // joined mid-month, still there at month end
      dependant('C100000004', 'A123456789', '2025-08-01'),
      dependant('C100000005', 'A123456789', '2025-06-01', '2026-03-05'), // left mid-month
    ];
    const premium = bill('2026-03', [insured], deps);
    const employee = premium.employees[0]!;
    expect(employee.dependants.map((d) => [d.idNumber, d.charged])).toEqual([
      ['C100000001', true],
      ['C100000002', true],
      ['C100000004', true],
      ['C100000003', false],
    ]);
    expect(employee.personTotal).toBe(458 * 4);
    // The unit's share does not depend on the actual dependants: it uses the national average.
    expect(employee.unitShare).toBe(1_428);
    expect(premium.totals).toMatchObject({
      dependants: 4,
      chargedDependants: 3,
      personShare: 1_832,
      total: 1_832 + 1_428,
    });
  });

  it('does not charge dependants of someone no longer insured here', () => {
    const insured = person('A123456789', '2025-06-01', 29_500, '2026-03-10');
    const other = person('B223456789', '2025-06-01', 29_500);
    const premium = bill('2026-03', [insured, other], [dependant('C100000001', 'A123456789', '2025-06-01')]);
    expect(premium.totals.dependants).toBe(0);
    expect(premium.totals.personShare).toBe(458);
  });

  it('uses the insured amount in force in the billed month', () => {
    const spell: InsuredSpell = {
      idNumber: 'A123456789',
      name: '王小明',
      from: '2025-11-01',
      amounts: [
        { fromMonth: '2025-11', amount: 29_500 },
        { fromMonth: '2026-04', amount: 313_000 },
      ],
    };
    expect(bill('2026-03', [spell]).totals.personShare).toBe(458);
    expect(bill('2026-04', [spell]).totals.personShare).toBe(4_855);
  });

  it('counts a rejoined person once, by the spell covering month end', () => {
    const first = person('A123456789', '2025-01-01', 29_500, '2026-03-02');
    const second = person('A123456789', '2026-03-25', 313_000);
    const premium = bill('2026-03', [first, second]);
    expect(premium.employees).toHaveLength(1);
    expect(premium.totals.personShare).toBe(4_855);
  });

  it('answers "nothing to bill" for a unit with no one insured at month end', () => {
    expect(billUnitMonth('2026-03', [], [])).toEqual({ kind: 'nothing-to-bill', month: '2026-03' });
  });

  it('refuses a bad month and a spell without an insured amount', () => {
    expect(() => billUnitMonth('2026-13', [], [])).toThrow(BillingInputError);
    const noAmount: InsuredSpell = { idNumber: 'A123456789', name: 'x', from: '2026-03-01', amounts: [] };
    expect(() => billUnitMonth('2026-03', [noAmount], [])).toThrow(BillingInputError);
  });

  it('knows month ends, leap years included', () => {
    expect(monthEnd('2028-02')).toBe('2028-02-29');
    expect(monthEnd('2026-02')).toBe('2026-02-28');
    expect(monthEnd('2026-12')).toBe('2026-12-31');
  });
});

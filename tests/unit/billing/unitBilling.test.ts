/** Roster periods from the database → the spells billUnitMonth takes (portal/src/billing/unitBilling.ts). */
import { describe, expect, it } from 'vitest';
import { billUnitMonth } from '../../../shared/billing/premium.ts';
import { dependantSpells, insuredSpells } from '../../../portal/src/billing/unitBilling.ts';
import type { DependantPeriod, InsuredPeriod } from '../../../portal/src/db/schema.ts';

function period(
  over: Partial<InsuredPeriod> & Pick<InsuredPeriod, 'id_number' | 'from_date'>,
): InsuredPeriod {
  return {
    id: `${over.id_number}-${over.from_date}`,
    unit_id: 'u',
    name: '測試 TEST',
    birth_date: '1990-01-01',
    scheme: 'nhi',
    insured_amount: 45_800,
    labour_insured_salary: null,
    employer_pension_percent: null,
    employee_pension_percent: null,
    to_date: null,
    end_reason: null,
    opened_by: 'f',
    closed_by: null,
    ...over,
  };
}

describe('roster periods to spells', () => {
  it('joins an amount change (next period from the following day) into one spell', () => {
    const spells = insuredSpells([
      period({
        id_number: 'A1',
        from_date: '2026-03-01',
        to_date: '2026-06-30',
        end_reason: 'amount-change',
        insured_amount: 27_470,
      }),
      period({ id_number: 'A1', from_date: '2026-07-01', insured_amount: 45_800 }),
    ]);
    expect(spells).toEqual([
      {
        idNumber: 'A1',
        name: '測試 TEST',
        from: '2026-03-01',
        amounts: [
          { fromMonth: '2026-03', amount: 27_470 },
          { fromMonth: '2026-07', amount: 45_800 },
        ],
      },
    ]);
    const june = billUnitMonth('2026-06', spells, []);
    const july = billUnitMonth('2026-07', spells, []);
    expect(june.kind === 'bill' && june.premium.employees[0]!.insuredAmount).toBe(27_470);
    expect(july.kind === 'bill' && july.premium.employees[0]!.insuredAmount).toBe(45_800);
  });

  it('keeps a gap as two spells (left and rejoined), so a month between bills nobody', () => {
    const spells = insuredSpells([
      period({ id_number: 'A1', from_date: '2026-01-10', to_date: '2026-02-15', end_reason: '1' }),
      period({ id_number: 'A1', from_date: '2026-04-01' }),
    ]);
    expect(spells).toHaveLength(2);
    expect(spells[0]).toMatchObject({ to: '2026-02-15' });
    expect(billUnitMonth('2026-03', spells, [])).toEqual({ kind: 'nothing-to-bill', month: '2026-03' });
    expect(billUnitMonth('2026-04', spells, []).kind).toBe('bill');
  });

  it('charges dependants from their periods', () => {
    const dependant: DependantPeriod = {
      id: 'd',
      unit_id: 'u',
      insured_id_number: 'A1',
      id_number: 'D1',
      name: '眷屬 TEST',
      birth_date: '2010-01-01',
      relationship: 'child',
      from_date: '2026-01-01',
      to_date: null,
      end_reason: null,
      opened_by: 'f',
      closed_by: null,
    };
    const result = billUnitMonth(
      '2026-05',
      insuredSpells([period({ id_number: 'A1', from_date: '2026-01-01' })]),
      dependantSpells([dependant]),
    );
    expect(result.kind === 'bill' && result.premium.totals.dependants).toBe(1);
  });
});

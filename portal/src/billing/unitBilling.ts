/**
 * Bills a unit from the roster history in the database: its insured_periods and dependant_periods
 * (migration 0004) become the InsuredSpell / DependantSpell that billUnitMonth takes. A person's
 * consecutive periods (an amount change closes one period and opens the next on the following day)
 * are one spell whose amounts change from the later period's month on.
 */
import type { Kysely } from 'kysely';
import {
  billUnitMonth,
  monthEnd,
  type BillingResult,
  type DependantSpell,
  type InsuredSpell,
} from '../../../shared/billing/premium.ts';
import type { Database, DependantPeriod, InsuredPeriod } from '../db/schema.ts';

/** The ISO date after `date`. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const byPersonThenStart = (a: { id_number: string; from_date: string }, b: typeof a) =>
  a.id_number.localeCompare(b.id_number) || a.from_date.localeCompare(b.from_date);

/** Joins each person's back-to-back periods into spells (a gap of a day or more starts a new spell). */
export function insuredSpells(periods: readonly InsuredPeriod[]): InsuredSpell[] {
  const spells: InsuredSpell[] = [];
  let current: (InsuredSpell & { amounts: { fromMonth: string; amount: number }[] }) | undefined;
  for (const p of [...periods].sort(byPersonThenStart)) {
    const continues =
      current !== undefined &&
      current.idNumber === p.id_number &&
      current.to !== undefined &&
      nextDay(current.to) === p.from_date;
    if (current && continues) {
      current.amounts.push({ fromMonth: p.from_date.slice(0, 7), amount: p.insured_amount });
      current.name = p.name;
      if (p.to_date === null) delete current.to;
      else current.to = p.to_date;
      continue;
    }
    current = {
      idNumber: p.id_number,
      name: p.name,
      from: p.from_date,
      amounts: [{ fromMonth: p.from_date.slice(0, 7), amount: p.insured_amount }],
      ...(p.to_date === null ? {} : { to: p.to_date }),
    };
    spells.push(current);
  }
  return spells;
}

export function dependantSpells(periods: readonly DependantPeriod[]): DependantSpell[] {
  return periods.map((p) => ({
    idNumber: p.id_number,
    name: p.name,
    insuredIdNumber: p.insured_id_number,
    from: p.from_date,
    ...(p.to_date === null ? {} : { to: p.to_date }),
  }));
}

/** Bills each month (YYYY-MM, oldest first) for one unit with two queries whatever the number of months. */
export async function billUnitMonths(
  db: Kysely<Database>,
  unitId: string,
  months: readonly string[],
): Promise<BillingResult[]> {
  const last = monthEnd(months[months.length - 1]!);
  const [insured, dependants] = await Promise.all([
    db
      .selectFrom('insured_periods')
      .selectAll()
      .where('unit_id', '=', unitId)
      .where('from_date', '<=', last)
      .execute(),
    db
      .selectFrom('dependant_periods')
      .selectAll()
      .where('unit_id', '=', unitId)
      .where('from_date', '<=', last)
      .execute(),
  ]);
  const spells = insuredSpells(insured);
  const dependantList = dependantSpells(dependants);
  return months.map((month) => billUnitMonth(month, spells, dependantList));
}

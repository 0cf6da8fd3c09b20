/**
 * A unit's billing-cycle history in the database (unit_billing_cycles, migration 0009), read into the
 * shape shared/billing/billingCycles.ts answers from, and the operator's change, checked there.
 */
import type { Kysely } from 'kysely';
import { checkCycleChange, type CycleHistory } from '../../../shared/billing/billingCycles.ts';
import type { BillingCycle } from '../../../shared/billing/slipSchedule.ts';
import { latestIssueMonth } from '../../../shared/billing/slipWindow.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import type { Database, Unit } from '../db/schema.ts';

/** The cycle histories of some units, by unit id (units without changes get their base cycle only). */
export async function cycleHistories(
  db: Kysely<Database>,
  units: readonly Pick<Unit, 'id' | 'billing_cycle'>[],
): Promise<Map<string, CycleHistory>> {
  const histories = new Map<string, { base: BillingCycle; changes: CycleHistory['changes'][number][] }>();
  for (const unit of units) histories.set(unit.id, { base: unit.billing_cycle, changes: [] });
  if (units.length === 0) return histories;
  const rows = await db
    .selectFrom('unit_billing_cycles')
    .select(['unit_id', 'from_month', 'cycle'])
    .where(
      'unit_id',
      'in',
      units.map((u) => u.id),
    )
    .execute();
  for (const row of rows)
    histories.get(row.unit_id)?.changes.push({ fromMonth: row.from_month, cycle: row.cycle });
  return histories;
}

export async function cycleHistory(
  db: Kysely<Database>,
  unit: Pick<Unit, 'id' | 'billing_cycle'>,
): Promise<CycleHistory> {
  return (await cycleHistories(db, [unit])).get(unit.id)!;
}

/**
 * Sets a unit's cycle from a premium month on (a change from the same month replaces the earlier
 * one). Refused with an ERR_ code: unknown unit, unknown cycle, not an odd YYYY-MM month, or a month
 * whose slip has already been issued on `now`'s Taipei date.
 */
export async function setBillingCycle(
  db: Kysely<Database>,
  change: { unitCode: string; cycle: string; fromMonth: string; setBy: string },
  now: Date,
): Promise<{ unit: Unit; history: CycleHistory }> {
  const problem = checkCycleChange(change.cycle, change.fromMonth, latestIssueMonth(taipeiDate(now)));
  if (problem) throw new PortalError(problem, { detail: `${change.cycle} from ${change.fromMonth}` });
  const unit = await db
    .selectFrom('units')
    .selectAll()
    .where('unit_code', '=', change.unitCode)
    .executeTakeFirst();
  if (!unit) throw new PortalError('ERR_PORTAL_UNIT_UNKNOWN', { detail: change.unitCode });
  await db
    .insertInto('unit_billing_cycles')
    .values({
      unit_id: unit.id,
      from_month: change.fromMonth,
      cycle: change.cycle as BillingCycle,
      set_by: change.setBy,
      set_at: now.toISOString(),
    })
    .onConflict((oc) =>
      oc.columns(['unit_id', 'from_month']).doUpdateSet({
        cycle: change.cycle as BillingCycle,
        set_by: change.setBy,
        set_at: now.toISOString(),
      }),
    )
    .execute();
  return { unit, history: await cycleHistory(db, unit) };
}

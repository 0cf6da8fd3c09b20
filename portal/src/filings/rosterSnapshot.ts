/**
 * A unit's roster as the filing checks need it (shared/filings/roster.ts): who is insured here and
 * whose dependant each dependant is, from the open periods (to_date null) of the roster tables.
 */
import { rosterSnapshot, type RosterSnapshot } from '../../../shared/filings/roster.ts';
import type { PortalContext } from '../services/context.ts';

export async function unitRosterSnapshot(ctx: PortalContext, unitId: string): Promise<RosterSnapshot> {
  const [insured, dependants] = await Promise.all([
    ctx.db
      .selectFrom('insured_periods')
      .select('id_number')
      .where('unit_id', '=', unitId)
      .where('to_date', 'is', null)
      .execute(),
    ctx.db
      .selectFrom('dependant_periods')
      .select(['id_number', 'insured_id_number'])
      .where('unit_id', '=', unitId)
      .where('to_date', 'is', null)
      .execute(),
  ]);
  return rosterSnapshot(
    insured.map((p) => p.id_number),
    dependants.map((d) => ({ idNumber: d.id_number, insuredIdNumber: d.insured_id_number })),
  );
}

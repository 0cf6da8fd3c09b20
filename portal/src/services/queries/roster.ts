/**
 * The unit's roster as of a day: insured periods covering the day (from_date ≤ day ≤ to_date, or
 * open), one page of them in ID-number order straight from the index insured_periods_unit_person, and
 * the dependants of that page's persons covering the same day. A period is never deleted, so any past
 * day reads the same rows the processing job wrote then.
 */
import { sql, type Kysely } from 'kysely';
import type { RosterEntry } from '../../../../shared/portal/queriesApi.ts';
import type { Database, DependantPeriod, InsuredPeriod } from '../../db/schema.ts';
import { maskIdNumber } from '../mask.ts';
import { containsPattern, looksLikeIdNumber } from './filters.ts';

export interface RosterFilter {
  unitId: string;
  asOf: string;
  /** A full ID number (exact) or part of a name. */
  q?: string | undefined;
}

/** The period covers the day (both period tables name their columns alike; no joins here). */
const coversDay = (asOf: string) =>
  sql<boolean>`from_date <= ${asOf} and (to_date is null or to_date >= ${asOf})`;

/**
 * The same condition with `from_date` wrapped (`|| ''`), so that no index is chosen for its range:
 * without table statistics SQLite would otherwise search insured_periods_unit_dates and sort every
 * covering row for one page, instead of walking insured_periods_unit_person in order and stopping
 * after the page (EXPLAIN in tests/bench/rosterPage.bench.ts). Same result on both databases.
 */
const coversDayInIdOrder = (asOf: string) =>
  sql<boolean>`(from_date || '') <= ${asOf} and (to_date is null or to_date >= ${asOf})`;

function insuredMatching(db: Kysely<Database>, filter: RosterFilter, inIdOrder = false) {
  let query = db
    .selectFrom('insured_periods')
    .where('unit_id', '=', filter.unitId)
    .where(inIdOrder ? coversDayInIdOrder(filter.asOf) : coversDay(filter.asOf));
  const q = filter.q?.trim();
  if (q) {
    query = looksLikeIdNumber(q)
      ? query.where('id_number', '=', q.toUpperCase())
      : query.where(sql<boolean>`lower(name) like ${containsPattern(q)} escape '\\'`);
  }
  return query;
}

export function countRosterQuery(db: Kysely<Database>, filter: RosterFilter) {
  return insuredMatching(db, filter).select((eb) => eb.fn.countAll<string | number>().as('n'));
}

export async function countRoster(db: Kysely<Database>, filter: RosterFilter): Promise<number> {
  const row = await countRosterQuery(db, filter).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of insured periods, ordered as the index (unit_id, id_number, from_date) is. */
export function rosterPageQuery(db: Kysely<Database>, filter: RosterFilter, limit: number, offset: number) {
  return insuredMatching(db, filter, true)
    .selectAll()
    .orderBy('id_number')
    .orderBy('from_date')
    .limit(limit)
    .offset(offset);
}

async function dependantsOf(
  db: Kysely<Database>,
  unitId: string,
  asOf: string,
  insuredIds: readonly string[],
): Promise<DependantPeriod[]> {
  if (insuredIds.length === 0) return [];
  return db
    .selectFrom('dependant_periods')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('insured_id_number', 'in', insuredIds)
    .where(coversDay(asOf))
    .orderBy('insured_id_number')
    .orderBy('id_number')
    .execute();
}

function entryOf(period: InsuredPeriod, dependants: readonly DependantPeriod[]): RosterEntry {
  return {
    id: period.id,
    idMasked: maskIdNumber(period.id_number),
    name: period.name,
    birthDate: period.birth_date,
    scheme: period.scheme,
    insuredAmount: period.insured_amount,
    ...(period.labour_insured_salary !== null ? { labourInsuredSalary: period.labour_insured_salary } : {}),
    fromDate: period.from_date,
    ...(period.to_date !== null ? { toDate: period.to_date } : {}),
    dependants: dependants.map((d) => ({
      id: d.id,
      idMasked: maskIdNumber(d.id_number),
      name: d.name,
      birthDate: d.birth_date,
      relationship: d.relationship,
      fromDate: d.from_date,
      ...(d.to_date !== null ? { toDate: d.to_date } : {}),
    })),
  };
}

/** Persons with their dependants, for a page or (with a large limit) an export. */
export async function rosterEntries(
  db: Kysely<Database>,
  filter: RosterFilter,
  limit: number,
  offset: number,
): Promise<Array<{ period: InsuredPeriod; entry: RosterEntry; dependants: DependantPeriod[] }>> {
  const periods = await rosterPageQuery(db, filter, limit, offset).execute();
  const dependants = await dependantsOf(
    db,
    filter.unitId,
    filter.asOf,
    periods.map((p) => p.id_number),
  );
  const byInsured = new Map<string, DependantPeriod[]>();
  for (const d of dependants) {
    const list = byInsured.get(d.insured_id_number) ?? [];
    list.push(d);
    byInsured.set(d.insured_id_number, list);
  }
  return periods.map((period) => {
    const own = byInsured.get(period.id_number) ?? [];
    return { period, entry: entryOf(period, own), dependants: own };
  });
}

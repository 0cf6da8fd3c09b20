/**
 * The unit's roster in the database (insured_periods, dependant_periods): the snapshot the checks
 * read (shared/filings/roster.ts), and the period changes of an accepted filing. Periods are closed,
 * never deleted, so the roster as of any date stays readable. Runs inside the processing transaction.
 */
import type { Kysely } from 'kysely';
import { addDays } from '../../../shared/fields/calendar.ts';
import type { Filing } from '../../../shared/filings/contracts.ts';
import { rosterSnapshot, type RosterSnapshot } from '../../../shared/filings/roster.ts';
import type { Database } from '../db/schema.ts';
import { newId } from './ids.ts';

/** Who is insured here and whose dependant each dependant is, from the open periods. */
export async function loadRoster(db: Kysely<Database>, unitId: string): Promise<RosterSnapshot> {
  const insured = await db
    .selectFrom('insured_periods')
    .select('id_number')
    .where('unit_id', '=', unitId)
    .where('to_date', 'is', null)
    .execute();
  const dependants = await db
    .selectFrom('dependant_periods')
    .select(['id_number', 'insured_id_number'])
    .where('unit_id', '=', unitId)
    .where('to_date', 'is', null)
    .execute();
  return rosterSnapshot(
    insured.map((r) => r.id_number),
    dependants.map((d) => ({ idNumber: d.id_number, insuredIdNumber: d.insured_id_number })),
  );
}

export interface PeriodChange {
  db: Kysely<Database>;
  unitId: string;
  /** The accepted filing's row id: opened_by / closed_by. */
  filingId: string;
  now: Date;
}

async function openInsured(change: PeriodChange, idNumber: string) {
  return change.db
    .selectFrom('insured_periods')
    .selectAll()
    .where('unit_id', '=', change.unitId)
    .where('id_number', '=', idNumber)
    .where('to_date', 'is', null)
    .executeTakeFirst();
}

/** Closes the open period on `toDate` (never before its first day). */
function closeOn(from: string, toDate: string): string {
  return toDate < from ? from : toDate;
}

/** The period changes of an accepted filing (the checks have passed against the same roster). */
export async function applyToPeriods(change: PeriodChange, filing: Filing): Promise<void> {
  const { db, unitId, filingId, now } = change;
  switch (filing.kind) {
    case 'enrol':
      await db
        .insertInto('insured_periods')
        .values({
          id: newId(now),
          unit_id: unitId,
          id_number: filing.idNumber,
          name: filing.name,
          birth_date: filing.birthDate,
          scheme: filing.scheme,
          insured_amount: filing.insuredAmount,
          labour_insured_salary: filing.labourInsuredSalary ?? null,
          employer_pension_percent: filing.employerPensionPercent ?? null,
          employee_pension_percent: filing.employeePensionPercent ?? null,
          from_date: filing.enrolmentDate,
          to_date: null,
          end_reason: null,
          opened_by: filingId,
          closed_by: null,
        })
        .execute();
      return;
    case 'withdraw': {
      const open = await openInsured(change, filing.idNumber);
      if (!open) return;
      await db
        .updateTable('insured_periods')
        .set({
          to_date: closeOn(open.from_date, filing.date),
          end_reason: filing.reason,
          closed_by: filingId,
        })
        .where('id', '=', open.id)
        .execute();
      return;
    }
    case 'dependant-enrol':
      await db
        .insertInto('dependant_periods')
        .values({
          id: newId(now),
          unit_id: unitId,
          insured_id_number: filing.insuredIdNumber,
          id_number: filing.idNumber,
          name: filing.name,
          birth_date: filing.birthDate,
          relationship: filing.relationship,
          from_date: filing.date,
          to_date: null,
          end_reason: null,
          opened_by: filingId,
          closed_by: null,
        })
        .execute();
      return;
    case 'dependant-withdraw': {
      const open = await db
        .selectFrom('dependant_periods')
        .select(['id', 'from_date'])
        .where('unit_id', '=', unitId)
        .where('id_number', '=', filing.idNumber)
        .where('to_date', 'is', null)
        .executeTakeFirst();
      if (!open) return;
      await db
        .updateTable('dependant_periods')
        .set({
          to_date: closeOn(open.from_date, filing.date),
          end_reason: filing.reason,
          closed_by: filingId,
        })
        .where('id', '=', open.id)
        .execute();
      return;
    }
    case 'amount-change': {
      const open = await openInsured(change, filing.idNumber);
      if (!open) return;
      const first = `${filing.effectiveMonth}-01`;
      if (open.from_date >= first) {
        // The period starts in or after the effective month: its amount is simply the new one.
        await db
          .updateTable('insured_periods')
          .set({ insured_amount: filing.insuredAmount })
          .where('id', '=', open.id)
          .execute();
        return;
      }
      // Closed on the last day before the effective month, and a new period from its first day.
      await db
        .updateTable('insured_periods')
        .set({ to_date: addDays(first, -1), end_reason: 'amount-change', closed_by: filingId })
        .where('id', '=', open.id)
        .execute();
      const { id: _id, ...rest } = open;
      await db
        .insertInto('insured_periods')
        .values({
          ...rest,
          id: newId(now),
          insured_amount: filing.insuredAmount,
          from_date: first,
          to_date: null,
          end_reason: null,
          opened_by: filingId,
          closed_by: null,
        })
        .execute();
      return;
    }
    case 'correction': {
      // A correction fixes the record: every period of the person here, open or closed.
      const next = filing.newIdNumber;
      const name = filing.newName;
      if (name !== undefined) {
        await db
          .updateTable('insured_periods')
          .set({ name })
          .where('unit_id', '=', unitId)
          .where('id_number', '=', filing.idNumber)
          .execute();
        await db
          .updateTable('dependant_periods')
          .set({ name })
          .where('unit_id', '=', unitId)
          .where('id_number', '=', filing.idNumber)
          .execute();
      }
      if (next !== undefined) {
        await db
          .updateTable('insured_periods')
          .set({ id_number: next })
          .where('unit_id', '=', unitId)
          .where('id_number', '=', filing.idNumber)
          .execute();
        await db
          .updateTable('dependant_periods')
          .set({ id_number: next })
          .where('unit_id', '=', unitId)
          .where('id_number', '=', filing.idNumber)
          .execute();
        await db
          .updateTable('dependant_periods')
          .set({ insured_id_number: next })
          .where('unit_id', '=', unitId)
          .where('insured_id_number', '=', filing.idNumber)
          .execute();
      }
      return;
    }
  }
}

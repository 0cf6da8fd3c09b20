/**
 * A unit's slip and statements for one slip period, made from the roster in the database: the slip
 * PDF, and the statements as PDF or CSV. A period with no one insured at any month's end is
 * "nothing to bill" and makes no document.
 */
import type { Kysely } from 'kysely';
import type { UnitPremium } from '../../../shared/billing/premium.ts';
import type { SlipPeriod } from '../../../shared/billing/slipSchedule.ts';
import type { Database, Unit } from '../db/schema.ts';
import { findCjkFont, type CjkFont } from '../documents/pdfDocument.ts';
import { renderSlipPdf, slipFigures, type PaymentChannels } from '../documents/slipPdf.ts';
import { renderStatementPdf, statementCsv, type StatementKind } from '../documents/statements.ts';
import { billUnitMonths } from './unitBilling.ts';

/**
 * The collecting bank and store codes printed on every slip. TEST values: NHI's real bank, virtual
 * account prefix and store collection code are not public (portal/docs/slips.md).
 */
export const TEST_PAYMENT_CHANNELS: PaymentChannels = {
  bankCode: '004',
  virtualAccountPrefix: '9527',
  collectionCode: 'NH1',
};

let font: CjkFont | undefined;
/** The CJK font, looked up once per process (PORTAL_CJK_FONT or the system's). */
export function documentFont(): CjkFont {
  font ??= findCjkFont();
  return font;
}

export type PeriodBills = { kind: 'bills'; bills: UnitPremium[] } | { kind: 'nothing-to-bill' };

/** The bills of every month of the period; nothing to bill when no month has anyone insured. */
export async function periodBills(
  db: Kysely<Database>,
  unit: Unit,
  period: SlipPeriod,
): Promise<PeriodBills> {
  const results = await billUnitMonths(db, unit.id, period.months);
  const bills = results.flatMap((r) => (r.kind === 'bill' ? [r.premium] : []));
  return bills.length === 0 ? { kind: 'nothing-to-bill' } : { kind: 'bills', bills };
}

const unitOf = (unit: Unit) => ({ name: unit.name, unitCode: unit.unit_code });

export function slipInput(unit: Unit, period: SlipPeriod, bills: UnitPremium[], issuedOn: string) {
  return { unit: unitOf(unit), period, bills, issuedOn, payment: TEST_PAYMENT_CHANNELS };
}

export function slipTotal(unit: Unit, period: SlipPeriod, bills: UnitPremium[], issuedOn: string): number {
  return slipFigures(slipInput(unit, period, bills, issuedOn)).total;
}

export function slipPdf(
  unit: Unit,
  period: SlipPeriod,
  bills: UnitPremium[],
  issuedOn: string,
): Promise<Buffer> {
  return renderSlipPdf(slipInput(unit, period, bills, issuedOn), documentFont());
}

export function statementDocument(
  unit: Unit,
  kind: StatementKind,
  format: 'pdf' | 'csv',
  bills: UnitPremium[],
  issuedOn: string,
): Promise<Buffer> {
  const input = { unit: unitOf(unit), bills, issuedOn };
  return format === 'csv'
    ? Promise.resolve(statementCsv(kind, input))
    : renderStatementPdf(kind, input, documentFont());
}

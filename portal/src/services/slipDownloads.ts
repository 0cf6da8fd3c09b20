/**
 * The download area (下載區): the unit's slip periods from January of last year up to the latest
 * 20th (shared/billing/slipWindow.ts), and each period's slip PDF and statements (PDF, CSV) made on
 * request from the roster. A period outside the window, or not of the unit's cycle, is refused
 * naming the `period` field.
 */
import { cycleInForce, unitSlipPeriod } from '../../../shared/billing/billingCycles.ts';
import { SlipPeriodError, type SlipPeriod } from '../../../shared/billing/slipSchedule.ts';
import { downloadablePeriods, isDownloadable, retentionStart } from '../../../shared/billing/slipWindow.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import type { SlipPeriodView } from '../../../shared/portal/slipsApi.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import type { Unit } from '../db/schema.ts';
import { cycleHistory } from '../billing/billingCycles.ts';
import { periodBills, slipPdf, statementDocument } from '../billing/slipDocuments.ts';
import type { StatementKind } from '../documents/statements.ts';
import type { PortalContext } from './context.ts';
import { slipPeriodView } from './slipSubscriptions.ts';

export async function listSlipPeriods(
  ctx: PortalContext,
  unit: Unit,
): Promise<{ cycle: Unit['billing_cycle']; periods: SlipPeriodView[]; retainedFrom: string }> {
  const today = taipeiDate(ctx.clock());
  const history = await cycleHistory(ctx.db, unit);
  return {
    cycle: cycleInForce(history, today.slice(0, 7)),
    periods: downloadablePeriods(history, today).map(slipPeriodView),
    retainedFrom: retentionStart(today),
  };
}

async function downloadablePeriod(ctx: PortalContext, unit: Unit, periodId: string): Promise<SlipPeriod> {
  const history = await cycleHistory(ctx.db, unit);
  let period: SlipPeriod;
  try {
    period = unitSlipPeriod(history, periodId);
  } catch (error) {
    if (error instanceof SlipPeriodError)
      throw new PortalError('ERR_PORTAL_SLIP_PERIOD_INVALID', { field: 'period', detail: error.message });
    throw error;
  }
  if (!isDownloadable(period, taipeiDate(ctx.clock())))
    throw new PortalError('ERR_PORTAL_SLIP_PERIOD_OUTSIDE_WINDOW', { field: 'period', detail: periodId });
  return period;
}

export type SlipDocument =
  { what: 'slip' } | { what: 'statement'; kind: StatementKind; format: 'pdf' | 'csv' };

/** A document of the download area: its bytes and the file name offered. */
export async function slipDocument(
  ctx: PortalContext,
  unit: Unit,
  periodId: string,
  document: SlipDocument,
): Promise<{ bytes: Buffer; fileName: string }> {
  const period = await downloadablePeriod(ctx, unit, periodId);
  const bills = await periodBills(ctx.db, unit, period);
  if (bills.kind === 'nothing-to-bill')
    throw new PortalError('ERR_PORTAL_SLIP_NOTHING_TO_BILL', { field: 'period', detail: periodId });
  const issuedOn = `${period.issueMonth}-20`;
  const stem = `${unit.unit_code}-${period.id.replace('+', '-')}`;
  if (document.what === 'slip') {
    return { bytes: await slipPdf(unit, period, bills.bills, issuedOn), fileName: `slip-${stem}.pdf` };
  }
  const bytes = await statementDocument(unit, document.kind, document.format, bills.bills, issuedOn);
  return { bytes, fileName: `statement-${document.kind}-${stem}.${document.format}` };
}

/**
 * The desk's form job: queued re-send requests → generating → ready (slip and statement PDFs made
 * by portal/src/documents from the unit's roster history) → expired (portal/src/desk/purge.ts). Claims
 * work like the mail outbox: a claim holds for a lease (PostgreSQL: FOR UPDATE SKIP LOCKED), and a
 * crashed generator's requests are claimed again. The loop runs every PortalConfig.desk.jobMs
 * (PORTAL_DESK_JOB_MS; 0: off, then a form's submission still starts a pass).
 */
import {
  billUnitMonth,
  type DependantSpell,
  type InsuredSpell,
  type UnitPremium,
} from '../../../shared/billing/premium.ts';
import { slipForIssueMonth } from '../../../shared/billing/billingCycles.ts';
import type { ResendDocument } from '../../../shared/desk/formRules.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import type { DeskFormRequest } from '../db/schema.ts';
import { findCjkFont, type CjkFont } from '../documents/pdfDocument.ts';
import { renderSlipPdf, type PaymentChannels } from '../documents/slipPdf.ts';
import { renderStatementPdf } from '../documents/statements.ts';
import { removeExpiredCaptchas } from '../desk/captcha.ts';
import { unitCycleHistory } from '../desk/formRequests.ts';
import { purgeExpiredFiles } from '../desk/purge.ts';
import { DESK_SETTINGS } from '../desk/settings.ts';
import { iso, type PortalContext } from '../services/context.ts';
import { newId } from '../services/ids.ts';

/** The TEST collecting bank and store collection code printed on the desk's slips. */
export const DESK_TEST_PAYMENT: PaymentChannels = {
  bankCode: '004',
  virtualAccountPrefix: '9527',
  collectionCode: 'NH1',
};

const BATCH = 5;

async function claim(ctx: PortalContext): Promise<DeskFormRequest[]> {
  const now = ctx.clock();
  return ctx.db
    .updateTable('desk_form_requests')
    .set({ state: 'generating', claimed_until: iso(new Date(now.getTime() + DESK_SETTINGS.jobLeaseMs)) })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('desk_form_requests')
        .select('id')
        .where((w) =>
          w.or([
            w('state', '=', 'queued'),
            w.and([w('state', '=', 'generating'), w('claimed_until', '<', iso(now))]),
          ]),
        )
        .orderBy('id')
        .limit(BATCH)
        .$if(ctx.dbKind === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .returningAll()
    .execute();
}

async function roster(ctx: PortalContext, unitId: string) {
  const insuredRows = await ctx.db
    .selectFrom('insured_periods')
    .selectAll()
    .where('unit_id', '=', unitId)
    .execute();
  const dependantRows = await ctx.db
    .selectFrom('dependant_periods')
    .selectAll()
    .where('unit_id', '=', unitId)
    .execute();
  // Each period is a spell at one amount; a person's periods never overlap, so at a month's end one applies.
  const insured: InsuredSpell[] = insuredRows.map((p) => ({
    idNumber: p.id_number,
    name: p.name,
    from: p.from_date,
    ...(p.to_date ? { to: p.to_date } : {}),
    amounts: [{ fromMonth: p.from_date.slice(0, 7), amount: p.insured_amount }],
  }));
  const dependants: DependantSpell[] = dependantRows.map((d) => ({
    idNumber: d.id_number,
    name: d.name,
    insuredIdNumber: d.insured_id_number,
    from: d.from_date,
    ...(d.to_date ? { to: d.to_date } : {}),
  }));
  return { insured, dependants };
}

export async function generateRequestFiles(
  ctx: PortalContext,
  request: DeskFormRequest,
  font: CjkFont,
): Promise<{ name: string; content: Buffer }[]> {
  const unitRow = await ctx.db
    .selectFrom('units')
    .selectAll()
    .where('unit_code', '=', request.unit_code)
    .executeTakeFirstOrThrow();
  const unit = { name: unitRow.name, unitCode: unitRow.unit_code };
  const { insured, dependants } = await roster(ctx, unitRow.id);
  const issuedOn = taipeiDate(ctx.clock());
  const documents = JSON.parse(request.documents) as ResendDocument[];
  const files: { name: string; content: Buffer }[] = [];
  const cycles = await unitCycleHistory(ctx, request.unit_code);
  for (const month of JSON.parse(request.months) as string[]) {
    const period = slipForIssueMonth(cycles, month);
    if (!period) continue;
    const bills: UnitPremium[] = [];
    for (const billed of period.months) {
      const result = billUnitMonth(billed, insured, dependants);
      if (result.kind === 'bill') bills.push(result.premium);
    }
    for (const document of documents) {
      const content =
        document === 'slip'
          ? await renderSlipPdf({ unit, period, bills, issuedOn, payment: DESK_TEST_PAYMENT }, font)
          : await renderStatementPdf(document, { unit, bills, issuedOn }, font);
      files.push({ name: `${document}-${unit.unitCode}-${period.id}.pdf`, content });
    }
  }
  return files;
}

async function generate(ctx: PortalContext, request: DeskFormRequest): Promise<void> {
  try {
    const files = await generateRequestFiles(ctx, request, findCjkFont());
    const now = ctx.clock();
    await ctx.db.transaction().execute(async (trx) => {
      for (const file of files) {
        await trx
          .insertInto('desk_form_files')
          .values({
            id: newId(now),
            request_id: request.id,
            name: file.name,
            content_base64: file.content.toString('base64'),
          })
          .execute();
      }
      await trx
        .updateTable('desk_form_requests')
        .set({
          state: 'ready',
          claimed_until: null,
          ready_at: iso(now),
          expires_at: iso(new Date(now.getTime() + ctx.config.desk.fileKeepDays * 86_400_000)),
        })
        .where('id', '=', request.id)
        .execute();
    });
  } catch (error) {
    ctx.warn(`desk form request ${request.id} failed`, error);
    await ctx.db
      .updateTable('desk_form_requests')
      .set({
        state: 'failed',
        claimed_until: null,
        last_error: String(error instanceof Error ? error.message : error).slice(0, 500),
      })
      .where('id', '=', request.id)
      .execute();
  }
}

/** One pass: generate what is queued, expire what is old, drop dead captchas. */
export async function runDeskFormsOnce(ctx: PortalContext): Promise<void> {
  for (;;) {
    const claimed = await claim(ctx);
    for (const request of claimed) await generate(ctx, request);
    if (claimed.length < BATCH) break;
  }
  await purgeExpiredFiles(ctx);
  await removeExpiredCaptchas(ctx);
}

export interface DeskFormsJob {
  /** Runs a pass now (or waits for the running one) ; never rejects. */
  runNow(): Promise<void>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createDeskFormsJob(ctx: PortalContext): DeskFormsJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const runNow = (): Promise<void> => {
    running ??= runDeskFormsOnce(ctx)
      .catch((error: unknown) => ctx.warn('desk forms job failed', error))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    runNow,
    start(intervalMs) {
      timer = setInterval(() => void runNow(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

/**
 * The desk's form job: queued re-send requests → generating → ready (slip and statement PDFs made
 * by portal/src/documents from the unit's roster history) → expired (portal/src/desk/purge.ts). Claims
 * work like the mail outbox: a claim holds for a lease (PostgreSQL: FOR UPDATE SKIP LOCKED), and a
 * crashed generator's requests are claimed again. The loop runs every PortalConfig.desk.jobMs
 * (PORTAL_DESK_JOB_MS; 0: off, then a form's submission still starts a pass).
 */
import { slipForIssueMonth } from '../../../shared/billing/billingCycles.ts';
import type { ResendDocument } from '../../../shared/desk/formRules.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import type { DeskFormRequest } from '../db/schema.ts';
import { periodBills, slipPdf, statementDocument } from '../billing/slipDocuments.ts';
import { removeExpiredCaptchas } from '../desk/captcha.ts';
import { unitCycleHistory } from '../desk/formRequests.ts';
import { purgeExpiredFiles } from '../desk/purge.ts';
import { DESK_SETTINGS } from '../desk/settings.ts';
import { iso, type PortalContext } from '../services/context.ts';
import { newId } from '../services/ids.ts';

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

/** The files a request asked for, made from the roster as the 20th's mailing and the download area make them. */
export async function generateRequestFiles(
  ctx: PortalContext,
  request: DeskFormRequest,
): Promise<{ name: string; content: Buffer }[]> {
  const unit = await ctx.db
    .selectFrom('units')
    .selectAll()
    .where('unit_code', '=', request.unit_code)
    .executeTakeFirstOrThrow();
  const issuedOn = taipeiDate(ctx.clock());
  const documents = JSON.parse(request.documents) as ResendDocument[];
  const files: { name: string; content: Buffer }[] = [];
  const cycles = await unitCycleHistory(ctx, request.unit_code);
  for (const month of JSON.parse(request.months) as string[]) {
    const period = slipForIssueMonth(cycles, month);
    if (!period) continue;
    const billed = await periodBills(ctx.db, unit, period);
    // A month with no one insured still gets its (zero) documents: the clerk asked for them.
    const bills = billed.kind === 'bills' ? billed.bills : [];
    for (const document of documents) {
      const content =
        document === 'slip'
          ? await slipPdf(unit, period, bills, issuedOn)
          : await statementDocument(unit, document, 'pdf', bills, issuedOn);
      files.push({ name: `${document}-${unit.unit_code}-${period.id}.pdf`, content });
    }
  }
  return files;
}

async function generate(ctx: PortalContext, request: DeskFormRequest): Promise<void> {
  try {
    const files = await generateRequestFiles(ctx, request);
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

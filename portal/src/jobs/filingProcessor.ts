/**
 * The filing processor (issue 10): received submissions → each filing accepted or rejected, checked
 * again in order against the unit's roster as it is now (shared/filings/checks.ts with the roster
 * built from the open periods, each accepted filing applied before the next is checked). Accepted
 * filings change insured_periods / dependant_periods in the SAME transaction as the filing states,
 * the submission's state and counts and the outcome mail to the unit's contact (mail outbox).
 *
 * Claims: a processor marks a batch of received submissions as its own until `claimed_until` (on
 * PostgreSQL with FOR UPDATE SKIP LOCKED, so two processors claim different rows); a crashed one's
 * claims run out and another processor takes them. The transaction only goes ahead if it moves the
 * submission from 'received' to 'processed' itself, so each submission is processed once.
 */
import { checkFiling, hasErrors, isLateFiling } from '../../../shared/filings/checks.ts';
import type { Filing } from '../../../shared/filings/contracts.ts';
import { GRADE_TABLES } from '../../../shared/filings/gradeTables.ts';
import { applyFilingInPlace, workingCopy } from '../../../shared/filings/roster.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { iso, within, type PortalContext } from '../services/context.ts';
import { notify } from '../services/notify.ts';
import { applyToPeriods, loadRoster } from '../services/rosterStore.ts';

/** Submissions claimed at once by one processor. */
const CLAIM_BATCH = 20;
/** How long a claim lasts: long enough for a 5,000-filing batch on a loaded machine. */
export const CLAIM_MS = 5 * 60_000;

async function claim(ctx: PortalContext): Promise<string[]> {
  const now = ctx.clock();
  const rows = await ctx.db
    .updateTable('submissions')
    .set({ claimed_until: iso(new Date(now.getTime() + CLAIM_MS)) })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('submissions')
        .select('id')
        .where('state', '=', 'received')
        .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', iso(now))]))
        .orderBy('received_at')
        .orderBy('id')
        .limit(CLAIM_BATCH)
        .$if(ctx.dbKind === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .returning(['id', 'received_at'])
    .execute();
  return rows.sort((a, b) => (a.received_at + a.id < b.received_at + b.id ? -1 : 1)).map((r) => r.id);
}

/** Processes one claimed submission; false when another processor already did. */
async function processOne(ctx: PortalContext, submissionId: string): Promise<boolean> {
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    // Taking the submission from 'received' is what makes this processor the only one.
    const taken = await trx
      .updateTable('submissions')
      .set({ state: 'processed', processed_at: iso(now), claimed_until: null })
      .where('id', '=', submissionId)
      .where('state', '=', 'received')
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return false;
    const submission = await trx
      .selectFrom('submissions')
      .innerJoin('units', 'units.id', 'submissions.unit_id')
      .select([
        'submissions.unit_id',
        'submissions.receipt_no',
        'submissions.received_at',
        'units.unit_code',
        'units.name as unit_name',
        'units.contact_email',
      ])
      .where('submissions.id', '=', submissionId)
      .executeTakeFirstOrThrow();
    const filings = await trx
      .selectFrom('filings')
      .select(['id', 'data'])
      .where('submission_id', '=', submissionId)
      .orderBy('seq')
      .execute();
    // Deadlines count to the day the portal received the filing, not the day it is processed.
    const today = taipeiDate(new Date(submission.received_at));
    // One copy per submission, changed in place: copying the roster per filing made a batch quadratic.
    const roster = workingCopy(await loadRoster(trx, submission.unit_id));
    let accepted = 0;
    for (const row of filings) {
      const filing = JSON.parse(row.data) as Filing;
      const issues = checkFiling(filing, { today, tables: GRADE_TABLES, roster });
      const ok = !hasErrors(issues);
      if (ok) {
        await applyToPeriods({ db: trx, unitId: submission.unit_id, filingId: row.id, now }, filing);
        applyFilingInPlace(roster, filing);
        accepted++;
      }
      await trx
        .updateTable('filings')
        .set({
          state: ok ? 'accepted' : 'rejected',
          issues: JSON.stringify(issues),
          late: isLateFiling(issues) ? 1 : 0,
          processed_at: iso(now),
        })
        .where('id', '=', row.id)
        .execute();
    }
    await trx
      .updateTable('submissions')
      .set({ accepted_count: accepted, rejected_count: filings.length - accepted })
      .where('id', '=', submissionId)
      .execute();
    await notify(within(ctx, trx), 'filing-processed', submission.contact_email, {
      unitName: submission.unit_name,
      unitCode: submission.unit_code,
      // ISO: the mail writes it in Taipei time, the clerk's way (mail/templates.ts).
      time: iso(now),
      receiptNo: submission.receipt_no,
      filingCount: filings.length,
      acceptedCount: accepted,
      rejectedCount: filings.length - accepted,
    });
    return true;
  });
}

/**
 * Processes the received submissions, oldest first, until none is left to claim; returns how many this
 * call processed. Tests call it directly; the portal's scheduler calls it on an interval.
 */
export async function processPendingSubmissions(ctx: PortalContext): Promise<number> {
  let processed = 0;
  for (;;) {
    const claimed = await claim(ctx);
    if (claimed.length === 0) break;
    for (const id of claimed) if (await processOne(ctx, id)) processed++;
  }
  if (processed > 0) await ctx.deliverMail();
  return processed;
}

export interface FilingScheduler {
  start(): void;
  stop(): Promise<void>;
}

/** Runs the processor every `intervalMs` (0: never); one run at a time; failures are reported, not thrown. */
export function createFilingScheduler(ctx: PortalContext, intervalMs: number): FilingScheduler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = processPendingSubmissions(ctx)
      .then(
        () => undefined,
        (error: unknown) => ctx.warn('filing processing failed', error),
      )
      .finally(() => {
        running = undefined;
      });
  };
  return {
    start() {
      if (intervalMs > 0 && !timer) {
        timer = setInterval(tick, intervalMs);
        timer.unref();
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

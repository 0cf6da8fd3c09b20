/**
 * The 20th's slip mailing (issue 11). For an issue date (Asia/Taipei) that is the 20th, or any date
 * when forced, every unit with a confirmed address that gets a slip that month is mailed its slip
 * PDF once (not before the subscription's first issue month, when a desk application gave one):
 *
 * 1. plan: one slip_dispatches row per unit and period, INSERT … SELECT … ON CONFLICT DO NOTHING on
 *    UNIQUE(unit_id, period_id), so running the job again (or on several machines) plans nothing twice;
 * 2. work: runners claim batches of pending rows for `leaseMs` (PostgreSQL: FOR UPDATE SKIP LOCKED, so
 *    runners in several processes never share a row; SQLite: the claim is one atomic UPDATE), make the
 *    PDF, send the mail, and mark the row sent. A runner killed mid-run leaves its rows claimed; they
 *    are claimed again when the lease runs out, so the run resumes where it stopped.
 *
 * The boundary, honestly: a row is marked sent after the SMTP server accepted the mail. A runner killed
 * between the two repeats that one mail after the lease, with the same Message-ID (the row id), so it
 * is recognisably the same mail. Without a crash each slip goes out exactly once.
 *
 * A permanent SMTP refusal (5xx: unknown mailbox…) is recorded as `bounced` and the job goes on; a PDF
 * that cannot be made or a temporary failure fails that unit only: it is tried again after
 * `retryDelayMs`, and after `maxAttempts` tries the row is `failed` for an operator to look at.
 */
import { sql, type Kysely } from 'kysely';
import {
  BILLING_CYCLES,
  slipIssuedIn,
  slipPeriodById,
  SLIP_ISSUE_DAY,
} from '../../../shared/billing/slipSchedule.ts';
import { rocDisplayMonth } from '../../../shared/tw/rocDate.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import type { Database, SlipDispatch, SlipDispatchState } from '../db/schema.ts';
import type { Mailer } from '../mail/mailer.ts';
import { composeMail } from '../mail/templates.ts';
import { periodBills, slipPdf, slipTotal } from '../billing/slipDocuments.ts';
import { mailsIssueMonth } from '../services/slipSubscriptions.ts';

export interface SlipDispatchDeps {
  db: Kysely<Database>;
  dbKind: 'sqlite' | 'postgres';
  mailer: Mailer;
  clock: () => Date;
  warn: (message: string, error?: unknown) => void;
}

export interface SlipDispatchOptions {
  /** The issue date, ISO YYYY-MM-DD in Asia/Taipei. */
  date: string;
  /** Run although the date is not the 20th (operators; the period is still the date's month's). */
  force?: boolean;
  /** Plan the month's rows (default true); the scheduler only works rows once a month is planned. */
  plan?: boolean;
  /** How long a claim holds before another runner may take the row (default 10 minutes). */
  leaseMs?: number;
  /** A failed unit is tried again after this (default 1 minute). */
  retryDelayMs?: number;
  maxAttempts?: number;
  batchSize?: number;
  /** Units worked at once in this process (default 1). */
  concurrency?: number;
}

export interface DispatchProgress {
  issueMonth: string;
  startedAt?: string;
  planned: number;
  finishedAt?: string;
  states: Record<SlipDispatchState, number>;
  /** Pending rows a runner holds right now. */
  inProgress: number;
}

export type DispatchOutcome =
  | { kind: 'not-issue-day'; date: string }
  | { kind: 'ran'; issueMonth: string; handled: number; progress: DispatchProgress };

const DEFAULTS = {
  leaseMs: 10 * 60_000,
  retryDelayMs: 60_000,
  maxAttempts: 5,
  batchSize: 20,
  concurrency: 1,
};

const errorText = (error: unknown) => String(error instanceof Error ? error.message : error).slice(0, 500);

/** A refusal the mail server will give again (RFC 5321 5xx): the address bounces. */
function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Creates the month's run row and its dispatch rows (idempotent). Returns the rows planned in all. */
export async function planDispatch(db: Kysely<Database>, issueMonth: string, now: Date): Promise<number> {
  await db
    .insertInto('slip_dispatch_runs')
    .values({ issue_month: issueMonth, started_at: now.toISOString(), finished_at: null })
    .onConflict((oc) => oc.column('issue_month').doNothing())
    .execute();
  for (const cycle of BILLING_CYCLES) {
    const period = slipIssuedIn(cycle, issueMonth);
    if (!period) continue;
    // Literals are ours (a period id and an ISO time), never user input.
    await db
      .insertInto('slip_dispatches')
      .columns(['id', 'unit_id', 'period_id', 'issue_month', 'state', 'attempts', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom('units')
          .innerJoin('slip_subscriptions as s', 's.unit_id', 'units.id')
          .select([
            sql<string>`units.id || ${sql.lit(`/${period.id}`)}`.as('id'),
            'units.id as unit_id',
            sql<string>`${sql.lit(period.id)}`.as('period_id'),
            sql<string>`${sql.lit(issueMonth)}`.as('issue_month'),
            sql<string>`${sql.lit('pending')}`.as('state'),
            sql<number>`0`.as('attempts'),
            sql<string>`${sql.lit(now.toISOString())}`.as('created_at'),
          ])
          .where('units.billing_cycle', '=', cycle)
          .where('s.email', 'is not', null)
          .where('s.confirmed_at', 'is not', null)
          .where('s.cancelled_at', 'is', null)
          .where((w) =>
            w.or([w('s.first_issue_month', 'is', null), w('s.first_issue_month', '<=', issueMonth)]),
          ),
      )
      .onConflict((oc) => oc.columns(['unit_id', 'period_id']).doNothing())
      .execute();
  }
  const { count } = await db
    .selectFrom('slip_dispatches')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('issue_month', '=', issueMonth)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('slip_dispatch_runs')
    .set({ planned: Number(count) })
    .where('issue_month', '=', issueMonth)
    .execute();
  return Number(count);
}

/** What an operator sees of a month's run (CLI `--status`). */
export async function dispatchProgress(
  db: Kysely<Database>,
  issueMonth: string,
  now: Date,
): Promise<DispatchProgress> {
  const run = await db
    .selectFrom('slip_dispatch_runs')
    .selectAll()
    .where('issue_month', '=', issueMonth)
    .executeTakeFirst();
  const rows = await db
    .selectFrom('slip_dispatches')
    .select(['state', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('issue_month', '=', issueMonth)
    .groupBy('state')
    .execute();
  const states: Record<SlipDispatchState, number> = {
    pending: 0,
    sent: 0,
    bounced: 0,
    'nothing-to-bill': 0,
    unsubscribed: 0,
    failed: 0,
  };
  for (const row of rows) states[row.state] = Number(row.count);
  const held = await db
    .selectFrom('slip_dispatches')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('issue_month', '=', issueMonth)
    .where('state', '=', 'pending')
    .where('claimed_until', '>', now.toISOString())
    .executeTakeFirstOrThrow();
  return {
    issueMonth,
    planned: run?.planned ?? 0,
    ...(run ? { startedAt: run.started_at } : {}),
    ...(run?.finished_at ? { finishedAt: run.finished_at } : {}),
    states,
    inProgress: Number(held.count),
  };
}

export async function runSlipDispatch(
  deps: SlipDispatchDeps,
  options: SlipDispatchOptions,
): Promise<DispatchOutcome> {
  const { db, dbKind, mailer, clock, warn } = deps;
  const o = { ...DEFAULTS, ...options };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date)) throw new Error(`not an ISO date: ${o.date}`);
  if (Number(o.date.slice(8, 10)) !== SLIP_ISSUE_DAY && !o.force)
    return { kind: 'not-issue-day', date: o.date };
  const issueMonth = o.date.slice(0, 7);
  if (o.plan !== false) await planDispatch(db, issueMonth, clock());

  async function claim(): Promise<SlipDispatch[]> {
    const now = clock();
    const until = new Date(now.getTime() + o.leaseMs).toISOString();
    return db
      .updateTable('slip_dispatches')
      .set((eb) => ({ claimed_until: until, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('slip_dispatches')
          .select('id')
          .where('issue_month', '=', issueMonth)
          .where('state', '=', 'pending')
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now.toISOString())]))
          .orderBy('id')
          .limit(o.batchSize)
          .$if(dbKind === 'postgres', (q) => q.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
  }

  /** Ends a row's work; only a row still pending changes (a state once final stays). */
  const settle = (
    id: string,
    changes: Partial<Pick<SlipDispatch, 'state' | 'sent_at' | 'recipient' | 'last_error' | 'claimed_until'>>,
  ) =>
    db
      .updateTable('slip_dispatches')
      .set(changes)
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .execute();

  async function retryLater(row: SlipDispatch, error: unknown): Promise<void> {
    const final = row.attempts >= o.maxAttempts;
    warn(`slip ${row.id}: ${final ? 'failed for good' : 'failed, will retry'} (try ${row.attempts})`, error);
    await settle(row.id, {
      last_error: errorText(error),
      ...(final
        ? { state: 'failed', claimed_until: null }
        : { claimed_until: new Date(clock().getTime() + o.retryDelayMs).toISOString() }),
    });
  }

  async function handle(row: SlipDispatch): Promise<void> {
    const unit = await db
      .selectFrom('units')
      .selectAll()
      .where('id', '=', row.unit_id)
      .executeTakeFirstOrThrow();
    const subscription = await db
      .selectFrom('slip_subscriptions')
      .selectAll()
      .where('unit_id', '=', row.unit_id)
      .executeTakeFirst();
    if (!mailsIssueMonth(subscription, row.issue_month)) {
      await settle(row.id, { state: 'unsubscribed', claimed_until: null });
      return;
    }
    const to = subscription!.email!;
    let mail;
    try {
      const period = slipPeriodById(unit.billing_cycle, row.period_id);
      const bills = await periodBills(db, unit, period);
      if (bills.kind === 'nothing-to-bill') {
        await settle(row.id, { state: 'nothing-to-bill', claimed_until: null });
        return;
      }
      const issuedOn = `${issueMonth}-${String(SLIP_ISSUE_DAY).padStart(2, '0')}`;
      const pdf = await slipPdf(unit, period, bills.bills, issuedOn);
      mail = composeMail('slip-issued', to, {
        unitName: unit.name,
        unitCode: unit.unit_code,
        time: clock().toISOString(),
        period: period.months.map(rocDisplayMonth).join('、'),
        amount: slipTotal(unit, period, bills.bills, issuedOn).toLocaleString('en-US'),
        dueDate: formatClerkDate(period.dueDate, 'both'),
      });
      mail = {
        ...mail,
        messageId: row.id,
        attachments: [
          {
            filename: `slip-${unit.unit_code}-${period.id.replace('+', '-')}.pdf`,
            content: pdf,
            contentType: 'application/pdf',
          },
        ],
      };
    } catch (error) {
      await retryLater(row, error);
      return;
    }
    try {
      await mailer.send(mail);
    } catch (error) {
      if (!isPermanentRefusal(error)) return retryLater(row, error);
      warn(`slip ${row.id}: ${to} refused by the mail server (recorded as bounced)`, error);
      await settle(row.id, {
        state: 'bounced',
        recipient: to,
        last_error: errorText(error),
        claimed_until: null,
      });
      return;
    }
    await settle(row.id, {
      state: 'sent',
      sent_at: clock().toISOString(),
      recipient: to,
      claimed_until: null,
      last_error: null,
    });
  }

  let handled = 0;
  async function runner(): Promise<void> {
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) return;
      for (const row of rows) {
        await handle(row);
        handled += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, () => runner()));

  const progress = await dispatchProgress(db, issueMonth, clock());
  if (progress.states.pending === 0 && !progress.finishedAt) {
    const finishedAt = clock().toISOString();
    await db
      .updateTable('slip_dispatch_runs')
      .set({ finished_at: finishedAt })
      .where('issue_month', '=', issueMonth)
      .where('finished_at', 'is', null)
      .execute();
    progress.finishedAt = finishedAt;
  }
  return { kind: 'ran', issueMonth, handled, progress };
}

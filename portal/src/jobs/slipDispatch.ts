/**
 * The 20th's slip mailing (issue 11). For an issue date (Asia/Taipei) that is the 20th, or any date
 * when forced, every unit with a confirmed address that gets a slip that month is mailed its slip
 * PDF once (not before the subscription's first issue month, when a desk application gave one):
 *
 * 1. plan: one slip_dispatches row per unit and period (the unit's cycle in force, billingCycles.ts),
 *    500 units an INSERT with ON CONFLICT DO NOTHING on UNIQUE(unit_id, period_id), so running the
 *    job again (or on several machines) plans nothing twice;
 * 2. work: runners claim batches of pending rows for `leaseMs` (PostgreSQL: FOR UPDATE SKIP LOCKED, so
 *    runners in several processes never share a row; SQLite: the claim is one atomic UPDATE), make the
 *    PDF, send the mail, and mark the row sent. A runner killed mid-run leaves its rows claimed; they
 *    are claimed again when the lease runs out, so the run resumes where it stopped.
 *
 * The boundary, honestly (at-least-once): just before the mail is handed to the SMTP server the row
 * becomes `sending`, held for `resendGraceMs` (the longest a send may take); after the server
 * accepted it the row becomes `sent`. A runner killed between the two leaves the row `sending`: once
 * the grace is over a resumed run sends it again with the SAME Message-ID (the row id), so the
 * recipient's mail system can tell it is the same mail. SMTP cannot tell a sender whether a mail it
 * lost track of was delivered, so this is the best there is. Without a crash each slip goes out once.
 *
 * A permanent SMTP refusal (5xx: unknown mailbox…) is recorded as `bounced` and the job goes on; a PDF
 * that cannot be made or a temporary failure fails that unit only: it is tried again after
 * `retryDelayMs`, and after `maxAttempts` tries the row is `failed` for an operator to look at.
 */
import type { Kysely } from 'kysely';
import { slipForIssueMonth, unitSlipPeriod } from '../../../shared/billing/billingCycles.ts';
import { SLIP_ISSUE_DAY } from '../../../shared/billing/slipSchedule.ts';
import { rocDisplayMonth } from '../../../shared/tw/rocDate.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import type { Database, SlipDispatch, SlipDispatchState } from '../db/schema.ts';
import type { Mailer } from '../mail/mailer.ts';
import { composeMail } from '../mail/templates.ts';
import { periodBills, slipPdf, slipTotal, statementDocument } from '../billing/slipDocuments.ts';
import { autoSendStatements } from '../desk/autoSendOrders.ts';
import { mailsIssueMonth } from '../services/slipSubscriptions.ts';
import { cycleHistories, cycleHistory } from '../billing/billingCycles.ts';

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
  /**
   * How long a row stays `sending` before a resumed run sends it again, same Message-ID (default
   * 2 minutes: longer than nodemailer's SMTP timeouts, so a live runner's send is never repeated).
   */
  resendGraceMs?: number;
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
  /** Pending or sending rows a runner holds right now. */
  inProgress: number;
}

export type DispatchOutcome =
  | { kind: 'not-issue-day'; date: string }
  | { kind: 'ran'; issueMonth: string; handled: number; progress: DispatchProgress };

const DEFAULTS = {
  leaseMs: 10 * 60_000,
  resendGraceMs: 2 * 60_000,
  retryDelayMs: 60_000,
  maxAttempts: 5,
  batchSize: 20,
  concurrency: 1,
};

/** Rows a runner may still work: not started, or handed to the mail server by a runner that died. */
const UNFINISHED: readonly SlipDispatchState[] = ['pending', 'sending'];

const errorText = (error: unknown) => String(error instanceof Error ? error.message : error).slice(0, 500);

/** A refusal the mail server will give again (RFC 5321 5xx): the address bounces. */
function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Units planned per round trip (one select, one history read, one insert). */
const PLAN_CHUNK = 500;

/** Creates the month's run row and its dispatch rows (idempotent). Returns the rows planned in all. */
export async function planDispatch(db: Kysely<Database>, issueMonth: string, now: Date): Promise<number> {
  await db
    .insertInto('slip_dispatch_runs')
    .values({ issue_month: issueMonth, started_at: now.toISOString(), finished_at: null })
    .onConflict((oc) => oc.column('issue_month').doNothing())
    .execute();
  // Subscribed units in id order, a chunk at a time; each gets the slip of its cycle in force then.
  for (let after = ''; ;) {
    const units = await db
      .selectFrom('units')
      .innerJoin('slip_subscriptions as s', 's.unit_id', 'units.id')
      .select(['units.id as id', 'units.billing_cycle as billing_cycle'])
      .where('units.id', '>', after)
      .where('s.email', 'is not', null)
      .where('s.confirmed_at', 'is not', null)
      .where('s.cancelled_at', 'is', null)
      .where((w) => w.or([w('s.first_issue_month', 'is', null), w('s.first_issue_month', '<=', issueMonth)]))
      .orderBy('units.id')
      .limit(PLAN_CHUNK)
      .execute();
    if (units.length === 0) break;
    after = units[units.length - 1]!.id;
    const histories = await cycleHistories(db, units);
    const rows = units.flatMap((unit) => {
      const period = slipForIssueMonth(histories.get(unit.id)!, issueMonth);
      return period
        ? [
            {
              id: `${unit.id}/${period.id}`,
              unit_id: unit.id,
              period_id: period.id,
              issue_month: issueMonth,
              state: 'pending' as const,
              attempts: 0,
              created_at: now.toISOString(),
            },
          ]
        : [];
    });
    if (rows.length > 0)
      await db
        .insertInto('slip_dispatches')
        .values(rows)
        // No conflict target: the row's id and (unit, period) are both unique, and a second runner
        // planning at the same moment collides on either (PostgreSQL raises on a non-target one).
        .onConflict((oc) => oc.doNothing())
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
    sending: 0,
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
    .where('state', 'in', UNFINISHED)
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
          .where('state', 'in', UNFINISHED)
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now.toISOString())]))
          .orderBy('id')
          .limit(o.batchSize)
          .$if(dbKind === 'postgres', (q) => q.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
  }

  /** Ends a row's work; only a row still unfinished changes (a state once final stays). */
  const settle = (
    id: string,
    changes: Partial<Pick<SlipDispatch, 'state' | 'sent_at' | 'recipient' | 'last_error' | 'claimed_until'>>,
  ) =>
    db
      .updateTable('slip_dispatches')
      .set(changes)
      .where('id', '=', id)
      .where('state', 'in', UNFINISHED)
      .execute();

  async function retryLater(row: SlipDispatch, error: unknown): Promise<void> {
    const final = row.attempts >= o.maxAttempts;
    warn(`slip ${row.id}: ${final ? 'failed for good' : 'failed, will retry'} (try ${row.attempts})`, error);
    await settle(row.id, {
      last_error: errorText(error),
      ...(final
        ? { state: 'failed', claimed_until: null }
        : // Not accepted (a refusal or no answer before the error): back to pending.
          { state: 'pending', claimed_until: new Date(clock().getTime() + o.retryDelayMs).toISOString() }),
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
      const period = unitSlipPeriod(await cycleHistory(db, unit), row.period_id);
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
      const periodName = period.id.replace('+', '-');
      // A desk 自動寄發 order may also ask for the statements: they travel in the same mail.
      const statements = await Promise.all(
        (await autoSendStatements(db, unit.unit_code)).map(async (kind) => ({
          filename: `${kind}-${unit.unit_code}-${periodName}.pdf`,
          content: await statementDocument(unit, kind, 'pdf', bills.bills, issuedOn),
          contentType: 'application/pdf',
        })),
      );
      mail = {
        ...mail,
        messageId: row.id,
        attachments: [
          {
            filename: `slip-${unit.unit_code}-${periodName}.pdf`,
            content: pdf,
            contentType: 'application/pdf',
          },
          ...statements,
        ],
      };
    } catch (error) {
      await retryLater(row, error);
      return;
    }
    // From here the mail may reach the recipient: held for the resend grace, not the claim's lease.
    await settle(row.id, {
      state: 'sending',
      claimed_until: new Date(clock().getTime() + o.resendGraceMs).toISOString(),
    });
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
  if (progress.states.pending === 0 && progress.states.sending === 0 && !progress.finishedAt) {
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

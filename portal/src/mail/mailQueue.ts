/**
 * Mail through the database: `enqueueMail` writes a row in the caller's transaction, so a mail exists
 * exactly when the change it reports was committed; `createMailDispatcher` sends the rows after the
 * commit. A sender claims rows for `leaseMs` (PostgreSQL: FOR UPDATE SKIP LOCKED, so several portal
 * processes never claim the same row; SQLite: one process), sends each once and marks it sent. Rows of
 * a sender that crashed are claimed again when their lease runs out. The row id is the mail's
 * Message-ID, so the one mail a crash between "accepted" and "marked sent" could repeat is
 * recognisable as the same.
 */
import type { Kysely } from 'kysely';
import type { Database, MailOutboxRow } from '../db/schema.ts';
import { newId } from '../services/ids.ts';
import type { Mailer, OutgoingMail } from './mailer.ts';

/** How many mails this process has queued so far (see `mailsQueuedSoFar`). */
let queuedInThisProcess = 0;

/**
 * A count that moves whenever this process queues a mail: a request whose work left it unchanged
 * queued nothing, so it need not look for mail to send after its commit (a claim query and a commit
 * on every request). Mails of other processes and retries are the dispatcher's interval's job.
 */
export function mailsQueuedSoFar(): number {
  return queuedInThisProcess;
}

export async function enqueueMail(db: Kysely<Database>, mail: OutgoingMail, now: Date): Promise<void> {
  queuedInThisProcess++;
  await db
    .insertInto('mail_outbox')
    .values({
      id: newId(now),
      event: mail.event,
      recipient: mail.to,
      subject: mail.subject,
      body: mail.text,
      created_at: now.toISOString(),
      claimed_until: null,
      sent_at: null,
      last_error: null,
    })
    .execute();
}

export interface MailDispatcherOptions {
  db: Kysely<Database>;
  dbKind: 'sqlite' | 'postgres';
  mailer: Mailer;
  clock: () => Date;
  /** How long a claim holds; a failed or crashed send is tried again after it. */
  leaseMs: number;
  warn: (message: string, error?: unknown) => void;
}

export interface MailDispatcher {
  /** Sends every unclaimed unsent mail now; resolves when done (never rejects). */
  deliverPending(): Promise<void>;
  /** Also looks for mails left by crashes and failed sends every `intervalMs`. */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

const BATCH = 10;

export function createMailDispatcher(options: MailDispatcherOptions): MailDispatcher {
  const { db, dbKind, mailer, clock, leaseMs, warn } = options;
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<Promise<void>>();

  async function claim(): Promise<MailOutboxRow[]> {
    const now = clock();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    return db
      .updateTable('mail_outbox')
      .set((eb) => ({ claimed_until: until, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('mail_outbox')
          .select('id')
          .where('sent_at', 'is', null)
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now.toISOString())]))
          .orderBy('id')
          .limit(BATCH)
          .$if(dbKind === 'postgres', (q) => q.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
  }

  async function send(row: MailOutboxRow): Promise<void> {
    try {
      await mailer.send({
        to: row.recipient,
        subject: row.subject,
        text: row.body,
        event: row.event,
        messageId: row.id,
      });
    } catch (error) {
      warn(`mail ${row.event} to ${row.recipient} failed (try ${row.attempts}), will retry`, error);
      await db
        .updateTable('mail_outbox')
        .set({ last_error: String(error instanceof Error ? error.message : error).slice(0, 500) })
        .where('id', '=', row.id)
        .execute();
      return;
    }
    await db
      .updateTable('mail_outbox')
      .set({ sent_at: clock().toISOString(), claimed_until: null, last_error: null })
      .where('id', '=', row.id)
      .execute();
  }

  // Rows this process is sending: claimed again only if a send outlasts the lease; never sent twice here.
  const sending = new Set<string>();

  async function deliver(): Promise<void> {
    for (;;) {
      const rows = (await claim()).filter((row) => !sending.has(row.id));
      if (rows.length === 0) return;
      for (const row of rows) {
        sending.add(row.id);
        try {
          await send(row);
        } finally {
          sending.delete(row.id);
        }
      }
      if (rows.length < BATCH) return;
    }
  }

  const deliverPending = (): Promise<void> => {
    const run = deliver().catch((error: unknown) => warn('mail dispatch failed', error));
    running.add(run);
    void run.finally(() => running.delete(run));
    return run;
  };

  return {
    deliverPending,
    start(intervalMs) {
      if (timer) return;
      timer = setInterval(() => void deliverPending(), intervalMs);
      timer.unref();
      void deliverPending();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.all(running);
    },
  };
}

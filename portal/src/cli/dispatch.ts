/**
 * `npm run portal:dispatch -- --date 2026-12-20`: runs the slip mailing for an issue date (Asia/Taipei)
 * against the configured database and mailer (DATABASE_URL, SMTP_URL…, as the portal), and prints the
 * month's progress as JSON. Several of these may run at once, on several machines (PostgreSQL).
 *
 *   --date YYYY-MM-DD   the issue date (default: today in Taipei); not the 20th → nothing is sent
 *   --force             run for the date's month although it is not the 20th
 *   --status            only print the progress of the date's month
 *   --lease-ms N        how long a claimed unit is held before another runner may take it
 *   --resend-grace-ms N how long a unit handed to the mail server (`sending`) is held before a
 *                       resumed run sends it again, with the same Message-ID
 *   --concurrency N     units worked at once in this process
 */
import { parseArgs } from 'node:util';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createFileOutbox } from '../mail/fileOutbox.ts';
import type { Mailer } from '../mail/mailer.ts';
import { createSmtpMailer } from '../mail/smtpMailer.ts';
import { dispatchProgress, runSlipDispatch } from '../jobs/slipDispatch.ts';

const positive = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return Number(text);
};

/**
 * Test hook: with CARDBRIDGE_TEST_KILL_AFTER_SMTP=N the process kills itself (SIGKILL) right after
 * the mail server accepted its N-th mail, before the row is marked sent: the crash window the
 * `sending` state and the resend grace are for (tests/integration/slips/dispatchSending.test.ts).
 */
function killAfterAccepted(mailer: Mailer): Mailer {
  const limit = Number(process.env.CARDBRIDGE_TEST_KILL_AFTER_SMTP ?? 0);
  if (!(limit >= 1)) return mailer;
  let accepted = 0;
  return {
    ...mailer,
    async send(mail) {
      await mailer.send(mail);
      if (++accepted >= limit) process.kill(process.pid, 'SIGKILL');
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      date: { type: 'string' },
      force: { type: 'boolean', default: false },
      status: { type: 'boolean', default: false },
      'lease-ms': { type: 'string' },
      'resend-grace-ms': { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const date = values.date ?? taipeiDate(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('--date must be YYYY-MM-DD');
  const leaseMs = positive('lease-ms', values['lease-ms']);
  const resendGraceMs = positive('resend-grace-ms', values['resend-grace-ms']);
  const concurrency = positive('concurrency', values.concurrency);

  const config = loadConfig();
  const database = openDatabase(config.database);
  const mailer: Mailer = killAfterAccepted(
    config.mail.kind === 'smtp'
      ? createSmtpMailer(config.mail.url, config.mailFrom)
      : createFileOutbox(config.mail.dir, config.mailFrom),
  );
  try {
    await migrateToLatest(database.db);
    if (values.status) {
      const progress = await dispatchProgress(database.db, date.slice(0, 7), new Date());
      console.log(JSON.stringify(progress, null, 2));
      return 0;
    }
    const outcome = await runSlipDispatch(
      {
        db: database.db,
        dbKind: database.kind,
        mailer,
        clock: () => new Date(),
        warn: (message, error) =>
          console.warn(`dispatch: ${message}${error instanceof Error ? `: ${error.message}` : ''}`),
      },
      {
        date,
        force: values.force,
        ...(leaseMs ? { leaseMs } : {}),
        ...(resendGraceMs ? { resendGraceMs } : {}),
        ...(concurrency ? { concurrency } : {}),
      },
    );
    if (outcome.kind === 'not-issue-day') {
      console.log(`dispatch: ${date} is not the 20th: nothing to send (--force to run anyway)`);
      return 0;
    }
    console.log(JSON.stringify(outcome, null, 2));
    const { pending, sending } = outcome.progress.states;
    return pending + sending === 0 ? 0 : 2;
  } finally {
    await database.close();
    await mailer.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error,
    );
    process.exit(1);
  },
);

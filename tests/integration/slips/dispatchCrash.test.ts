/**
 * The dispatch CLI (`npm run portal:dispatch`) killed with SIGKILL mid-run, then started again on the
 * same database: the run resumes where it stopped and every unit gets its slip. Counted by a real SMTP
 * server. Honest boundary (portal/docs/slips.md): a mail accepted by the server but not yet marked
 * sent when the kill lands is sent again with the same Message-ID, so each unit has exactly one
 * Message-ID and at most one mail in the whole run is a repeat. SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../../portal/src/config.ts';
import { openDatabase } from '../../../portal/src/db/dialect.ts';
import { migrateToLatest } from '../../../portal/src/db/migrate.ts';
import { startSmtp, type SmtpLab } from '../../../lab/smtp.ts';
import { startBackends } from '../portal/harness.ts';
import { runPortalCli } from './portalCli.ts';
import { addUnits, subscribe } from './roster.ts';
import { describeEachBackend } from '../portal/eachBackend.ts';

const UNITS = 40;
const LEASE_MS = 4_000;

const backends = await startBackends();
let smtp: SmtpLab;
let dir: string;

beforeAll(async () => {
  smtp = await startSmtp();
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-dispatch-crash-'));
}, 60_000);
afterAll(async () => {
  await smtp?.stop();
  await backends.postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const runCli = (databaseUrl: string, extra: string[] = []) =>
  runPortalCli(
    'dispatch.ts',
    ['--date', '2026-12-20', '--lease-ms', String(LEASE_MS), '--resend-grace-ms', String(LEASE_MS), ...extra],
    { DATABASE_URL: databaseUrl, SMTP_URL: smtp.url },
  );

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachBackend(backends, 'dispatch killed mid-run on $name', (backend) => {
  it('resumes after SIGKILL and mails every unit one slip (one Message-ID each)', async () => {
    smtp.mails.length = 0;
    const databaseUrl = backend.kind === 'postgres' ? backend.url : path.join(dir, 'portal.sqlite');
    const database = openDatabase(loadConfig({ DATABASE_URL: databaseUrl }).database);
    try {
      await migrateToLatest(database.db);
      const units = await addUnits(database.db, UNITS, { people: 3 });
      for (const [i, unit] of units.entries())
        await subscribe(database.db, unit.id, `crash${i}@slips.example.test`);

      const first = runCli(databaseUrl);
      // Kill once part of the run is done (sent rows in the database), not at a chosen point of a send.
      const deadline = Date.now() + 90_000;
      for (;;) {
        const { count } = await database.db
          .selectFrom('slip_dispatches')
          .select((eb) => eb.fn.countAll<string | number>().as('count'))
          .where('state', '=', 'sent')
          .executeTakeFirstOrThrow();
        if (Number(count) >= 8) break;
        if (Date.now() > deadline) throw new Error(`the first runner sent too little:\n${first.output()}`);
        await delay(50);
      }
      first.child.kill('SIGKILL');
      await first.exited;
      const sentAtKill = smtp.mails.length;
      expect(sentAtKill).toBeLessThan(UNITS);

      // The killed runner's claims hold for the lease; afterwards a new runner takes them over.
      await delay(LEASE_MS + 500);
      const second = runCli(databaseUrl);
      expect(await second.exited, second.output()).toBe(0);

      const rows = await database.db.selectFrom('slip_dispatches').select(['state']).execute();
      expect(rows).toHaveLength(UNITS);
      expect(rows.every((r) => r.state === 'sent')).toBe(true);
      const byRecipient = new Map<string, Set<string>>();
      for (const mail of smtp.mails) {
        for (const to of mail.to) {
          const ids = byRecipient.get(to) ?? new Set<string>();
          ids.add(mail.headers['message-id'] ?? '');
          byRecipient.set(to, ids);
        }
      }
      expect(byRecipient.size).toBe(UNITS);
      expect([...byRecipient.values()].every((ids) => ids.size === 1)).toBe(true);
      expect(smtp.mails.length).toBeGreaterThanOrEqual(UNITS);
      expect(smtp.mails.length).toBeLessThanOrEqual(UNITS + 1);

      // What an operator sees: the month's progress as JSON.
      const status = runCli(databaseUrl, ['--status']);
      expect(await status.exited, status.output()).toBe(0);
      const progress = JSON.parse(status.output().slice(status.output().indexOf('{'))) as {
        planned: number;
        states: Record<string, number>;
        finishedAt?: string;
      };
      expect(progress).toMatchObject({ planned: UNITS, states: { sent: UNITS, pending: 0 } });
      expect(progress.finishedAt).toBeDefined();
    } finally {
      await database.close();
    }
  }, 180_000);
});

/**
 * The dispatch's crash window (portal/src/jobs/slipDispatch.ts): the CLI kills itself with SIGKILL
 * right after the SMTP server accepted a mail and before the row is marked sent
 * (CARDBRIDGE_TEST_KILL_AFTER_SMTP). The row is left `sending`; a resumed run sends it again after the
 * resend grace with the SAME Message-ID, and every other unit once: at-least-once, each unit exactly
 * one distinct Message-ID. Counted by a real SMTP server, on SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../../portal/src/config.ts';
import { openDatabase } from '../../../portal/src/db/dialect.ts';
import { migrateToLatest } from '../../../portal/src/db/migrate.ts';
import { messageIdOf } from '../../../portal/src/mail/mailer.ts';
import { startSmtp, type SmtpLab } from '../../../lab/smtp.ts';
import { startBackends } from '../portal/harness.ts';
import { runPortalCli } from './portalCli.ts';
import { addUnits, subscribe } from './roster.ts';
import { describeEachBackend } from '../portal/eachBackend.ts';

const UNITS = 10;
/** The mail after whose acceptance the first run dies. */
const KILL_AFTER = 4;
const LEASE_MS = 3_000;
const GRACE_MS = 1_000;

const backends = await startBackends();
let smtp: SmtpLab;
let dir: string;

beforeAll(async () => {
  smtp = await startSmtp();
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-dispatch-sending-'));
}, 60_000);
afterAll(async () => {
  await smtp?.stop();
  await backends.postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachBackend(backends, 'dispatch killed right after SMTP accepted, on $name', (backend) => {
  it('leaves the mail `sending` and resends it with the same Message-ID', async () => {
    smtp.mails.length = 0;
    const databaseUrl = backend.kind === 'postgres' ? backend.url : path.join(dir, 'portal.sqlite');
    const database = openDatabase(loadConfig({ DATABASE_URL: databaseUrl }).database);
    const run = (env: Record<string, string> = {}) =>
      runPortalCli(
        'dispatch.ts',
        ['--date', '2026-12-20', '--lease-ms', String(LEASE_MS), '--resend-grace-ms', String(GRACE_MS)],
        { DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, ...env },
      );
    try {
      await migrateToLatest(database.db);
      await database.db.deleteFrom('slip_dispatches').execute();
      await database.db.deleteFrom('slip_dispatch_runs').execute();
      const units = await addUnits(database.db, UNITS, { people: 1, prefix: '7' });
      for (const [i, unit] of units.entries())
        await subscribe(database.db, unit.id, `sending${i}@slips.example.test`);

      const first = run({ CARDBRIDGE_TEST_KILL_AFTER_SMTP: String(KILL_AFTER) });
      expect(await first.exited, first.output()).toBeNull();
      expect(first.child.signalCode).toBe('SIGKILL');
      expect(smtp.mails).toHaveLength(KILL_AFTER);

      // The accepted mail whose row was not marked sent: `sending`, and its Message-ID went out.
      const states = await database.db.selectFrom('slip_dispatches').select(['id', 'state']).execute();
      const sending = states.filter((r) => r.state === 'sending');
      expect(sending).toHaveLength(1);
      expect(states.filter((r) => r.state === 'sent')).toHaveLength(KILL_AFTER - 1);
      const inFlight = messageIdOf(sending[0]!.id);
      expect(smtp.mails.map((m) => m.headers['message-id'])).toContain(inFlight);

      // Resumed once the killed run's claims (lease) and the resend grace are over.
      await delay(LEASE_MS + 500);
      const second = run();
      expect(await second.exited, second.output()).toBe(0);

      const rows = await database.db.selectFrom('slip_dispatches').select(['id', 'state']).execute();
      expect(rows).toHaveLength(UNITS);
      expect(rows.every((r) => r.state === 'sent')).toBe(true);
      const idsByRecipient = new Map<string, string[]>();
      for (const mail of smtp.mails)
        for (const to of mail.to)
          idsByRecipient.set(to, [...(idsByRecipient.get(to) ?? []), mail.headers['message-id'] ?? '']);
      expect(idsByRecipient.size).toBe(UNITS);
      for (const ids of idsByRecipient.values()) expect(new Set(ids).size).toBe(1);
      // Exactly the in-flight mail went twice, and with its row's Message-ID both times.
      expect(smtp.mails).toHaveLength(UNITS + 1);
      expect(smtp.mails.filter((m) => m.headers['message-id'] === inFlight)).toHaveLength(2);
    } finally {
      await database.close();
    }
  }, 180_000);
});

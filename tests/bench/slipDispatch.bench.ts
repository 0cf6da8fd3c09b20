/**
 * The 20th's mailing at scale: N units (BENCH_DISPATCH_UNITS, default 1,000 here), each with one insured
 * person and a confirmed address, dispatched by one process (SQLite, the single-PC default) to the
 * lab's SMTP server over a pool of SMTP connections (one per runner). Reports mails per second (wall), CPU per unit, duplicates and lost mails.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../portal/src/db/dialect.ts';
import { migrateToLatest } from '../../portal/src/db/migrate.ts';
import { runSlipDispatch } from '../../portal/src/jobs/slipDispatch.ts';
import { createSmtpMailer } from '../../portal/src/mail/smtpMailer.ts';
import { startSmtp } from '../../lab/smtp.ts';
import { nowMs, peakRssMb } from './stats.ts';

const CHUNK = 200;

export async function benchSlipDispatch(
  units = Number(process.env.BENCH_DISPATCH_UNITS ?? 1_000),
  concurrency = 4,
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-bench-dispatch-'));
  const database = openDatabase({ kind: 'sqlite', file: path.join(dir, 'portal.sqlite') });
  const smtp = await startSmtp();
  const mailer = createSmtpMailer(
    `${smtp.url}/?pool=true&maxConnections=${concurrency}`,
    'CardBridge Portal TEST <portal@example.test>',
  );
  try {
    await migrateToLatest(database.db);
    for (let start = 0; start < units; start += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, units - start) }, (_, k) => {
        const i = start + k;
        return { id: randomUUID(), i };
      });
      await database.db
        .insertInto('units')
        .values(
          rows.map(({ id, i }) => ({
            id,
            unit_code: String(900_000_000 + i),
            name: `TEST 卡橋派送測試 ${i} 號`,
            ubn: null,
            organization_id: null,
            responsible_id: 'A123456789',
            responsible_name: '王大明',
            contact_email: `hr${i}@bench.example.test`,
            created_at: '2025-01-01T00:00:00.000Z',
          })),
        )
        .execute();
      await database.db
        .insertInto('insured_periods')
        .values(
          rows.map(({ id, i }) => ({
            id: randomUUID(),
            unit_id: id,
            id_number: `A1${String(i).padStart(8, '0')}`,
            name: `員工 ${i}`,
            birth_date: '1990-01-01',
            scheme: 'nhi' as const,
            insured_amount: 45_800,
            labour_insured_salary: null,
            employer_pension_percent: null,
            employee_pension_percent: null,
            from_date: '2025-01-01',
            to_date: null,
            end_reason: null,
            opened_by: 'bench',
            closed_by: null,
          })),
        )
        .execute();
      await database.db
        .insertInto('slip_subscriptions')
        .values(
          rows.map(({ id, i }) => ({
            unit_id: id,
            email: `unit${i}@bench.example.test`,
            confirmed_at: '2026-11-01T00:00:00.000Z',
            pending_email: null,
            confirm_token_hash: null,
            confirm_expires_at: null,
            cancelled_at: null,
            updated_at: '2026-11-01T00:00:00.000Z',
          })),
        )
        .execute();
    }
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    const outcome = await runSlipDispatch(
      { db: database.db, dbKind: 'sqlite', mailer, clock: () => new Date(), warn: () => undefined },
      { date: '2026-12-20', concurrency, batchSize: 50 },
    );
    const wallMs = nowMs() - t0;
    const cpu = process.cpuUsage(cpu0);
    const recipients = new Set(smtp.mails.flatMap((m) => m.to));
    return {
      units,
      wallMs,
      mailsPerSecond: (smtp.mails.length / wallMs) * 1000,
      // The bench process does both the job and the SMTP server: its CPU is an upper bound per unit.
      cpuMsPerUnit: (cpu.user + cpu.system) / 1000 / units,
      sent: outcome.kind === 'ran' ? outcome.progress.states.sent : 0,
      duplicates: smtp.mails.length - recipients.size,
      lost: units - recipients.size,
      peakRssMb: peakRssMb(process.pid),
    };
  } finally {
    await mailer.close();
    await smtp.stop();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchSlipDispatch());
}

/**
 * The 20th's slip mailing (portal/src/jobs/slipDispatch.ts) against a real SMTP server that counts
 * every mail (lab/smtp.ts), on SQLite and PostgreSQL: run twice → one mail per unit; two runners at
 * once (PostgreSQL: two connection pools, SKIP LOCKED); not the 20th → nothing; bi-monthly units only
 * in odd months; nothing to bill → no mail; a refused address is recorded as bounced and the rest go
 * out; a PDF that cannot be made fails that unit only and it goes out once on the retry.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../../portal/src/config.ts';
import { openDatabase, type PortalDatabase } from '../../../portal/src/db/dialect.ts';
import { migrateToLatest } from '../../../portal/src/db/migrate.ts';
import { runSlipDispatch, type SlipDispatchDeps } from '../../../portal/src/jobs/slipDispatch.ts';
import { startSlipScheduler } from '../../../portal/src/jobs/slipScheduler.ts';
import { createSmtpMailer } from '../../../portal/src/mail/smtpMailer.ts';
import { startSmtp, type ReceivedMail, type SmtpLab } from '../../../lab/smtp.ts';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import { createPortal, startBackends, type Portal } from '../portal/harness.ts';
import { addInsured, addUnits, attachmentOf, pdfText, subscribe } from './roster.ts';
import { describeEachBackend } from '../portal/eachBackend.ts';

const backends = await startBackends();
let smtp: SmtpLab;
let pki: TestPki;

beforeAll(async () => {
  // Issued on the frozen days below, so the certificates and CRLs are valid then whatever today is.
  pki = await createTestPki({ issuedAt: Date.parse('2026-12-19T00:00:00+08:00') });
  smtp = await startSmtp({ refuse: (address) => address.startsWith('bounce') });
}, 120_000);
afterAll(async () => {
  await smtp?.stop();
  await backends.postgres?.stop();
});

const messageIdOf = (mail: ReceivedMail) => mail.headers['message-id'] ?? '';
const slipMails = () => smtp.mails.filter((m) => m.headers['x-cardbridge-event'] === 'slip-issued');
/** Mails per recipient. */
function countByRecipient(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of slipMails()) for (const to of mail.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

describeEachBackend(backends, 'slip dispatch on $name', (backend) => {
  let portal: Portal;
  let deps: SlipDispatchDeps;
  const warnings: string[] = [];
  beforeEach(async () => {
    smtp.mails.length = 0;
    warnings.length = 0;
    portal = await createPortal(backend, { pki, smtpUrl: smtp.url });
    portal.clock.now = Date.parse('2026-12-20T01:00:00+08:00');
    deps = {
      db: portal.db,
      dbKind: backend.kind,
      mailer: createSmtpMailer(smtp.url, portal.config.mailFrom),
      clock: () => new Date(portal.clock.now),
      warn: (message) => warnings.push(message),
    };
  });
  afterEach(async () => {
    await deps.mailer.close();
    await portal.close();
  });

  it('mails each subscribed unit its slip once, however often the job runs', async () => {
    const units = await addUnits(portal.db, 12);
    for (const [i, unit] of units.entries())
      await subscribe(portal.db, unit.id, `unit${i}@slips.example.test`);
    const unsubscribed = (await addUnits(portal.db, 1, { prefix: '8' }))[0]!;

    const first = await runSlipDispatch(deps, { date: '2026-12-20' });
    const second = await runSlipDispatch(deps, { date: '2026-12-20' });
    expect(first).toMatchObject({ kind: 'ran', issueMonth: '2026-12', handled: 12 });
    expect(second).toMatchObject({ kind: 'ran', handled: 0 });
    if (second.kind === 'ran') {
      expect(second.progress).toMatchObject({ planned: 12, states: { sent: 12, pending: 0 }, inProgress: 0 });
      expect(second.progress.finishedAt).toBeDefined();
    }

    const counts = countByRecipient();
    expect(counts.size).toBe(12);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(slipMails().map(messageIdOf)).size).toBe(12);
    expect(slipMails().some((m) => m.raw.includes(unsubscribed.unit_code))).toBe(false);

    // The attachment is the slip: pdftotext reads the unit's Chinese name from it.
    const mail = slipMails().find((m) => m.to.includes('unit3@slips.example.test'))!;
    const pdf = attachmentOf(mail);
    expect(pdfText(pdf)).toContain(units[3]!.name);
  });

  it('runs from the scheduler on the 20th (Taipei) and not before, planning the month once', async () => {
    const [unit, late] = await addUnits(portal.db, 2);
    await subscribe(portal.db, unit!.id, 'scheduled@slips.example.test');
    const scheduler = startSlipScheduler(deps, 3_600_000);
    try {
      // 2026-12-19 23:59 in Taipei is still the 19th.
      portal.clock.now = Date.parse('2026-12-19T23:59:00+08:00');
      await scheduler.tick();
      expect(slipMails()).toHaveLength(0);
      portal.clock.now = Date.parse('2026-12-20T00:01:00+08:00');
      await scheduler.tick();
      expect([...countByRecipient().keys()]).toEqual(['scheduled@slips.example.test']);
      // Later ticks only work what is left; a unit subscribing after the plan waits for the CLI or next month.
      await subscribe(portal.db, late!.id, 'late@slips.example.test');
      portal.clock.advance(60 * 60_000);
      await scheduler.tick();
      expect(slipMails()).toHaveLength(1);
    } finally {
      await scheduler.stop();
    }
  });

  it('sends nothing on another day unless forced', async () => {
    const [unit] = await addUnits(portal.db, 1);
    await subscribe(portal.db, unit!.id, 'early@slips.example.test');
    expect(await runSlipDispatch(deps, { date: '2026-12-19' })).toEqual({
      kind: 'not-issue-day',
      date: '2026-12-19',
    });
    expect(slipMails()).toHaveLength(0);
    await runSlipDispatch(deps, { date: '2026-12-19', force: true });
    expect(slipMails()).toHaveLength(1);
  });

  it('mails bi-monthly units in odd months only, for the two months before', async () => {
    const [unit] = await addUnits(portal.db, 1, { cycle: 'bimonthly' });
    await subscribe(portal.db, unit!.id, 'bimonthly@slips.example.test');
    const december = await runSlipDispatch(deps, { date: '2026-12-20' });
    expect(december).toMatchObject({ kind: 'ran', handled: 0 });
    expect(slipMails()).toHaveLength(0);
    await runSlipDispatch(deps, { date: '2027-01-20' });
    expect(slipMails()).toHaveLength(1);
    const row = await portal.db.selectFrom('slip_dispatches').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ period_id: '2026-11+12', state: 'sent', issue_month: '2027-01' });
  });

  it('gives a unit with no one insured no slip, and says why', async () => {
    const [empty] = await addUnits(portal.db, 1, { people: 0 });
    await subscribe(portal.db, empty!.id, 'empty@slips.example.test');
    await runSlipDispatch(deps, { date: '2026-12-20' });
    expect(slipMails()).toHaveLength(0);
    const row = await portal.db.selectFrom('slip_dispatches').selectAll().executeTakeFirstOrThrow();
    expect(row.state).toBe('nothing-to-bill');
  });

  it('records a refused address as bounced and goes on with the others', async () => {
    const units = await addUnits(portal.db, 3);
    await subscribe(portal.db, units[0]!.id, 'ok0@slips.example.test');
    await subscribe(portal.db, units[1]!.id, 'bounce@slips.example.test');
    await subscribe(portal.db, units[2]!.id, 'ok2@slips.example.test');
    const outcome = await runSlipDispatch(deps, { date: '2026-12-20' });
    expect(outcome).toMatchObject({ progress: { states: { sent: 2, bounced: 1, pending: 0 } } });
    const bounced = await portal.db
      .selectFrom('slip_dispatches')
      .selectAll()
      .where('unit_id', '=', units[1]!.id)
      .executeTakeFirstOrThrow();
    expect(bounced).toMatchObject({ state: 'bounced', recipient: 'bounce@slips.example.test' });
    expect(bounced.last_error).toMatch(/550|mailbox unavailable/);
    expect([...countByRecipient().keys()].sort()).toEqual([
      'ok0@slips.example.test',
      'ok2@slips.example.test',
    ]);
  });

  it('fails only the unit whose slip cannot be made, and sends it once when it can', async () => {
    const units = await addUnits(portal.db, 3);
    for (const [i, unit] of units.entries())
      await subscribe(portal.db, unit.id, `pdf${i}@slips.example.test`);
    // An insured amount of 0 cannot be billed: this unit's slip fails until the roster is put right.
    await addInsured(portal.db, units[1]!.id, { idNumber: 'B200000001', name: '錯誤 TEST', amount: 0 });

    const first = await runSlipDispatch(deps, { date: '2026-12-20', retryDelayMs: 60_000 });
    expect(first).toMatchObject({ progress: { states: { sent: 2, pending: 1 } } });
    const failed = await portal.db
      .selectFrom('slip_dispatches')
      .selectAll()
      .where('unit_id', '=', units[1]!.id)
      .executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
    expect(failed.last_error).toMatch(/no insured amount/);

    await portal.db
      .updateTable('insured_periods')
      .set({ insured_amount: 27_470 })
      .where('id_number', '=', 'B200000001')
      .execute();
    // Not before the retry delay…
    await runSlipDispatch(deps, { date: '2026-12-20' });
    expect(countByRecipient().get('pdf1@slips.example.test')).toBeUndefined();
    portal.clock.advance(61_000);
    const retried = await runSlipDispatch(deps, { date: '2026-12-20' });
    expect(retried).toMatchObject({ progress: { states: { sent: 3, pending: 0 } } });
    expect([...countByRecipient().values()]).toEqual([1, 1, 1]);
  });

  it('lets two runners work at once without a slip going out twice', async () => {
    const units = await addUnits(portal.db, 40, { people: 1 });
    for (const [i, unit] of units.entries())
      await subscribe(portal.db, unit.id, `pair${i}@slips.example.test`);
    // A second connection pool (PostgreSQL) or SQLite handle: as a second portal process would have.
    const second: PortalDatabase = openDatabase(loadConfig({ DATABASE_URL: databaseUrlOf(portal) }).database);
    await migrateToLatest(second.db);
    try {
      const [a, b] = await Promise.all([
        runSlipDispatch(deps, { date: '2026-12-20', batchSize: 3 }),
        runSlipDispatch({ ...deps, db: second.db }, { date: '2026-12-20', batchSize: 3 }),
      ]);
      const handled = (a.kind === 'ran' ? a.handled : 0) + (b.kind === 'ran' ? b.handled : 0);
      expect(handled).toBe(40);
      if (backend.kind === 'postgres') {
        // Both runners did part of the work (SKIP LOCKED spread the rows), neither all of it.
        expect(a.kind === 'ran' && a.handled).toBeGreaterThan(0);
        expect(b.kind === 'ran' && b.handled).toBeGreaterThan(0);
      }
    } finally {
      await second.close();
    }
    const counts = countByRecipient();
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(slipMails()).toHaveLength(40);
  }, 120_000);
});

function databaseUrlOf(portal: Portal): string {
  const database = portal.config.database;
  return database.kind === 'postgres' ? database.url : database.file;
}

/**
 * Migration 0011 (portal/src/db/migrations/0011_filing_indexes.ts) on SQLite and PostgreSQL, over
 * rows written before it: the indexes of submissions, filings and audit after it and after going back
 * down; every row kept as it was both ways; on SQLite, filings and audit stored without row ids (no
 * separate id index) with their unique keys still enforced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { PortalDatabase } from '../../../portal/src/db/dialect.ts';
import { MIGRATIONS, migrateToLatest } from '../../../portal/src/db/migrate.ts';
import type { Database } from '../../../portal/src/db/schema.ts';
import { seedIfEmpty } from '../../../portal/src/db/seed.ts';
import { insertAudit } from '../../../portal/src/services/audit.ts';
import { newId } from '../../../portal/src/services/ids.ts';
import { clearFilings, personId, seedSubmission, unitIdOf } from './filingsSeed.ts';
import { backendDatabase, startBackends } from './harness.ts';
import { describeEachBackend } from './eachBackend.ts';

const backends = await startBackends();
afterAll(async () => {
  await backends.postgres?.stop();
});

const BEFORE = '0010_sessions_expiry';
const TABLES = ['submissions', 'filings', 'audit'] as const;

const migrator = (db: Kysely<Database>) =>
  new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) } });

async function migrateTo(db: Kysely<Database>, name: string): Promise<void> {
  const { error } = await migrator(db).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(`migration to ${name} failed`);
}

/** The indexes of a table, without the ones a primary key or a unique column makes by itself. */
async function indexesOf(database: PortalDatabase, table: string): Promise<string[]> {
  const { rows } =
    database.kind === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master
          where type = 'index' and tbl_name = ${table} and name not like 'sqlite_autoindex_%'`.execute(
          database.db,
        )
      : await sql<{ name: string }>`select indexname as name from pg_indexes
          where tablename = ${table} and indexname not like '%_pkey' and indexname not like '%_key'`.execute(
          database.db,
        );
  return rows.map((r) => r.name).sort();
}

/** SQLite: whether the table has row ids (a WITHOUT ROWID table has none to select). */
async function hasRowids(db: Kysely<Database>, table: string): Promise<boolean> {
  const { rows } = await sql<{ wr: number }>`select wr from pragma_table_list where name = ${table}`.execute(
    db,
  );
  return rows[0]!.wr === 0;
}

async function snapshot(db: Kysely<Database>) {
  return {
    submissions: await db.selectFrom('submissions').selectAll().orderBy('id').execute(),
    filings: await db.selectFrom('filings').selectAll().orderBy('id').execute(),
    audit: await db.selectFrom('audit').selectAll().orderBy('id').execute(),
  };
}

const OLD_INDEXES = {
  submissions: ['submissions_content_sha256', 'submissions_state', 'submissions_unit_received'],
  filings: ['filings_submission_seq', 'filings_unit_kind_state', 'filings_unit_person'],
  audit: ['audit_at'],
};
const NEW_INDEXES = {
  submissions: ['submissions_content_sha256', 'submissions_state'],
  filings: ['filings_submission_seq', 'filings_unit_person_kind_state'],
  audit: [],
};

describeEachBackend(backends, 'migration 0011 (filing indexes) on $name', (backend) => {
  let dir: string;
  let database: PortalDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cardbridge-0011-'));
    database = backendDatabase(backend, dir);
    await migrateTo(database.db, BEFORE);
  });
  afterEach(async () => {
    await migrateToLatest(database.db);
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every row, leaves the indexes the queries use, and goes back down', async () => {
    const { db } = database;
    await clearFilings(db);
    await db.deleteFrom('audit').execute();
    await db.deleteFrom('clerks').execute();
    const now = new Date('2026-12-03T02:00:00.000Z');
    await seedIfEmpty(db, now);
    const unitId = await unitIdOf(db, '012345678');
    await db
      .insertInto('clerks')
      .values({
        id: 'clerk-0011',
        unit_id: unitId,
        kind: 'certificate',
        credential_key: 'f'.repeat(64),
        credential_label: 'serial 01',
        display_name: '王大明 TEST',
        id_last4: null,
        email: null,
        status: 'active',
        created_at: now.toISOString(),
        revoked_at: null,
      })
      .execute();
    const submission = (receiptNo: string, state: 'received' | 'accepted', first: number) =>
      seedSubmission(db, {
        unitId,
        clerkId: 'clerk-0011',
        receivedAt: now.toISOString(),
        receiptNo,
        filings: [
          { kind: 'enrol', idNumber: personId(first), name: '陳一 TEST', state },
          { kind: 'withdraw', idNumber: personId(first + 1), state },
        ],
      });
    await submission('1151203-00000001', 'accepted', 1);
    const audit = (outcome: 'success' | 'refused', detail: string) =>
      insertAudit.execute(db, {
        id: newId(now),
        at: now.toISOString(),
        event: 'login',
        outcome,
        error_code: outcome === 'refused' ? 'ERR_TEST' : null,
        subject: 'A12****789',
        unit_code: '012345678',
        client_ip: '192.0.2.1',
        detail,
      });
    await audit('success', 'before');
    const before = await snapshot(db);
    for (const table of TABLES) expect(await indexesOf(database, table)).toEqual(OLD_INDEXES[table]);

    await migrateToLatest(db);
    expect(await snapshot(db)).toEqual(before);
    for (const table of TABLES) expect(await indexesOf(database, table)).toEqual(NEW_INDEXES[table]);
    if (database.kind === 'sqlite') {
      expect(await hasRowids(db, 'filings')).toBe(false);
      expect(await hasRowids(db, 'audit')).toBe(false);
      expect(await hasRowids(db, 'submissions')).toBe(true);
    }
    // Written after it as before, and the keys still refuse duplicates.
    const { submissionId, filingIds } = await submission('1151203-00000002', 'received', 3);
    await audit('refused', 'after');
    const filing = await db
      .selectFrom('filings')
      .selectAll()
      .where('id', '=', filingIds[0]!)
      .executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('filings')
        .values({ ...filing, id: 'another-id' })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('filings')
        .values({ ...filing, seq: 9 })
        .execute(),
    ).rejects.toThrow();
    const auditRow = await db.selectFrom('audit').selectAll().limit(1).executeTakeFirstOrThrow();
    await expect(db.insertInto('audit').values(auditRow).execute()).rejects.toThrow();
    expect(
      await db
        .selectFrom('filings')
        .select('seq')
        .where('submission_id', '=', submissionId)
        .orderBy('seq')
        .execute(),
    ).toEqual([{ seq: 1 }, { seq: 2 }]);
    const after = await snapshot(db);
    expect(after.filings).toHaveLength(4);
    expect(after.audit).toHaveLength(2);

    await migrateTo(db, BEFORE);
    expect(await snapshot(db)).toEqual(after);
    for (const table of TABLES) expect(await indexesOf(database, table)).toEqual(OLD_INDEXES[table]);
    if (database.kind === 'sqlite') {
      expect(await hasRowids(db, 'filings')).toBe(true);
      expect(await hasRowids(db, 'audit')).toBe(true);
    }
  });
});

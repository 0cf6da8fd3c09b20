/**
 * Fewer b-trees written per filing (issue 10). A single filing's commit wrote the submission, filing
 * and audit rows and eleven indexes beside them: one WAL page per b-tree touched. Each index was
 * checked against the queries of the code (EXPLAIN QUERY PLAN; portal/docs/filingIndexes.md):
 * - `audit_at`: no query reads the audit log by time (operators read it by `id`, which starts with
 *   the time, see services/ids.ts);
 * - `submissions_unit_received`: no plan used it (the history starts from the unit's filings);
 * - `filings_unit_person` and `filings_unit_kind_state` become one index, (unit, person, kind, state):
 *   a person's history reads exactly their rows; a history by kind or state reads the unit's range,
 *   as the unfiltered history (which counts and sorts all of it) always did.
 * On SQLite, `filings` and `audit` are stored WITHOUT ROWID: the table is its primary key's b-tree, so
 * the separate index of the id is gone (their rows are small; ids grow with time, so new rows are
 * appended). `submissions` keeps its row id: its rows (~2.6 KB) would overflow an index b-tree.
 */
import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

const MERGED = 'filings_unit_person_kind_state';

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * Rebuilds a SQLite table from its own definition, with or without row ids: SQLite cannot change that
 * in place. Its indexes go with the old table; the caller creates them again.
 */
async function rebuild(db: Kysely<unknown>, table: 'filings' | 'audit', withoutRowid: boolean) {
  const { rows } = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  const definition = rows[0]?.sql;
  if (!definition) throw new Error(`no table ${table}`);
  const rebuilt = `${table}_rebuilt`;
  const body = definition
    .replace(/^create table\s+("?)\w+\1/i, `create table "${rebuilt}"`)
    .replace(/\s*without rowid\s*$/i, '');
  await sql.raw(withoutRowid ? `${body} without rowid` : body).execute(db);
  await sql`insert into ${sql.table(rebuilt)} select * from ${sql.table(table)}`.execute(db);
  await sql`drop table ${sql.table(table)}`.execute(db);
  await sql`alter table ${sql.table(rebuilt)} rename to ${sql.table(table)}`.execute(db);
}

async function filingsSubmissionSeq(db: Kysely<unknown>) {
  await db.schema
    .createIndex('filings_submission_seq')
    .on('filings')
    .columns(['submission_id', 'seq'])
    .unique()
    .execute();
}

export const filingIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('audit_at').execute();
    await db.schema.dropIndex('submissions_unit_received').execute();
    await db.schema.dropIndex('filings_unit_person').execute();
    await db.schema.dropIndex('filings_unit_kind_state').execute();
    if (isSqlite(db)) {
      await rebuild(db, 'audit', true);
      await rebuild(db, 'filings', true);
      await filingsSubmissionSeq(db);
    }
    await db.schema
      .createIndex(MERGED)
      .on('filings')
      .columns(['unit_id', 'id_number', 'kind', 'state'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex(MERGED).execute();
    if (isSqlite(db)) {
      await rebuild(db, 'audit', false);
      await rebuild(db, 'filings', false);
      await filingsSubmissionSeq(db);
    }
    await db.schema
      .createIndex('filings_unit_kind_state')
      .on('filings')
      .columns(['unit_id', 'kind', 'state'])
      .execute();
    await db.schema
      .createIndex('filings_unit_person')
      .on('filings')
      .columns(['unit_id', 'id_number'])
      .execute();
    await db.schema
      .createIndex('submissions_unit_received')
      .on('submissions')
      .columns(['unit_id', 'received_at'])
      .execute();
    await db.schema.createIndex('audit_at').on('audit').column('at').execute();
  },
};

/**
 * prepareQuery (portal/src/db/preparedQuery.ts) on SQLite and PostgreSQL, with the audit insert and a
 * query of its own: compiled once per dialect,
 * then run with new values (nulls too), in and out of a transaction, with constants kept where the
 * query has them; a placeholder that Kysely would write into the SQL text is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { PortalDatabase } from '../../../portal/src/db/dialect.ts';
import { migrateToLatest } from '../../../portal/src/db/migrate.ts';
import { prepareQuery, type Placeholder } from '../../../portal/src/db/preparedQuery.ts';
import type { AuditRow } from '../../../portal/src/db/schema.ts';
import { insertAudit } from '../../../portal/src/services/audit.ts';
import { backendDatabase, startBackends } from './harness.ts';
import { describeEachBackend } from './eachBackend.ts';

const backends = await startBackends();
afterAll(async () => {
  await backends.postgres?.stop();
});

// A constant beside the placeholders, and one placeholder used twice.
const auditOf = prepareQuery((db, p: Placeholder<{ event: string; id: string }>) =>
  db
    .selectFrom('audit')
    .select(['id', 'event', 'detail', 'error_code'])
    .where('outcome', '=', 'refused')
    .where((eb) => eb.or([eb('event', '=', p('event')), eb('detail', '=', p('event'))]))
    .where('id', '>=', p('id'))
    .orderBy('id'),
);

const row = (id: string, over: Partial<AuditRow> = {}): AuditRow => ({
  id,
  at: '2026-12-03T00:00:00.000Z',
  event: 'test',
  outcome: 'refused',
  error_code: null,
  subject: null,
  unit_code: null,
  client_ip: null,
  detail: null,
  ...over,
});

describeEachBackend(backends, 'prepareQuery on $name', (backend) => {
  let dir: string;
  let database: PortalDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cardbridge-prepared-'));
    database = backendDatabase(backend, dir);
    await migrateToLatest(database.db);
    await database.db.deleteFrom('audit').execute();
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs one compiled query with each call’s values, nulls included, in and out of a transaction', async () => {
    const { db } = database;
    await insertAudit.execute(db, row('a1', { detail: 'first', error_code: 'ERR_X' }));
    await db.transaction().execute(async (trx) => {
      await insertAudit.execute(trx, row('a2', { event: 'other', detail: 'test' }));
      await insertAudit.execute(trx, row('a3', { outcome: 'success' }));
    });
    // Rolled back with its transaction like any other statement.
    await expect(
      db.transaction().execute(async (trx) => {
        await insertAudit.execute(trx, row('a4'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');

    expect(await auditOf.execute(db, { event: 'test', id: 'a' }).then((r) => r.rows)).toEqual([
      { id: 'a1', event: 'test', detail: 'first', error_code: 'ERR_X' },
      { id: 'a2', event: 'other', detail: 'test', error_code: null },
    ]);
    expect(await auditOf.first(db, { event: 'other', id: 'a2' })).toEqual({
      id: 'a2',
      event: 'other',
      detail: 'test',
      error_code: null,
    });
    expect(await auditOf.first(db, { event: 'test', id: 'a3' })).toBeUndefined();
  });

  it('refuses a missing value instead of running the query', async () => {
    await expect(
      auditOf.execute(database.db, { event: 'test' } as { event: string; id: string }),
    ).rejects.toThrow('no value for id');
  });

  it('refuses a placeholder that is not a parameter of the compiled SQL', async () => {
    const inlined = prepareQuery((db, p: Placeholder<{ event: string }>) =>
      db
        .selectFrom('audit')
        .select('id')
        .where('event', '=', sql.lit(p('event'))),
    );
    await expect(inlined.execute(database.db, { event: 'test' })).rejects.toThrow('event is not a parameter');
  });
});

/** Opens the database: PostgreSQL (pg Pool) for postgres:// URLs, else a SQLite file (better-sqlite3). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { PortalConfig } from '../config.ts';
import type { Database } from './schema.ts';
import { withStatementCache } from './statementCache.ts';

export interface PortalDatabase {
  db: Kysely<Database>;
  kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export function openDatabase(config: PortalConfig['database']): PortalDatabase {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    // An idle connection the server closes (a restart, a fail-over, an administrator) is dropped by the
    // pool and the next query opens a new one; without a listener Node would end the whole portal.
    pool.on('error', (error) => {
      process.stderr.write(`portal: an idle PostgreSQL connection was closed: ${error.message}\n`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
  const sqlite = new SqliteDatabase(config.file);
  sqlite.pragma('journal_mode = WAL');
  // WAL with NORMAL: commits survive a crash of the process; a power cut may lose the last ones.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, kind: 'sqlite', close: () => db.destroy() };
}

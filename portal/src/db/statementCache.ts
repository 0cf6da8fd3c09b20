/**
 * better-sqlite3 behind Kysely with its prepared statements kept: Kysely prepares every query anew,
 * and preparing costs as much as running the short statements of a login. The portal's queries are a
 * small fixed set (their values are parameters), so a bounded map from SQL text to statement holds
 * them all. A statement still busy (an open iterator) is not shared: that call prepares its own.
 */
import type { Database as BetterSqlite3, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** More distinct SQL texts than the portal has; past it the oldest is dropped. */
export const STATEMENT_CACHE_SIZE = 500;

export function withStatementCache(sqlite: BetterSqlite3, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (cached) return statement;
      if (statements.size >= size) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
      return statement;
    },
  };
}

/**
 * A hot query built and compiled by Kysely once per dialect, then run again with new values. Kysely
 * builds a tree and compiles it to SQL on every call; for the few statements every request makes
 * (the session look-up, the audit row, a submission) that cost more than SQLite running them. The
 * query is built with named placeholders (`p('tokenHash')`), compiled once for the dialect of the
 * handle it first runs on, and each run swaps the placeholders in the compiled parameters for the
 * values given. The SQL text is Kysely's own, so SQLite's statement cache (./statementCache.ts)
 * prepares it once too. A shape that varies with the values (an IN list of any length, a column left
 * out when empty) does not fit: such queries stay plain Kysely.
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.ts';

/** Stands for a value in the built query; no real value starts with NUL (control characters are refused). */
const MARK = '\u0000cardbridge-prepared:';

/** `p('name')`: stands for the value of `name` in the built query. */
export type Placeholder<A extends object> = <K extends keyof A & string>(name: K) => A[K];

type Slot<A> = { name: keyof A & string } | { value: unknown };

interface Compiled<A> {
  sql: string;
  slots: Slot<A>[];
}

export interface PreparedQuery<A extends object, O> {
  /** Runs the query through `db` (the database, or a transaction of it) with these values. */
  execute(db: Kysely<Database>, values: A): Promise<QueryResult<O>>;
  /** The first row, or undefined. */
  first(db: Kysely<Database>, values: A): Promise<O | undefined>;
}

/**
 * `build` gets the database and `p` (annotate it, `p: Placeholder<{ id: string }>`: the values' types
 * come from there, the rows' from the query); it must build the same query for every dialect.
 */
export function prepareQuery<A extends object, O>(
  build: (db: Kysely<Database>, p: Placeholder<A>) => Compilable<O>,
): PreparedQuery<A, O> {
  // One compiled form per dialect adapter: a transaction shares its database's adapter.
  const byAdapter = new WeakMap<object, Compiled<A>>();

  function compiledFor(db: Kysely<Database>): Compiled<A> {
    const adapter = db.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (compiled) return compiled;
    const names = new Set<keyof A & string>();
    const p: Placeholder<A> = (name) => {
      names.add(name);
      return `${MARK}${name}` as never;
    };
    const query = build(db, p).compile();
    const slots = query.parameters.map((value): Slot<A> => {
      if (typeof value === 'string' && value.startsWith(MARK)) {
        return { name: value.slice(MARK.length) as keyof A & string };
      }
      return { value };
    });
    // A placeholder Kysely wrote into the SQL text instead of a parameter would be run as text.
    for (const name of names) {
      if (!slots.some((s) => 'name' in s && s.name === name)) {
        throw new Error(`prepared query: ${name} is not a parameter of ${query.sql}`);
      }
    }
    if (query.sql.includes(MARK)) throw new Error(`prepared query: a placeholder in ${query.sql}`);
    compiled = { sql: query.sql, slots };
    byAdapter.set(adapter, compiled);
    return compiled;
  }

  async function execute(db: Kysely<Database>, values: A): Promise<QueryResult<O>> {
    const { sql, slots } = compiledFor(db);
    const parameters = slots.map((slot) => {
      if ('value' in slot) return slot.value;
      const value = values[slot.name];
      if (value === undefined) throw new Error(`prepared query: no value for ${slot.name}`);
      return value;
    });
    return db.executeQuery<O>(CompiledQuery.raw(sql, parameters));
  }

  return {
    execute,
    first: async (db, values) => (await execute(db, values)).rows[0],
  };
}

/**
 * Many rows into one table, in multi-row INSERTs of a fixed number of rows. Kysely builds and
 * compiles a statement from its values every time, which for a 5,000-filing batch cost as much as
 * SQLite's own work; here the SQL text of a chunk is compiled by Kysely once per database, table,
 * columns and chunk size (with placeholder values, so in the database's own dialect) and then run
 * with each chunk's parameters. SQLite's statement cache (./statementCache.ts) then prepares it once.
 */
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Table = keyof Database;
export type InsertRow<T extends Table> = Required<Insertable<Database[T]>>;
type Column<T extends Table> = keyof InsertRow<T> & string;
/** The column list, when it names every column of the table (a column left out would take its default). */
type AllColumns<T extends Table, C extends readonly Column<T>[]> =
  Exclude<Column<T>, C[number]> extends never ? C : never;

const sqlTexts = new WeakMap<Kysely<Database>, Map<string, string>>();

/** The SQL text inserting `count` rows of `columns`; its parameters are the rows' values, row by row. */
function insertText<T extends Table>(
  db: Kysely<Database>,
  table: T,
  columns: readonly Column<T>[],
  count: number,
): string {
  let texts = sqlTexts.get(db);
  if (!texts) {
    texts = new Map<string, string>();
    sqlTexts.set(db, texts);
  }
  const key = `${table}(${columns.join(',')})×${count}`;
  let text = texts.get(key);
  if (text === undefined) {
    // Placeholder values of one kind for every column: the compiled text has one parameter each.
    const placeholder = Object.fromEntries(columns.map((c) => [c, 0]));
    const compiled = db
      .insertInto(table)
      .values(Array.from({ length: count }, () => placeholder) as never)
      .compile();
    if (compiled.parameters.length !== count * columns.length)
      throw new Error(`bulk insert into ${table}: ${compiled.parameters.length} parameters compiled`);
    text = compiled.sql;
    texts.set(key, text);
  }
  return text;
}

/**
 * Inserts every row (each with every column given; null where empty) through `executor` (the
 * transaction), `chunk` rows a statement, in order. `db` is the database the SQL is compiled for.
 */
export async function insertRows<T extends Table, const C extends readonly Column<T>[]>(
  db: Kysely<Database>,
  executor: Kysely<Database>,
  table: T,
  columns: AllColumns<T, C>,
  rows: readonly InsertRow<T>[],
  chunk: number,
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    const end = Math.min(start + chunk, rows.length);
    const parameters: unknown[] = [];
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      for (const column of columns) {
        const value = row[column];
        if (value === undefined) throw new Error(`bulk insert into ${table}: no ${column} in row ${i}`);
        parameters.push(value);
      }
    }
    await executor.executeQuery(CompiledQuery.raw(insertText(db, table, columns, end - start), parameters));
  }
}

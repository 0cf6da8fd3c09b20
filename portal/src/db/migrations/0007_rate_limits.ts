/**
 * Rate-limit counters in the database (issue 15): several portal processes on one database count the
 * same client's attempts together, so a limit holds whichever process a load balancer picks.
 */
import type { Kysely, Migration } from 'kysely';

export const rateLimits: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('rate_limits')
      // The route and the client address, e.g. "POST/api/sessions-127.0.0.1".
      .addColumn('key', 'varchar(300)', (c) => c.primaryKey())
      .addColumn('hits', 'integer', (c) => c.notNull())
      // Milliseconds since 1970 when the current window ends.
      .addColumn('window_ends', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limits_window_ends').on('rate_limits').column('window_ends').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('rate_limits').execute();
  },
};

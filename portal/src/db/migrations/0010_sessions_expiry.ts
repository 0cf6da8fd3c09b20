/**
 * Sessions are deleted a day after they expire (services/sessions.ts); the index keeps that delete
 * from reading the whole table.
 */
import type { Kysely, Migration } from 'kysely';

export const sessionsExpiry: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('sessions_expires_at').execute();
  },
};

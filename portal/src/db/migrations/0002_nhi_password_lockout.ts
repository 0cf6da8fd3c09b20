/**
 * Wrong NHI web passwords are counted per card: after five in a row the card's password is locked for
 * 15 minutes. (Guessing needs the card itself, since every try needs its answer to a fresh challenge;
 * the lock stops a thief who has it.)
 */
import type { Kysely, Migration } from 'kysely';

export const nhiPasswordLockout: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('nhi_cards')
      .addColumn('failed_password_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('nhi_cards').addColumn('password_locked_until', 'varchar(32)').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('nhi_cards').dropColumn('password_locked_until').execute();
    await db.schema.alterTable('nhi_cards').dropColumn('failed_password_attempts').execute();
  },
};

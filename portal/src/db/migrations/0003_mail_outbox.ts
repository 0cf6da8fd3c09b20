/**
 * The durable mail outbox: a mail is a row written in the same transaction as the change it reports,
 * and sent after the commit by the dispatcher (mail/mailQueue.ts), which claims rows for a while so
 * that a crashed sender's mails are sent again by the next one.
 */
import type { Kysely, Migration } from 'kysely';

const TIME = 'varchar(32)';

export const mailOutbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('event', 'varchar(64)', (c) => c.notNull())
      .addColumn('recipient', 'varchar(254)', (c) => c.notNull())
      .addColumn('subject', 'varchar(500)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('claimed_until', TIME)
      .addColumn('sent_at', TIME)
      .addColumn('last_error', 'varchar(500)')
      .execute();
    await db.schema.createIndex('mail_outbox_unsent').on('mail_outbox').columns(['sent_at', 'id']).execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('mail_outbox').execute();
  },
};

/**
 * E-payment slips (issue 11): each unit's billing cycle, the mail subscription (電子繳款單申請) with
 * its confirmation link, and the 20th's dispatch: one row per unit and slip period (UNIQUE, so a slip
 * is planned once however often the job runs) claimed by runners like the mail outbox, and one row per
 * issue month for the operator's view of a run.
 */
import type { Kysely, Migration } from 'kysely';

const TIME = 'varchar(32)';
const UNIT = 'varchar(36)';

export const slips: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('units')
      .addColumn('billing_cycle', 'varchar(16)', (c) => c.notNull().defaultTo('monthly'))
      .execute();

    await db.schema
      .createTable('slip_subscriptions')
      .addColumn('unit_id', UNIT, (c) => c.primaryKey().references('units.id'))
      /** The confirmed address slips go to; null until one is confirmed. */
      .addColumn('email', 'varchar(254)')
      .addColumn('confirmed_at', TIME)
      /** An address given but not yet confirmed (a first one, or a change). */
      .addColumn('pending_email', 'varchar(254)')
      /** SHA-256 (hex) of the confirmation link's token; the token itself is only in the mail. */
      .addColumn('confirm_token_hash', 'varchar(64)', (c) => c.unique())
      .addColumn('confirm_expires_at', TIME)
      .addColumn('cancelled_at', TIME)
      .addColumn('updated_at', TIME, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('slip_dispatches')
      /** `<unit id>/<period id>`; also the slip mail's Message-ID, the same for every try. */
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('unit_id', UNIT, (c) => c.notNull().references('units.id'))
      .addColumn('period_id', 'varchar(16)', (c) => c.notNull())
      .addColumn('issue_month', 'varchar(7)', (c) => c.notNull())
      /** pending → sent | bounced | nothing-to-bill | unsubscribed | failed (attempts used up). */
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('claimed_until', TIME)
      .addColumn('recipient', 'varchar(254)')
      .addColumn('sent_at', TIME)
      .addColumn('last_error', 'varchar(500)')
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addUniqueConstraint('slip_dispatches_unit_period', ['unit_id', 'period_id'])
      .execute();
    await db.schema
      .createIndex('slip_dispatches_work')
      .on('slip_dispatches')
      .columns(['issue_month', 'state', 'id'])
      .execute();

    await db.schema
      .createTable('slip_dispatch_runs')
      .addColumn('issue_month', 'varchar(7)', (c) => c.primaryKey())
      .addColumn('started_at', TIME, (c) => c.notNull())
      /** Dispatch rows planned for the month (all runners together). */
      .addColumn('planned', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('finished_at', TIME)
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('slip_dispatch_runs').execute();
    await db.schema.dropTable('slip_dispatches').execute();
    await db.schema.dropTable('slip_subscriptions').execute();
    await db.schema.alterTable('units').dropColumn('billing_cycle').execute();
  },
};

/**
 * A unit's billing cycle as dated history (issue 11): each row changes the cycle from a premium month
 * on (shared/billing/billingCycles.ts). `units.billing_cycle` stays the cycle before any change, so
 * units without rows are billed as before.
 */
import type { Kysely, Migration } from 'kysely';

export const billingCycles: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('unit_billing_cycles')
      .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
      /** First premium month billed under `cycle` (YYYY-MM, an odd month). */
      .addColumn('from_month', 'varchar(7)', (c) => c.notNull())
      .addColumn('cycle', 'varchar(16)', (c) => c.notNull())
      /** Who set it and when (the operator CLI writes `cli`). */
      .addColumn('set_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('set_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('unit_billing_cycles_pk', ['unit_id', 'from_month'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('unit_billing_cycles').execute();
  },
};

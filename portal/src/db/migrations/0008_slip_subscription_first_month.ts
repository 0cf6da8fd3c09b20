/**
 * The first slip month of a subscription (issue 12): an automatic-sending application on the desk
 * (申請次期〈以後〉繳款單…自動寄發) starts with this month's or next month's slip by the 5th-of-the-month
 * rule, so the 20th's mailing skips issue months before it. NULL: in force at once (the slips page).
 */
import type { Kysely, Migration } from 'kysely';

export const slipSubscriptionFirstMonth: Migration = {
  async up(db: Kysely<unknown>) {
    // An issue month, YYYY-MM (Asia/Taipei).
    await db.schema.alterTable('slip_subscriptions').addColumn('first_issue_month', 'varchar(7)').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('slip_subscriptions').dropColumn('first_issue_month').execute();
  },
};

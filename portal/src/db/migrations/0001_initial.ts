/** The first schema: units, registrations, clerks, NHI card registry, nonces, sessions, audit. */
import { sql, type Kysely, type Migration } from 'kysely';

const TIME = 'varchar(32)';

export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('units')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('unit_code', 'varchar(32)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('ubn', 'varchar(8)')
      .addColumn('organization_id', 'varchar(64)')
      .addColumn('responsible_id', 'varchar(10)', (c) => c.notNull())
      .addColumn('responsible_name', 'varchar(100)', (c) => c.notNull())
      .addColumn('contact_email', 'varchar(254)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('units_ubn').on('units').column('ubn').execute();
    await db.schema.createIndex('units_organization_id').on('units').column('organization_id').execute();

    await db.schema
      .createTable('registrations')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
      .addColumn('method', 'varchar(16)', (c) => c.notNull())
      .addColumn('credential', 'varchar(64)', (c) => c.notNull())
      .addColumn('contact_email', 'varchar(254)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('cancelled_at', TIME)
      .execute();
    // At most one active registration per unit, even when two registrations race.
    await db.schema
      .createIndex('registrations_one_active')
      .on('registrations')
      .column('unit_id')
      .unique()
      .where(sql.ref('status'), '=', 'active')
      .execute();

    await db.schema
      .createTable('clerks')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('credential_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('credential_label', 'varchar(64)', (c) => c.notNull())
      .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('id_last4', 'varchar(4)')
      .addColumn('email', 'varchar(254)')
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('revoked_at', TIME)
      .execute();
    await db.schema
      .createIndex('clerks_one_active_credential')
      .on('clerks')
      .columns(['unit_id', 'credential_key'])
      .unique()
      .where(sql.ref('status'), '=', 'active')
      .execute();
    await db.schema.createIndex('clerks_credential').on('clerks').column('credential_key').execute();

    await db.schema
      .createTable('nhi_cards')
      .addColumn('card_number', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('holder_id', 'varchar(10)', (c) => c.notNull())
      .addColumn('holder_name', 'varchar(100)', (c) => c.notNull())
      .addColumn('password_hash', 'varchar(200)')
      .addColumn('password_set_at', TIME)
      .execute();

    await db.schema
      .createTable('nonces')
      .addColumn('nonce', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('expires_at', TIME, (c) => c.notNull())
      .addColumn('consumed_at', TIME)
      .addColumn('created_at', TIME, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('nonces_expires_at').on('nonces').column('expires_at').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('role', 'varchar(8)', (c) => c.notNull())
      .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
      .addColumn('clerk_id', 'varchar(36)', (c) => c.references('clerks.id'))
      .addColumn('subject_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('subject_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject_credential', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('expires_at', TIME, (c) => c.notNull())
      .addColumn('ended_at', TIME)
      .execute();
    await db.schema.createIndex('sessions_unit').on('sessions').column('unit_id').execute();
    await db.schema.createIndex('sessions_clerk').on('sessions').column('clerk_id').execute();

    await db.schema
      .createTable('audit')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('at', TIME, (c) => c.notNull())
      .addColumn('event', 'varchar(64)', (c) => c.notNull())
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('error_code', 'varchar(64)')
      .addColumn('subject', 'varchar(200)')
      .addColumn('unit_code', 'varchar(32)')
      .addColumn('client_ip', 'varchar(64)')
      .addColumn('detail', 'varchar(500)')
      .execute();
    await db.schema.createIndex('audit_at').on('audit').column('at').execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['audit', 'sessions', 'nonces', 'nhi_cards', 'clerks', 'registrations', 'units']) {
      await db.schema.dropTable(table).execute();
    }
  },
};

/**
 * The e-service desk (承保業務網路服務專區, issue 12): password accounts of clerks, their cookie sessions,
 * single-use mailed tokens, captchas, login events (lockout and the recent-logins list) and form
 * requests with their generated files. No foreign keys to the seeded tables: the desk names units
 * by their code, as its clerks type it.
 */
import type { Kysely, Migration } from 'kysely';

const TIME = 'varchar(32)';
const ID = 'varchar(64)';
const HASH = 'varchar(128)';

export const desk: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('desk_accounts')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('unit_code', 'varchar(32)', (c) => c.notNull())
      .addColumn('id_number', 'varchar(10)', (c) => c.notNull())
      .addColumn('card_number', 'varchar(12)', (c) => c.notNull())
      .addColumn('email', 'varchar(254)', (c) => c.notNull())
      .addColumn('password_hash', 'varchar(256)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('activated_at', TIME)
      .addUniqueConstraint('desk_accounts_clerk', ['unit_code', 'id_number'])
      .execute();
    await db.schema
      .createTable('desk_sessions')
      .addColumn('token_hash', HASH, (c) => c.primaryKey())
      .addColumn('account_id', ID, (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('expires_at', TIME, (c) => c.notNull())
      .addColumn('ended_at', TIME)
      .execute();
    await db.schema
      .createTable('desk_tokens')
      .addColumn('token_hash', HASH, (c) => c.primaryKey())
      .addColumn('account_id', ID, (c) => c.notNull())
      .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
      .addColumn('new_email', 'varchar(254)')
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('expires_at', TIME, (c) => c.notNull())
      .addColumn('used_at', TIME)
      .execute();
    await db.schema
      .createTable('desk_captchas')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('image_answer_hash', HASH, (c) => c.notNull())
      .addColumn('question_answer_hash', HASH, (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('expires_at', TIME, (c) => c.notNull())
      .addColumn('used_at', TIME)
      .execute();
    await db.schema
      .createTable('desk_login_events')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('unit_code', 'varchar(32)', (c) => c.notNull())
      .addColumn('id_number', 'varchar(10)', (c) => c.notNull())
      .addColumn('account_id', ID)
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('client_ip', 'varchar(64)')
      .addColumn('at', TIME, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('desk_login_events_clerk')
      .on('desk_login_events')
      .columns(['unit_code', 'id_number', 'id'])
      .execute();
    await db.schema
      .createTable('desk_form_requests')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('unit_code', 'varchar(32)', (c) => c.notNull())
      .addColumn('account_id', ID, (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('documents', 'varchar(200)', (c) => c.notNull())
      .addColumn('months', 'varchar(200)', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('claimed_until', TIME)
      .addColumn('ready_at', TIME)
      .addColumn('expires_at', TIME)
      .addColumn('last_error', 'varchar(500)')
      .execute();
    await db.schema
      .createIndex('desk_form_requests_unit')
      .on('desk_form_requests')
      .columns(['unit_code', 'id'])
      .execute();
    await db.schema
      .createTable('desk_form_files')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('request_id', ID, (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('content_base64', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('desk_form_files_request')
      .on('desk_form_files')
      .column('request_id')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'desk_form_files',
      'desk_form_requests',
      'desk_login_events',
      'desk_captchas',
      'desk_tokens',
      'desk_sessions',
      'desk_accounts',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};

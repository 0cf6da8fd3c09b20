/**
 * Filings (issue 10): signed submissions, the filings they carry, and the unit's roster with its
 * history. The roster changes only when the processing job accepts a filing, in the same transaction
 * as the filing's state; a period row is never deleted, only closed (`to_date`), so "as of a date"
 * and billing (issue 11) read the same rows.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const TIME = 'varchar(32)';
const DATE = 'varchar(10)';
const ID = 'varchar(64)';
const PERSON_ID = 'varchar(10)';

export const filings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('submissions')
      .addColumn('id', ID, (c) => c.primaryKey())
      /** 受理編號, shown to the clerk (services/receipts.ts). */
      .addColumn('receipt_no', 'varchar(32)', (c) => c.notNull().unique())
      .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
      .addColumn('clerk_id', ID, (c) => c.notNull().references('clerks.id'))
      .addColumn('signer_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('signer_label', 'varchar(200)', (c) => c.notNull())
      /** The canonical bytes the clerk signed (shared/filings/canonical.ts), as UTF-8 text. */
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('content_sha256', 'varchar(64)', (c) => c.notNull())
      /** 'cms': detached CMS (DER, base64); 'nhi-card': the card's answer and certificate (JSON). */
      .addColumn('signature_format', 'varchar(16)', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('submitted_at', TIME, (c) => c.notNull())
      .addColumn('received_at', TIME, (c) => c.notNull())
      .addColumn('filing_count', 'integer', (c) => c.notNull())
      /** received → processed (each filing then accepted or rejected). */
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('accepted_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('processed_at', TIME)
      /** A processing job works on it until then (row claims, as the mail outbox). */
      .addColumn('claimed_until', TIME)
      .execute();
    await db.schema
      .createIndex('submissions_unit_received')
      .on('submissions')
      .columns(['unit_id', 'received_at'])
      .execute();
    // A signed submission is received once: a replay of the same bytes is refused.
    await db.schema
      .createIndex('submissions_content_sha256')
      .on('submissions')
      .column('content_sha256')
      .unique()
      .execute();
    await db.schema
      .createIndex('submissions_state')
      .on('submissions')
      .columns(['state', 'received_at'])
      .execute();

    await db.schema
      .createTable('filings')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('submission_id', ID, (c) => c.notNull().references('submissions.id'))
      /** Position in the submission, from 1 (the batch row report's row numbers map to it). */
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
      .addColumn('kind', 'varchar(24)', (c) => c.notNull())
      /** The person the filing is about (the dependant for dependant filings). */
      .addColumn('id_number', PERSON_ID, (c) => c.notNull())
      .addColumn('person_name', 'varchar(100)')
      /** The date the filing takes effect (ISO date; an amount change's first day of month). */
      .addColumn('effective_date', DATE)
      /** The filing as submitted (JSON of shared/filings/contracts.ts Filing). */
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      /** Warnings (late filings…) and, when rejected, errors: JSON [{field, code, severity}]. */
      .addColumn('issues', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('processed_at', TIME)
      .execute();
    await db.schema
      .createIndex('filings_submission_seq')
      .on('filings')
      .columns(['submission_id', 'seq'])
      .unique()
      .execute();
    await db.schema
      .createIndex('filings_unit_person')
      .on('filings')
      .columns(['unit_id', 'id_number'])
      .execute();
    await db.schema
      .createIndex('filings_unit_kind_state')
      .on('filings')
      .columns(['unit_id', 'kind', 'state'])
      .execute();

    await db.schema
      .createTable('insured_periods')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
      .addColumn('id_number', PERSON_ID, (c) => c.notNull())
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('birth_date', DATE, (c) => c.notNull())
      .addColumn('scheme', 'varchar(8)', (c) => c.notNull())
      .addColumn('insured_amount', 'integer', (c) => c.notNull())
      .addColumn('labour_insured_salary', 'integer')
      .addColumn('employer_pension_percent', 'integer')
      .addColumn('employee_pension_percent', 'integer')
      /** First day of this period (enrolment, or the first day of an amount change's month). */
      .addColumn('from_date', DATE, (c) => c.notNull())
      /** Last day (inclusive); null while open. */
      .addColumn('to_date', DATE)
      /** Why the period ended: a withdrawal reason code, or 'amount-change' / 'correction'. */
      .addColumn('end_reason', 'varchar(16)')
      .addColumn('opened_by', ID, (c) => c.notNull())
      .addColumn('closed_by', ID)
      .execute();
    await db.schema
      .createIndex('insured_periods_unit_person')
      .on('insured_periods')
      .columns(['unit_id', 'id_number', 'from_date'])
      .execute();
    await db.schema
      .createIndex('insured_periods_unit_dates')
      .on('insured_periods')
      .columns(['unit_id', 'from_date', 'to_date'])
      .execute();
    // At most one open period per person and unit, even when two jobs race.
    await db.schema
      .createIndex('insured_periods_one_open')
      .on('insured_periods')
      .columns(['unit_id', 'id_number'])
      .unique()
      .where(sql.ref('to_date'), 'is', null)
      .execute();

    await db.schema
      .createTable('dependant_periods')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
      .addColumn('insured_id_number', PERSON_ID, (c) => c.notNull())
      .addColumn('id_number', PERSON_ID, (c) => c.notNull())
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('birth_date', DATE, (c) => c.notNull())
      .addColumn('relationship', 'varchar(8)', (c) => c.notNull())
      .addColumn('from_date', DATE, (c) => c.notNull())
      .addColumn('to_date', DATE)
      .addColumn('end_reason', 'varchar(16)')
      .addColumn('opened_by', ID, (c) => c.notNull())
      .addColumn('closed_by', ID)
      .execute();
    await db.schema
      .createIndex('dependant_periods_unit_insured')
      .on('dependant_periods')
      .columns(['unit_id', 'insured_id_number'])
      .execute();
    await db.schema
      .createIndex('dependant_periods_one_open')
      .on('dependant_periods')
      .columns(['unit_id', 'id_number'])
      .unique()
      .where(sql.ref('to_date'), 'is', null)
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('dependant_periods').execute();
    await db.schema.dropTable('insured_periods').execute();
    await db.schema.dropTable('filings').execute();
    await db.schema.dropTable('submissions').execute();
  },
};

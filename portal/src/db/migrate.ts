/** Runs the migrations of ./migrations (a static list: no file-system scanning) up to the latest. */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { initial } from './migrations/0001_initial.ts';
import { nhiPasswordLockout } from './migrations/0002_nhi_password_lockout.ts';
import { mailOutbox } from './migrations/0003_mail_outbox.ts';
import { filings } from './migrations/0004_filings.ts';
import { slips } from './migrations/0005_slips.ts';
import { desk } from './migrations/0006_desk.ts';
import { rateLimits } from './migrations/0007_rate_limits.ts';
import { slipSubscriptionFirstMonth } from './migrations/0008_slip_subscription_first_month.ts';
import { billingCycles } from './migrations/0009_billing_cycles.ts';
import { sessionsExpiry } from './migrations/0010_sessions_expiry.ts';
import { filingIndexes } from './migrations/0011_filing_indexes.ts';
import type { Database } from './schema.ts';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_nhi_password_lockout': nhiPasswordLockout,
  '0003_mail_outbox': mailOutbox,
  '0004_filings': filings,
  '0005_slips': slips,
  '0006_desk': desk,
  '0007_rate_limits': rateLimits,
  '0008_slip_subscription_first_month': slipSubscriptionFirstMonth,
  '0009_billing_cycles': billingCycles,
  '0010_sessions_expiry': sessionsExpiry,
  '0011_filing_indexes': filingIndexes,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

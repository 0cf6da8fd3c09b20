/**
 * The `status = 'active'` term of the partial unique indexes (registrations_one_active,
 * clerks_one_active_credential), for queries on those tables. It must be an SQL literal, not a bound
 * parameter: SQLite re-prepares a statement on every run when a bound value could decide whether a
 * partial index applies, which tripled the cost of the registration check every request makes.
 */
import { sql } from 'kysely';

export const ACTIVE = sql.lit('active' as const);

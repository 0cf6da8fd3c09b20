/**
 * `npm run portal:billing-cycle -- <unitCode> <monthly|bimonthly> <fromMonth>`: sets a unit's billing
 * cycle from a premium month on (an odd YYYY-MM month not billed yet), against the configured
 * database, and prints the unit's cycle history as JSON. A refusal prints its ERR_ code with the zh-TW
 * and English text and exits 1.
 */
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { setBillingCycle } from '../billing/billingCycles.ts';
import { PORTAL_ERROR_MESSAGES, PortalError } from '../../../shared/portal/errors.ts';

const USAGE = 'usage: npm run portal:billing-cycle -- <unitCode> <monthly|bimonthly> <fromMonth YYYY-MM>';

async function main(args: string[]): Promise<number> {
  if (args.length !== 3) {
    console.error(USAGE);
    return 64;
  }
  const [unitCode, cycle, fromMonth] = args as [string, string, string];
  const database = openDatabase(loadConfig().database);
  try {
    await migrateToLatest(database.db);
    const { unit, history } = await setBillingCycle(
      database.db,
      { unitCode, cycle, fromMonth, setBy: 'cli' },
      new Date(),
    );
    console.log(JSON.stringify({ unitCode: unit.unit_code, ...history }, null, 2));
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof PortalError) {
      const text = PORTAL_ERROR_MESSAGES[error.code];
      console.error(`${error.code}: ${text['zh-TW']} ${text.en}${error.detail ? ` (${error.detail})` : ''}`);
    } else {
      console.error(
        error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error,
      );
    }
    process.exit(1);
  },
);

/**
 * CLI entry: `tsx portal/src/main.ts` — reads the configuration, migrates the database, seeds it
 * when empty, listens and prints the URL. SIGINT / SIGTERM close the server, the database and mail.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/dialect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { seedIfEmpty } from './db/seed.ts';
import { createFileOutbox } from './mail/fileOutbox.ts';
import type { Mailer } from './mail/mailer.ts';
import { createSmtpMailer } from './mail/smtpMailer.ts';
import { buildServer } from './server.ts';
import { loadTrustStore } from './trust.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const trust = config.trustDir ? loadTrustStore(config.trustDir) : undefined;
  if (!trust) console.warn('portal: no trust anchors (PORTAL_TRUST_DIR): certificate proofs will be refused');
  if (!config.samMasterKey)
    console.warn('portal: no PORTAL_NHI_SAM_MASTER_KEY: NHI card proofs will be refused');

  const database = openDatabase(config.database);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) console.log(`portal: migrations applied: ${applied.join(', ')}`);
  if (await seedIfEmpty(database.db)) console.log('portal: seeded the TEST units and NHI card registry');

  const mailer: Mailer =
    config.mail.kind === 'smtp'
      ? createSmtpMailer(config.mail.url, config.mailFrom)
      : createFileOutbox(config.mail.dir, config.mailFrom);
  const app = await buildServer({
    config,
    db: database.db,
    dbKind: database.kind,
    mailer,
    logger: { level: process.env.PORTAL_LOG_LEVEL ?? 'info' },
    ...(trust ? { trust } : {}),
    ...(config.tls
      ? { https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } }
      : {}),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  console.log(
    `portal: listening on ${address} (tokens bound to ${config.origin}; database ${database.kind}; mail ${config.mail.kind})`,
  );
  if (config.mail.kind === 'outbox') console.log(`portal: outbox at ${address}/dev/outbox`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`portal: ${signal}, closing`);
    app
      .close()
      .then(() => database.close())
      .then(() => mailer.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('portal: error while closing', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

/** What every service needs: the database, the clock, the configuration, trust and mail. */
import type { Kysely } from 'kysely';
import type { TrustStore } from '../../../shared/node/pki/trustStore.ts';
import type { PortalConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Mailer } from '../mail/mailer.ts';

export interface PortalContext {
  config: PortalConfig;
  db: Kysely<Database>;
  dbKind: 'sqlite' | 'postgres';
  clock: () => Date;
  /** Undefined when no trust anchors are configured: certificate proofs are refused as untrusted. */
  trust: TrustStore | undefined;
  mailer: Mailer;
  /** Sends the mails queued by committed changes (mail/mailQueue.ts); never rejects. */
  deliverMail: () => Promise<void>;
  /** Where mail failures are reported (mail never makes a request fail). */
  warn: (message: string, error?: unknown) => void;
}

export const iso = (date: Date): string => date.toISOString();

/** The same context, working in a transaction (or another handle) of the same database. */
export const within = (ctx: PortalContext, db: Kysely<Database>): PortalContext => ({ ...ctx, db });

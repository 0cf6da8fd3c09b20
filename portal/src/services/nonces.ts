/**
 * Login challenges in the database: 32 random bytes (base64), usable once for 5 minutes. Consumption
 * is a single conditional UPDATE, so of two concurrent uses exactly one wins. Consumed rows are kept a
 * while so that a replay can be told apart from an unknown nonce in the audit log.
 */
import { randomBytes } from 'node:crypto';
import { PortalError } from '../../../shared/portal/errors.ts';
import { prepareQuery, type Placeholder } from '../db/preparedQuery.ts';
import { iso, type PortalContext } from './context.ts';
import { oncePer } from './throttle.ts';

export const NONCE_BYTES = 32;
/** Consumed and expired nonces are deleted this long after they expire. */
const KEEP_AFTER_EXPIRY_MS = 24 * 3_600_000;
/** The purge of old nonces runs at most once a minute. */
const purgeDue = oncePer(60_000);

export async function issueNonce(ctx: PortalContext): Promise<{ nonce: string; expiresAt: string }> {
  const now = ctx.clock();
  const nonce = randomBytes(NONCE_BYTES).toString('base64');
  const expiresAt = iso(new Date(now.getTime() + ctx.config.nonceTtlMs));
  if (purgeDue(ctx.config, now.getTime())) {
    await ctx.db
      .deleteFrom('nonces')
      .where('expires_at', '<', iso(new Date(now.getTime() - KEEP_AFTER_EXPIRY_MS)))
      .execute();
  }
  await ctx.db
    .insertInto('nonces')
    .values({ nonce, expires_at: expiresAt, consumed_at: null, created_at: iso(now) })
    .execute();
  return { nonce, expiresAt };
}

/** Every login consumes one: compiled once (../db/preparedQuery.ts). */
const markConsumed = prepareQuery((db, p: Placeholder<{ nonce: string; now: string }>) =>
  db
    .updateTable('nonces')
    .set({ consumed_at: p('now') })
    .where('nonce', '=', p('nonce'))
    .where('consumed_at', 'is', null)
    .returning('expires_at'),
);

/** Marks the nonce used. Throws ERR_PORTAL_NONCE_INVALID (detail: unknown, reused or expired). */
export async function consumeNonce(ctx: PortalContext, nonce: string): Promise<void> {
  const now = iso(ctx.clock());
  const row = await markConsumed.first(ctx.db, { nonce, now });
  if (!row) {
    const known = await ctx.db
      .selectFrom('nonces')
      .select('nonce')
      .where('nonce', '=', nonce)
      .executeTakeFirst();
    throw new PortalError('ERR_PORTAL_NONCE_INVALID', {
      field: 'proof.nonce',
      detail: known ? 'nonce reused (replay)' : 'nonce unknown',
    });
  }
  if (row.expires_at < now) {
    throw new PortalError('ERR_PORTAL_NONCE_INVALID', { field: 'proof.nonce', detail: 'nonce expired' });
  }
}

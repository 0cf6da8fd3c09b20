/**
 * Desk sessions: a random token in an HttpOnly, SameSite=Strict cookie (Secure when the portal's
 * origin is https), only its SHA-256 stored; it ends at logout, at a password change or reset, or
 * after the portal's session lifetime.
 */
import { iso, type PortalContext } from '../services/context.ts';
import type { DeskAccount } from '../db/schema.ts';
import { newSecret, secretHash } from './tokens.ts';

export async function createDeskSession(ctx: PortalContext, accountId: string): Promise<string> {
  const now = ctx.clock();
  const token = newSecret();
  await ctx.db
    .insertInto('desk_sessions')
    .values({
      token_hash: secretHash(token),
      account_id: accountId,
      created_at: iso(now),
      expires_at: iso(new Date(now.getTime() + ctx.config.sessionTtlMs)),
      ended_at: null,
    })
    .execute();
  return token;
}

export async function deskSessionAccount(
  ctx: PortalContext,
  token: string | undefined,
): Promise<DeskAccount | undefined> {
  if (!token || token.length > 100) return undefined;
  return ctx.db
    .selectFrom('desk_sessions')
    .innerJoin('desk_accounts', 'desk_accounts.id', 'desk_sessions.account_id')
    .selectAll('desk_accounts')
    .where('desk_sessions.token_hash', '=', secretHash(token))
    .where('desk_sessions.ended_at', 'is', null)
    .where('desk_sessions.expires_at', '>', iso(ctx.clock()))
    .where('desk_accounts.status', '=', 'active')
    .executeTakeFirst();
}

export async function endDeskSession(ctx: PortalContext, token: string | undefined): Promise<void> {
  if (!token || token.length > 100) return;
  await ctx.db
    .updateTable('desk_sessions')
    .set({ ended_at: iso(ctx.clock()) })
    .where('token_hash', '=', secretHash(token))
    .where('ended_at', 'is', null)
    .execute();
}

export async function endAllDeskSessions(ctx: PortalContext, accountId: string): Promise<void> {
  await ctx.db
    .updateTable('desk_sessions')
    .set({ ended_at: iso(ctx.clock()) })
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .execute();
}

/**
 * Sessions: a random 32-byte bearer token handed to the client once; only its SHA-256 is stored.
 * Fixed lifetime (PORTAL_SESSION_TTL_MIN), ended by logout, by revoking the clerk or by cancelling
 * the unit's registration. Rows are deleted a day after they expire.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PortalError } from '../../../shared/portal/errors.ts';
import { ACTIVE } from '../db/partialIndexes.ts';
import type { Unit } from '../db/schema.ts';
import type { Role, SubjectView } from '../../../shared/portal/api.ts';
import { iso, type PortalContext } from './context.ts';
import { oncePer } from './throttle.ts';
import { findUnitById } from './units.ts';

export interface SessionState {
  tokenHash: string;
  role: Role;
  unit: Unit;
  clerkId: string | null;
  subject: SubjectView;
  expiresAt: string;
}

/** Sessions are deleted this long after they expire (until then a late request is told "expired"). */
export const SESSION_KEEP_AFTER_EXPIRY_MS = 24 * 3_600_000;
const purgeDue = oncePer(60_000);

/**
 * Deletes the sessions more than SESSION_KEEP_AFTER_EXPIRY_MS past their expiry. Called after a login
 * has committed, outside its transaction, at most once a minute; never throws (the login stands whatever happens here).
 */
export async function purgeOldSessions(ctx: PortalContext): Promise<void> {
  const now = ctx.clock().getTime();
  if (!purgeDue(ctx.config, now)) return;
  try {
    await ctx.db
      .deleteFrom('sessions')
      .where('expires_at', '<', iso(new Date(now - SESSION_KEEP_AFTER_EXPIRY_MS)))
      .execute();
  } catch (error) {
    ctx.warn('purging old sessions failed', error);
  }
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export async function createSession(
  ctx: PortalContext,
  role: Role,
  unit: Unit,
  subject: SubjectView,
  clerkId: string | null,
): Promise<{ sessionToken: string; expiresAt: string }> {
  const now = ctx.clock();
  const sessionToken = randomBytes(32).toString('base64url');
  const expiresAt = iso(new Date(now.getTime() + ctx.config.sessionTtlMs));
  await ctx.db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(sessionToken),
      role,
      unit_id: unit.id,
      clerk_id: clerkId,
      subject_name: subject.name,
      subject_kind: subject.kind,
      subject_credential: subject.credential,
      created_at: iso(now),
      expires_at: expiresAt,
      ended_at: null,
    })
    .execute();
  return { sessionToken, expiresAt };
}

async function endSession(ctx: PortalContext, tokenHash: string): Promise<void> {
  await ctx.db
    .updateTable('sessions')
    .set({ ended_at: iso(ctx.clock()) })
    .where('token_hash', '=', tokenHash)
    .where('ended_at', 'is', null)
    .execute();
}

/** A refused session that was on record: whose it was, for the audit row. */
export class SessionRefusal extends PortalError {
  readonly subject: string;
  readonly unitCode: string | undefined;
  constructor(detail: string, subject: string, unitCode: string | undefined) {
    super('ERR_PORTAL_SESSION_EXPIRED', { detail });
    this.subject = subject;
    this.unitCode = unitCode;
  }
}

/** The live session of a bearer token. Throws ERR_PORTAL_SESSION_MISSING / _EXPIRED. */
export async function authenticate(ctx: PortalContext, token: string | undefined): Promise<SessionState> {
  if (!token) throw new PortalError('ERR_PORTAL_SESSION_MISSING');
  const tokenHash = hashToken(token);
  // One statement for the session, its clerk's status and the unit's active registration: every
  // authenticated request makes it. (At most one active registration per unit: a unique index.)
  const row = await ctx.db
    .selectFrom('sessions')
    .leftJoin('clerks', 'clerks.id', 'sessions.clerk_id')
    .leftJoin('registrations', (join) =>
      join.onRef('registrations.unit_id', '=', 'sessions.unit_id').on('registrations.status', '=', ACTIVE),
    )
    .selectAll('sessions')
    .select(['clerks.status as clerk_status', 'registrations.id as registration_id'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  const now = iso(ctx.clock());
  if (!row) throw new PortalError('ERR_PORTAL_SESSION_EXPIRED', { detail: 'unknown session token' });
  const refusal = async (detail: string) => {
    const unit = await ctx.db
      .selectFrom('units')
      .select('unit_code')
      .where('id', '=', row.unit_id)
      .executeTakeFirst();
    return new SessionRefusal(detail, `${row.subject_kind}:${row.subject_credential}`, unit?.unit_code);
  };
  if (row.ended_at !== null) throw await refusal('session ended');
  if (row.expires_at <= now) throw await refusal('session expired');
  // Belt and braces: a clerk revoked or a unit cancelled ends its sessions at once anyway.
  if (row.clerk_id !== null && row.clerk_status !== 'active') {
    await endSession(ctx, tokenHash);
    throw await refusal('clerk revoked');
  }
  if (row.registration_id === null) {
    await endSession(ctx, tokenHash);
    throw await refusal('unit not registered');
  }
  return {
    tokenHash,
    role: row.role,
    unit: await findUnitById(ctx, row.unit_id),
    clerkId: row.clerk_id,
    subject: { kind: row.subject_kind, name: row.subject_name, credential: row.subject_credential },
    expiresAt: row.expires_at,
  };
}

export async function logout(ctx: PortalContext, session: SessionState): Promise<void> {
  await endSession(ctx, session.tokenHash);
}

export async function endClerkSessions(ctx: PortalContext, clerkId: string): Promise<void> {
  await ctx.db
    .updateTable('sessions')
    .set({ ended_at: iso(ctx.clock()) })
    .where('clerk_id', '=', clerkId)
    .where('ended_at', 'is', null)
    .execute();
}

/**
 * Sessions: a random 32-byte bearer token handed to the client once; only its SHA-256 is stored.
 * Fixed lifetime (PORTAL_SESSION_TTL_MIN), ended by logout, by revoking the clerk or by cancelling
 * the unit's registration. Rows are deleted a day after they expire.
 */
import { hash, randomBytes } from 'node:crypto';
import { PortalError } from '../../../shared/portal/errors.ts';
import { ACTIVE } from '../db/partialIndexes.ts';
import type { InsertRow } from '../db/bulkInsert.ts';
import { prepareQuery, type Placeholder } from '../db/preparedQuery.ts';
import type { Clerk, Unit } from '../db/schema.ts';
import type { Role, SubjectView } from '../../../shared/portal/api.ts';
import { auditPlaceholders, type AuditScope } from './audit.ts';
import { iso, type PortalContext } from './context.ts';
import { oncePer } from './throttle.ts';

export interface SessionState {
  tokenHash: string;
  role: Role;
  unit: Unit;
  clerkId: string | null;
  /** The clerk's row, read with the session (null for a unit's own session). */
  clerk: SessionClerk | null;
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

// One-shot `hash`: a Hash object per request cost more than the digest of a 43-character token.
export const hashToken = (token: string): string => hash('sha256', token, 'hex');

/** The session row's columns as placeholders, for the prepared statements that write one. */
const sessionPlaceholders = (p: Placeholder<InsertRow<'sessions'>>) => ({
  token_hash: p('token_hash'),
  role: p('role'),
  unit_id: p('unit_id'),
  clerk_id: p('clerk_id'),
  subject_name: p('subject_name'),
  subject_kind: p('subject_kind'),
  subject_credential: p('subject_credential'),
  created_at: p('created_at'),
  expires_at: p('expires_at'),
  ended_at: p('ended_at'),
});

/** Every login makes one: compiled once (../db/preparedQuery.ts). */
const insertSession = prepareQuery((db, p: Placeholder<InsertRow<'sessions'>>) =>
  db.insertInto('sessions').values(sessionPlaceholders(p)),
);

/** A session row and an audit row as one set of values: `never` if the two tables shared a column name. */
type SessionAndAuditRow =
  Extract<keyof InsertRow<'sessions'>, keyof InsertRow<'audit'>> extends never
    ? InsertRow<'sessions'> & InsertRow<'audit'>
    : never;

/**
 * PostgreSQL: the session and its login's audit row in one statement (the insert in WITH always runs
 * to completion), atomic without BEGIN and COMMIT, so a login makes one round trip here instead of
 * four. SQLite has no inserts in WITH; there the transaction costs no round trips.
 */
const insertSessionAudited = prepareQuery((db, p: Placeholder<SessionAndAuditRow>) =>
  db
    .with('session', (d) => d.insertInto('sessions').values(sessionPlaceholders(p)))
    .insertInto('audit')
    .values(auditPlaceholders(p)),
);

function newSession(
  ctx: PortalContext,
  role: Role,
  unit: Unit,
  subject: SubjectView,
  clerkId: string | null,
): { sessionToken: string; expiresAt: string; row: InsertRow<'sessions'> } {
  const now = ctx.clock();
  const sessionToken = randomBytes(32).toString('base64url');
  const expiresAt = iso(new Date(now.getTime() + ctx.config.sessionTtlMs));
  const row: InsertRow<'sessions'> = {
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
  };
  return { sessionToken, expiresAt, row };
}

/**
 * A login: the new session and the login's success row in the audit log (`scope`, set by audited())
 * commit together.
 */
export async function openSession(
  ctx: PortalContext,
  role: Role,
  unit: Unit,
  subject: SubjectView,
  clerkId: string | null,
  scope: AuditScope,
): Promise<{ sessionToken: string; expiresAt: string }> {
  const { sessionToken, expiresAt, row } = newSession(ctx, role, unit, subject, clerkId);
  if (ctx.dbKind === 'postgres' && scope.withSuccessRow) {
    await scope.withSuccessRow((audit) => insertSessionAudited.execute(ctx.db, { ...row, ...audit }));
  } else {
    await ctx.db.transaction().execute(async (trx) => {
      await insertSession.execute(trx, row);
      await scope.recordSuccess?.(trx);
    });
  }
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

/** The session clerk's row as far as filings need it (kind, credential and label of the signer). */
export type SessionClerk = Pick<
  Clerk,
  'id' | 'unit_id' | 'kind' | 'credential_key' | 'credential_label' | 'display_name' | 'status'
>;

/**
 * One statement for the session, its unit, its clerk and the unit's active registration: every
 * authenticated request makes it, so it is compiled once (../db/preparedQuery.ts). The clerk's row
 * comes along so that a filing needs no second look-up. (At most one active registration per unit:
 * a unique index.)
 */
const sessionByToken = prepareQuery((db, p: Placeholder<{ tokenHash: string }>) =>
  db
    .selectFrom('sessions')
    .innerJoin('units', 'units.id', 'sessions.unit_id')
    .leftJoin('clerks', 'clerks.id', 'sessions.clerk_id')
    .leftJoin('registrations', (join) =>
      join.onRef('registrations.unit_id', '=', 'sessions.unit_id').on('registrations.status', '=', ACTIVE),
    )
    .selectAll('units')
    .select([
      'sessions.role as session_role',
      'sessions.clerk_id as session_clerk_id',
      'sessions.subject_name as session_subject_name',
      'sessions.subject_kind as session_subject_kind',
      'sessions.subject_credential as session_subject_credential',
      'sessions.expires_at as session_expires_at',
      'sessions.ended_at as session_ended_at',
      'clerks.status as clerk_status',
      'clerks.unit_id as clerk_unit_id',
      'clerks.kind as clerk_kind',
      'clerks.credential_key as clerk_credential_key',
      'clerks.credential_label as clerk_credential_label',
      'clerks.display_name as clerk_display_name',
      'registrations.id as registration_id',
    ])
    .where('sessions.token_hash', '=', p('tokenHash')),
);

/** The live session of a bearer token. Throws ERR_PORTAL_SESSION_MISSING / _EXPIRED. */
export async function authenticate(ctx: PortalContext, token: string | undefined): Promise<SessionState> {
  if (!token) throw new PortalError('ERR_PORTAL_SESSION_MISSING');
  const tokenHash = hashToken(token);
  const row = await sessionByToken.first(ctx.db, { tokenHash });
  const now = iso(ctx.clock());
  if (!row) throw new PortalError('ERR_PORTAL_SESSION_EXPIRED', { detail: 'unknown session token' });
  const {
    session_role: role,
    session_clerk_id: clerkId,
    session_subject_name: name,
    session_subject_kind: kind,
    session_subject_credential: credential,
    session_expires_at: expiresAt,
    session_ended_at: endedAt,
    clerk_status: clerkStatus,
    clerk_unit_id: clerkUnitId,
    clerk_kind: clerkKind,
    clerk_credential_key: credentialKey,
    clerk_credential_label: credentialLabel,
    clerk_display_name: displayName,
    registration_id: registrationId,
    ...unit
  } = row;
  const refusal = (detail: string) => new SessionRefusal(detail, `${kind}:${credential}`, unit.unit_code);
  if (endedAt !== null) throw refusal('session ended');
  if (expiresAt <= now) throw refusal('session expired');
  // Belt and braces: a clerk revoked or a unit cancelled ends its sessions at once anyway.
  if (clerkId !== null && clerkStatus !== 'active') {
    await endSession(ctx, tokenHash);
    throw refusal('clerk revoked');
  }
  if (registrationId === null) {
    await endSession(ctx, tokenHash);
    throw refusal('unit not registered');
  }
  const clerk: SessionClerk | null =
    clerkId !== null && clerkStatus !== null && clerkUnitId !== null && clerkKind !== null
      ? {
          id: clerkId,
          unit_id: clerkUnitId,
          kind: clerkKind,
          credential_key: credentialKey!,
          credential_label: credentialLabel!,
          display_name: displayName!,
          status: clerkStatus,
        }
      : null;
  return { tokenHash, role, unit, clerkId, clerk, subject: { kind, name, credential }, expiresAt };
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

/**
 * The audit log: every security event (login success or refusal, replayed or foreign proofs,
 * registration, cancellation, clerk changes, refused requests) with time, outcome, error code, masked
 * subject, unit and client address.
 */
import { PortalError } from '../../../shared/portal/errors.ts';
import { iso, type PortalContext } from './context.ts';
import { newId } from './ids.ts';

export interface AuditEntry {
  event: string;
  outcome: 'success' | 'refused';
  errorCode?: string;
  subject?: string;
  unitCode?: string;
  clientIp?: string;
  detail?: string;
}

export async function writeAudit(ctx: PortalContext, entry: AuditEntry): Promise<void> {
  const now = ctx.clock();
  await ctx.db
    .insertInto('audit')
    .values({
      id: newId(now),
      at: iso(now),
      event: entry.event,
      outcome: entry.outcome,
      error_code: entry.errorCode ?? null,
      subject: entry.subject?.slice(0, 200) ?? null,
      unit_code: entry.unitCode ?? null,
      client_ip: entry.clientIp ?? null,
      detail: entry.detail?.slice(0, 500) ?? null,
    })
    .execute();
}

/** What a handler learns while it runs (who, which unit), written with the outcome. */
export interface AuditScope {
  subject?: string;
  /** Who the request claims to be, worked out only if it is refused before `subject` is known. */
  claimedSubject?: () => string | undefined;
  unitCode?: string;
  detail?: string;
}

/** Runs an action and audits its outcome: success, or the refusal's code. Rethrows the error. */
export async function audited<T>(
  ctx: PortalContext,
  event: string,
  clientIp: string | undefined,
  scope: AuditScope,
  run: (scope: AuditScope) => Promise<T>,
): Promise<T> {
  const base = { event, ...(clientIp ? { clientIp } : {}) };
  let result: T;
  try {
    result = await run(scope);
  } catch (error) {
    const refusal = error instanceof PortalError;
    const { claimedSubject, ...known } = scope;
    await writeAudit(ctx, {
      ...base,
      ...known,
      subject: known.subject ?? claimedSubject?.(),
      outcome: 'refused',
      errorCode: refusal ? error.code : 'ERR_PORTAL_INTERNAL',
      detail: refusal ? (error.detail ?? scope.detail) : 'internal error',
    });
    throw error;
  }
  const { claimedSubject: _unused, ...known } = scope;
  await writeAudit(ctx, { ...base, ...known, outcome: 'success' });
  return result;
}

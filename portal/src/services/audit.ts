/**
 * The audit log: every security event (login success or refusal, replayed or foreign proofs,
 * registration, cancellation, clerk changes, refused requests) with time, outcome, error code, masked
 * subject, unit and client address.
 */
import type { Kysely } from 'kysely';
import { PortalError } from '../../../shared/portal/errors.ts';
import type { InsertRow } from '../db/bulkInsert.ts';
import { prepareQuery, type Placeholder } from '../db/preparedQuery.ts';
import type { Database } from '../db/schema.ts';
import { iso, type PortalContext } from './context.ts';
import { escapeControlCharacters } from './controlText.ts';
import { newId } from './ids.ts';
import { mailsQueuedSoFar } from '../mail/mailQueue.ts';

export interface AuditEntry {
  event: string;
  outcome: 'success' | 'refused';
  errorCode?: string;
  subject?: string;
  unitCode?: string;
  clientIp?: string;
  detail?: string;
}

/** Errors already written to the audit log, so that the server's error handler does not write them twice. */
const auditedErrors = new WeakSet<object>();

export function markAudited(error: unknown): void {
  if (typeof error === 'object' && error !== null) auditedErrors.add(error);
}

export function wasAudited(error: unknown): boolean {
  return typeof error === 'object' && error !== null && auditedErrors.has(error);
}

/** Audit text never fails on its input: control characters (NUL breaks PostgreSQL) are shown escaped. */
function auditText(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  return escapeControlCharacters(value).slice(0, max);
}

/** The audit row's columns as placeholders, for the prepared statements that write one. */
export const auditPlaceholders = (p: Placeholder<InsertRow<'audit'>>) => ({
  id: p('id'),
  at: p('at'),
  event: p('event'),
  outcome: p('outcome'),
  error_code: p('error_code'),
  subject: p('subject'),
  unit_code: p('unit_code'),
  client_ip: p('client_ip'),
  detail: p('detail'),
});

/** Every request writes one: compiled once (../db/preparedQuery.ts). */
export const insertAudit = prepareQuery((db, p: Placeholder<InsertRow<'audit'>>) =>
  db.insertInto('audit').values(auditPlaceholders(p)),
);

/** The row an entry is stored as (time and id from the context's clock). */
export function auditRow(ctx: PortalContext, entry: AuditEntry): InsertRow<'audit'> {
  const now = ctx.clock();
  return {
    id: newId(now),
    at: iso(now),
    event: entry.event,
    outcome: entry.outcome,
    error_code: entry.errorCode ?? null,
    subject: auditText(entry.subject, 200),
    unit_code: auditText(entry.unitCode, 32),
    client_ip: auditText(entry.clientIp, 64),
    detail: auditText(entry.detail, 500),
  };
}

export async function writeAudit(ctx: PortalContext, entry: AuditEntry): Promise<void> {
  await insertAudit.execute(ctx.db, auditRow(ctx, entry));
}

/** What a handler learns while it runs (who, which unit), written with the outcome. */
export interface AuditScope {
  subject?: string;
  /** Who the request claims to be, worked out only if it is refused before `subject` is known. */
  claimedSubject?: () => string | undefined;
  unitCode?: string;
  detail?: string;
  /**
   * Writes the success row in the caller's transaction, so that a security change and its audit row
   * commit together; set by audited(). Actions that change nothing may leave it to audited().
   */
  recordSuccess?: (db: Kysely<Database>) => Promise<void>;
  /**
   * The same for an action that writes the success row in its own statement (one round trip to
   * PostgreSQL instead of a transaction's four): `write` gets the row; set by audited().
   */
  withSuccessRow?: <R>(write: (row: InsertRow<'audit'>) => Promise<R>) => Promise<R>;
}

/**
 * Runs an action and audits its outcome: success (in the action's transaction when it calls
 * `scope.recordSuccess`), or the refusal's code. Rethrows the error. After a success, the mails the
 * action queued are sent.
 */
export async function audited<T>(
  ctx: PortalContext,
  event: string,
  clientIp: string | undefined,
  scope: AuditScope,
  run: (scope: AuditScope) => Promise<T>,
): Promise<T> {
  const base = { event, ...(clientIp ? { clientIp } : {}) };
  const known = () => {
    const { claimedSubject: _claimed, recordSuccess: _record, withSuccessRow: _with, ...rest } = scope;
    return rest;
  };
  const success = (): AuditEntry => ({ ...base, ...known(), outcome: 'success' });
  let recorded = false;
  scope.recordSuccess = async (db) => {
    await writeAudit({ ...ctx, db }, success());
    recorded = true;
  };
  scope.withSuccessRow = async (write) => {
    const result = await write(auditRow(ctx, success()));
    recorded = true;
    return result;
  };
  let result: T;
  const queuedBefore = mailsQueuedSoFar();
  try {
    result = await run(scope);
  } catch (error) {
    const refusal = error instanceof PortalError;
    await writeAudit(ctx, {
      ...base,
      ...known(),
      subject: scope.subject ?? scope.claimedSubject?.(),
      outcome: 'refused',
      errorCode: refusal ? error.code : 'ERR_PORTAL_INTERNAL',
      detail: refusal ? (error.detail ?? scope.detail) : 'internal error',
    });
    markAudited(error);
    throw error;
  }
  if (!recorded) await writeAudit(ctx, success());
  if (mailsQueuedSoFar() !== queuedBefore) await ctx.deliverMail();
  return result;
}

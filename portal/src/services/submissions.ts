/**
 * Receiving a signed filing submission (issue 10): the canonical bytes are recomputed from the
 * submission received (client bytes are never trusted), the unit and the signer are checked against
 * the session, every filing is checked with the shared field rules (errors refuse the submission
 * naming the field; warnings such as a late filing are kept and returned), then bytes, signature,
 * signer and filings are stored with a receipt number and the audit row in ONE transaction. The
 * roster is checked and changed later, by the processing job (jobs/filingProcessor.ts).
 */
import { hash as digest } from 'node:crypto';
import { canonicalForm } from '../../../shared/filings/canonical.ts';
import { checkFiling, isLateFiling } from '../../../shared/filings/checks.ts';
import type { Submission } from '../../../shared/filings/contracts.ts';
import { GRADE_TABLES } from '../../../shared/filings/gradeTables.ts';
import type {
  SubmitFilingsBody,
  SubmitFilingsReply,
  SubmissionWarning,
} from '../../../shared/portal/filingsApi.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { insertRows, type InsertRow } from '../db/bulkInsert.ts';
import { prepareQuery, type Placeholder } from '../db/preparedQuery.ts';
import type { AuditScope } from './audit.ts';
import { iso, type PortalContext } from './context.ts';
import { effectiveDateOf, personNameOf } from './filingRows.ts';
import { newId } from './ids.ts';
import { newReceiptNo } from './receipts.ts';
import type { SessionClerk, SessionState } from './sessions.ts';
import { verifySubmissionSignature } from './submissionSignatures.ts';

/** Filings inserted per statement (13 columns each: far below SQLite's and PostgreSQL's parameter limits). */
const INSERT_CHUNK = 500;
const FILING_COLUMNS = [
  'id',
  'submission_id',
  'seq',
  'unit_id',
  'kind',
  'id_number',
  'person_name',
  'effective_date',
  'data',
  'state',
  'issues',
  'late',
  'processed_at',
] as const satisfies readonly (keyof InsertRow<'filings'>)[];

/** Every submission, one or 5,000 filings: compiled once (../db/preparedQuery.ts). Counts start at 0. */
type NewSubmission = Omit<InsertRow<'submissions'>, 'accepted_count' | 'rejected_count'>;
const insertSubmission = prepareQuery((db, p: Placeholder<NewSubmission>) =>
  db.insertInto('submissions').values({
    id: p('id'),
    receipt_no: p('receipt_no'),
    unit_id: p('unit_id'),
    clerk_id: p('clerk_id'),
    signer_kind: p('signer_kind'),
    signer_label: p('signer_label'),
    content: p('content'),
    content_sha256: p('content_sha256'),
    signature_format: p('signature_format'),
    signature: p('signature'),
    submitted_at: p('submitted_at'),
    received_at: p('received_at'),
    filing_count: p('filing_count'),
    state: p('state'),
    processed_at: p('processed_at'),
    claimed_until: p('claimed_until'),
  }),
);

/** The session clerk (read with the session), still active and of the session's unit. */
export function sessionClerk(session: SessionState): SessionClerk {
  const clerk = session.clerk;
  if (!clerk || clerk.unit_id !== session.unit.id) {
    throw new PortalError('ERR_PORTAL_CLERK_NOT_ASSIGNED', {
      detail: 'no clerk of this unit behind the session',
    });
  }
  if (clerk.status !== 'active') throw new PortalError('ERR_PORTAL_CLERK_REVOKED');
  return clerk;
}

const NO_ISSUES = '[]';

/**
 * Every filing checked at receipt with the shared field rules (no roster: that is checked when
 * processed; the first error refuses) and turned into its row, in one pass: a 5,000-filing batch
 * keeps no list of check results beside its rows. The warnings are what the receipt returns.
 */
function checkedRows(
  ctx: PortalContext,
  submission: Submission,
  filingTexts: readonly string[],
  ids: { submissionId: string; unitId: string; now: Date },
): { rows: InsertRow<'filings'>[]; warnings: SubmissionWarning[] } {
  const checkContext = { today: taipeiDate(ctx.clock()), tables: GRADE_TABLES };
  const filings = submission.filings;
  const rows: InsertRow<'filings'>[] = [];
  const warnings: SubmissionWarning[] = [];
  for (let index = 0; index < filings.length; index++) {
    const filing = filings[index]!;
    const seq = index + 1;
    const issues = checkFiling(filing, checkContext);
    for (const issue of issues) {
      if (issue.severity === 'error') {
        throw new PortalError('ERR_PORTAL_FILING_INVALID', {
          field: `submission.filings.${index}.${issue.field}`,
          detail: `filing ${seq}: ${issue.code}`,
        });
      }
    }
    // Warnings only, once no error was found: the order the receipt has always listed them in.
    for (const issue of issues) warnings.push({ seq, ...issue });
    rows.push({
      id: newId(ids.now),
      submission_id: ids.submissionId,
      seq,
      unit_id: ids.unitId,
      kind: filing.kind,
      id_number: filing.idNumber,
      person_name: personNameOf(filing),
      effective_date: effectiveDateOf(filing),
      // The filing's part of the signed text: its row keeps exactly what was signed for it.
      data: filingTexts[index]!,
      state: 'received',
      issues: issues.length === 0 ? NO_ISSUES : JSON.stringify(issues),
      late: isLateFiling(issues) ? 1 : 0,
      processed_at: null,
    });
  }
  return { rows, warnings };
}

export async function receiveSubmission(
  ctx: PortalContext,
  session: SessionState,
  body: SubmitFilingsBody,
  scope: AuditScope,
): Promise<SubmitFilingsReply> {
  const { submission, signature } = body;
  const clerk = sessionClerk(session);
  scope.detail = `${submission.filings.length} filings`;
  if (submission.unitCode !== session.unit.unit_code) {
    throw new PortalError('ERR_PORTAL_SUBMISSION_OTHER_UNIT', {
      field: 'submission.unitCode',
      detail: `unit code ${submission.unitCode.slice(0, 32)} in a session of ${session.unit.unit_code}`,
    });
  }
  // The bytes the clerk signed, as this portal writes them.
  const { text: contentText, bytes: content, filings: filingTexts } = canonicalForm(submission);
  const hash = digest('sha256', content, 'buffer');
  const contentSha256 = hash.toString('hex');
  const verified = await verifySubmissionSignature(
    ctx,
    clerk,
    signature,
    content,
    hash,
    submission.submittedAt,
  );
  const now = ctx.clock();
  const submissionId = newId(now);
  const { rows, warnings } = checkedRows(ctx, submission, filingTexts, {
    submissionId,
    unitId: session.unit.id,
    now,
  });
  const receiptNo = newReceiptNo(now);
  scope.detail = `receipt ${receiptNo}, ${submission.filings.length} filings, sha256 ${contentSha256.slice(0, 16)}`;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await insertSubmission.execute(trx, {
        id: submissionId,
        receipt_no: receiptNo,
        unit_id: session.unit.id,
        clerk_id: clerk.id,
        signer_kind: clerk.kind,
        signer_label: `${clerk.display_name} (${clerk.credential_label})`.slice(0, 200),
        content: contentText,
        content_sha256: contentSha256,
        signature_format: verified.format,
        signature: verified.stored,
        submitted_at: submission.submittedAt,
        received_at: iso(now),
        filing_count: rows.length,
        state: 'received',
        processed_at: null,
        claimed_until: null,
      });
      await insertRows(ctx.db, trx, 'filings', FILING_COLUMNS, rows, INSERT_CHUNK);
      await scope.recordSuccess?.(trx);
    });
  } catch (error) {
    // A replay, or two identical submissions racing: the unique content hash lets only one in (no
    // look-up beforehand: the index answers both cases, and the insert is rolled back with the rest).
    const again = await ctx.db
      .selectFrom('submissions')
      .select('receipt_no')
      .where('content_sha256', '=', contentSha256)
      .executeTakeFirst();
    if (again) throw new PortalError('ERR_PORTAL_SUBMISSION_REPLAYED', { detail: `as ${again.receipt_no}` });
    throw error;
  }
  return {
    receiptNo,
    submissionId,
    receivedAt: iso(now),
    filingCount: rows.length,
    contentSha256,
    warnings,
  };
}

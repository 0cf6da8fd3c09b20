/**
 * A submission as its unit's clerks see it (state, each filing's state and issues, receipt, signer),
 * and its stored signature as a file: the detached CMS as a .p7s (DER), or an NHI card's evidence as
 * JSON. Only submissions of the session's unit are found.
 */
import type { FilingIssueView, SubmissionView } from '../../../shared/portal/filingsApi.ts';
import { SUBMISSION_SIGNATURE_CONTENT_TYPES } from '../../../shared/portal/filingsApi.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import type { SubmissionRow } from '../db/schema.ts';
import type { PortalContext } from './context.ts';
import { maskIdNumber } from './mask.ts';
import type { SessionState } from './sessions.ts';

export async function findSubmission(
  ctx: PortalContext,
  session: SessionState,
  id: string,
): Promise<SubmissionRow> {
  const row = await ctx.db
    .selectFrom('submissions')
    .selectAll()
    .where('id', '=', id)
    .where('unit_id', '=', session.unit.id)
    .executeTakeFirst();
  if (!row) throw new PortalError('ERR_PORTAL_SUBMISSION_NOT_FOUND', { field: 'id' });
  return row;
}

export async function submissionView(
  ctx: PortalContext,
  session: SessionState,
  id: string,
): Promise<SubmissionView> {
  const row = await findSubmission(ctx, session, id);
  const filings = await ctx.db
    .selectFrom('filings')
    .select(['seq', 'kind', 'id_number', 'state', 'late', 'issues', 'processed_at'])
    .where('submission_id', '=', row.id)
    .orderBy('seq')
    .execute();
  return {
    id: row.id,
    receiptNo: row.receipt_no,
    state: row.state,
    submittedAt: row.submitted_at,
    receivedAt: row.received_at,
    ...(row.processed_at ? { processedAt: row.processed_at } : {}),
    filingCount: row.filing_count,
    acceptedCount: row.accepted_count,
    rejectedCount: row.rejected_count,
    contentSha256: row.content_sha256,
    signatureFormat: row.signature_format,
    signer: { kind: row.signer_kind, label: row.signer_label },
    filings: filings.map((f) => ({
      seq: f.seq,
      kind: f.kind,
      idNumber: maskIdNumber(f.id_number),
      state: f.state,
      late: f.late === 1,
      issues: JSON.parse(f.issues) as FilingIssueView[],
      ...(f.processed_at ? { processedAt: f.processed_at } : {}),
    })),
  };
}

export interface SignatureFile {
  contentType: string;
  fileName: string;
  body: Buffer;
}

export async function submissionSignatureFile(
  ctx: PortalContext,
  session: SessionState,
  id: string,
): Promise<SignatureFile> {
  const row = await findSubmission(ctx, session, id);
  if (row.signature_format === 'cms') {
    return {
      contentType: SUBMISSION_SIGNATURE_CONTENT_TYPES.cms,
      fileName: `${row.receipt_no}.p7s`,
      body: Buffer.from(row.signature, 'base64'),
    };
  }
  return {
    contentType: SUBMISSION_SIGNATURE_CONTENT_TYPES['nhi-card'],
    fileName: `${row.receipt_no}.json`,
    body: Buffer.from(row.signature, 'utf8'),
  };
}

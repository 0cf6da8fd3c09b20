/**
 * The batch upload screen's logic, without a browser: the file as the preview body, which filings
 * a clerk may sign (the whole file only when no row has an error), the submission to sign, and the
 * report's text in the page's language.
 */
import type { Filing, Submission } from '../../../shared/filings/contracts.ts';
import { FIELD_LABELS } from '../../../shared/filings/labels.ts';
import {
  BATCH_FILE_MAX_BYTES,
  type BatchIssue,
  type BatchPreviewBody,
  type BatchPreviewReply,
} from '../../../shared/portal/batchesApi.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { newSubmission } from './signing.ts';

/** 'file': every row (allowed only without errors); 'valid': only the rows without errors. */
export type SignScope = 'file' | 'valid';
export type ReportLanguage = 'zh-TW' | 'en';

/** Bytes → base64 in slices (String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The preview body for a chosen file; a file over the limit is refused here with the portal's code. */
export async function previewBody(
  file: Pick<File, 'name' | 'size' | 'arrayBuffer'>,
): Promise<BatchPreviewBody> {
  if (file.size > BATCH_FILE_MAX_BYTES)
    throw new PortalError('ERR_PORTAL_BATCH_TOO_LARGE', { field: 'file' });
  return { fileName: file.name, content: toBase64(new Uint8Array(await file.arrayBuffer())) };
}

export function canSignWholeFile(preview: BatchPreviewReply): boolean {
  return preview.counts.refused === 0 && preview.filings.length > 0;
}

/** The filings the clerk signs under a scope, or undefined when that scope may not be signed. */
export function filingsToSign(preview: BatchPreviewReply, scope: SignScope): Filing[] | undefined {
  if (preview.filings.length === 0) return undefined;
  if (scope === 'file' && !canSignWholeFile(preview)) return undefined;
  return preview.filings.map((f) => f.filing);
}

export function batchSubmission(
  unitCode: string,
  preview: BatchPreviewReply,
  scope: SignScope,
  now: Date = new Date(),
): Submission | undefined {
  const filings = filingsToSign(preview, scope);
  return filings && newSubmission(unitCode, filings, now);
}

export interface ReportLine {
  row: number;
  field: string;
  message: string;
  severity: BatchIssue['severity'];
}

export function reportLines(report: readonly BatchIssue[], language: ReportLanguage): ReportLine[] {
  return report.map((issue) => ({
    row: issue.row,
    field: FIELD_LABELS[issue.field][language],
    message: issue.message[language],
    severity: issue.severity,
  }));
}

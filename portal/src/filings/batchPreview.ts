/**
 * The batch preview: the file read and every row checked with the same shared checks the
 * submission gets (checkBatch against the unit's roster, rows in file order), so the clerk sees
 * every problem before signing. Nothing is stored.
 */
import { checkBatch } from '../../../shared/filings/checks.ts';
import { filingIssueMessage } from '../../../shared/filings/errors.ts';
import { GRADE_TABLES } from '../../../shared/filings/gradeTables.ts';
import type { BatchIssue, BatchPreviewBody, BatchPreviewReply } from '../../../shared/portal/batchesApi.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import type { PortalContext } from '../services/context.ts';
import { loadRoster } from '../services/rosterStore.ts';
import { parseBatchFile } from './batchFile.ts';

function issue(
  row: number,
  field: BatchIssue['field'],
  code: BatchIssue['code'],
  severity: BatchIssue['severity'],
): BatchIssue {
  return {
    row,
    field,
    code,
    severity,
    message: {
      'zh-TW': filingIssueMessage(code, field, 'zh-TW'),
      en: filingIssueMessage(code, field, 'en'),
    },
  };
}

function fileBytes(content: string): Buffer {
  const bytes = Buffer.from(content, 'base64');
  // The schema's pattern lets through lengths that are no base64 (e.g. 5 characters).
  if (bytes.toString('base64') !== content)
    throw new PortalError('ERR_PORTAL_BAD_REQUEST', { field: 'content', detail: 'not canonical base64' });
  return bytes;
}

export async function previewBatch(
  ctx: PortalContext,
  unitId: string,
  body: BatchPreviewBody,
): Promise<BatchPreviewReply> {
  const parsed = await parseBatchFile(body.fileName, fileBytes(body.content));
  const checked = checkBatch(
    parsed.filings.map(({ row, filing }) => ({ item: row, filing })),
    { today: taipeiDate(ctx.clock()), tables: GRADE_TABLES, roster: await loadRoster(ctx.db, unitId) },
  );
  const report = [
    ...parsed.report.map((i) => issue(i.row, i.field, i.code, 'error')),
    ...checked.refused.flatMap((r) => r.issues.map((i) => issue(r.item, i.field, i.code, i.severity))),
    ...checked.accepted.flatMap((a) => a.warnings.map((i) => issue(a.item, i.field, i.code, i.severity))),
  ].sort((a, b) => a.row - b.row);
  const refusedRows = new Set(report.filter((i) => i.severity === 'error').map((i) => i.row));
  return {
    fileName: body.fileName,
    encoding: parsed.encoding,
    counts: {
      rows: parsed.rowCount,
      valid: checked.accepted.length,
      refused: refusedRows.size,
      warned: checked.accepted.filter((a) => a.warnings.length > 0).length,
    },
    report,
    filings: checked.accepted.map((a) => ({ row: a.item, filing: a.filing })),
  };
}

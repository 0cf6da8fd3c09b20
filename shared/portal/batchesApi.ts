/**
 * The batch upload (媒體申報) routes of the portal API, spread into PORTAL_ROUTES (./api.ts).
 *
 * The preview takes the file as base64 inside JSON, with its name, rather than as a raw or
 * multipart body: the route table validates JSON bodies with TypeBox at both ends like every other
 * route, the pages' client sends only JSON, the portal needs no multipart parser, and the file name
 * travels with the bytes. The price is a third more bytes on the wire for at most 10 MB, once.
 * Nothing is stored: the clerk then signs the valid filings and submits them like any submission.
 */
import { Type, type Static } from '@sinclair/typebox';
import { FIELD_ERROR_CODES } from '../fields/errors.ts';
import { Filing, MAX_FILINGS_PER_SUBMISSION } from '../filings/contracts.ts';
import { FILING_CHECK_CODES } from '../filings/errors.ts';
import { FIELD_LABELS } from '../filings/labels.ts';
import type { PortalRoute } from './api.ts';

/** The largest batch file read (the page checks it before uploading, the portal again). */
export const BATCH_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** A body that carries a file a little over the limit, so that the portal names the limit itself. */
export const BATCH_PREVIEW_BODY_LIMIT = Math.ceil((BATCH_FILE_MAX_BYTES + 1024 * 1024) / 3) * 4 + 4096;

export const BATCH_ENCODINGS = ['utf-8', 'utf-8-bom', 'big5', 'xlsx'] as const;
export type BatchEncoding = (typeof BATCH_ENCODINGS)[number];

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const BatchPreviewBody = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 255 }),
    /** The file's bytes, base64 (a plain pattern: a file of 10 MB is 14 million characters). */
    content: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
  },
  { additionalProperties: false },
);
export type BatchPreviewBody = Static<typeof BatchPreviewBody>;

export const BatchIssue = Type.Object({
  /** The spreadsheet's row number (header = row 1). */
  row: Type.Integer({ minimum: 1 }),
  field: literals(Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]),
  code: literals([...FIELD_ERROR_CODES, ...FILING_CHECK_CODES]),
  /** 'error': the row cannot be filed; 'warning': it can, flagged (e.g. late), with the reason. */
  severity: literals(['error', 'warning'] as const),
  /** What is wrong and what to do (shared/filings/errors.ts), naming the field. */
  message: Type.Object({ 'zh-TW': Type.String(), en: Type.String() }),
});
export type BatchIssue = Static<typeof BatchIssue>;

export const BatchPreviewReply = Type.Object({
  fileName: Type.String(),
  encoding: literals(BATCH_ENCODINGS),
  counts: Type.Object({
    /** Data rows in the file (header and blank lines not counted). */
    rows: Type.Integer({ minimum: 0 }),
    /** Rows that can be signed as they are. */
    valid: Type.Integer({ minimum: 0 }),
    /** Rows with at least one error. */
    refused: Type.Integer({ minimum: 0 }),
    /** Valid rows carrying a warning. */
    warned: Type.Integer({ minimum: 0 }),
  }),
  report: Type.Array(BatchIssue),
  /** The valid rows' filings, normalised, in file order: what the clerk may sign. */
  filings: Type.Array(Type.Object({ row: Type.Integer({ minimum: 1 }), filing: Filing }), {
    maxItems: MAX_FILINGS_PER_SUBMISSION,
  }),
});
export type BatchPreviewReply = Static<typeof BatchPreviewReply>;

export const BATCHES_ROUTES = {
  previewBatch: {
    method: 'POST',
    path: '/api/filings/batches/preview',
    summary: 'Read a batch file (CSV UTF-8/Big5 or .xlsx) and check every row; nothing is stored',
    tags: ['filings'],
    session: true,
    body: BatchPreviewBody,
    bodyLimit: BATCH_PREVIEW_BODY_LIMIT,
    reply: BatchPreviewReply,
  },
  batchTemplateCsv: {
    method: 'GET',
    path: '/api/filings/batches/template.csv',
    summary: 'The batch template as CSV (UTF-8 with BOM): header row and examples',
    tags: ['filings'],
    session: true,
    download: { contentType: 'text/csv' },
    reply: Type.Null(),
  },
  batchTemplateXlsx: {
    method: 'GET',
    path: '/api/filings/batches/template.xlsx',
    summary: 'The batch template as an Excel workbook: header row and examples',
    tags: ['filings'],
    session: true,
    download: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    reply: Type.Null(),
  },
} as const satisfies Record<string, PortalRoute>;

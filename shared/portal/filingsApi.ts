/**
 * The filing routes of the portal API (issue 10): submit a signed submission, read one back with its
 * per-filing outcome, export its stored signature. Spread into PORTAL_ROUTES (./api.ts). Clerk
 * sessions only. Browser-safe: TypeBox only.
 *
 * A submission is signed over its canonical bytes (shared/filings/canonical.ts), which the portal
 * recomputes from the `submission` it receives; the client never sends bytes.
 * - `cms`: a detached CMS SignedData (DER, base64) by the session clerk's own certificate, with a
 *   signingTime signed attribute (must be recent: SIGNING_WINDOW_MS).
 * - `nhi-card`: the session clerk's NHI card's answer to the challenge
 *   `challengeFor(portal origin, filingChallengeNonce(submissionHash))` (shared/nhi/challenge.ts),
 *   checked by the SAM emulation like a login.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { BASE64_PATTERN } from '../authtoken/token.ts';
import {
  AmountChangeFiling,
  CorrectionFiling,
  DependantEnrolFiling,
  DependantWithdrawFiling,
  EnrolFiling,
  Submission,
  WithdrawFiling,
} from '../filings/contracts.ts';
import { NHI_CARD_NUMBER_PATTERN } from '../tw/nationalId.ts';
import type { PortalRoute } from './api.ts';

/** How far a CMS signingTime may be from the portal's clock (either way): a signature is made just before it is sent. */
export const SIGNING_WINDOW_MS = 10 * 60_000;

/** A detached CMS of one signer with its certificate and chain stays far below this (DER bytes). */
export const MAX_SUBMISSION_CMS_BYTES = 48 * 1024;

/** The request body limit of the submission route: a 5,000-filing batch with its signature. */
export const SUBMISSION_BODY_LIMIT = 4 * 1024 * 1024;

/** A union told apart by one literal property (ajv's discriminator), so refusals name the right branch's field. */
function discriminatedBy<T extends TSchema[]>(propertyName: string, branches: [...T]) {
  return Type.Unsafe<Static<T[number]>>({
    type: 'object',
    required: [propertyName],
    discriminator: { propertyName },
    oneOf: branches,
  });
}

export const CmsSubmissionSignature = Type.Object(
  {
    format: Type.Literal('cms'),
    /** DER of the detached CMS, standard base64. */
    cms: Type.String({
      minLength: 4,
      maxLength: Math.ceil(MAX_SUBMISSION_CMS_BYTES / 3) * 4,
      pattern: BASE64_PATTERN,
    }),
  },
  { additionalProperties: false },
);
export type CmsSubmissionSignature = Static<typeof CmsSubmissionSignature>;

export const NhiCardSubmissionSignature = Type.Object(
  {
    format: Type.Literal('nhi-card'),
    cardNumber: Type.String({ pattern: NHI_CARD_NUMBER_PATTERN }),
    /** The card's 16-byte answer, base64. */
    response: Type.String({ minLength: 24, maxLength: 24, pattern: BASE64_PATTERN }),
  },
  { additionalProperties: false },
);
export type NhiCardSubmissionSignature = Static<typeof NhiCardSubmissionSignature>;

export const SubmissionSignature = discriminatedBy('format', [
  CmsSubmissionSignature,
  NhiCardSubmissionSignature,
]);
export type SubmissionSignature = CmsSubmissionSignature | NhiCardSubmissionSignature;
export type SubmissionSignatureFormat = SubmissionSignature['format'];

/** The Submission of shared/filings/contracts.ts, its filings told apart by `kind` for field-precise refusals. */
const SubmissionBodyPart = Type.Object(
  {
    ...Submission.properties,
    filings: Type.Array(
      discriminatedBy('kind', [
        EnrolFiling,
        WithdrawFiling,
        DependantEnrolFiling,
        DependantWithdrawFiling,
        AmountChangeFiling,
        CorrectionFiling,
      ]),
      { minItems: Submission.properties.filings.minItems, maxItems: Submission.properties.filings.maxItems },
    ),
  },
  { additionalProperties: false },
);

export const SubmitFilingsBody = Type.Object(
  { submission: SubmissionBodyPart, signature: SubmissionSignature },
  { additionalProperties: false },
);
export type SubmitFilingsBody = { submission: Submission; signature: SubmissionSignature };

/** One issue of a filing (shared/filings/checks.ts FilingIssue); `seq` is its position, from 1. */
export const FilingIssueView = Type.Object({
  field: Type.String(),
  code: Type.String(),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
});
export type FilingIssueView = Static<typeof FilingIssueView>;

export const SubmissionWarning = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  ...FilingIssueView.properties,
});
export type SubmissionWarning = Static<typeof SubmissionWarning>;

export const SubmitFilingsReply = Type.Object({
  /** 受理編號 (portal/src/services/receipts.ts documents the format). */
  receiptNo: Type.String(),
  submissionId: Type.String(),
  receivedAt: Type.String(),
  filingCount: Type.Integer(),
  /** SHA-256 of the canonical bytes, hex. */
  contentSha256: Type.String(),
  /** Accepted but flagged (late filing…), to show with the receipt. */
  warnings: Type.Array(SubmissionWarning),
});
export type SubmitFilingsReply = Static<typeof SubmitFilingsReply>;

export const SubmissionState = Type.Union([Type.Literal('received'), Type.Literal('processed')]);
export const FilingState = Type.Union([
  Type.Literal('received'),
  Type.Literal('accepted'),
  Type.Literal('rejected'),
]);
export type FilingState = Static<typeof FilingState>;

export const FilingOutcomeView = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  kind: Type.String(),
  /** Masked (A1*****789): the full number is in the signed content. */
  idNumber: Type.String(),
  state: FilingState,
  late: Type.Boolean(),
  issues: Type.Array(FilingIssueView),
  processedAt: Type.Optional(Type.String()),
});
export type FilingOutcomeView = Static<typeof FilingOutcomeView>;

export const SignerView = Type.Object({
  kind: Type.Union([Type.Literal('certificate'), Type.Literal('nhi-card')]),
  /** The clerk's name and masked credential. */
  label: Type.String(),
});

export const SubmissionView = Type.Object({
  id: Type.String(),
  receiptNo: Type.String(),
  state: SubmissionState,
  submittedAt: Type.String(),
  receivedAt: Type.String(),
  processedAt: Type.Optional(Type.String()),
  filingCount: Type.Integer(),
  acceptedCount: Type.Integer(),
  rejectedCount: Type.Integer(),
  contentSha256: Type.String(),
  signatureFormat: Type.Union([Type.Literal('cms'), Type.Literal('nhi-card')]),
  signer: SignerView,
  filings: Type.Array(FilingOutcomeView),
});
export type SubmissionView = Static<typeof SubmissionView>;

/** Submission ids: the portal's row ids (newId, 31 characters of [0-9a-z]). */
const SubmissionParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-z]{31}$' }) });

export const SUBMISSION_SIGNATURE_CONTENT_TYPES = {
  cms: 'application/pkcs7-signature',
  'nhi-card': 'application/json',
} as const;

export const FILINGS_ROUTES = {
  submitFilings: {
    method: 'POST',
    path: '/api/filings/submissions',
    summary: 'Submit filings signed by the clerk (CMS over the canonical bytes, or the NHI card challenge)',
    tags: ['filings'],
    session: true,
    body: SubmitFilingsBody,
    bodyLimit: SUBMISSION_BODY_LIMIT,
    reply: SubmitFilingsReply,
  },
  submission: {
    method: 'GET',
    path: '/api/filings/submissions/:id',
    summary: "A submission of the clerk's unit: state, each filing's state and issues, receipt, signer",
    tags: ['filings'],
    session: true,
    params: SubmissionParams,
    reply: SubmissionView,
  },
  submissionSignature: {
    method: 'GET',
    path: '/api/filings/submissions/:id/signature',
    summary:
      'The stored signature: a detached CMS (.p7s, DER) over the canonical bytes, or for NHI cards a JSON evidence file',
    tags: ['filings'],
    session: true,
    params: SubmissionParams,
    // The .p7s type; an NHI-card submission's evidence is sent as application/json.
    download: {
      contentType: SUBMISSION_SIGNATURE_CONTENT_TYPES.cms,
      alternatives: [SUBMISSION_SIGNATURE_CONTENT_TYPES['nhi-card']],
    },
    reply: Type.Null(),
  },
} as const satisfies Record<string, PortalRoute>;

/**
 * Signing and sending a filing submission from the bundled portal pages (issue 10). The pages call
 * `signSubmission`; the extension's background checks the submission, recomputes its canonical bytes
 * and has the clerk sign in the prompt window (「簽署申報」) with the credential they logged in with.
 */
import {
  SUBMISSION_FORMAT,
  SUBMISSION_VERSION,
  type Filing,
  type Submission,
} from '../../../shared/filings/contracts.ts';
import type { ProofMethod } from '../../../shared/portal/api.ts';
import type { SubmissionSignature, SubmitFilingsReply } from '../../../shared/portal/filingsApi.ts';
import { ui } from '../../lib/uiClient.ts';
import type { PortalApi } from './api.ts';

/** A submission of `filings` for the unit, stamped now (when the clerk asks to sign). */
export function newSubmission(unitCode: string, filings: Filing[], now: Date = new Date()): Submission {
  return {
    format: SUBMISSION_FORMAT,
    version: SUBMISSION_VERSION,
    unitCode,
    submittedAt: now.toISOString(),
    filings,
  };
}

/** The clerk signs in the prompt: a CMS by their certificate, or their NHI card's answer. */
export function signSubmission(submission: Submission, method: ProofMethod): Promise<SubmissionSignature> {
  return ui<SubmissionSignature>({ command: 'portal-sign-submission', submission, method });
}

/** Signs, then sends: the portal's receipt (受理編號), or its refusal as a PortalError. */
export async function signAndSubmit(
  api: PortalApi,
  submission: Submission,
  method: ProofMethod,
): Promise<SubmitFilingsReply> {
  const signature = await signSubmission(submission, method);
  return api.submitFilings({ submission, signature });
}

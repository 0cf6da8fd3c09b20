/**
 * The clerk signs a filing submission for the bundled portal pages (issue 10). The background checks
 * the submission against the shared contract, recomputes its canonical bytes itself and shows the
 * clerk in the prompt what is signed. A certificate clerk's token makes a detached CMS over those
 * bytes (host `sign`, format cms); an NHI-card clerk's card answers the filing challenge, bound to the
 * configured portal origin (never one a page sends) and to the submission's hash.
 */
import { Value } from '@sinclair/typebox/value';
import { canonicalBytes, filingChallengeNonce, submissionHash } from '../../shared/filings/canonical.ts';
import { Submission } from '../../shared/filings/contracts.ts';
import type { SubmissionSignature } from '../../shared/portal/filingsApi.ts';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import { summarizeSubmission } from '../lib/filingSummary.ts';
import { nhiChallenge, toBase64 } from '../lib/nhiChallenge.ts';
import { CARD_OPERATION_TIMEOUT_MS, listCertificatesFor, pinArgs } from './cardOperations.ts';
import type { NativePort } from './nativePort.ts';
import type { PromptRequest } from './prompts.ts';

export interface SubmissionSigningContext {
  port: NativePort;
  askClerk: (request: PromptRequest) => Promise<unknown>;
  /** The configured portal origin. */
  origin: string;
}

function checkedSubmission(submission: unknown): Submission {
  if (!Value.Check(Submission, submission)) {
    const first = Value.Errors(Submission, submission).First();
    throw new CardBridgeError('ERR_BAD_REQUEST', `not a filing submission: ${first?.path ?? '/'}`);
  }
  return submission;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export async function signSubmissionInPrompt(
  submissionInput: unknown,
  method: unknown,
  context: SubmissionSigningContext,
): Promise<SubmissionSignature> {
  const submission = checkedSubmission(submissionInput);
  const { origin, port } = context;
  const hash = await submissionHash(submission);
  const shown = { origin, purpose: 'sign-submission' as const, filing: summarizeSubmission(submission) };
  if (method === 'certificate') {
    // The host hashes nothing: it signs the digest of the bytes recomputed here.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', canonicalBytes(submission)));
    const result = await context.askClerk({
      ...shown,
      kind: 'sign',
      task: 'sign-filing',
      certificates: await listCertificatesFor(port, 'sign-filing'),
      digestHex: hex(digest),
      hashFunction: 'SHA-256',
      execute: (answer) =>
        port.request(
          'sign',
          {
            origin,
            certificateId: answer.certificateId ?? '',
            hash: toBase64(digest),
            hashFunction: 'SHA-256',
            format: 'cms',
            ...pinArgs(answer.pin),
          },
          CARD_OPERATION_TIMEOUT_MS,
        ),
    });
    const cms = (result as { cms?: unknown }).cms;
    if (typeof cms !== 'string') throw new CardBridgeError('ERR_INTERNAL', 'the host made no CMS');
    return { format: 'cms', cms };
  }
  if (method === 'nhi-card') {
    const challenge = await nhiChallenge(origin, filingChallengeNonce(hash));
    const answer = (await context.askClerk({
      ...shown,
      kind: 'nhi-authenticate',
      execute: () => port.request('nhi.authenticate', { challenge: toBase64(challenge) }),
    })) as { cardNumber: string; response: string };
    return { format: 'nhi-card', cardNumber: answer.cardNumber, response: answer.response };
  }
  throw new CardBridgeError('ERR_BAD_REQUEST', 'method must be certificate or nhi-card');
}

/**
 * Verifies the signature of a filing submission (shared/portal/filingsApi.ts) over the canonical
 * bytes the portal recomputed itself, against the clerk of the session:
 * - CMS: a detached SignedData over exactly those bytes, by a certificate that chains to the trust
 *   store and is not revoked (verifyCms at the server's clock), whose DER hash is the session clerk's
 *   credential_key, with a signingTime attribute within SIGNING_WINDOW_MS of the server's clock;
 * - NHI card: the session clerk's card (credential_key = card number) answered the challenge bound to
 *   the portal origin and the submission hash (SAM emulation, as in the login); the card gives no
 *   time, so the signed submittedAt must be within the same window.
 * Returns what is stored for good: the signature and a label of the signer.
 */
import { VerificationError } from '../../../shared/authtoken/errors.ts';
import { filingChallengeNonce, toHex } from '../../../shared/filings/canonical.ts';
import { nhiChallenge } from '../../../shared/nhi/challenge.ts';
import { verifyCms } from '../../../shared/node/cms/verifyCms.ts';
import { verifyCardResponse } from '../../../shared/node/nhi/samEmulation.ts';
import { SIGNING_WINDOW_MS, type SubmissionSignature } from '../../../shared/portal/filingsApi.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import type { PortalContext } from './context.ts';
import { fingerprintOf, portalErrorFromVerification } from './proofs.ts';
import type { SessionClerk } from './sessions.ts';

export interface VerifiedSignature {
  format: SubmissionSignature['format'];
  /** As stored in submissions.signature: CMS DER base64, or the NHI evidence JSON. */
  stored: string;
}

/** The evidence kept for an NHI-card signature: everything needed to check it again with the SAM. */
export interface NhiFilingEvidence {
  format: 'cardbridge-nhi-filing-evidence';
  version: 1;
  cardNumber: string;
  /** The card's answer, base64. */
  response: string;
  origin: string;
  /** filingChallengeNonce(submission hash). */
  nonce: string;
  /** The 32-byte challenge the card answered, base64. */
  challenge: string;
  contentSha256: string;
}

const FIELD = 'signature';

/** A verifier refusal about the bytes themselves is a mismatch; certificate refusals keep their code. */
const MISMATCH_CODES = new Set(['ERR_CMS_DIGEST_MISMATCH', 'ERR_CMS_SIGNATURE']);

function withinWindow(ctx: PortalContext, at: Date | undefined, field: string, what: string): void {
  const now = ctx.clock().getTime();
  if (!at || !(Math.abs(now - at.getTime()) <= SIGNING_WINDOW_MS)) {
    throw new PortalError('ERR_PORTAL_SIGNATURE_STALE', {
      field,
      detail: `${what} ${at ? at.toISOString() : 'missing'}, server ${new Date(now).toISOString()}`,
    });
  }
}

function verifyCmsSignature(
  ctx: PortalContext,
  clerk: SessionClerk,
  cmsBase64: string,
  content: Uint8Array,
): VerifiedSignature {
  if (!ctx.trust) {
    throw new PortalError('ERR_PORTAL_CERT_UNTRUSTED', {
      field: FIELD,
      detail: 'no trust anchors configured',
    });
  }
  const der = Buffer.from(cmsBase64, 'base64');
  let verified;
  try {
    verified = verifyCms(der, { content, trust: ctx.trust, now: ctx.clock() });
  } catch (error) {
    if (error instanceof VerificationError) {
      if (MISMATCH_CODES.has(error.code)) {
        throw new PortalError('ERR_PORTAL_SIGNATURE_MISMATCH', { field: FIELD, detail: error.message });
      }
      throw portalErrorFromVerification(error, `${FIELD}.cms`);
    }
    throw error;
  }
  if (fingerprintOf(verified.certificate) !== clerk.credential_key) {
    throw new PortalError('ERR_PORTAL_SIGNER_NOT_CLERK', {
      field: FIELD,
      detail: `signed by ${verified.info.family}:${verified.info.serialNumber}, not the session clerk`,
    });
  }
  withinWindow(ctx, verified.signingTime, `${FIELD}.cms`, 'signingTime');
  return { format: 'cms', stored: der.toString('base64') };
}

async function verifyNhiSignature(
  ctx: PortalContext,
  clerk: SessionClerk,
  signature: Extract<SubmissionSignature, { format: 'nhi-card' }>,
  hash: Uint8Array,
  submittedAt: string,
): Promise<VerifiedSignature> {
  const masterKey = ctx.config.samMasterKey;
  if (!masterKey)
    throw new PortalError('ERR_PORTAL_NHI_UNAVAILABLE', { detail: 'no SAM master key configured' });
  if (signature.cardNumber !== clerk.credential_key) {
    throw new PortalError('ERR_PORTAL_SIGNER_NOT_CLERK', {
      field: `${FIELD}.cardNumber`,
      detail: 'another card than the session clerk’s',
    });
  }
  const nonce = filingChallengeNonce(hash);
  const challenge = await nhiChallenge(ctx.config.origin, nonce);
  const response = Buffer.from(signature.response, 'base64');
  if (!verifyCardResponse(masterKey, signature.cardNumber, challenge, response)) {
    throw new PortalError('ERR_PORTAL_SIGNATURE_MISMATCH', {
      field: `${FIELD}.response`,
      detail: 'SAM refused the card’s answer to the filing challenge',
    });
  }
  withinWindow(ctx, new Date(submittedAt), 'submission.submittedAt', 'submittedAt');
  const evidence: NhiFilingEvidence = {
    format: 'cardbridge-nhi-filing-evidence',
    version: 1,
    cardNumber: signature.cardNumber,
    response: signature.response,
    origin: ctx.config.origin,
    nonce,
    challenge: Buffer.from(challenge).toString('base64'),
    contentSha256: toHex(hash),
  };
  return { format: 'nhi-card', stored: JSON.stringify(evidence) };
}

/** Checks the signature against the session clerk (kind first: a certificate clerk signs with CMS). */
export async function verifySubmissionSignature(
  ctx: PortalContext,
  clerk: SessionClerk,
  signature: SubmissionSignature,
  content: Uint8Array,
  hash: Uint8Array,
  submittedAt: string,
): Promise<VerifiedSignature> {
  const expected = clerk.kind === 'certificate' ? 'cms' : 'nhi-card';
  if (signature.format !== expected) {
    throw new PortalError('ERR_PORTAL_SIGNER_NOT_CLERK', {
      field: `${FIELD}.format`,
      detail: `${signature.format} signature from a ${clerk.kind} clerk`,
    });
  }
  if (signature.format === 'cms') return verifyCmsSignature(ctx, clerk, signature.cms, content);
  return verifyNhiSignature(ctx, clerk, signature, hash, submittedAt);
}

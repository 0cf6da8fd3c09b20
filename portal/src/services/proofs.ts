/**
 * Checks a card proof (portal/API.md "Card proofs"). The nonce is consumed first, whatever happens
 * next. Certificate proofs go through verifyAuthToken with the trust store; NHI card proofs through
 * the SAM emulation (shared/node/nhi/samEmulation.ts, standing for NHI's security module), the card registry
 * and the card's web password.
 */
import { hash } from 'node:crypto';
import { VerificationError, type VerificationErrorCode } from '../../../shared/authtoken/errors.ts';
import { verifyAuthToken } from '../../../shared/node/authtoken/verifyAuthToken.ts';
import { verifyLoginResponse } from '../../../shared/node/nhi/samEmulation.ts';
import type { CertificateInfo } from '../../../shared/pki/certificateInfo.ts';
import { PortalError, type PortalErrorCode } from '../../../shared/portal/errors.ts';
import type { NhiCard } from '../db/schema.ts';
import type { CertificateProof, NhiCardProof, Proof } from '../../../shared/portal/api.ts';
import { iso, type PortalContext } from './context.ts';
import { certificateSubject, maskCardNumber, nhiSubject } from './mask.ts';
import { consumeNonce } from './nonces.ts';
import { verifyPassword } from './passwords.ts';

export interface VerifiedCertificate {
  kind: 'certificate';
  certificate: Buffer;
  info: CertificateInfo;
  /** SHA-256 of the DER, hex. */
  fingerprint: string;
  /** For the audit log. */
  subject: string;
}

export interface VerifiedNhiCard {
  kind: 'nhi-card';
  card: NhiCard;
  subject: string;
}

export type VerifiedProof = VerifiedCertificate | VerifiedNhiCard;

const VERIFIER_CODES: Readonly<Record<VerificationErrorCode, PortalErrorCode>> = {
  ERR_TOKEN_MALFORMED: 'ERR_PORTAL_TOKEN_INVALID',
  ERR_TOKEN_ALGORITHM: 'ERR_PORTAL_TOKEN_INVALID',
  ERR_TOKEN_SIGNATURE: 'ERR_PORTAL_TOKEN_SIGNATURE',
  ERR_NONCE_INVALID: 'ERR_PORTAL_NONCE_INVALID',
  ERR_ORIGIN_INVALID: 'ERR_PORTAL_INTERNAL',
  ERR_CERT_MALFORMED: 'ERR_PORTAL_TOKEN_INVALID',
  ERR_CERT_UNTRUSTED: 'ERR_PORTAL_CERT_UNTRUSTED',
  ERR_CERT_EXPIRED: 'ERR_PORTAL_CERT_EXPIRED',
  ERR_CERT_NOT_YET_VALID: 'ERR_PORTAL_CERT_NOT_YET_VALID',
  ERR_CERT_REVOKED: 'ERR_PORTAL_CERT_REVOKED',
  ERR_CRL_UNAVAILABLE: 'ERR_PORTAL_CRL_UNAVAILABLE',
  ERR_CERT_KEY_USAGE: 'ERR_PORTAL_CERT_KEY_USAGE',
  ERR_CERT_FAMILY: 'ERR_PORTAL_CERT_UNTRUSTED',
  ERR_CMS_MALFORMED: 'ERR_PORTAL_TOKEN_INVALID',
  ERR_CMS_ALGORITHM: 'ERR_PORTAL_TOKEN_INVALID',
  ERR_CMS_DIGEST_MISMATCH: 'ERR_PORTAL_TOKEN_INVALID',
  ERR_CMS_SIGNATURE: 'ERR_PORTAL_TOKEN_INVALID',
  ERR_CMS_ATTRIBUTES: 'ERR_PORTAL_TOKEN_INVALID',
};

/** Maps a verifier error (shared/authtoken/errors.ts) to the portal's code, keeping the detail. */
export function portalErrorFromVerification(error: VerificationError, field?: string): PortalError {
  return new PortalError(VERIFIER_CODES[error.code], {
    ...(field ? { field } : {}),
    detail: error.message,
  });
}

export function fingerprintOf(der: Uint8Array): string {
  return hash('sha256', der, 'hex');
}

export async function verifyCertificateProof(
  ctx: PortalContext,
  proof: CertificateProof,
): Promise<VerifiedCertificate> {
  if (!ctx.trust) {
    throw new PortalError('ERR_PORTAL_CERT_UNTRUSTED', {
      field: 'proof.token',
      detail: 'no trust anchors configured',
    });
  }
  try {
    const verified = await verifyAuthToken(proof.token, {
      origin: ctx.config.origin,
      nonce: proof.nonce,
      trust: ctx.trust,
      now: ctx.clock(),
    });
    return {
      kind: 'certificate',
      certificate: verified.certificate,
      info: verified.info,
      fingerprint: fingerprintOf(verified.certificate),
      subject: certificateSubject(verified.info.family, verified.info.serialNumber),
    };
  } catch (error) {
    if (error instanceof VerificationError) throw portalErrorFromVerification(error, 'proof.token');
    throw error;
  }
}

/** The SAM emulation's verdict on the card's answer to nhiChallenge(origin, nonce). Pure. */
export function samAcceptsResponse(
  masterKey: Uint8Array,
  origin: string,
  proof: Pick<NhiCardProof, 'cardNumber' | 'nonce' | 'response'>,
): Promise<boolean> {
  const response = Buffer.from(proof.response, 'base64');
  return verifyLoginResponse(masterKey, proof.cardNumber, origin, proof.nonce, response);
}

/**
 * The SAM's check of the card's answer to nhiChallenge(PORTAL_ORIGIN, nonce), then the registry.
 * Pure except for the registry lookup; the password is checked separately (checkNhiPassword).
 */
export async function verifyNhiCardResponse(ctx: PortalContext, proof: NhiCardProof): Promise<NhiCard> {
  const masterKey = ctx.config.samMasterKey;
  if (!masterKey)
    throw new PortalError('ERR_PORTAL_NHI_UNAVAILABLE', { detail: 'no SAM master key configured' });
  if (!(await samAcceptsResponse(masterKey, ctx.config.origin, proof))) {
    throw new PortalError('ERR_PORTAL_NHI_RESPONSE_INVALID', {
      field: 'proof.response',
      detail: `SAM refused the response of card ${maskCardNumber(proof.cardNumber)}`,
    });
  }
  const card = await ctx.db
    .selectFrom('nhi_cards')
    .selectAll()
    .where('card_number', '=', proof.cardNumber)
    .executeTakeFirst();
  if (!card) throw new PortalError('ERR_PORTAL_NHI_CARD_UNKNOWN', { field: 'proof.cardNumber' });
  return card;
}

/** Wrong passwords in a row before the card's password is locked, and for how long. */
export const PASSWORD_ATTEMPTS = 5;
export const PASSWORD_LOCK_MS = 15 * 60_000;

export async function checkNhiPassword(ctx: PortalContext, card: NhiCard, password: string): Promise<void> {
  if (!card.password_hash) throw new PortalError('ERR_PORTAL_PASSWORD_NOT_SET', { field: 'proof.password' });
  const now = ctx.clock();
  if (card.password_locked_until && Date.parse(card.password_locked_until) > now.getTime()) {
    throw new PortalError('ERR_PORTAL_PASSWORD_LOCKED', { field: 'proof.password' });
  }
  const cards = ctx.db.updateTable('nhi_cards').where('card_number', '=', card.card_number);
  if (await verifyPassword(password, card.password_hash)) {
    if (card.failed_password_attempts > 0 || card.password_locked_until) {
      await cards.set({ failed_password_attempts: 0, password_locked_until: null }).execute();
    }
    return;
  }
  // Counted in the database (not from the row read earlier), so concurrent tries all count.
  const counted = await cards
    .set((eb) => ({ failed_password_attempts: eb('failed_password_attempts', '+', 1) }))
    .returning('failed_password_attempts')
    .executeTakeFirst();
  if ((counted?.failed_password_attempts ?? 0) >= PASSWORD_ATTEMPTS) {
    await cards
      .set({
        failed_password_attempts: 0,
        password_locked_until: iso(new Date(now.getTime() + PASSWORD_LOCK_MS)),
      })
      .execute();
    throw new PortalError('ERR_PORTAL_PASSWORD_LOCKED', { field: 'proof.password' });
  }
  throw new PortalError('ERR_PORTAL_PASSWORD_WRONG', { field: 'proof.password' });
}

/** Consumes the nonce, then checks the proof completely (for NHI cards: SAM, registry, password). */
export async function verifyProof(ctx: PortalContext, proof: Proof): Promise<VerifiedProof> {
  await consumeNonce(ctx, proof.nonce);
  if (proof.kind === 'certificate') return verifyCertificateProof(ctx, proof);
  const card = await verifyNhiCardResponse(ctx, proof);
  await checkNhiPassword(ctx, card, proof.password);
  return { kind: 'nhi-card', card, subject: nhiSubject(card.card_number) };
}

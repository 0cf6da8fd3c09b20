/**
 * What a listed certificate is good for right now: its validity state (with a warning 30 days before
 * it expires) and whether it can be used to log in. Used by the self-check and the login prompt.
 * Browser-safe.
 */
import type { ListedCertificateResult } from '../protocol/messages.ts';

const DAY = 86_400_000;
export const EXPIRY_WARNING_DAYS = 30;

export type CertificateState = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';

export function certificateState(
  certificate: Pick<ListedCertificateResult, 'notBefore' | 'notAfter'>,
  now: Date,
): CertificateState {
  const notBefore = Date.parse(certificate.notBefore);
  const notAfter = Date.parse(certificate.notAfter);
  if (now.getTime() < notBefore) return 'not-yet-valid';
  if (now.getTime() > notAfter) return 'expired';
  return notAfter - now.getTime() < EXPIRY_WARNING_DAYS * DAY ? 'expiring' : 'valid';
}

/** Usable to log in: valid now and allowed to make digital signatures. */
export function usableForLogin(
  certificate: Pick<ListedCertificateResult, 'notBefore' | 'notAfter' | 'keyUsage'>,
  now: Date,
): boolean {
  const state = certificateState(certificate, now);
  return (state === 'valid' || state === 'expiring') && certificate.keyUsage.includes('digitalSignature');
}

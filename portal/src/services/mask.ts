/** Masking for display and the audit log: full ID numbers and card numbers are never written. */
import { describeCertificate } from '../../../shared/pki/certificateInfo.ts';

/** `000012345678` → `0000****5678`. */
export function maskCardNumber(cardNumber: string): string {
  if (cardNumber.length < 8) return '*'.repeat(cardNumber.length);
  return `${cardNumber.slice(0, 4)}${'*'.repeat(cardNumber.length - 8)}${cardNumber.slice(-4)}`;
}

/** `A123456789` → `A1*****789`. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length < 6) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 2)}${'*'.repeat(idNumber.length - 5)}${idNumber.slice(-3)}`;
}

export function certificateSubject(family: string, serialNumber: string): string {
  return `cert:${family}:${serialNumber}`;
}

export function nhiSubject(cardNumber: string): string {
  return `nhi:${maskCardNumber(cardNumber)}`;
}

/** A masked subject from a proof as received (not yet verified), for refusals. */
export function proofSubject(proof: unknown): string | undefined {
  if (typeof proof !== 'object' || proof === null) return undefined;
  const p = proof as { kind?: unknown; cardNumber?: unknown; token?: { unverifiedCertificate?: unknown } };
  if (p.kind === 'nhi-card' && typeof p.cardNumber === 'string') return nhiSubject(p.cardNumber);
  if (p.kind === 'certificate' && typeof p.token?.unverifiedCertificate === 'string') {
    try {
      const info = describeCertificate(Buffer.from(p.token.unverifiedCertificate, 'base64'));
      return `${certificateSubject(info.family, info.serialNumber)} (unverified)`;
    } catch {
      return 'cert:unreadable';
    }
  }
  return undefined;
}

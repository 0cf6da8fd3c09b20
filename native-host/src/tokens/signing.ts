/**
 * Hash-then-sign with a token key: picks the scheme for the key (RSA PKCS#1 v1.5 or PSS, ECDSA) and the
 * login hash for an EC key's curve; names come from shared/crypto/signatureAlgorithms.ts.
 */
import type { HashName } from '../../../shared/crypto/hashes.ts';
import { CURVES } from '../../../shared/crypto/signatureAlgorithms.ts';
import { HostError } from '../hostError.ts';
import type { ListedCertificate, TokenService } from './tokenService.ts';
import type { SignatureScheme } from './types.ts';

export function schemeFor(
  certificate: ListedCertificate,
  padding: 'pkcs1' | 'pss' = 'pkcs1',
): SignatureScheme {
  if (certificate.key.type === 'RSA') return padding;
  if (certificate.key.type === 'EC') return 'ecdsa';
  throw new HostError('ERR_UNSUPPORTED_CARD', 'the certificate key is neither RSA nor EC');
}

/** The hash a login signs with: SHA-256 for RSA; for EC, the one matching the curve (ES384 for P-384 …). */
export function authHashFor(certificate: ListedCertificate): HashName {
  return certificate.key.type === 'EC' ? CURVES[certificate.key.curve].hash : 'SHA-256';
}

/** Hands the promise on (no async frame of its own: each one was another microtask hop). */
export function signDigest(
  tokens: TokenService,
  certificate: ListedCertificate,
  pin: string | undefined,
  scheme: SignatureScheme,
  hash: HashName,
  digest: Buffer,
): Promise<Buffer> {
  return tokens.sign(certificate, pin, { scheme, hash, digest });
}

/**
 * Hash-then-sign with a token key: picks the scheme for the key (RSA PKCS#1 v1.5 or PSS, ECDSA) and
 * names the result the JOSE way the web-eid token uses (RS256, PS384, ES256 …).
 */
import { HostError } from '../hostError.ts';
import type { ListedCertificate, TokenService } from './tokenService.ts';
import type { HashName, SignatureScheme } from './types.ts';

const HASH_BITS: Record<HashName, string> = { 'SHA-256': '256', 'SHA-384': '384', 'SHA-512': '512' };

export function schemeFor(
  certificate: ListedCertificate,
  padding: 'pkcs1' | 'pss' = 'pkcs1',
): SignatureScheme {
  if (certificate.key.type === 'RSA') return padding;
  if (certificate.key.type === 'EC') return 'ecdsa';
  throw new HostError('ERR_UNSUPPORTED_CARD', 'the certificate key is neither RSA nor EC');
}

export function algorithmName(scheme: SignatureScheme, hash: HashName): string {
  const prefix = scheme === 'pkcs1' ? 'RS' : scheme === 'pss' ? 'PS' : 'ES';
  return `${prefix}${HASH_BITS[hash]}`;
}

/** The hash an ECDSA key signs with: the one matching its curve (ES256 for P-256 …). */
export function authHashFor(certificate: ListedCertificate): HashName {
  if (certificate.key.type !== 'EC') return 'SHA-256';
  return certificate.key.curve === 'P-256'
    ? 'SHA-256'
    : certificate.key.curve === 'P-384'
      ? 'SHA-384'
      : 'SHA-512';
}

export async function signDigest(
  tokens: TokenService,
  certificate: ListedCertificate,
  pin: string | undefined,
  scheme: SignatureScheme,
  hash: HashName,
  digest: Buffer,
): Promise<Buffer> {
  return tokens.sign(certificate, pin, { scheme, hash, digest });
}

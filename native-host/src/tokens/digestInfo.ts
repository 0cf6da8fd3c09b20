/**
 * DER DigestInfo prefixes (RFC 8017 §9.2 note 1): RSA PKCS#1 v1.5 signs DigestInfo(hash), which a
 * token's raw CKM_RSA_PKCS mechanism expects the caller to build.
 */
import type { HashName } from './types.ts';

const PREFIX: Record<HashName, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

export const HASH_LENGTH: Record<HashName, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

export function digestInfo(hash: HashName, digest: Buffer): Buffer {
  if (digest.length !== HASH_LENGTH[hash])
    throw new Error(`${hash} digest must be ${HASH_LENGTH[hash]} bytes`);
  return Buffer.concat([Buffer.from(PREFIX[hash], 'hex'), digest]);
}

/** Node's hash names. */
export function nodeHash(hash: HashName): 'sha256' | 'sha384' | 'sha512' {
  return hash === 'SHA-256' ? 'sha256' : hash === 'SHA-384' ? 'sha384' : 'sha512';
}

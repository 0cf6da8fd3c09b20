/**
 * RSA PKCS#1 v1.5 signs DigestInfo(hash), which a token's raw CKM_RSA_PKCS mechanism expects the caller
 * to build; the prefixes are tabled with the hashes (shared/crypto/hashes.ts).
 */
import { HASHES, hashLength, type HashName } from '../../../shared/crypto/hashes.ts';

export function digestInfo(hash: HashName, digest: Buffer): Buffer {
  if (digest.length !== hashLength(hash)) throw new Error(`${hash} digest must be ${hashLength(hash)} bytes`);
  return Buffer.concat([Buffer.from(HASHES[hash].digestInfoPrefix, 'hex'), digest]);
}

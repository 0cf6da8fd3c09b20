/**
 * The hash functions of shared/crypto/hashes.ts on Node's own crypto, on the calling thread: for
 * the login binding where WebCrypto would make a thread-pool round trip per hash.
 */
import type { Digest } from '../../authtoken/loginBinding.ts';
import { nodeHashName } from '../../crypto/hashes.ts';

/**
 * node:crypto is taken when first hashed, not when imported: loading it costs a short-lived process
 * such as the native host several milliseconds of its start-up, before its first answer. The
 * one-shot `hash` makes no Hash object (a login's three small hashes: ~6 % less, measured).
 */
export const nodeDigest: Digest = (hash, data) => {
  const crypto = process.getBuiltinModule('node:crypto');
  return Promise.resolve(new Uint8Array(crypto.hash(nodeHashName(hash), data, 'buffer')));
};

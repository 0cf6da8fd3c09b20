/**
 * The hash functions of shared/crypto/hashes.ts on Node's own crypto, on the calling thread: for
 * the login binding where WebCrypto would make a thread-pool round trip per hash.
 */
import type { Digest } from '../../authtoken/loginBinding.ts';
import { nodeHashName } from '../../crypto/hashes.ts';

/**
 * node:crypto is taken when first hashed, not when imported: loading it costs a short-lived process
 * such as the native host several milliseconds of its start-up, before its first answer.
 */
export const nodeDigest: Digest = (hash, data) => {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return Promise.resolve(new Uint8Array(createHash(nodeHashName(hash)).update(data).digest()));
};

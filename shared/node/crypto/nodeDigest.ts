/**
 * The hash functions of shared/crypto/hashes.ts on Node's own crypto, on the calling thread: for
 * the login binding where WebCrypto would make a thread-pool round trip per hash.
 */
import { createHash } from 'node:crypto';
import type { Digest } from '../../authtoken/loginBinding.ts';
import { nodeHashName } from '../../crypto/hashes.ts';

export const nodeDigest: Digest = (hash, data) =>
  Promise.resolve(new Uint8Array(createHash(nodeHashName(hash)).update(data).digest()));

/**
 * The login binding, the one rule that ties a card's answer to a site and a login:
 *
 *   signing input = H(origin) ‖ H(nonce)        (origin and nonce as UTF-8)
 *   binding       = H(signing input)
 *
 * A web-eid token's signature is hash-then-sign over the signing input (so the card signs the binding);
 * an NHI card answers the SHA-256 binding as its challenge. The host, the extension, the token verifier
 * and the SAM emulation all call these two functions. WebCrypto by default, so it runs in Node 20
 * and in browsers; Node callers on a hot path pass shared/node/crypto/nodeDigest.ts, which hashes on
 * the calling thread instead of a thread-pool round trip per hash (three per login).
 */
import type { HashName } from '../crypto/hashes.ts';

const encoder = new TextEncoder();

/** A hash function: WebCrypto's by default. */
export type Digest = (hash: HashName, data: Uint8Array<ArrayBuffer>) => Promise<Uint8Array<ArrayBuffer>>;

export const webCryptoDigest: Digest = async (hash, data) =>
  new Uint8Array(await crypto.subtle.digest(hash, data));

/** H(origin) ‖ H(nonce): the data a login token's signature is made over. */
export async function loginSigningInput(
  origin: string,
  nonce: string,
  hash: HashName,
  digest: Digest = webCryptoDigest,
): Promise<Uint8Array<ArrayBuffer>> {
  const [originHash, nonceHash] = await Promise.all([
    digest(hash, encoder.encode(origin)),
    digest(hash, encoder.encode(nonce)),
  ]);
  const joined = new Uint8Array(originHash.length + nonceHash.length);
  joined.set(originHash);
  joined.set(nonceHash, originHash.length);
  return joined;
}

/** H(H(origin) ‖ H(nonce)): what the card signs for a login, and an NHI card's challenge (SHA-256). */
export async function loginBinding(
  origin: string,
  nonce: string,
  hash: HashName,
  digest: Digest = webCryptoDigest,
): Promise<Uint8Array> {
  return digest(hash, await loginSigningInput(origin, nonce, hash, digest));
}

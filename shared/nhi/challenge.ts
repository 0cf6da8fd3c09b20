/**
 * The challenge an NHI card answers in a login: the SHA-256 login binding H(H(origin) ‖ H(nonce))
 * (../authtoken/loginBinding.ts), as a web-eid token binds its signature. The extension computes it
 * from the origin the browser reports (or the configured portal origin for bundled pages), never from
 * page data; the portal recomputes it for its own origin. Browser-safe.
 */
import { loginBinding, webCryptoDigest, type Digest } from '../authtoken/loginBinding.ts';
import { hashLength, type HashName } from '../crypto/hashes.ts';

export const NHI_CHALLENGE_HASH: HashName = 'SHA-256';
export const NHI_CHALLENGE_BYTES = hashLength(NHI_CHALLENGE_HASH);
export const NHI_RESPONSE_BYTES = 16;

export function nhiChallenge(
  origin: string,
  nonce: string,
  digest: Digest = webCryptoDigest,
): Promise<Uint8Array> {
  return loginBinding(origin, nonce, NHI_CHALLENGE_HASH, digest);
}

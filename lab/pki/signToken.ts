/**
 * A web-eid:1.0 token signed the way the host does (H(H(origin) ‖ H(nonce)) with the leaf's key), for
 * tests and benches that play the browser side without a card.
 */
import { constants, createPrivateKey, sign } from 'node:crypto';
import { loginSigningInput } from '../../shared/authtoken/loginBinding.ts';
import { AUTH_TOKEN_FORMAT, TOKEN_ALGORITHMS, type TokenAlgorithm } from '../../shared/authtoken/token.ts';
import { hashLength, nodeHashName } from '../../shared/crypto/hashes.ts';
import type { IssuedCertificate } from './testPki.ts';

export interface SignTokenOptions {
  origin: string;
  nonce: string;
  algorithm?: TokenAlgorithm;
  /** Sign with another key than the certificate's. */
  keyOf?: IssuedCertificate;
}

export async function signAuthToken(leaf: IssuedCertificate, options: SignTokenOptions) {
  const algorithm = options.algorithm ?? (leaf.keyAlgorithm === 'EC' ? 'ES256' : 'RS256');
  const spec = TOKEN_ALGORITHMS[algorithm];
  const key = createPrivateKey({ key: (options.keyOf ?? leaf).privateKey, format: 'der', type: 'pkcs8' });
  const data = await loginSigningInput(options.origin, options.nonce, spec.hash);
  const hash = nodeHashName(spec.hash);
  const signature =
    spec.scheme === 'pss'
      ? sign(hash, data, {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: hashLength(spec.hash),
        })
      : spec.scheme === 'ecdsa'
        ? sign(hash, data, { key, dsaEncoding: 'ieee-p1363' })
        : sign(hash, data, key);
  return {
    format: AUTH_TOKEN_FORMAT,
    unverifiedCertificate: leaf.certificate.toString('base64'),
    algorithm,
    signature: signature.toString('base64'),
    appVersion: 'https://cardbridge.example.tw/releases/0.1.0',
  };
}

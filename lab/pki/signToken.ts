/**
 * A web-eid:1.0 token signed the way the host does (H(H(origin) ‖ H(nonce)) with the leaf's key), for
 * tests and benches that play the browser side without a card.
 */
import { constants, createHash, createPrivateKey, sign } from 'node:crypto';
import { authSigningInput, TOKEN_ALGORITHMS, type TokenAlgorithm } from '../../shared/authtoken/token.ts';
import type { IssuedCertificate } from './testPki.ts';

export interface SignTokenOptions {
  origin: string;
  nonce: string;
  algorithm?: TokenAlgorithm;
  /** Sign with another key than the certificate's. */
  keyOf?: IssuedCertificate;
}

export function signAuthToken(leaf: IssuedCertificate, options: SignTokenOptions) {
  const algorithm = options.algorithm ?? (leaf.keyAlgorithm === 'EC' ? 'ES256' : 'RS256');
  const spec = TOKEN_ALGORITHMS[algorithm];
  const key = createPrivateKey({ key: (options.keyOf ?? leaf).privateKey, format: 'der', type: 'pkcs8' });
  const data = authSigningInput(options.origin, options.nonce, spec.hash);
  const signature =
    spec.scheme === 'pss'
      ? sign(spec.hash, data, {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: createHash(spec.hash).digest().length,
        })
      : spec.scheme === 'ecdsa'
        ? sign(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' })
        : sign(spec.hash, data, key);
  return {
    format: 'web-eid:1.0',
    unverifiedCertificate: leaf.certificate.toString('base64'),
    algorithm,
    signature: signature.toString('base64'),
    appVersion: 'https://cardbridge.example.tw/releases/0.1.0',
  };
}

/**
 * A detached CMS over some bytes, made the way the native host makes it (shared/node/cms/buildCms.ts:
 * contentType, signingTime, messageDigest, signingCertificateV2; RSA PKCS#1 v1.5 or ECDSA), with a
 * test PKI leaf's key: for tests and benches that play a certificate clerk signing a filing.
 */
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { assembleSignedData, signedAttributes } from '../../shared/node/cms/buildCms.ts';
import type { IssuedCertificate } from './testPki.ts';

export interface SignCmsOptions {
  /** The signingTime attribute (default: now). */
  signingTime?: Date;
  /** Sign with another key than the certificate's (a forged signature). */
  keyOf?: IssuedCertificate;
}

export function signDetachedCms(
  leaf: IssuedCertificate,
  content: Uint8Array,
  options: SignCmsOptions = {},
): Buffer {
  const request = {
    certificate: leaf.certificate,
    hash: 'SHA-256' as const,
    messageDigest: createHash('sha256').update(content).digest(),
    signingTime: options.signingTime ?? new Date(),
  };
  const { attrs, toBeSigned } = signedAttributes(request);
  const key = createPrivateKey({ key: (options.keyOf ?? leaf).privateKey, format: 'der', type: 'pkcs8' });
  const ec = leaf.keyAlgorithm === 'EC';
  const signature = ec
    ? sign('sha256', toBeSigned, { key, dsaEncoding: 'ieee-p1363' })
    : sign('sha256', toBeSigned, key);
  return assembleSignedData(request, attrs, ec ? 'ecdsa' : 'pkcs1', signature);
}

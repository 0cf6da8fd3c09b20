/**
 * A clerk's detached CMS over a submission's canonical bytes, made with a test-PKI leaf's key the
 * way the host's `sign` (format cms) makes it: for API tests and the bench, where no card is used.
 */
import { createHash, sign } from 'node:crypto';
import { canonicalBytes } from '../../shared/filings/canonical.ts';
import type { Submission } from '../../shared/filings/contracts.ts';
import { assembleSignedData, signedAttributes } from '../../shared/node/cms/buildCms.ts';
import type { IssuedCertificate } from '../../lab/pki/testPki.ts';

export function cmsSignature(leaf: IssuedCertificate, submission: Submission, signingTime: Date) {
  const request = {
    certificate: leaf.certificate,
    hash: 'SHA-256' as const,
    messageDigest: createHash('sha256').update(canonicalBytes(submission)).digest(),
    signingTime,
  };
  const { attrs, toBeSigned } = signedAttributes(request);
  const key = { key: leaf.privateKey, format: 'der' as const, type: 'pkcs8' as const };
  const ec = leaf.keyAlgorithm === 'EC';
  const signature = sign('sha256', toBeSigned, ec ? { ...key, dsaEncoding: 'ieee-p1363' } : key);
  const cms = assembleSignedData(request, attrs, ec ? 'ecdsa' : 'pkcs1', signature);
  return { format: 'cms' as const, cms: cms.toString('base64') };
}

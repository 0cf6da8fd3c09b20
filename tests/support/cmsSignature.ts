/** A certificate clerk's submission signature (the route's `{format: 'cms', cms}`), by lab/pki/signCms.ts. */
import { signDetachedCms } from '../../lab/pki/signCms.ts';
import type { IssuedCertificate } from '../../lab/pki/testPki.ts';
import { canonicalBytes } from '../../shared/filings/canonical.ts';
import type { Submission } from '../../shared/filings/contracts.ts';

export function cmsSignature(leaf: IssuedCertificate, submission: Submission, signingTime: Date) {
  const cms = signDetachedCms(leaf, canonicalBytes(submission), { signingTime });
  return { format: 'cms' as const, cms: cms.toString('base64') };
}

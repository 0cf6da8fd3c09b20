/**
 * CRLs for the trust store: read, checked against the store's CAs, reduced to the issuer, the window
 * they are current in and the revoked serials. A CRL that cannot be used is a configuration error.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { formatName } from '../../pki/certificateInfo.ts';
import type { ParsedCertificate } from './certificate.ts';
import { derBytes, derChildren, readDerWhole, serialHex } from './derReader.ts';
import { resolveSignatureAlgorithm, verifySignature } from './signatureVerify.ts';

/** CRL extensions a complete, direct CRL may carry. */
const HANDLED_CRL_EXTENSIONS = new Set([
  '2.5.29.20', // cRLNumber
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.18', // issuerAltName
  '2.5.29.46', // freshestCRL
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);

export interface CrlWindow {
  thisUpdate: number;
  nextUpdate?: number;
}

/** What the loaded CRLs of one issuer say. */
export interface IssuerCrls {
  windows: CrlWindow[];
  revoked: Set<string>;
}

export interface VerifiedCrl {
  /** The issuer's Name DER as encoded in the CRL, hex (matches certificates' issuer bytes). */
  issuerKey: string;
  window: CrlWindow;
  revokedSerials: string[];
}

/** Whether one of the issuer's CRLs is current at `now` (CRLs without nextUpdate never are). */
export function isCurrent(crls: IssuerCrls | undefined, now: number): boolean {
  return !!crls?.windows.some(
    (w) => w.thisUpdate <= now && w.nextUpdate !== undefined && now <= w.nextUpdate,
  );
}

/**
 * Parses a CRL and checks it was signed by one of `issuersOf(issuerKey)` holding cRLSign. Throws an
 * Error naming the problem (unreadable, unsupported critical extension or algorithm, no signer).
 */
export function readCrl(
  der: Uint8Array,
  issuersOf: (issuerKey: string) => readonly ParsedCertificate[],
): VerifiedCrl {
  let crl: CertificateList;
  try {
    crl = AsnConvert.parse(der, CertificateList);
  } catch (error) {
    throw new Error(`TrustStore: cannot parse a CRL: ${(error as Error).message}`);
  }
  const tbs = crl.tbsCertList;
  const issuerName = formatName(tbs.issuer);
  const critical = (tbs.crlExtensions ?? []).find((e) => e.critical && !HANDLED_CRL_EXTENSIONS.has(e.extnID));
  if (critical)
    throw new Error(`TrustStore: CRL of ${issuerName} has unsupported critical extension ${critical.extnID}`);
  const scheme = resolveSignatureAlgorithm(crl.signatureAlgorithm);
  if (!scheme || !crl.tbsCertListRaw || tbs.signature.algorithm !== crl.signatureAlgorithm.algorithm) {
    throw new Error(`TrustStore: CRL of ${issuerName} uses an unsupported signature algorithm`);
  }
  // The issuer's Name as encoded in the CRL, to match certificates' issuer bytes.
  const raw = new Uint8Array(crl.tbsCertListRaw);
  const fields = derChildren(raw, readDerWhole(raw));
  const issuerElement = fields[fields[0]?.tag === 0x02 ? 2 : 1];
  if (issuerElement?.tag !== 0x30) throw new Error(`TrustStore: CRL of ${issuerName} is malformed`);
  const issuerKey = Buffer.from(derBytes(raw, issuerElement)).toString('hex');
  const signature = new Uint8Array(crl.signature);
  const signer = issuersOf(issuerKey).find(
    (ca) => ca.info.keyUsage.includes('cRLSign') && verifySignature(scheme, raw, ca.publicKey, signature),
  );
  if (!signer) throw new Error(`TrustStore: CRL of ${issuerName} is not signed by a CA of this store`);
  const window: CrlWindow = { thisUpdate: tbs.thisUpdate.getTime().getTime() };
  if (tbs.nextUpdate) window.nextUpdate = tbs.nextUpdate.getTime().getTime();
  const revokedSerials = (tbs.revokedCertificates ?? []).map((r) => serialHex(r.userCertificate));
  return { issuerKey, window, revokedSerials };
}

/**
 * A CA or end-entity certificate as the trust store uses it: the fields chain building needs, read
 * once with the strict DER reader (the ASN.1 library parses the certificate only once, in
 * describeCertificate), plus why it can never be part of a valid chain, if so.
 */
import { hash, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Name,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { describeCertificate, formatName } from '../../pki/certificateInfo.ts';
import type { CertificateInfo } from '../../pki/certificateInfo.ts';
import {
  decodeOid,
  decodeTime,
  derBytes,
  derChildren,
  derValue,
  expectTag,
  readDerWhole,
  serialHex,
} from './derReader.ts';
import { resolveSignatureAlgorithm } from './signatureVerify.ts';

/** Extensions this store understands or may safely ignore even when critical. */
const HANDLED_EXTENSIONS = new Set([
  '2.5.29.9', // subjectDirectoryAttributes
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies (not processed)
  '2.5.29.33', // policyMappings (not processed)
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.36', // policyConstraints (not processed)
  '2.5.29.37', // extKeyUsage
  '2.5.29.54', // inhibitAnyPolicy (not processed)
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);

export interface ParsedCertificate {
  der: Buffer;
  /** SHA-256 of the DER, base64. */
  hash: string;
  x509: X509Certificate;
  publicKey: KeyObject;
  /** Subject / issuer Name DER, hex: the issuer index key. */
  subjectKey: string;
  issuerKey: string;
  /** One-line subject, computed when an error needs it. */
  subject: () => string;
  ski?: string;
  aki?: string;
  serial: string;
  notBefore: number;
  notAfter: number;
  ca: boolean;
  pathLen?: number;
  info: CertificateInfo;
  selfIssued: boolean;
  /** Why this certificate can never be part of a valid chain (weak algorithm, unknown critical ext). */
  problem?: string;
}

/** The SHA-256 of a certificate's DER, base64: its identity in the store and the leaf cache. */
export function certificateHash(der: Uint8Array): string {
  return hash('sha256', der, 'base64');
}

/** Where a certificate's fields are in its DER; throws DerError when the structure is not a certificate's. */
export function locateCertificateFields(der: Uint8Array) {
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  const [tbsElement, outerAlgorithm] = derChildren(der, expectTag(readDerWhole(der), 0x30, 'Certificate'));
  const tbs = derChildren(der, expectTag(tbsElement, 0x30, 'TBSCertificate'));
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0; // version
  const serial = expectTag(tbs[i++], 0x02, 'serialNumber');
  const innerAlgorithm = expectTag(tbs[i++], 0x30, 'signature');
  const issuer = expectTag(tbs[i++], 0x30, 'issuer');
  const validity = expectTag(tbs[i++], 0x30, 'validity');
  const subject = expectTag(tbs[i++], 0x30, 'subject');
  const extensions = tbs.find((e, index) => index > i && e.tag === 0xa3);
  return { outerAlgorithm, serial, innerAlgorithm, issuer, validity, subject, extensions };
}

/** Parses a certificate; throws DerError (or the ASN.1 library's error) when it is malformed. */
export function parseCertificateDer(input: Uint8Array): ParsedCertificate {
  const der = Buffer.from(input);
  const fields = locateCertificateFields(der);
  const { outerAlgorithm, serial, innerAlgorithm, issuer, subject } = fields;
  const [notBefore, notAfter] = derChildren(der, fields.validity);
  const extensionsElement = fields.extensions;

  const x509 = new X509Certificate(der);
  const info = describeCertificate(der);
  const parsed: ParsedCertificate = {
    der,
    hash: certificateHash(der),
    x509,
    publicKey: x509.publicKey,
    subjectKey: Buffer.from(derBytes(der, subject)).toString('hex'),
    issuerKey: Buffer.from(derBytes(der, issuer)).toString('hex'),
    subject: () => formatName(AsnConvert.parse(derBytes(der, subject), Name)),
    serial: serialHex(derValue(der, serial)),
    notBefore: decodeTime(der, notBefore!),
    notAfter: decodeTime(der, notAfter!),
    ca: false,
    info,
    selfIssued: false,
  };
  parsed.selfIssued = parsed.subjectKey === parsed.issuerKey;

  const algorithm = AsnConvert.parse(
    derBytes(der, expectTag(outerAlgorithm, 0x30, 'algorithm')),
    AlgorithmIdentifier,
  );
  if (!resolveSignatureAlgorithm(algorithm)) {
    parsed.problem = `unsupported signature algorithm ${algorithm.algorithm}`;
  } else if (!Buffer.from(derBytes(der, innerAlgorithm)).equals(derBytes(der, outerAlgorithm!))) {
    parsed.problem = 'signature algorithm differs between tbsCertificate and certificate';
  }
  const extensionList = extensionsElement ? derChildren(der, extensionsElement)[0] : undefined;
  for (const ext of extensionList ? derChildren(der, expectTag(extensionList, 0x30, 'extensions')) : []) {
    // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    const fields = derChildren(der, expectTag(ext, 0x30, 'extension'));
    const id = decodeOid(derValue(der, expectTag(fields[0], 0x06, 'extnID')));
    const critical = fields.length === 3 && fields[1]!.tag === 0x01 && der[fields[1]!.valueStart] !== 0;
    const value = derValue(der, expectTag(fields[fields.length - 1], 0x04, 'extnValue'));
    if (critical && !HANDLED_EXTENSIONS.has(id)) parsed.problem ??= `unsupported critical extension ${id}`;
    if (id === id_ce_basicConstraints) {
      const bc = AsnConvert.parse(value, BasicConstraints);
      parsed.ca = bc.cA;
      if (bc.pathLenConstraint !== undefined) parsed.pathLen = bc.pathLenConstraint;
    } else if (id === id_ce_subjectKeyIdentifier) {
      parsed.ski = Buffer.from(AsnConvert.parse(value, SubjectKeyIdentifier).buffer).toString('hex');
    } else if (id === id_ce_authorityKeyIdentifier) {
      const keyId = AsnConvert.parse(value, AuthorityKeyIdentifier).keyIdentifier;
      if (keyId) parsed.aki = Buffer.from(keyId.buffer).toString('hex');
    }
  }
  return parsed;
}

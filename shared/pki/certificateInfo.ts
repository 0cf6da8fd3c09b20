/**
 * What CardBridge needs to know about a certificate, read once from its DER: family, holder
 * attributes, validity, key usage, key type. Used by the host's listing and by the verifiers.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Extension, Name } from '@peculiar/asn1-x509';
import {
  Certificate,
  DirectoryString,
  KeyUsage,
  KeyUsageFlags,
  SubjectDirectoryAttributes,
  id_ce_keyUsage,
  id_ce_subjectDirectoryAttributes,
} from '@peculiar/asn1-x509';
import { classifyIssuer, SUBJECT_ATTRIBUTE_OIDS, type CertificateFamily } from './families.ts';

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

export interface CertificateSubject {
  commonName: string;
  ubn?: string;
  organizationId?: string;
  idLast4?: string;
}

export interface CertificateInfo {
  family: CertificateFamily;
  subject: CertificateSubject;
  /** Issuer as a one-line distinguished name. */
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  keyUsage: KeyUsageName[];
  keyType: 'RSA' | 'EC' | 'OTHER';
}

const OID_CN = '2.5.4.3';
const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC = '1.2.840.10045.2.1';

const NAME_LABELS: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
};

function attributeText(value: { toString(): string }): string {
  return value.toString();
}

function nameValues(name: Name): Array<{ type: string; value: string }> {
  return name.flatMap((rdn) => rdn.map((atv) => ({ type: atv.type, value: attributeText(atv.value) })));
}

export function formatName(name: Name): string {
  return nameValues(name)
    .map(({ type, value }) => `${NAME_LABELS[type] ?? type}=${value}`)
    .join(', ');
}

function extension(certificate: Certificate, oid: string): Extension | undefined {
  return certificate.tbsCertificate.extensions?.find((e) => e.extnID === oid);
}

function keyUsageNames(certificate: Certificate): KeyUsageName[] {
  const ext = extension(certificate, id_ce_keyUsage);
  if (!ext) return [];
  const usage = AsnConvert.parse(ext.extnValue, KeyUsage);
  const flags = usage.toNumber();
  return KEY_USAGES.filter((name) => (flags & KeyUsageFlags[name]) !== 0);
}

function directoryAttributes(certificate: Certificate): Map<string, string> {
  const out = new Map<string, string>();
  const ext = extension(certificate, id_ce_subjectDirectoryAttributes);
  if (!ext) return out;
  for (const attribute of AsnConvert.parse(ext.extnValue, SubjectDirectoryAttributes)) {
    const first = attribute.values[0];
    if (!first) continue;
    try {
      out.set(attribute.type, AsnConvert.parse(first, DirectoryString).toString());
    } catch {
      // Not a directory string: ignore the attribute rather than the certificate.
    }
  }
  return out;
}

export function parseCertificate(der: Uint8Array): Certificate {
  return AsnConvert.parse(der, Certificate);
}

export function describeCertificate(der: Uint8Array): CertificateInfo {
  const certificate = parseCertificate(der);
  const tbs = certificate.tbsCertificate;
  const issuerValues = nameValues(tbs.issuer).map((v) => v.value);
  const commonName = nameValues(tbs.subject).find((v) => v.type === OID_CN)?.value ?? '';
  const attributes = directoryAttributes(certificate);
  const subject: CertificateSubject = { commonName };
  const ubn = attributes.get(SUBJECT_ATTRIBUTE_OIDS.ubn);
  const organizationId = attributes.get(SUBJECT_ATTRIBUTE_OIDS.organizationId);
  const idLast4 = attributes.get(SUBJECT_ATTRIBUTE_OIDS.idLast4);
  if (ubn) subject.ubn = ubn;
  if (organizationId) subject.organizationId = organizationId;
  if (idLast4) subject.idLast4 = idLast4;
  const algorithm = tbs.subjectPublicKeyInfo.algorithm.algorithm;
  return {
    family: classifyIssuer(issuerValues),
    subject,
    issuer: formatName(tbs.issuer),
    serialNumber: Buffer.from(tbs.serialNumber).toString('hex'),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    keyUsage: keyUsageNames(certificate),
    keyType: algorithm === OID_RSA ? 'RSA' : algorithm === OID_EC ? 'EC' : 'OTHER',
  };
}

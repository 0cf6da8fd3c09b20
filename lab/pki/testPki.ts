/**
 * The test PKI, generated at test time (no key is ever committed): a root standing in for GRCA, four
 * sub-CAs standing in for MOICA, MOEACA, GCA and XCA, leaf certificates with realistic subject
 * attributes, CRLs, and the broken cases (expired, not yet valid, revoked, foreign CA). Every name
 * carries TEST. The issuer names keep the real CA names' wording so that real and test certificates
 * classify through the same data (shared/pki/families.ts).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn1X509 from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export const OID = {
  subjectDirectoryAttributes: '2.5.29.9',
  idLast4: '2.16.886.1.100.2.51',
  ubn: '2.16.886.1.100.2.101',
  organizationId: '2.16.886.1.100.2.102',
  gpkiClass3: '2.16.886.101.0.3.3',
} as const;

export type Family = 'MOICA' | 'MOEACA' | 'GCA' | 'XCA';

export interface IssuedCertificate {
  name: string;
  certificate: Buffer;
  /** PKCS#8 DER. */
  privateKey: Buffer;
  keyAlgorithm: 'RSA' | 'EC';
  issuer: string;
}

export interface TestPki {
  root: IssuedCertificate;
  cas: Record<Family | 'ROGUE', IssuedCertificate>;
  /** CRL (DER) per sub-CA. */
  crls: Record<Family, Buffer>;
  leaves: Record<LeafName, IssuedCertificate>;
  /** All CA certificates a verifier should trust (root) and use for chains (sub-CAs). */
  trust: { anchors: Buffer[]; intermediates: Buffer[]; crls: Buffer[] };
}

export type LeafName =
  | 'citizenSign'
  | 'citizenEncrypt'
  | 'citizenEc'
  | 'company'
  | 'agency'
  | 'organisation'
  | 'citizenExpired'
  | 'citizenNotYetValid'
  | 'citizenRevoked'
  | 'citizenForeign';

const RSA: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const EC: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

const CA_NAMES: Record<Family | 'ROGUE', string> = {
  MOICA: 'C=TW, O=行政院, OU=內政部憑證管理中心 TEST, CN=TEST MOICA',
  MOEACA: 'C=TW, O=行政院, OU=工商憑證管理中心 TEST, CN=TEST MOEACA',
  GCA: 'C=TW, O=行政院, OU=政府憑證管理中心 TEST, CN=TEST GCA',
  XCA: 'C=TW, O=行政院, OU=組織及團體憑證管理中心 TEST, CN=TEST XCA',
  ROGUE: 'C=TW, O=TEST Rogue Issuer, CN=TEST Rogue CA',
};
const ROOT_NAME = 'C=TW, O=行政院, CN=TEST Government Root Certification Authority';

/** Demo identities' data: fictional, every name marked TEST. */
export const TEST_IDENTITIES = {
  citizen: { name: '王大明 TEST', idNumber: 'A123456789', cardSerial: 'TE00000000000001' },
  company: { name: 'TEST 卡橋測試股份有限公司', ubn: '12345675' },
  agency: { name: 'TEST 衛生福利部測試署', organizationId: '2.16.886.101.99' },
  organisation: { name: 'TEST 卡橋測試協會', organizationId: 'TEST-ORG-0001' },
} as const;

const DAY = 86_400_000;

function directoryAttributes(values: Record<string, string>): x509.Extension {
  const attributes = Object.entries(values).map(
    ([type, value]) =>
      new asn1X509.Attribute({
        type,
        values: [AsnConvert.serialize(new asn1X509.DirectoryString({ printableString: value }))],
      }),
  );
  const der = AsnConvert.serialize(new asn1X509.SubjectDirectoryAttributes(attributes));
  return new x509.Extension(OID.subjectDirectoryAttributes, false, der);
}

function policies(): x509.CertificatePolicyExtension {
  return new x509.CertificatePolicyExtension([OID.gpkiClass3]);
}

let serialCounter = 0x1000;
const nextSerial = () => (serialCounter++).toString(16).padStart(8, '0');

async function exportKey(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
}

interface Issuer {
  name: string;
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
}

async function makeCa(
  name: string,
  issuer: Issuer | undefined,
  now: number,
): Promise<Issuer & { issued: IssuedCertificate }> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: name,
    issuer: issuer?.name ?? name,
    notBefore: new Date(now - 365 * DAY),
    notAfter: new Date(now + 20 * 365 * DAY),
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey: issuer?.keys.privateKey ?? keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, issuer ? 0 : undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ...(issuer ? [await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate)] : []),
    ],
  });
  return {
    name,
    keys,
    certificate,
    issued: {
      name,
      certificate: Buffer.from(certificate.rawData),
      privateKey: await exportKey(keys.privateKey),
      keyAlgorithm: 'RSA',
      issuer: issuer?.name ?? name,
    },
  };
}

interface LeafSpec {
  subject: string;
  issuer: Issuer;
  usage: number;
  attributes: Record<string, string>;
  ec?: boolean;
  notBefore?: number;
  notAfter?: number;
  /** The moment the PKI issues at (see `createTestPki`). */
  now: number;
}

async function makeLeaf(spec: LeafSpec): Promise<IssuedCertificate & { serial: string }> {
  const keys = await webcrypto.subtle.generateKey(spec.ec ? EC : RSA, true, ['sign', 'verify']);
  const now = spec.now;
  const serial = nextSerial();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: spec.subject,
    issuer: spec.issuer.name,
    notBefore: new Date(spec.notBefore ?? now - 30 * DAY),
    notAfter: new Date(spec.notAfter ?? now + 5 * 365 * DAY),
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey: spec.issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(spec.usage, true),
      await x509.AuthorityKeyIdentifierExtension.create(spec.issuer.certificate),
      policies(),
      directoryAttributes(spec.attributes),
    ],
  });
  return {
    name: spec.subject,
    certificate: Buffer.from(certificate.rawData),
    privateKey: await exportKey(keys.privateKey),
    keyAlgorithm: spec.ec ? 'EC' : 'RSA',
    issuer: spec.issuer.name,
    serial,
  };
}

async function makeCrl(issuer: Issuer, revokedSerials: string[], now: number): Promise<Buffer> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.name,
    thisUpdate: new Date(now - DAY),
    nextUpdate: new Date(now + 30 * DAY),
    entries: revokedSerials.map((serialNumber) => ({
      serialNumber,
      revocationDate: new Date(now - DAY),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    signingAlgorithm: RSA,
    signingKey: issuer.keys.privateKey,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate)],
  });
  return Buffer.from(crl.rawData);
}

const SIGN = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
const ENCRYPT = x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment;

export interface TestPkiOptions {
  /**
   * The moment the PKI issues at: certificates are valid from a month before it, the CRLs from a day
   * before it for 30 days. Tests that freeze the portal's clock on a fixed day pass that day, so the
   * PKI is valid then whatever the real date is (a PKI issued today is not valid on a past day).
   */
  issuedAt?: number;
}

export async function createTestPki(options: TestPkiOptions = {}): Promise<TestPki> {
  const now = options.issuedAt ?? Date.now();
  const root = await makeCa(ROOT_NAME, undefined, now);
  const [moica, moeaca, gca, xca] = await Promise.all(
    (['MOICA', 'MOEACA', 'GCA', 'XCA'] as const).map((f) => makeCa(CA_NAMES[f], root, now)),
  );
  const rogueRoot = await makeCa(CA_NAMES.ROGUE, undefined, now);
  const { citizen, company, agency, organisation } = TEST_IDENTITIES;
  const citizenSubject = `C=TW, CN=${citizen.name}, 2.5.4.5=${citizen.cardSerial}`;
  const idLast4 = { [OID.idLast4]: citizen.idNumber.slice(-4) };

  const leaves = {
    citizenSign: await makeLeaf({
      now,
      subject: citizenSubject,
      issuer: moica!,
      usage: SIGN,
      attributes: idLast4,
    }),
    citizenEncrypt: await makeLeaf({
      now,
      subject: citizenSubject,
      issuer: moica!,
      usage: ENCRYPT,
      attributes: idLast4,
    }),
    citizenEc: await makeLeaf({
      now,
      subject: `C=TW, CN=${citizen.name} EC, 2.5.4.5=TE00000000000002`,
      issuer: moica!,
      usage: SIGN,
      attributes: idLast4,
      ec: true,
    }),
    company: await makeLeaf({
      now,
      subject: `C=TW, O=${company.name}, CN=${company.name}`,
      issuer: moeaca!,
      usage: SIGN,
      attributes: { [OID.ubn]: company.ubn },
    }),
    agency: await makeLeaf({
      now,
      subject: `C=TW, O=${agency.name}, CN=${agency.name}`,
      issuer: gca!,
      usage: SIGN,
      attributes: { [OID.organizationId]: agency.organizationId },
    }),
    organisation: await makeLeaf({
      now,
      subject: `C=TW, O=${organisation.name}, CN=${organisation.name}`,
      issuer: xca!,
      usage: SIGN,
      attributes: { [OID.organizationId]: organisation.organizationId },
    }),
    citizenExpired: await makeLeaf({
      now,
      subject: 'C=TW, CN=過期 TEST, 2.5.4.5=TE00000000000003',
      issuer: moica!,
      usage: SIGN,
      attributes: idLast4,
      notBefore: now - 3 * 365 * DAY,
      notAfter: now - DAY,
    }),
    citizenNotYetValid: await makeLeaf({
      now,
      subject: 'C=TW, CN=未生效 TEST, 2.5.4.5=TE00000000000004',
      issuer: moica!,
      usage: SIGN,
      attributes: idLast4,
      notBefore: now + 30 * DAY,
      notAfter: now + 3 * 365 * DAY,
    }),
    citizenRevoked: await makeLeaf({
      now,
      subject: 'C=TW, CN=已廢止 TEST, 2.5.4.5=TE00000000000005',
      issuer: moica!,
      usage: SIGN,
      attributes: idLast4,
    }),
    citizenForeign: await makeLeaf({
      now,
      subject: 'C=TW, CN=外來 TEST, 2.5.4.5=TE00000000000006',
      issuer: rogueRoot,
      usage: SIGN,
      attributes: idLast4,
    }),
  } satisfies Record<LeafName, IssuedCertificate & { serial: string }>;

  const crls = {
    MOICA: await makeCrl(moica!, [leaves.citizenRevoked.serial], now),
    MOEACA: await makeCrl(moeaca!, [], now),
    GCA: await makeCrl(gca!, [], now),
    XCA: await makeCrl(xca!, [], now),
  };
  return {
    root: root.issued,
    cas: {
      MOICA: moica!.issued,
      MOEACA: moeaca!.issued,
      GCA: gca!.issued,
      XCA: xca!.issued,
      ROGUE: rogueRoot.issued,
    },
    crls,
    leaves,
    trust: {
      anchors: [root.issued.certificate],
      intermediates: [moica!, moeaca!, gca!, xca!].map((c) => c.issued.certificate),
      crls: Object.values(crls),
    },
  };
}

/** Keeps OctetString reachable for callers building raw extension values. */
export { OctetString };

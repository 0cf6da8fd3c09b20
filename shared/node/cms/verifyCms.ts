/**
 * Verification of a detached CMS SignedData (RFC 5652) with one signer, as made by the native host or by
 * `openssl cms -sign` (plain or CAdES-BES).
 *
 * Order of checks: structure (ContentInfo → SignedData, detached, one signer, signer certificate
 * included) → signed attributes (contentType = id-data, messageDigest, optional signingTime,
 * signingCertificate(V2) naming the signer certificate) → algorithms (SHA-2 only) → signer trust at
 * `now` → key usage (digitalSignature or nonRepudiation) → family policy → messageDigest against the
 * content (or the given digest) → signature over the signed attributes (DER, SET OF tag).
 *
 * Validation time: the signer certificate is validated at `now` (default: the current time), NOT at the
 * signingTime attribute. signingTime is the signer's own claim, not a trusted timestamp: trusting it
 * would let a holder of a revoked or expired key backdate signatures. So a signature made while the
 * certificate was valid fails once it has expired or been revoked; keeping such signatures verifiable
 * needs a trusted timestamp (CAdES-T), which is out of scope. A caller that recorded when it received
 * the signature may pass that time as `now`.
 *
 * @peculiar/asn1-cms reads the typed fields; the exact bytes that are hashed or signed (the signed
 * attributes, the certificates) are taken from the input with the strict DER reader of
 * ../pki/derReader.ts, because the ASN.1 library does not keep them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Attribute, ContentInfo, SignedData, id_data, id_signedData } from '@peculiar/asn1-cms';
import type { SignerInfo } from '@peculiar/asn1-cms';
import {
  AlgorithmIdentifier,
  GeneralNames,
  SubjectKeyIdentifier,
  Time,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import type { Certificate, Name } from '@peculiar/asn1-x509';
import { VerificationError } from '../../authtoken/errors.ts';
import { hashFromOid, hashLength, nodeHashName, type HashName } from '../../crypto/hashes.ts';
import { FAMILIES } from '../../pki/families.ts';
import type { CertificateFamily } from '../../pki/families.ts';
import { parseCertificate } from '../../pki/certificateInfo.ts';
import type { CertificateInfo } from '../../pki/certificateInfo.ts';
import {
  DerError,
  derBytes as bytesOf,
  derChildren as children,
  derValue as valueOf,
  readDerWhole as topLevel,
  serialHex,
} from '../pki/derReader.ts';
import type { DerElement as Tlv } from '../pki/derReader.ts';
import { resolveSignatureAlgorithm, verifySignature } from '../pki/signatureVerify.ts';
import { CMS_ATTRIBUTE_OIDS } from './attributeOids.ts';
import type { TrustResult, TrustStore } from '../pki/trustStore.ts';

/** A CMS digest algorithm, named as every hash is (../../crypto/hashes.ts). */
export type CmsDigestAlgorithm = HashName;

export interface VerifyCmsOptions {
  /** The signed content. Exactly one of `content` and `digest`. */
  content?: Uint8Array;
  /** The content's digest, when the caller hashed it itself (large files). */
  digest?: { algorithm: CmsDigestAlgorithm; value: Uint8Array };
  trust: TrustStore;
  /** Time at which the signer certificate must be valid (default: now; see the file comment). */
  now?: Date;
  /** Families allowed to sign. Default: every family but OTHER. */
  families?: readonly CertificateFamily[];
  /** Require a current CRL for the signer's CA (default true). */
  requireRevocationInfo?: boolean;
}

export interface VerifiedCms {
  certificate: Buffer;
  info: CertificateInfo;
  chain: Buffer[];
  /** The signingTime attribute, when present (the signer's claim, not a trusted time). */
  signingTime?: Date;
  digestAlgorithm: CmsDigestAlgorithm;
}

export const DEFAULT_SIGNING_FAMILIES: readonly CertificateFamily[] = FAMILIES.filter((f) => f !== 'OTHER');

/** Larger inputs are refused before parsing (a detached signature with a few certificates is < 64 KiB). */
export const MAX_CMS_BYTES = 1024 * 1024;

const OID = CMS_ATTRIBUTE_OIDS;

/** DER of the id-data OBJECT IDENTIFIER, the only content type accepted. */
const ID_DATA_DER = Buffer.from('06092a864886f70d010701', 'hex');

/** Attributes that must occur at most once and with exactly one value. */
const SINGLE_VALUED = new Set<string>(Object.values(OID));

// ---------------------------------------------------------------------------------------------------

function malformed(reason: string): VerificationError {
  return new VerificationError('ERR_CMS_MALFORMED', { reason });
}

function badAttributes(reason: string): VerificationError {
  return new VerificationError('ERR_CMS_ATTRIBUTES', { reason });
}

function sameBytes(a: Uint8Array | ArrayBuffer, b: Uint8Array | ArrayBuffer): boolean {
  const x = Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a));
  const y = Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

function nameBytes(name: Name): Buffer {
  return Buffer.from(AsnConvert.serialize(name));
}

interface RawSignedData {
  certificates: Buffer[];
  /** The signer's signed attributes re-tagged as SET OF (0x31): the bytes the signature covers. */
  signedAttributes?: Buffer;
  signerCount: number;
}

/** Walks ContentInfo → SignedData → SignerInfo for the exact bytes the ASN.1 library does not keep. */
function readRaw(cms: Uint8Array): RawSignedData {
  const contentInfo = children(cms, topLevel(cms));
  const explicit = contentInfo[1];
  if (contentInfo.length !== 2 || explicit?.tag !== 0xa0) throw new DerError('ContentInfo');
  const [signedDataTlv, ...rest] = children(cms, explicit);
  if (!signedDataTlv || rest.length > 0 || signedDataTlv.tag !== 0x30) throw new DerError('SignedData');
  const fields = children(cms, signedDataTlv);
  const signerInfos = fields[fields.length - 1];
  if (fields.length < 4 || signerInfos?.tag !== 0x31) throw new DerError('SignedData fields');
  const certificates: Buffer[] = [];
  const certificateSet = fields.slice(3, -1).find((f) => f.tag === 0xa0);
  for (const choice of certificateSet ? children(cms, certificateSet) : []) {
    // Only X.509 certificates (SEQUENCE); attribute certificates and others are ignored.
    if (choice.tag === 0x30) certificates.push(Buffer.from(bytesOf(cms, choice)));
  }
  const signers = children(cms, signerInfos);
  const raw: RawSignedData = { certificates, signerCount: signers.length };
  const signer = signers[0];
  if (signer) {
    const signerFields = children(cms, signer);
    const attributes = signerFields[3];
    if (attributes?.tag === 0xa0) {
      const set = Buffer.from(bytesOf(cms, attributes));
      set[0] = 0x31;
      raw.signedAttributes = set;
    }
  }
  return raw;
}

function parseAttributes(set: Buffer): Map<string, ArrayBuffer[]> {
  const out = new Map<string, ArrayBuffer[]>();
  let elements: Tlv[];
  try {
    elements = children(set, topLevel(set));
  } catch {
    throw badAttributes('signed attributes are not DER');
  }
  if (elements.length === 0) throw badAttributes('no signed attributes');
  for (const element of elements) {
    let attribute: Attribute;
    try {
      attribute = AsnConvert.parse(bytesOf(set, element), Attribute);
    } catch {
      throw badAttributes('unreadable signed attribute');
    }
    if (out.has(attribute.attrType)) throw badAttributes(`attribute ${attribute.attrType} occurs twice`);
    if (SINGLE_VALUED.has(attribute.attrType) && attribute.attrValues.length !== 1) {
      throw badAttributes(`attribute ${attribute.attrType} must have one value`);
    }
    out.set(attribute.attrType, attribute.attrValues);
  }
  return out;
}

function certificateSki(certificate: Certificate): Buffer | undefined {
  const ext = certificate.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  return ext ? Buffer.from(AsnConvert.parse(ext.extnValue, SubjectKeyIdentifier).buffer) : undefined;
}

function findSigner(signer: SignerInfo, certificates: Buffer[]): { der: Buffer; certificate: Certificate } {
  const { issuerAndSerialNumber: byIssuer, subjectKeyIdentifier: byKeyId } = signer.sid;
  for (const der of certificates) {
    let certificate: Certificate;
    try {
      certificate = parseCertificate(der);
    } catch {
      throw malformed('unreadable certificate in the signature');
    }
    const tbs = certificate.tbsCertificate;
    if (byIssuer) {
      if (
        serialHex(tbs.serialNumber) === serialHex(byIssuer.serialNumber) &&
        nameBytes(tbs.issuer).equals(nameBytes(byIssuer.issuer))
      ) {
        return { der, certificate };
      }
    } else if (byKeyId) {
      const ski = certificateSki(certificate);
      if (ski && sameBytes(ski, byKeyId.buffer)) return { der, certificate };
    }
  }
  throw malformed('the signer certificate is not included');
}

/** ESS signingCertificate (v1: SHA-1 ESSCertID) or signingCertificateV2: the first entry names the signer. */
function checkSigningCertificate(
  value: ArrayBuffer,
  v2: boolean,
  signerDer: Buffer,
  signer: Certificate,
): void {
  const buf = new Uint8Array(value);
  let certHash: Uint8Array;
  // Node's name: ESSCertID (v1) is SHA-1 by definition, ESSCertIDv2 SHA-256 unless it says otherwise.
  let hash: string = v2 ? nodeHashName('SHA-256') : 'sha1';
  let issuerSerial: { names: Uint8Array; serial: Uint8Array } | undefined;
  try {
    const [certs] = children(buf, topLevel(buf));
    if (certs?.tag !== 0x30) throw new DerError('certs');
    const [first] = children(buf, certs);
    if (first?.tag !== 0x30) throw new DerError('certs[0]');
    const fields = children(buf, first);
    let index = 0;
    if (v2 && fields[0]?.tag === 0x30) {
      const algorithm = AsnConvert.parse(bytesOf(buf, fields[0]), AlgorithmIdentifier).algorithm;
      const name = hashFromOid(algorithm);
      if (!name) throw badAttributes(`signingCertificateV2 hash ${algorithm} is not supported`);
      hash = nodeHashName(name);
      index = 1;
    }
    const hashTlv = fields[index];
    if (hashTlv?.tag !== 0x04) throw new DerError('certHash');
    certHash = valueOf(buf, hashTlv);
    const issuerSerialTlv = fields[index + 1];
    if (issuerSerialTlv) {
      const [names, serial] = issuerSerialTlv.tag === 0x30 ? children(buf, issuerSerialTlv) : [];
      if (names?.tag !== 0x30 || serial?.tag !== 0x02) throw new DerError('issuerSerial');
      issuerSerial = { names: bytesOf(buf, names), serial: valueOf(buf, serial) };
    }
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    throw badAttributes('unreadable signingCertificate attribute');
  }
  if (!sameBytes(createHash(hash).update(signerDer).digest(), certHash)) {
    throw badAttributes('signingCertificate does not name the signer certificate');
  }
  if (issuerSerial) {
    const tbs = signer.tbsCertificate;
    let directory: Name | undefined;
    try {
      directory = AsnConvert.parse(issuerSerial.names, GeneralNames).find(
        (n) => n.directoryName,
      )?.directoryName;
    } catch {
      throw badAttributes('unreadable signingCertificate issuer');
    }
    if (
      serialHex(issuerSerial.serial) !== serialHex(tbs.serialNumber) ||
      !directory ||
      !nameBytes(directory).equals(nameBytes(tbs.issuer))
    ) {
      throw badAttributes('signingCertificate issuerSerial does not name the signer certificate');
    }
  }
}

export function verifyCms(cms: Uint8Array, options: VerifyCmsOptions): VerifiedCms {
  if ((options.content === undefined) === (options.digest === undefined)) {
    throw new TypeError('verifyCms: pass exactly one of `content` and `digest`');
  }
  if (!(cms instanceof Uint8Array) || cms.length === 0 || cms.length > MAX_CMS_BYTES) {
    throw malformed('empty or too large');
  }

  // Structure.
  let signedData: SignedData;
  let raw: RawSignedData;
  try {
    raw = readRaw(cms);
    const contentInfo = AsnConvert.parse(cms, ContentInfo);
    if (contentInfo.contentType !== id_signedData) throw malformed('not a SignedData');
    signedData = AsnConvert.parse(contentInfo.content, SignedData);
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    throw malformed(error instanceof DerError ? `not DER: ${error.message}` : 'unreadable SignedData');
  }
  if (signedData.encapContentInfo.eContentType !== id_data) throw malformed('content type is not id-data');
  if (signedData.encapContentInfo.eContent)
    throw malformed('content is embedded; a detached signature is expected');
  const signer = signedData.signerInfos[0];
  if (!signer || raw.signerCount !== 1 || signedData.signerInfos.length !== 1) {
    throw malformed(`expected one signer, found ${raw.signerCount}`);
  }
  const { der: signerDer, certificate: signerCertificate } = findSigner(signer, raw.certificates);

  // Signed attributes.
  if (!raw.signedAttributes) throw badAttributes('no signed attributes');
  const attributes = parseAttributes(raw.signedAttributes);
  const contentType = attributes.get(OID.contentType)?.[0];
  if (!contentType || !sameBytes(contentType, ID_DATA_DER))
    throw badAttributes('contentType must be id-data');
  const digestValue = attributes.get(OID.messageDigest)?.[0];
  if (!digestValue) throw badAttributes('no messageDigest');
  let messageDigest: Buffer;
  let signingTime: Date | undefined;
  try {
    messageDigest = Buffer.from(AsnConvert.parse(digestValue, OctetString).buffer);
    const time = attributes.get(OID.signingTime)?.[0];
    if (time) signingTime = AsnConvert.parse(time, Time).getTime();
  } catch {
    throw badAttributes('unreadable messageDigest or signingTime');
  }
  const essV2 = attributes.get(OID.signingCertificateV2)?.[0];
  if (essV2) checkSigningCertificate(essV2, true, signerDer, signerCertificate);
  const essV1 = attributes.get(OID.signingCertificate)?.[0];
  if (essV1) checkSigningCertificate(essV1, false, signerDer, signerCertificate);

  // Algorithms.
  const hash = hashFromOid(signer.digestAlgorithm.algorithm);
  if (!hash) {
    throw new VerificationError('ERR_CMS_ALGORITHM', { digestAlgorithm: signer.digestAlgorithm.algorithm });
  }
  const scheme = resolveSignatureAlgorithm(signer.signatureAlgorithm, hash);
  if (!scheme || scheme.hash !== hash) {
    throw new VerificationError('ERR_CMS_ALGORITHM', {
      signatureAlgorithm: signer.signatureAlgorithm.algorithm,
    });
  }
  const digestAlgorithm = hash;
  if (messageDigest.length !== hashLength(hash)) throw badAttributes('messageDigest length');

  // Signer trust, usage and family.
  let trusted: TrustResult;
  try {
    trusted = options.trust.validate(signerDer, {
      now: options.now ?? new Date(),
      requireRevocationInfo: options.requireRevocationInfo ?? true,
    });
  } catch (error) {
    if (error instanceof VerificationError && error.code === 'ERR_CERT_MALFORMED') {
      throw malformed('unreadable signer certificate');
    }
    throw error;
  }
  const { info } = trusted;
  if (!info.keyUsage.includes('digitalSignature') && !info.keyUsage.includes('nonRepudiation')) {
    throw new VerificationError('ERR_CERT_KEY_USAGE', { keyUsage: info.keyUsage });
  }
  const families = options.families ?? DEFAULT_SIGNING_FAMILIES;
  if (!families.includes(info.family)) {
    throw new VerificationError('ERR_CERT_FAMILY', { family: info.family, allowed: [...families] });
  }

  // Content, then signature.
  let expected: Uint8Array;
  if (options.digest) {
    if (options.digest.algorithm !== digestAlgorithm) {
      throw new VerificationError('ERR_CMS_DIGEST_MISMATCH', {
        reason: `the signature uses ${digestAlgorithm}, the digest given is ${options.digest.algorithm}`,
      });
    }
    expected = options.digest.value;
  } else {
    expected = createHash(nodeHashName(hash)).update(options.content!).digest();
  }
  if (!sameBytes(expected, messageDigest)) throw new VerificationError('ERR_CMS_DIGEST_MISMATCH');
  if (
    !verifySignature(scheme, raw.signedAttributes, trusted.publicKey, new Uint8Array(signer.signature.buffer))
  ) {
    throw new VerificationError('ERR_CMS_SIGNATURE');
  }

  const result: VerifiedCms = { certificate: signerDer, info, chain: trusted.chain, digestAlgorithm };
  if (signingTime) result.signingTime = signingTime;
  return result;
}

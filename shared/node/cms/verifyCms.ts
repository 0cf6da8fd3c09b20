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
 * The structure is read with the strict DER reader of ../pki/derReader.ts, which keeps the exact bytes
 * that are hashed or signed (the signed attributes, the certificates); only algorithm identifiers and
 * the certificates (through a cache) go through the ASN.1 library, whose generic BER parse of a whole
 * SignedData cost more than everything else in a filing's receipt.
 */
import { hash as digestOf, timingSafeEqual } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  GeneralNames,
  SubjectKeyIdentifier,
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
  decodeOid,
  decodeTime,
  expectTag,
  derBytes as bytesOf,
  derChildren as children,
  derValue as valueOf,
  readDerWhole as topLevel,
  serialHex,
} from '../pki/derReader.ts';
import type { DerElement as Tlv } from '../pki/derReader.ts';
import { certificateHash, locateCertificateFields } from '../pki/certificate.ts';
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

/** A SignerInfo read field by field (RFC 5652 §5.3). */
interface RawSigner {
  /** SignerIdentifier: issuerAndSerialNumber (issuer Name DER, serial INTEGER content) or a key id. */
  issuer?: Uint8Array;
  serial?: Uint8Array;
  keyId?: Uint8Array;
  digestAlgorithm: AlgorithmIdentifier;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  /** The signed attributes re-tagged as SET OF (0x31): the bytes the signature covers. */
  signedAttributes?: Buffer;
}

interface RawSignedData {
  certificates: Buffer[];
  signers: RawSigner[];
}

/** What may stand between encapContentInfo and signerInfos: [0] certificates, then [1] crls. */
const OPTIONAL_SIGNED_DATA_TAGS = new Set(['', '160', '161', '160,161']);

/** DER of the id-signedData OBJECT IDENTIFIER. */
const ID_SIGNED_DATA_DER = Buffer.from('06092a864886f70d010702', 'hex');

/**
 * Parsed results kept by a key of their DER, at most `kept`, the oldest dropped first: the same few
 * certificates and algorithm identifiers come in every signature. Results are shared, never changed.
 */
function memoByDer<T>(kept: number, keyOf: (der: Uint8Array) => string, parse: (der: Uint8Array) => T) {
  const results = new Map<string, T>();
  return (der: Uint8Array): T => {
    const key = keyOf(der);
    let result = results.get(key);
    if (result === undefined) {
      result = parse(der);
      if (results.size >= kept) results.delete(results.keys().next().value!);
      results.set(key, result);
    }
    return result;
  };
}

/** Three per signature, of a handful of values (SHA-2, RSA, ECDSA, PSS): each parsed once. */
const parseAlgorithm = memoByDer(
  64,
  (der) => Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1'),
  // A copy: what is kept must not point into the signature's (pooled, reused) buffer.
  (der) => AsnConvert.parse(Uint8Array.from(der), AlgorithmIdentifier),
);

function algorithmAt(buf: Uint8Array, element: Tlv | undefined, what: string): AlgorithmIdentifier {
  return parseAlgorithm(bytesOf(buf, expectTag(element, 0x30, what)));
}

function readSigner(buf: Uint8Array, element: Tlv): RawSigner {
  if (element.tag !== 0x30) throw new DerError('SignerInfo');
  const fields = children(buf, element);
  let at = 0;
  expectTag(fields[at++], 0x02, 'SignerInfo version');
  const sid = fields[at++];
  const signer: Partial<RawSigner> = {};
  if (sid?.tag === 0x30) {
    const [issuer, serial, ...more] = children(buf, sid);
    if (issuer?.tag !== 0x30 || serial?.tag !== 0x02 || more.length > 0) {
      throw new DerError('IssuerAndSerialNumber');
    }
    signer.issuer = bytesOf(buf, issuer);
    signer.serial = valueOf(buf, serial);
  } else if (sid?.tag === 0x80) {
    signer.keyId = valueOf(buf, sid);
  } else {
    throw new DerError('SignerIdentifier');
  }
  signer.digestAlgorithm = algorithmAt(buf, fields[at++], 'digestAlgorithm');
  if (fields[at]?.tag === 0xa0) {
    const set = Buffer.from(bytesOf(buf, fields[at++]!));
    set[0] = 0x31;
    signer.signedAttributes = set;
  }
  signer.signatureAlgorithm = algorithmAt(buf, fields[at++], 'signatureAlgorithm');
  signer.signature = valueOf(buf, expectTag(fields[at++], 0x04, 'signature'));
  if (fields[at]?.tag === 0xa1) at++;
  if (at !== fields.length) throw new DerError('SignerInfo fields');
  return signer as RawSigner;
}

/** EncapsulatedContentInfo: id-data and no content (a detached signature). */
function checkEncapsulated(buf: Uint8Array, element: Tlv): void {
  const [type, content, ...more] = children(buf, element);
  if (type?.tag !== 0x06 || more.length > 0 || (content && content.tag !== 0xa0)) {
    throw new DerError('EncapsulatedContentInfo');
  }
  if (!Buffer.from(bytesOf(buf, type)).equals(ID_DATA_DER)) throw malformed('content type is not id-data');
  if (content) throw malformed('content is embedded; a detached signature is expected');
}

/**
 * Reads ContentInfo → SignedData → SignerInfo with the strict DER reader, which also keeps the exact
 * bytes that are hashed or signed; only algorithm identifiers go through the ASN.1 library, and the
 * certificates through a cache, so a signature by the same clerk is not re-parsed whole every time.
 */
function readRaw(cms: Uint8Array): RawSignedData {
  const contentInfo = children(cms, topLevel(cms));
  const [contentType, explicit] = contentInfo;
  if (contentInfo.length !== 2 || contentType?.tag !== 0x06 || explicit?.tag !== 0xa0) {
    throw new DerError('ContentInfo');
  }
  if (!Buffer.from(bytesOf(cms, contentType)).equals(ID_SIGNED_DATA_DER)) throw malformed('not a SignedData');
  const [signedDataTlv, ...rest] = children(cms, explicit);
  if (!signedDataTlv || rest.length > 0 || signedDataTlv.tag !== 0x30) throw new DerError('SignedData');
  const fields = children(cms, signedDataTlv);
  const [version, digestAlgorithms, encapsulated] = fields;
  const signerInfos = fields[fields.length - 1];
  const optional = fields.slice(3, -1);
  if (
    fields.length < 4 ||
    version?.tag !== 0x02 ||
    digestAlgorithms?.tag !== 0x31 ||
    encapsulated?.tag !== 0x30 ||
    signerInfos?.tag !== 0x31 ||
    !OPTIONAL_SIGNED_DATA_TAGS.has(optional.map((f) => f.tag).join())
  ) {
    throw new DerError('SignedData fields');
  }
  for (const algorithm of children(cms, digestAlgorithms)) algorithmAt(cms, algorithm, 'digestAlgorithms');
  checkEncapsulated(cms, encapsulated);
  const certificates: Buffer[] = [];
  const certificateSet = optional.find((f) => f.tag === 0xa0);
  for (const choice of certificateSet ? children(cms, certificateSet) : []) {
    // Only X.509 certificates (SEQUENCE); attribute certificates and others are ignored.
    if (choice.tag === 0x30) certificates.push(Buffer.from(bytesOf(cms, choice)));
  }
  return { certificates, signers: children(cms, signerInfos).map((s) => readSigner(cms, s)) };
}

/** Parsed certificates by the SHA-256 of their DER: clerks sign with the same few certificates. */
const parseCertificateCached = memoByDer<Certificate>(1_000, certificateHash, parseCertificate);

/** Attribute values by type, each value as its DER (a SET OF ANY per type). */
function parseAttributes(set: Buffer): Map<string, Uint8Array[]> {
  const out = new Map<string, Uint8Array[]>();
  let elements: Tlv[];
  try {
    elements = children(set, topLevel(set));
  } catch {
    throw badAttributes('signed attributes are not DER');
  }
  if (elements.length === 0) throw badAttributes('no signed attributes');
  for (const element of elements) {
    let type: string;
    let values: Uint8Array[];
    try {
      const [typeTlv, valuesTlv, ...more] = children(set, expectTag(element, 0x30, 'Attribute'));
      if (typeTlv?.tag !== 0x06 || valuesTlv?.tag !== 0x31 || more.length > 0)
        throw new DerError('Attribute');
      type = decodeOid(valueOf(set, typeTlv));
      values = children(set, valuesTlv).map((v) => bytesOf(set, v));
    } catch {
      throw badAttributes('unreadable signed attribute');
    }
    if (out.has(type)) throw badAttributes(`attribute ${type} occurs twice`);
    if (SINGLE_VALUED.has(type) && values.length !== 1) {
      throw badAttributes(`attribute ${type} must have one value`);
    }
    out.set(type, values);
  }
  return out;
}

function certificateSki(certificate: Certificate): Buffer | undefined {
  const ext = certificate.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  return ext ? Buffer.from(AsnConvert.parse(ext.extnValue, SubjectKeyIdentifier).buffer) : undefined;
}

function findSigner(signer: RawSigner, certificates: Buffer[]): { der: Buffer; certificate: Certificate } {
  // Every included certificate must be readable, not only the ones before the signer's.
  let parsed: Certificate[];
  try {
    parsed = certificates.map(parseCertificateCached);
  } catch {
    throw malformed('unreadable certificate in the signature');
  }
  for (const [index, der] of certificates.entries()) {
    const certificate = parsed[index]!;
    if (signer.issuer && signer.serial) {
      const own = locateCertificateFields(der);
      if (
        serialHex(valueOf(der, own.serial)) === serialHex(signer.serial) &&
        Buffer.from(bytesOf(der, own.issuer)).equals(signer.issuer)
      ) {
        return { der, certificate };
      }
    } else if (signer.keyId) {
      const ski = certificateSki(certificate);
      if (ski && sameBytes(ski, signer.keyId)) return { der, certificate };
    }
  }
  throw malformed('the signer certificate is not included');
}

/** ESS signingCertificate (v1: SHA-1 ESSCertID) or signingCertificateV2: the first entry names the signer. */
function checkSigningCertificate(
  value: Uint8Array,
  v2: boolean,
  signerDer: Buffer,
  signer: Certificate,
): void {
  const buf = value;
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
  if (!sameBytes(digestOf(hash, signerDer, 'buffer'), certHash)) {
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
  let raw: RawSignedData;
  try {
    raw = readRaw(cms);
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    throw malformed(error instanceof DerError ? `not DER: ${error.message}` : 'unreadable SignedData');
  }
  const signer = raw.signers[0];
  if (!signer || raw.signers.length !== 1)
    throw malformed(`expected one signer, found ${raw.signers.length}`);
  const { der: signerDer, certificate: signerCertificate } = findSigner(signer, raw.certificates);

  // Signed attributes.
  const signedAttributes = signer.signedAttributes;
  if (!signedAttributes) throw badAttributes('no signed attributes');
  const attributes = parseAttributes(signedAttributes);
  const contentType = attributes.get(OID.contentType)?.[0];
  if (!contentType || !sameBytes(contentType, ID_DATA_DER))
    throw badAttributes('contentType must be id-data');
  const digestValue = attributes.get(OID.messageDigest)?.[0];
  if (!digestValue) throw badAttributes('no messageDigest');
  let messageDigest: Buffer;
  let signingTime: Date | undefined;
  try {
    messageDigest = Buffer.from(
      valueOf(digestValue, expectTag(topLevel(digestValue), 0x04, 'messageDigest')),
    );
    const time = attributes.get(OID.signingTime)?.[0];
    if (time) signingTime = new Date(decodeTime(time, topLevel(time)));
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
    expected = digestOf(nodeHashName(hash), options.content!, 'buffer');
  }
  if (!sameBytes(expected, messageDigest)) throw new VerificationError('ERR_CMS_DIGEST_MISMATCH');
  if (!verifySignature(scheme, signedAttributes, trusted.publicKey, signer.signature)) {
    throw new VerificationError('ERR_CMS_SIGNATURE');
  }

  const result: VerifiedCms = { certificate: signerDer, info, chain: trusted.chain, digestAlgorithm };
  if (signingTime) result.signingTime = signingTime;
  return result;
}

/**
 * The trust store: anchors (roots), intermediates (sub-CAs) and CRLs, parsed and checked once, then used
 * to validate end-entity certificates (leaf → intermediates → anchor) at a given time. All signature
 * maths is Node's crypto (OpenSSL); @peculiar/asn1-x509 only reads structures.
 *
 * Performance: issuers are indexed by subject name (DER) and key id, CRL signatures are verified and the
 * revoked serials put in sets at construction, and a leaf's structural result (chain built, signatures
 * and CA constraints checked, revocation status — all of which depend only on the immutable store) is
 * cached by the SHA-256 of its DER. Validity periods and CRL currency depend on `now` and are re-checked
 * on every call.
 *
 * Policy choices (documented for reviewers):
 * - Issuers must be CAs (basicConstraints cA) whose keyUsage includes keyCertSign; pathLenConstraint is
 *   enforced; a leaf that is itself a CA certificate is refused (ERR_CERT_KEY_USAGE).
 * - Certificate signatures must be SHA-2 RSA (PKCS#1 v1.5 or PSS) or ECDSA; SHA-1 / MD5 are refused.
 * - Unknown critical extensions (and nameConstraints, which is not processed) make a certificate
 *   unusable. Certificate policies are not processed (policy constraints / mappings are ignored).
 * - Revocation: the leaf is checked against its issuing CA's CRL; when `requireRevocationInfo` (default)
 *   a current CRL (thisUpdate ≤ now ≤ nextUpdate) must be loaded for that CA, else ERR_CRL_UNAVAILABLE.
 *   CA certificates are checked against their issuer's CRL (an ARL) when one is loaded, but an ARL is
 *   not required (the root's ARL is seldom distributed). A certificate listed in any loaded CRL of its
 *   issuer is revoked, even if that CRL is stale. CRLs without nextUpdate are never "current".
 * - A CRL that does not verify against a CA of this store, or that carries an unknown critical
 *   extension (delta CRLs, partitioned CRLs with issuingDistributionPoint), is a configuration error:
 *   the constructor throws.
 * - Only the store's intermediates are used to build chains (never certificates sent by the client).
 * - Anchors are trusted as configured (their own signature is not checked) but must be CA certificates
 *   and valid at `now`, like every certificate of the chain.
 */
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AsnConvert, AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CertificateList,
  Name,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { VerificationError } from '../authtoken/errors.ts';
import { describeCertificate, formatName } from './certificateInfo.ts';
import type { CertificateInfo } from './certificateInfo.ts';

// ---------------------------------------------------------------------------------------------------
// Signature algorithms (shared with the verifiers)

export type HashName = 'sha256' | 'sha384' | 'sha512';
export type SignatureSchemeName = 'pkcs1' | 'pss' | 'ecdsa';

export interface SignatureScheme {
  hash: HashName;
  scheme: SignatureSchemeName;
  /** PSS only: the salt length in bytes. */
  saltLength?: number;
}

export const HASH_LENGTHS: Readonly<Record<HashName, number>> = { sha256: 32, sha384: 48, sha512: 64 };

/** Digest algorithm OIDs (NIST) → Node hash names. SHA-1 is deliberately absent. */
export const HASH_OIDS: Readonly<Record<string, HashName>> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_MGF1 = '1.2.840.113549.1.1.8';

/** Signature algorithm OIDs with their hash built in. */
const SIGNATURE_OIDS: Readonly<Record<string, SignatureScheme>> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', scheme: 'pkcs1' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', scheme: 'ecdsa' },
};

/** RSASSA-PSS-params (RFC 4055); the schema is declared without decorator syntax. */
class RsaPssParams {
  hashAlgorithm?: AlgorithmIdentifier;
  maskGenAlgorithm?: AlgorithmIdentifier;
  saltLength = 20;
  trailerField = 1;
}
AsnProp({ type: AlgorithmIdentifier, context: 0, optional: true })(RsaPssParams.prototype, 'hashAlgorithm');
AsnProp({ type: AlgorithmIdentifier, context: 1, optional: true })(
  RsaPssParams.prototype,
  'maskGenAlgorithm',
);
AsnProp({ type: AsnPropTypes.Integer, context: 2, defaultValue: 20 })(RsaPssParams.prototype, 'saltLength');
AsnProp({ type: AsnPropTypes.Integer, context: 3, defaultValue: 1 })(RsaPssParams.prototype, 'trailerField');

function pssScheme(parameters: ArrayBuffer | null | undefined): SignatureScheme | undefined {
  // Absent parameters mean SHA-1 defaults, which are refused.
  if (!parameters) return undefined;
  const params = AsnConvert.parse(parameters, RsaPssParams);
  const hash = params.hashAlgorithm ? HASH_OIDS[params.hashAlgorithm.algorithm] : undefined;
  const mgf = params.maskGenAlgorithm;
  if (!hash || !mgf || mgf.algorithm !== OID_MGF1 || !mgf.parameters) return undefined;
  // Node verifies PSS with MGF1 over the signature's own hash: anything else is unsupported.
  const mgfHash = HASH_OIDS[AsnConvert.parse(mgf.parameters, AlgorithmIdentifier).algorithm];
  if (mgfHash !== hash || params.trailerField !== 1) return undefined;
  if (!Number.isSafeInteger(params.saltLength) || params.saltLength < 0) return undefined;
  return { hash, scheme: 'pss', saltLength: params.saltLength };
}

/**
 * Maps an X.509 / CMS signature AlgorithmIdentifier to what Node needs. `digestHash` is the CMS
 * digestAlgorithm, used when the signature algorithm names only the key type (rsaEncryption,
 * ecPublicKey). Returns undefined for anything unsupported or weak (SHA-1, MD5, bad PSS parameters).
 */
export function resolveSignatureAlgorithm(
  algorithm: AlgorithmIdentifier,
  digestHash?: HashName,
): SignatureScheme | undefined {
  const known = SIGNATURE_OIDS[algorithm.algorithm];
  if (known) return known;
  try {
    if (algorithm.algorithm === OID_RSASSA_PSS) return pssScheme(algorithm.parameters);
  } catch {
    return undefined;
  }
  if (digestHash && algorithm.algorithm === OID_RSA_ENCRYPTION) return { hash: digestHash, scheme: 'pkcs1' };
  if (digestHash && algorithm.algorithm === OID_EC_PUBLIC_KEY) return { hash: digestHash, scheme: 'ecdsa' };
  return undefined;
}

/** Whether a public key can be used with a scheme (RSA for PKCS#1 / PSS, EC for ECDSA). */
export function keyFitsScheme(publicKey: KeyObject, scheme: SignatureSchemeName): boolean {
  const type = publicKey.asymmetricKeyType;
  if (scheme === 'ecdsa') return type === 'ec';
  if (scheme === 'pss') return type === 'rsa' || type === 'rsa-pss';
  return type === 'rsa';
}

/**
 * Verifies `signature` over `data` (hash-then-sign with `scheme.hash`) with Node's crypto. ECDSA
 * signatures are DER (X.509, CMS) or raw r‖s ('ieee-p1363', Web eID tokens). Never throws.
 */
export function verifySignature(
  scheme: SignatureScheme,
  data: Uint8Array,
  publicKey: KeyObject,
  signature: Uint8Array,
  dsaEncoding: 'der' | 'ieee-p1363' = 'der',
): boolean {
  if (!keyFitsScheme(publicKey, scheme.scheme)) return false;
  try {
    switch (scheme.scheme) {
      case 'pkcs1':
        return cryptoVerify(scheme.hash, data, { key: publicKey, padding: RSA_PKCS1_PADDING }, signature);
      case 'pss':
        return cryptoVerify(
          scheme.hash,
          data,
          {
            key: publicKey,
            padding: RSA_PKCS1_PSS_PADDING,
            saltLength: scheme.saltLength ?? HASH_LENGTHS[scheme.hash],
          },
          signature,
        );
      case 'ecdsa':
        return cryptoVerify(scheme.hash, data, { key: publicKey, dsaEncoding }, signature);
    }
  } catch {
    return false;
  }
}

// node:crypto constants (kept local: importing `constants` pulls the whole object into a hot path).
const RSA_PKCS1_PADDING = 1;
const RSA_PKCS1_PSS_PADDING = 6;

// ---------------------------------------------------------------------------------------------------
// Certificates

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

/** CRL extensions a complete, direct CRL may carry. */
const HANDLED_CRL_EXTENSIONS = new Set([
  '2.5.29.20', // cRLNumber
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.18', // issuerAltName
  '2.5.29.46', // freshestCRL
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);

const MAX_CHAIN_LENGTH = 8;

interface ParsedCertificate {
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

// ---------------------------------------------------------------------------------------------------
// A small strict DER reader (definite lengths, minimal length octets, low tag numbers), also used by
// ../cms/verifyCms.ts. The store reads the few certificate fields it needs with it, so a certificate is
// parsed by the ASN.1 library only once (in describeCertificate).

export interface DerElement {
  tag: number;
  /** Offset of the tag octet. */
  start: number;
  /** Offset of the first content octet. */
  valueStart: number;
  /** Offset just past the element. */
  end: number;
}

export class DerError extends Error {}

export function readDer(buf: Uint8Array, offset = 0, limit = buf.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number');
  const first = buf[offset + 1]!;
  let length = first;
  let valueStart = offset + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('indefinite length');
    if (count > 4 || valueStart + count > limit) throw new DerError('bad length');
    if (buf[valueStart] === 0) throw new DerError('non-minimal length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[valueStart + i]!;
    if (length < 0x80) throw new DerError('non-minimal length');
    valueStart += count;
  }
  const end = valueStart + length;
  if (end > limit) throw new DerError('truncated value');
  return { tag, start: offset, valueStart, end };
}

/** The one element filling `buf` (no trailing bytes). */
export function readDerWhole(buf: Uint8Array): DerElement {
  const element = readDer(buf);
  if (element.end !== buf.length) throw new DerError('trailing data');
  return element;
}

export function derChildren(buf: Uint8Array, parent: DerElement): DerElement[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('not constructed');
  const out: DerElement[] = [];
  for (let offset = parent.valueStart; offset < parent.end;) {
    const child = readDer(buf, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export const derBytes = (buf: Uint8Array, element: DerElement) => buf.subarray(element.start, element.end);
export const derValue = (buf: Uint8Array, element: DerElement) =>
  buf.subarray(element.valueStart, element.end);

/** INTEGER content octets → canonical hex (leading zero octets dropped): serial number comparisons. */
export function serialHex(bytes: ArrayBuffer | Uint8Array): string {
  const hex = Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
  const trimmed = hex.replace(/^(00)+/, '');
  return trimmed === '' ? '00' : trimmed;
}

function decodeOid(content: Uint8Array): string {
  if (content.length === 0 || content[content.length - 1]! & 0x80) throw new DerError('bad OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    if (value === 0 && byte === 0x80) throw new DerError('non-minimal OID arc');
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0)
        arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** UTCTime / GeneralizedTime as DER allows them (seconds, Z). */
function decodeTime(buf: Uint8Array, element: DerElement): number {
  const text = Buffer.from(derValue(buf, element)).toString('latin1');
  const match =
    element.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) throw new DerError('bad time');
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0] = match.slice(1).map(Number);
  const year = element.tag === 0x17 ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  const time = Date.UTC(year, mo - 1, d, h, mi, se);
  const check = new Date(time);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    throw new DerError('bad time');
  }
  if (!Number.isFinite(time)) throw new DerError('bad time');
  return time;
}

function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element?.tag !== tag) throw new DerError(`${what} expected`);
  return element;
}

function parseCertificateDer(input: Uint8Array): ParsedCertificate {
  const der = Buffer.from(input);
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  const [tbsElement, outerAlgorithm] = derChildren(der, expectTag(readDerWhole(der), 0x30, 'Certificate'));
  const tbs = derChildren(der, expectTag(tbsElement, 0x30, 'TBSCertificate'));
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0; // version
  const serial = expectTag(tbs[i++], 0x02, 'serialNumber');
  const innerAlgorithm = expectTag(tbs[i++], 0x30, 'signature');
  const issuer = expectTag(tbs[i++], 0x30, 'issuer');
  const [notBefore, notAfter] = derChildren(der, expectTag(tbs[i++], 0x30, 'validity'));
  const subject = expectTag(tbs[i++], 0x30, 'subject');
  const extensionsElement = tbs.find((e, index) => index > i && e.tag === 0xa3);

  const x509 = new X509Certificate(der);
  const info = describeCertificate(der);
  const parsed: ParsedCertificate = {
    der,
    hash: createHash('sha256').update(der).digest('base64'),
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

// ---------------------------------------------------------------------------------------------------
// CRLs

interface CrlWindow {
  thisUpdate: number;
  nextUpdate?: number;
}

interface IssuerCrls {
  windows: CrlWindow[];
  revoked: Set<string>;
}

function isCurrent(crls: IssuerCrls | undefined, now: number): boolean {
  return !!crls?.windows.some(
    (w) => w.thisUpdate <= now && w.nextUpdate !== undefined && now <= w.nextUpdate,
  );
}

// ---------------------------------------------------------------------------------------------------
// The store

export interface TrustMaterial {
  /** Trust anchors (roots), DER. */
  anchors: Uint8Array[];
  /** CA certificates usable to build chains, DER. */
  intermediates?: Uint8Array[];
  /** CRLs issued by the anchors or intermediates, DER. */
  crls?: Uint8Array[];
}

export interface TrustStoreOptions {
  /** How many leaves' structural results to keep (default 10,000; 0 disables the cache). */
  cacheSize?: number;
}

export interface ValidateOptions {
  now: Date;
  /** Require a current CRL from the leaf's issuing CA (default true). */
  requireRevocationInfo?: boolean;
}

export interface TrustResult {
  /** Leaf first, anchor last (DER copies). */
  chain: Buffer[];
  info: CertificateInfo;
  /** The leaf's public key (immutable, shared). */
  publicKey: KeyObject;
}

interface CachedChain {
  certificates: ParsedCertificate[];
  leafCrls: IssuerCrls | undefined;
  /** Index of a revoked certificate in the chain, or -1. */
  revokedAt: number;
}

function cloneInfo(info: CertificateInfo): CertificateInfo {
  return {
    ...info,
    subject: { ...info.subject },
    notBefore: new Date(info.notBefore.getTime()),
    notAfter: new Date(info.notAfter.getTime()),
    keyUsage: [...info.keyUsage],
  };
}

function untrusted(reason: string, extra: Record<string, unknown> = {}): VerificationError {
  return new VerificationError('ERR_CERT_UNTRUSTED', { reason, ...extra });
}

export class TrustStore {
  private readonly anchors = new Set<ParsedCertificate>();
  /** CA certificates (anchors and intermediates) by subject name. */
  private readonly bySubject = new Map<string, ParsedCertificate[]>();
  private readonly crlsByIssuer = new Map<string, IssuerCrls>();
  private readonly cache = new Map<string, CachedChain>();
  private readonly cacheSize: number;

  constructor(material: TrustMaterial, options: TrustStoreOptions = {}) {
    this.cacheSize = options.cacheSize ?? 10_000;
    if (material.anchors.length === 0) throw new Error('TrustStore: at least one anchor is required');
    const seen = new Set<string>();
    const add = (der: Uint8Array, anchor: boolean) => {
      let cert: ParsedCertificate;
      try {
        cert = parseCertificateDer(der);
      } catch (error) {
        throw new Error(`TrustStore: cannot parse a CA certificate: ${(error as Error).message}`);
      }
      if (!cert.ca) throw new Error(`TrustStore: ${cert.subject()} is not a CA certificate`);
      if (seen.has(cert.hash)) return;
      seen.add(cert.hash);
      if (anchor) this.anchors.add(cert);
      const list = this.bySubject.get(cert.subjectKey) ?? [];
      list.push(cert);
      this.bySubject.set(cert.subjectKey, list);
    };
    for (const der of material.anchors) add(der, true);
    for (const der of material.intermediates ?? []) add(der, false);
    for (const der of material.crls ?? []) this.addCrl(der);
  }

  private addCrl(der: Uint8Array): void {
    let crl: CertificateList;
    try {
      crl = AsnConvert.parse(der, CertificateList);
    } catch (error) {
      throw new Error(`TrustStore: cannot parse a CRL: ${(error as Error).message}`);
    }
    const tbs = crl.tbsCertList;
    const issuerName = formatName(tbs.issuer);
    const critical = (tbs.crlExtensions ?? []).find(
      (e) => e.critical && !HANDLED_CRL_EXTENSIONS.has(e.extnID),
    );
    if (critical)
      throw new Error(
        `TrustStore: CRL of ${issuerName} has unsupported critical extension ${critical.extnID}`,
      );
    const scheme = resolveSignatureAlgorithm(crl.signatureAlgorithm);
    if (!scheme || !crl.tbsCertListRaw || tbs.signature.algorithm !== crl.signatureAlgorithm.algorithm) {
      throw new Error(`TrustStore: CRL of ${issuerName} uses an unsupported signature algorithm`);
    }
    // The issuer's Name as encoded in the CRL, to match certificates' issuer bytes.
    const raw = new Uint8Array(crl.tbsCertListRaw);
    const fields = derChildren(raw, readDerWhole(raw));
    const issuerElement = fields[fields[0]?.tag === 0x02 ? 2 : 1];
    if (issuerElement?.tag !== 0x30) throw new Error(`TrustStore: CRL of ${issuerName} is malformed`);
    const key = Buffer.from(derBytes(raw, issuerElement)).toString('hex');
    const signer = (this.bySubject.get(key) ?? []).find(
      (ca) =>
        ca.info.keyUsage.includes('cRLSign') &&
        verifySignature(
          scheme,
          new Uint8Array(crl.tbsCertListRaw!),
          ca.publicKey,
          new Uint8Array(crl.signature),
        ),
    );
    if (!signer) throw new Error(`TrustStore: CRL of ${issuerName} is not signed by a CA of this store`);
    const entry = this.crlsByIssuer.get(key) ?? { windows: [], revoked: new Set<string>() };
    const window: CrlWindow = { thisUpdate: tbs.thisUpdate.getTime().getTime() };
    if (tbs.nextUpdate) window.nextUpdate = tbs.nextUpdate.getTime().getTime();
    entry.windows.push(window);
    for (const revoked of tbs.revokedCertificates ?? [])
      entry.revoked.add(serialHex(revoked.userCertificate));
    this.crlsByIssuer.set(key, entry);
  }

  /**
   * Validates an end-entity certificate at `now`. Throws VerificationError: ERR_CERT_MALFORMED,
   * ERR_CERT_UNTRUSTED, ERR_CERT_KEY_USAGE (a CA certificate as leaf), ERR_CERT_EXPIRED,
   * ERR_CERT_NOT_YET_VALID, ERR_CERT_REVOKED, ERR_CRL_UNAVAILABLE.
   */
  validate(leafDer: Uint8Array, options: ValidateOptions): TrustResult {
    const now = options.now.getTime();
    if (!Number.isFinite(now)) throw new TypeError('TrustStore.validate: `now` is not a valid date');
    const hash = createHash('sha256').update(leafDer).digest('base64');
    let entry = this.cache.get(hash);
    if (!entry) {
      entry = this.build(leafDer);
      while (this.cache.size > 0 && this.cache.size >= this.cacheSize) {
        const oldest = this.cache.keys().next();
        if (oldest.done) break;
        this.cache.delete(oldest.value);
      }
      if (this.cacheSize > 0) this.cache.set(hash, entry);
    }
    const { certificates } = entry;
    for (let i = 0; i < certificates.length; i++) {
      const cert = certificates[i]!;
      const which = i === 0 ? 'leaf' : 'issuer';
      if (now < cert.notBefore) {
        throw new VerificationError('ERR_CERT_NOT_YET_VALID', {
          certificate: which,
          subject: cert.subject(),
        });
      }
      if (now > cert.notAfter) {
        throw new VerificationError('ERR_CERT_EXPIRED', { certificate: which, subject: cert.subject() });
      }
    }
    if (entry.revokedAt >= 0) {
      const cert = certificates[entry.revokedAt]!;
      throw new VerificationError('ERR_CERT_REVOKED', {
        certificate: entry.revokedAt === 0 ? 'leaf' : 'issuer',
        subject: cert.subject(),
        serialNumber: cert.serial,
      });
    }
    if ((options.requireRevocationInfo ?? true) && !isCurrent(entry.leafCrls, now)) {
      throw new VerificationError('ERR_CRL_UNAVAILABLE', {
        reason: entry.leafCrls ? 'CRL not current' : 'no CRL loaded',
        issuer: certificates[1]?.subject(),
      });
    }
    const leaf = certificates[0]!;
    return {
      chain: certificates.map((c) => Buffer.from(c.der)),
      info: cloneInfo(leaf.info),
      publicKey: leaf.publicKey,
    };
  }

  /** The time-independent part of validation; the result is cached. */
  private build(leafDer: Uint8Array): CachedChain {
    let leaf: ParsedCertificate;
    try {
      leaf = parseCertificateDer(leafDer);
    } catch (error) {
      throw new VerificationError('ERR_CERT_MALFORMED', { reason: (error as Error).message });
    }
    if (leaf.ca)
      throw new VerificationError('ERR_CERT_KEY_USAGE', { reason: 'a CA certificate cannot be a leaf' });
    if (leaf.problem) throw untrusted(leaf.problem, { subject: leaf.subject() });
    const rejections: string[] = [];
    const path = this.findPath([leaf], rejections);
    if (!path) {
      throw untrusted(rejections[0] ?? 'no issuer in the trust store', {
        subject: leaf.subject(),
        issuer: leaf.info.issuer,
      });
    }
    let revokedAt = -1;
    for (let i = 0; i < path.length - 1 && revokedAt < 0; i++) {
      const cert = path[i]!;
      if (this.crlsByIssuer.get(cert.issuerKey)?.revoked.has(cert.serial)) revokedAt = i;
    }
    return { certificates: path, leafCrls: this.crlsByIssuer.get(leaf.issuerKey), revokedAt };
  }

  /** Depth-first search from path's last certificate to an anchor; candidates by name, then key id. */
  private findPath(path: ParsedCertificate[], rejections: string[]): ParsedCertificate[] | undefined {
    const child = path[path.length - 1]!;
    const candidates = [...(this.bySubject.get(child.issuerKey) ?? [])].sort(
      (a, b) =>
        Number(child.aki !== undefined && b.ski === child.aki) -
        Number(child.aki !== undefined && a.ski === child.aki),
    );
    for (const issuer of candidates) {
      if (path.includes(issuer)) continue;
      const problem = this.issuerProblem(issuer, child, path);
      if (problem) {
        rejections.push(problem);
        continue;
      }
      const next = [...path, issuer];
      if (this.anchors.has(issuer)) return next;
      if (next.length >= MAX_CHAIN_LENGTH) {
        rejections.push('chain too long');
        continue;
      }
      const found = this.findPath(next, rejections);
      if (found) return found;
    }
    return undefined;
  }

  private issuerProblem(issuer: ParsedCertificate, child: ParsedCertificate, path: ParsedCertificate[]) {
    if (child.aki !== undefined && issuer.ski !== undefined && child.aki !== issuer.ski) {
      return `key identifier of ${issuer.subject()} does not match`;
    }
    if (issuer.problem && !this.anchors.has(issuer)) return `${issuer.subject()}: ${issuer.problem}`;
    if (!issuer.ca) return `${issuer.subject()} is not a CA`;
    if (!issuer.info.keyUsage.includes('keyCertSign')) return `${issuer.subject()} lacks keyCertSign`;
    if (issuer.pathLen !== undefined) {
      // Intermediates below this issuer that are not self-issued (the leaf does not count).
      const below = path.slice(1).filter((c) => !c.selfIssued).length;
      if (below > issuer.pathLen) return `path length constraint of ${issuer.subject()} exceeded`;
    }
    if (!child.x509.checkIssued(issuer.x509) || !child.x509.verify(issuer.publicKey)) {
      return `signature of ${child.subject()} does not verify with ${issuer.subject()}`;
    }
    return undefined;
  }

  /** Number of cached leaf results (for tests and monitoring). */
  get cachedLeaves(): number {
    return this.cache.size;
  }
}

/**
 * Builds a detached CMS SignedData (RFC 5652) around a signature made elsewhere (the card): the
 * signed attributes are content type, message digest (the document hash the page sent), signing time
 * and signing-certificate-v2 (RFC 5035), and the signer's certificate is included.
 * Step 1 `signedAttributes()` gives the bytes the card must sign (hashed with the same function);
 * step 2 `assembleSignedData()` wraps the card's signature.
 */
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignatureAlgorithmIdentifier,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  id_data,
  id_signedData,
} from '@peculiar/asn1-cms';
import { RsaSaPssParams, id_mgf1 } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier, Certificate, Time } from '@peculiar/asn1-x509';
import { derOctetString, derSequence, derSetOf, ecdsaRawToDer } from './der.ts';

export type CmsHash = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type CmsScheme = 'pkcs1' | 'pss' | 'ecdsa';

export const OIDS = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  rsaPss: '1.2.840.113549.1.1.10',
} as const;

const HASH_OID: Record<CmsHash, string> = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};
const RSA_OID: Record<CmsHash, string> = {
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};
const ECDSA_OID: Record<CmsHash, string> = {
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};
const HASH_BYTES: Record<CmsHash, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

export const nodeHashName = (hash: CmsHash) => hash.replace('-', '').toLowerCase();

export interface CmsSignRequest {
  certificate: Uint8Array;
  hash: CmsHash;
  /** The document's digest, computed by the caller with `hash`. */
  messageDigest: Uint8Array;
  signingTime: Date;
}

function attribute(type: string, value: Uint8Array): Attribute {
  return new Attribute({ attrType: type, attrValues: [toArrayBuffer(value)] });
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function attributes(request: CmsSignRequest): Attribute[] {
  if (request.messageDigest.length !== HASH_BYTES[request.hash]) {
    throw new Error(`${request.hash} digest must be ${HASH_BYTES[request.hash]} bytes`);
  }
  const certHash = createHash(nodeHashName(request.hash)).update(request.certificate).digest();
  // ESSCertIDv2: the hash algorithm is left out when it is the default, SHA-256.
  const hashAlgorithm =
    request.hash === 'SHA-256'
      ? []
      : [Buffer.from(AsnConvert.serialize(new AlgorithmIdentifier({ algorithm: HASH_OID[request.hash] })))];
  const signingCertificateV2 = derSequence(
    derSequence(derSequence(...hashAlgorithm, derOctetString(certHash))),
  );
  return [
    attribute(OIDS.contentType, encodeOid(id_data)),
    attribute(OIDS.signingTime, Buffer.from(AsnConvert.serialize(new Time(request.signingTime)))),
    attribute(OIDS.messageDigest, derOctetString(request.messageDigest)),
    attribute(OIDS.signingCertificateV2, signingCertificateV2),
  ].sort((a, b) =>
    Buffer.compare(Buffer.from(AsnConvert.serialize(a)), Buffer.from(AsnConvert.serialize(b))),
  );
}

/** DER of an OBJECT IDENTIFIER (the content-type attribute's value). */
function encodeOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const bytes: number[] = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let n = part;
    do {
      chunk.unshift(n & 0x7f);
      n = Math.floor(n / 128);
    } while (n > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    bytes.push(...chunk);
  }
  return Buffer.concat([Buffer.from([0x06, bytes.length]), Buffer.from(bytes)]);
}

/** The DER SET OF signed attributes: what the signer signs (after hashing with `hash`). */
export function signedAttributes(request: CmsSignRequest): { attrs: Attribute[]; toBeSigned: Buffer } {
  const attrs = attributes(request);
  const toBeSigned = derSetOf(attrs.map((a) => Buffer.from(AsnConvert.serialize(a))));
  return { attrs, toBeSigned };
}

function signatureAlgorithm(scheme: CmsScheme, hash: CmsHash): SignatureAlgorithmIdentifier {
  if (scheme === 'ecdsa') return new SignatureAlgorithmIdentifier({ algorithm: ECDSA_OID[hash] });
  if (scheme === 'pkcs1')
    return new SignatureAlgorithmIdentifier({ algorithm: RSA_OID[hash], parameters: null });
  const hashAlgorithm = new AlgorithmIdentifier({ algorithm: HASH_OID[hash], parameters: null });
  const params = new RsaSaPssParams({
    hashAlgorithm,
    maskGenAlgorithm: new AlgorithmIdentifier({
      algorithm: id_mgf1,
      parameters: AsnConvert.serialize(hashAlgorithm),
    }),
    saltLength: HASH_BYTES[hash],
  });
  return new SignatureAlgorithmIdentifier({
    algorithm: OIDS.rsaPss,
    parameters: AsnConvert.serialize(params),
  });
}

export function assembleSignedData(
  request: CmsSignRequest,
  attrs: Attribute[],
  scheme: CmsScheme,
  signature: Uint8Array,
): Buffer {
  const certificate = AsnConvert.parse(request.certificate, Certificate);
  const digestAlgorithm = new DigestAlgorithmIdentifier({ algorithm: HASH_OID[request.hash] });
  const signerInfo = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: certificate.tbsCertificate.issuer,
        serialNumber: certificate.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm,
    signedAttrs: attrs,
    signatureAlgorithm: signatureAlgorithm(scheme, request.hash),
    signature: new OctetString(scheme === 'ecdsa' ? ecdsaRawToDer(signature) : signature),
  });
  const signedData = new SignedData({
    version: CMSVersion.v1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([digestAlgorithm]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
    certificates: new CertificateSet([new CertificateChoices({ certificate })]),
    signerInfos: new SignerInfos([signerInfo]),
  });
  return Buffer.from(
    AsnConvert.serialize(
      new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) }),
    ),
  );
}

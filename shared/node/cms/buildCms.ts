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
import { HASHES, hashLength, nodeHashName, type HashName } from '../../crypto/hashes.ts';
import {
  OID_RSASSA_PSS,
  SIGNATURE_OIDS,
  type SignatureSchemeName,
} from '../../crypto/signatureAlgorithms.ts';
import { CMS_ATTRIBUTE_OIDS } from './attributeOids.ts';
import { derOctetString, derSequence, derSetOf, ecdsaRawToDer } from './derWriter.ts';

/** The CMS digest and signature hash, named as every hash is (../../crypto/hashes.ts). */
export type CmsHash = HashName;
export type CmsScheme = SignatureSchemeName;

const OIDS = CMS_ATTRIBUTE_OIDS;

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
  if (request.messageDigest.length !== hashLength(request.hash)) {
    throw new Error(`${request.hash} digest must be ${hashLength(request.hash)} bytes`);
  }
  const certHash = createHash(nodeHashName(request.hash)).update(request.certificate).digest();
  // ESSCertIDv2: the hash algorithm is left out when it is the default, SHA-256.
  const hashAlgorithm =
    request.hash === 'SHA-256'
      ? []
      : [Buffer.from(AsnConvert.serialize(new AlgorithmIdentifier({ algorithm: HASHES[request.hash].oid })))];
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
  if (scheme === 'ecdsa') return new SignatureAlgorithmIdentifier({ algorithm: SIGNATURE_OIDS.ecdsa[hash] });
  if (scheme === 'pkcs1')
    return new SignatureAlgorithmIdentifier({ algorithm: SIGNATURE_OIDS.pkcs1[hash], parameters: null });
  const hashAlgorithm = new AlgorithmIdentifier({ algorithm: HASHES[hash].oid, parameters: null });
  const params = new RsaSaPssParams({
    hashAlgorithm,
    maskGenAlgorithm: new AlgorithmIdentifier({
      algorithm: id_mgf1,
      parameters: AsnConvert.serialize(hashAlgorithm),
    }),
    saltLength: hashLength(hash),
  });
  return new SignatureAlgorithmIdentifier({
    algorithm: OID_RSASSA_PSS,
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
  const digestAlgorithm = new DigestAlgorithmIdentifier({ algorithm: HASHES[request.hash].oid });
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

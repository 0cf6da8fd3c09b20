/**
 * Detached CMS SignedData around a signature made elsewhere, checked with an independent
 * implementation (the OpenSSL command line) and by reading the DER back; and the few DER helpers.
 */
import {
  constants,
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  sign,
  verify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { Certificate } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHashName } from '../../shared/crypto/hashes.ts';
import { CMS_ATTRIBUTE_OIDS as OIDS } from '../../shared/node/cms/attributeOids.ts';
import {
  assembleSignedData,
  signedAttributes,
  type CmsHash,
  type CmsScheme,
  type CmsSignRequest,
} from '../../shared/node/cms/buildCms.ts';
import {
  derLength,
  derOctetString,
  derSequence,
  derSetOf,
  ecdsaRawToDer,
  tlv,
} from '../../shared/node/cms/derWriter.ts';
import { digestInfo } from '../../native-host/src/tokens/digestInfo.ts';
import { opensslCmsVerify } from '../integration/helpers/openssl.ts';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../lab/pki/testPki.ts';

const HASH_BYTES: Record<CmsHash, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const OID_DATA = '1.2.840.113549.1.7.1';

let pki: TestPki;
let dir: string;
let chainFile: string;

beforeAll(async () => {
  pki = await createTestPki();
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-cms-'));
  chainFile = path.join(dir, 'chain.pem');
  writeFileSync(
    chainFile,
    [pki.root, pki.cas.MOICA].map((c) => new X509Certificate(c.certificate).toString()).join(''),
  );
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `openssl cms -verify` of a detached signature over `document`; the exit status and output. */
const opensslVerify = (cms: Buffer, document: Buffer) => opensslCmsVerify(cms, document, chainFile);

/** Signs `toBeSigned` with the leaf's key as a card would, for each scheme. */
function cardSignature(key: KeyObject, scheme: CmsScheme, hash: CmsHash, toBeSigned: Buffer): Buffer {
  const algorithm = nodeHashName(hash);
  switch (scheme) {
    case 'pkcs1': {
      // A card's CKM_RSA_PKCS: PKCS#1 type 1 padding over the DigestInfo the host builds.
      const digest = createHash(algorithm).update(toBeSigned).digest();
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest));
    }
    case 'pss':
      return sign(algorithm, toBeSigned, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: HASH_BYTES[hash],
      });
    case 'ecdsa':
      return sign(algorithm, toBeSigned, { key, dsaEncoding: 'ieee-p1363' });
  }
}

function makeCms(
  leaf: IssuedCertificate,
  scheme: CmsScheme,
  hash: CmsHash,
  document: Buffer,
  signingTime = new Date('2025-03-01T08:09:10Z'),
): { cms: Buffer; request: CmsSignRequest; toBeSigned: Buffer } {
  const request: CmsSignRequest = {
    certificate: leaf.certificate,
    hash,
    messageDigest: createHash(nodeHashName(hash)).update(document).digest(),
    signingTime,
  };
  const { attrs, toBeSigned } = signedAttributes(request);
  const key = createPrivateKey({ key: leaf.privateKey, format: 'der', type: 'pkcs8' });
  const cms = assembleSignedData(request, attrs, scheme, cardSignature(key, scheme, hash, toBeSigned));
  return { cms, request, toBeSigned };
}

function parseSignedData(cms: Buffer): SignedData {
  const contentInfo = AsnConvert.parse(cms, ContentInfo);
  expect(contentInfo.contentType).toBe('1.2.840.113549.1.7.2');
  return AsnConvert.parse(contentInfo.content, SignedData);
}

function signedAttr(cms: Buffer, oid: string): Buffer {
  const signerInfo = parseSignedData(cms).signerInfos[0]!;
  const found = signerInfo.signedAttrs?.filter((a) => a.attrType === oid) ?? [];
  expect(found).toHaveLength(1);
  expect(found[0]!.attrValues).toHaveLength(1);
  return Buffer.from(found[0]!.attrValues[0]!);
}

/** A minimal DER reader: one TLV at `offset` (definite lengths only, as DER requires). */
interface Tlv {
  tag: number;
  /** The whole encoding. */
  bytes: Buffer;
  content: Buffer;
}
function readTlv(buf: Buffer, offset = 0): Tlv {
  const tag = buf[offset]!;
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[offset + 2 + i]!;
    header += n;
  }
  return {
    tag,
    bytes: buf.subarray(offset, offset + header + length),
    content: buf.subarray(offset + header, offset + header + length),
  };
}
function children(content: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < content.length;) {
    const t = readTlv(content, offset);
    out.push(t);
    offset += t.bytes.length;
  }
  return out;
}

const CASES: Array<[CmsScheme, CmsHash, 'citizenSign' | 'citizenEc']> = [
  ['pkcs1', 'SHA-256', 'citizenSign'],
  ['pkcs1', 'SHA-384', 'citizenSign'],
  ['pkcs1', 'SHA-512', 'citizenSign'],
  ['pss', 'SHA-256', 'citizenSign'],
  ['pss', 'SHA-384', 'citizenSign'],
  ['ecdsa', 'SHA-256', 'citizenEc'],
  ['ecdsa', 'SHA-384', 'citizenEc'],
];

describe('CMS SignedData checked by OpenSSL', () => {
  it.each(CASES)('%s with %s (%s): openssl cms -verify accepts it', (scheme, hash, leafName) => {
    const document = randomBytes(1000);
    const { cms } = makeCms(pki.leaves[leafName], scheme, hash, document);
    const result = opensslVerify(cms, document);
    expect(result.output).toContain('Verification successful');
    expect(result.status).toBe(0);
  });

  it.each(['pkcs1', 'pss'] as CmsScheme[])('%s: openssl refuses it for another document', (scheme) => {
    const document = Buffer.from('the signed document');
    const { cms } = makeCms(pki.leaves.citizenSign, scheme, 'SHA-256', document);
    expect(opensslVerify(cms, Buffer.from('another document')).status).not.toBe(0);
  });

  it('openssl refuses a signature over other signed attributes', () => {
    const document = Buffer.from('the signed document');
    const { cms: first } = makeCms(pki.leaves.citizenSign, 'pkcs1', 'SHA-256', document);
    // Same document, other signing time: splice the second signature into the first structure.
    const other = makeCms(
      pki.leaves.citizenSign,
      'pkcs1',
      'SHA-256',
      document,
      new Date('2025-04-01T00:00:00Z'),
    );
    const firstSignature = parseSignedData(first).signerInfos[0]!.signature.buffer;
    const otherSignature = parseSignedData(other.cms).signerInfos[0]!.signature.buffer;
    const spliced = Buffer.from(first);
    const at = spliced.indexOf(Buffer.from(firstSignature));
    expect(at).toBeGreaterThan(0);
    Buffer.from(otherSignature).copy(spliced, at);
    expect(opensslVerify(spliced, document).status).not.toBe(0);
  });
});

describe('signed attributes', () => {
  it('messageDigest holds the digest given by the caller', () => {
    const document = randomBytes(100);
    const { cms, request } = makeCms(pki.leaves.citizenSign, 'pkcs1', 'SHA-384', document);
    const value = AsnConvert.parse(signedAttr(cms, OIDS.messageDigest), OctetString);
    expect(Buffer.from(value.buffer).equals(Buffer.from(request.messageDigest))).toBe(true);
    expect(Buffer.from(value.buffer).equals(createHash('sha384').update(document).digest())).toBe(true);
  });

  it('contentType is id-data and signingTime is the requested time', () => {
    const time = new Date('2025-03-01T08:09:10Z');
    const { cms } = makeCms(pki.leaves.citizenSign, 'pkcs1', 'SHA-256', Buffer.from('x'), time);
    const contentType = readTlv(signedAttr(cms, OIDS.contentType));
    expect(contentType.tag).toBe(0x06);
    expect(contentType.bytes.toString('hex')).toBe('06092a864886f70d010701'); // 1.2.840.113549.1.7.1
    const signingTime = readTlv(signedAttr(cms, OIDS.signingTime));
    expect(signingTime.tag).toBe(0x17); // UTCTime
    expect(signingTime.content.toString('latin1')).toBe('250301080910Z');
  });

  it('has exactly the four attributes, as a DER-sorted SET, and the CMS carries them in that order', () => {
    const { cms, toBeSigned } = makeCms(pki.leaves.citizenSign, 'pss', 'SHA-256', Buffer.from('doc'));
    const set = readTlv(toBeSigned);
    expect(set.tag).toBe(0x31);
    expect(set.bytes.length).toBe(toBeSigned.length);
    const elements = children(set.content).map((e) => e.bytes);
    expect(elements).toHaveLength(4);
    for (let i = 1; i < elements.length; i++) {
      expect(Buffer.compare(elements[i - 1]!, elements[i]!)).toBeLessThan(0);
    }
    const inCms = parseSignedData(cms).signerInfos[0]!.signedAttrs!.map((a) =>
      Buffer.from(AsnConvert.serialize(a)),
    );
    expect(inCms).toEqual(elements);
    expect(new Set(parseSignedData(cms).signerInfos[0]!.signedAttrs!.map((a) => a.attrType))).toEqual(
      new Set([OIDS.contentType, OIDS.messageDigest, OIDS.signingTime, OIDS.signingCertificateV2]),
    );
  });

  it('the attrs returned are the same bytes and order as the SET to be signed', () => {
    const request: CmsSignRequest = {
      certificate: pki.leaves.citizenSign.certificate,
      hash: 'SHA-512',
      messageDigest: randomBytes(64),
      signingTime: new Date(),
    };
    const { attrs, toBeSigned } = signedAttributes(request);
    const encoded = attrs.map((a) => Buffer.from(AsnConvert.serialize(a)));
    expect(tlv(0x31, ...encoded).equals(toBeSigned)).toBe(true);
  });

  it('signingCertificateV2 holds the SHA-256 of the certificate, with the default algorithm left out', () => {
    const leaf = pki.leaves.citizenSign;
    const { cms } = makeCms(leaf, 'pkcs1', 'SHA-256', Buffer.from('doc'));
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
    const signingCertificate = readTlv(signedAttr(cms, OIDS.signingCertificateV2));
    expect(signingCertificate.tag).toBe(0x30);
    const certs = children(signingCertificate.content);
    expect(certs).toHaveLength(1);
    const essCertIds = children(certs[0]!.content);
    expect(essCertIds).toHaveLength(1);
    const fields = children(essCertIds[0]!.content);
    expect(fields.map((f) => f.tag)).toEqual([0x04]);
    expect(fields[0]!.content.equals(createHash('sha256').update(leaf.certificate).digest())).toBe(true);
  });

  it('signingCertificateV2 names SHA-384 and holds the SHA-384 of the certificate when hash is SHA-384', () => {
    const leaf = pki.leaves.citizenSign;
    const { cms } = makeCms(leaf, 'pkcs1', 'SHA-384', Buffer.from('doc'));
    const essCertId = children(
      children(readTlv(signedAttr(cms, OIDS.signingCertificateV2)).content)[0]!.content,
    )[0]!;
    const [algorithm, certHash] = children(essCertId.content);
    expect(algorithm!.tag).toBe(0x30);
    const oid = children(algorithm!.content)[0]!;
    expect(oid.bytes.toString('hex')).toBe('0609608648016503040202'); // 2.16.840.1.101.3.4.2.2
    expect(certHash!.tag).toBe(0x04);
    expect(certHash!.content.equals(createHash('sha384').update(leaf.certificate).digest())).toBe(true);
  });

  it.each([
    ['SHA-256', 20],
    ['SHA-256', 48],
    ['SHA-384', 32],
    ['SHA-512', 0],
  ] as Array<[CmsHash, number]>)('%s with a %i-byte messageDigest throws', (hash, length) => {
    expect(() =>
      signedAttributes({
        certificate: pki.leaves.citizenSign.certificate,
        hash,
        messageDigest: Buffer.alloc(length),
        signingTime: new Date(),
      }),
    ).toThrow(`${hash} digest must be ${HASH_BYTES[hash]} bytes`);
  });
});

describe('SignedData structure', () => {
  it('is detached, names the signer by issuer and serial, and carries the certificate', () => {
    const leaf = pki.leaves.citizenSign;
    const { cms } = makeCms(leaf, 'pkcs1', 'SHA-256', Buffer.from('doc'));
    const signedData = parseSignedData(cms);
    expect(signedData.encapContentInfo.eContentType).toBe(OID_DATA);
    expect(signedData.encapContentInfo.eContent).toBeUndefined();
    expect(signedData.digestAlgorithms.map((a) => a.algorithm)).toEqual(['2.16.840.1.101.3.4.2.1']);
    const embedded = signedData.certificates!.map((c) => Buffer.from(AsnConvert.serialize(c.certificate!)));
    expect(embedded).toEqual([leaf.certificate]);
    const signerInfo = signedData.signerInfos[0]!;
    const certificate = AsnConvert.parse(leaf.certificate, Certificate);
    const sid = signerInfo.sid.issuerAndSerialNumber!;
    expect(Buffer.from(sid.serialNumber).equals(Buffer.from(certificate.tbsCertificate.serialNumber))).toBe(
      true,
    );
    expect(AsnConvert.serialize(sid.issuer)).toEqual(AsnConvert.serialize(certificate.tbsCertificate.issuer));
  });

  it.each([
    ['pkcs1', 'SHA-256', '1.2.840.113549.1.1.11'],
    ['pkcs1', 'SHA-512', '1.2.840.113549.1.1.13'],
    ['pss', 'SHA-256', '1.2.840.113549.1.1.10'],
    ['ecdsa', 'SHA-256', '1.2.840.10045.4.3.2'],
    ['ecdsa', 'SHA-384', '1.2.840.10045.4.3.3'],
  ] as Array<[CmsScheme, CmsHash, string]>)('%s with %s: signature algorithm %s', (scheme, hash, oid) => {
    const leaf = scheme === 'ecdsa' ? pki.leaves.citizenEc : pki.leaves.citizenSign;
    const { cms } = makeCms(leaf, scheme, hash, Buffer.from('doc'));
    expect(parseSignedData(cms).signerInfos[0]!.signatureAlgorithm.algorithm).toBe(oid);
  });

  it('stores an ECDSA signature as DER that Node verifies over the signed attributes', () => {
    const leaf = pki.leaves.citizenEc;
    const { cms, toBeSigned } = makeCms(leaf, 'ecdsa', 'SHA-256', Buffer.from('doc'));
    const signature = Buffer.from(parseSignedData(cms).signerInfos[0]!.signature.buffer);
    expect(signature[0]).toBe(0x30);
    const publicKey = new X509Certificate(leaf.certificate).publicKey;
    expect(verify('sha256', toBeSigned, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
  });
});

describe('der', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8180'],
    [255, '81ff'],
    [256, '820100'],
    [65535, '82ffff'],
    [65536, '83010000'],
  ])('derLength(%i) = %s', (length, hex) => {
    expect(derLength(length).toString('hex')).toBe(hex);
  });

  it('tlv, derSequence and derOctetString wrap their content', () => {
    expect(tlv(0x02, Buffer.from([1]), Buffer.from([2])).toString('hex')).toBe('02020102');
    expect(derOctetString(Buffer.alloc(0)).toString('hex')).toBe('0400');
    const long = derOctetString(Buffer.alloc(200, 0xaa));
    expect(long.subarray(0, 3).toString('hex')).toBe('0481c8');
    expect(long.length).toBe(203);
    expect(derSequence(Buffer.from('0500', 'hex')).toString('hex')).toBe('30020500');
  });

  it('derSetOf sorts elements by their encodings, without changing the input', () => {
    const elements = [
      Buffer.from('0402bbbb', 'hex'),
      Buffer.from('020101', 'hex'),
      Buffer.from('0401aa', 'hex'),
    ];
    expect(derSetOf(elements).toString('hex')).toBe('310a0201010401aa0402bbbb');
    expect(elements[0]!.toString('hex')).toBe('0402bbbb');
  });

  describe('ecdsaRawToDer', () => {
    it('adds a leading 0 to an integer whose high bit is set', () => {
      const r = Buffer.alloc(32, 0x11);
      r[0] = 0x80;
      const s = Buffer.alloc(32, 0x22);
      s[0] = 0xff;
      const der = ecdsaRawToDer(Buffer.concat([r, s]));
      expect(der.toString('hex')).toBe(`3046022100${r.toString('hex')}022100${s.toString('hex')}`);
    });

    it('strips leading zero bytes, then keeps one 0 when the next byte has its high bit set', () => {
      const r = Buffer.alloc(32, 0x33);
      r.fill(0, 0, 3); // 00 00 00 33 …: minimal form is 33 … (29 bytes)
      const s = Buffer.alloc(32, 0x44);
      s.fill(0, 0, 2);
      s[2] = 0x90; // 00 00 90 …: minimal form is 00 90 … (31 bytes)
      const der = ecdsaRawToDer(Buffer.concat([r, s]));
      expect(der.toString('hex')).toBe(
        `3040021d${r.subarray(3).toString('hex')}021f00${s.subarray(2).toString('hex')}`,
      );
    });

    it('encodes a zero integer as a single 0 byte', () => {
      expect(ecdsaRawToDer(Buffer.alloc(64)).toString('hex')).toBe('3006020100020100');
    });

    it.each([
      ['P-256', 'sha256'],
      ['P-384', 'sha384'],
      ['P-521', 'sha512'],
    ])('%s: converted signatures verify with crypto.verify (dsaEncoding der)', (namedCurve, hash) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
      for (let i = 0; i < 40; i++) {
        const data = randomBytes(16);
        const raw = sign(hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        const der = ecdsaRawToDer(raw);
        expect(der.equals(sign(hash, data, { key: privateKey, dsaEncoding: 'der' }))).toBe(false); // random k
        expect(verify(hash, data, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
      }
    });
  });
});

/**
 * verifyCms(): detached CMS SignedData made by the openssl CLI (plain, CAdES-BES, RSA-PSS, ECDSA) with
 * the test PKI's leaves, plus hand-built DER for the attribute cases openssl cannot produce.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type LeafName, type TestPki } from '../../lab/pki/testPki.ts';
import { VerificationError, type VerificationErrorCode } from '../../shared/authtoken/errors.ts';
import { parseCertificate } from '../../shared/pki/certificateInfo.ts';
import { TrustStore } from '../../shared/node/pki/trustStore.ts';
import { verifyCms, type VerifyCmsOptions } from '../../shared/node/cms/verifyCms.ts';

const DAY = 86_400_000;
const CONTENT = Buffer.from('卡橋 CardBridge 測試文件 TEST\n', 'utf8');

let pki: TestPki;
let trust: TrustStore;
let dir: string;

beforeAll(async () => {
  pki = await createTestPki();
  trust = new TrustStore(pki.trust);
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-cms-'));
  writeFileSync(path.join(dir, 'content.bin'), CONTENT);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes the leaf's certificate and key as PEM once; returns the openssl arguments naming them. */
function signerArgs(name: LeafName): string[] {
  const leaf = pki.leaves[name];
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  writeFileSync(cert, new X509Certificate(leaf.certificate).toString());
  const pem = createPrivateKey({ key: leaf.privateKey, format: 'der', type: 'pkcs8' }).export({
    format: 'pem',
    type: 'pkcs8',
  });
  writeFileSync(key, pem);
  return ['-signer', cert, '-inkey', key];
}

let counter = 0;
/** `openssl cms -sign -binary -md sha256 … -outform DER` over CONTENT (detached unless told otherwise). */
function opensslSign(signers: LeafName | LeafName[], extra: string[] = []): Buffer {
  const out = path.join(dir, `sig-${counter++}.der`);
  const signerList = Array.isArray(signers) ? signers : [signers];
  execFileSync('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-md',
    'sha256',
    ...signerList.flatMap(signerArgs),
    '-outform',
    'DER',
    '-in',
    path.join(dir, 'content.bin'),
    '-out',
    out,
    ...extra,
  ]);
  return readFileSync(out);
}

function verify(cms: Uint8Array, options: Partial<VerifyCmsOptions> = {}) {
  const base: VerifyCmsOptions = options.digest ? { trust } : { trust, content: CONTENT };
  return verifyCms(cms, { ...base, ...options });
}

function codeOf(run: () => unknown): VerificationErrorCode | 'no error' | 'other error' {
  try {
    run();
    return 'no error';
  } catch (error) {
    return error instanceof VerificationError ? error.code : 'other error';
  }
}

/** The details.reason of an ERR_CMS_MALFORMED. */
function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as VerificationError).code).toBe('ERR_CMS_MALFORMED');
    return String((error as VerificationError).details?.reason);
  }
  return 'accepted';
}

/** DER OID content bytes of a dotted OID, as a full TLV. */
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

const OIDS = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  rsassaPss: '1.2.840.113549.1.1.10',
};

const algorithm = (dotted: string) => tlv(0x30, oid(dotted), Buffer.from([0x05, 0x00]));
const attribute = (type: string, ...values: Buffer[]) => tlv(0x30, oid(type), tlv(0x31, ...values));
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

/** The attributes openssl -cades would sign: contentType, messageDigest, signingCertificateV2. */
function defaultAttributes(leaf: IssuedCertificate, content: Buffer = CONTENT): Buffer[] {
  return [
    attribute(OIDS.contentType, oid(OIDS.data)),
    attribute(OIDS.messageDigest, tlv(0x04, sha256(content))),
    attribute(
      OIDS.signingCertificateV2,
      tlv(0x30, tlv(0x30, tlv(0x30, tlv(0x04, sha256(leaf.certificate))))),
    ),
  ];
}

interface CraftOptions {
  attributes?: Buffer[];
  /** The attributes actually signed (default: the same). */
  signed?: Buffer[];
  /** Tag used for the signed bytes (0x31 is right; 0xa0 shows the classic mistake). */
  signedTag?: number;
  /** Elements appended to the SignerInfo after the signature (only [1] unsignedAttrs is allowed). */
  signerTrailer?: Buffer[];
  /** An empty [1] crls placed before (wrong) or after (right) the [0] certificates. */
  crls?: 'before' | 'after';
}

/** A detached SignedData built by hand (sha256WithRSAEncryption, issuerAndSerialNumber). */
function craftCms(leaf: IssuedCertificate, options: CraftOptions = {}): Buffer {
  const attributes = options.attributes ?? defaultAttributes(leaf);
  const key = createPrivateKey({ key: leaf.privateKey, format: 'der', type: 'pkcs8' });
  const signature = sign('sha256', tlv(options.signedTag ?? 0x31, ...(options.signed ?? attributes)), key);
  const tbs = parseCertificate(leaf.certificate).tbsCertificate;
  const issuerAndSerial = tlv(
    0x30,
    Buffer.from(AsnConvert.serialize(tbs.issuer)),
    tlv(0x02, Buffer.from(tbs.serialNumber)),
  );
  const signerInfo = tlv(
    0x30,
    tlv(0x02, Buffer.from([1])),
    issuerAndSerial,
    algorithm(OIDS.sha256),
    tlv(0xa0, ...attributes),
    algorithm(OIDS.sha256WithRsa),
    tlv(0x04, signature),
    ...(options.signerTrailer ?? []),
  );
  const certificates = tlv(0xa0, leaf.certificate);
  const crls = tlv(0xa1);
  const optional =
    options.crls === 'before'
      ? [crls, certificates]
      : options.crls === 'after'
        ? [certificates, crls]
        : [certificates];
  const signedData = tlv(
    0x30,
    tlv(0x02, Buffer.from([1])),
    tlv(0x31, algorithm(OIDS.sha256)),
    tlv(0x30, oid(OIDS.data)),
    ...optional,
    tlv(0x31, signerInfo),
  );
  return tlv(0x30, oid(OIDS.signedData), tlv(0xa0, signedData));
}

describe('verifyCms: signatures made by openssl are accepted', () => {
  it.each([
    ['citizenSign', [], 'MOICA', 'SHA-256'],
    ['citizenSign', ['-cades'], 'MOICA', 'SHA-256'],
    ['citizenSign', ['-keyopt', 'rsa_padding_mode:pss'], 'MOICA', 'SHA-256'],
    [
      'citizenSign',
      ['-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_pss_saltlen:max'],
      'MOICA',
      'SHA-256',
    ],
    ['citizenSign', ['-md', 'sha384'], 'MOICA', 'SHA-384'],
    ['citizenSign', ['-md', 'sha512', '-cades'], 'MOICA', 'SHA-512'],
    ['citizenEc', [], 'MOICA', 'SHA-256'],
    ['citizenEc', ['-cades', '-md', 'sha384'], 'MOICA', 'SHA-384'],
    ['company', ['-cades'], 'MOEACA', 'SHA-256'],
    ['agency', ['-keyopt', 'rsa_padding_mode:pss'], 'GCA', 'SHA-256'],
    ['organisation', [], 'XCA', 'SHA-256'],
  ] as const)('%s %j', (name, extra, family, digestAlgorithm) => {
    const before = Date.now() - 2000;
    const result = verify(opensslSign(name, [...extra]));
    expect(result.certificate.equals(pki.leaves[name].certificate)).toBe(true);
    expect(result.info.family).toBe(family);
    expect(result.digestAlgorithm).toBe(digestAlgorithm);
    expect(result.chain).toHaveLength(3);
    expect(result.signingTime!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(result.signingTime!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('the CAdES and PSS variants really carry signingCertificateV2 and RSASSA-PSS', () => {
    expect(opensslSign('citizenSign', ['-cades']).includes(oid(OIDS.signingCertificateV2))).toBe(true);
    expect(opensslSign('citizenSign').includes(oid(OIDS.signingCertificateV2))).toBe(false);
    const pss = opensslSign('citizenSign', ['-keyopt', 'rsa_padding_mode:pss']);
    expect(pss.includes(oid(OIDS.rsassaPss))).toBe(true);
  });

  it('accepts the right digest instead of the content (digest-only mode)', () => {
    const cms = opensslSign('citizenSign', ['-cades']);
    const result = verify(cms, { digest: { algorithm: 'SHA-256', value: sha256(CONTENT) } });
    expect(result.info.family).toBe('MOICA');
  });
});

describe('verifyCms: rejected signatures', () => {
  it('wrong content → ERR_CMS_DIGEST_MISMATCH', () => {
    const cms = opensslSign('citizenSign');
    expect(codeOf(() => verify(cms, { content: Buffer.from('another document') }))).toBe(
      'ERR_CMS_DIGEST_MISMATCH',
    );
    expect(codeOf(() => verify(cms, { content: Buffer.concat([CONTENT, Buffer.from(' ')]) }))).toBe(
      'ERR_CMS_DIGEST_MISMATCH',
    );
  });

  it('digest-only mode with a wrong digest or another algorithm → ERR_CMS_DIGEST_MISMATCH', () => {
    const cms = opensslSign('citizenSign');
    const wrong = sha256(Buffer.from('another document'));
    expect(codeOf(() => verify(cms, { digest: { algorithm: 'SHA-256', value: wrong } }))).toBe(
      'ERR_CMS_DIGEST_MISMATCH',
    );
    const sha384 = createHash('sha384').update(CONTENT).digest();
    expect(codeOf(() => verify(cms, { digest: { algorithm: 'SHA-384', value: sha384 } }))).toBe(
      'ERR_CMS_DIGEST_MISMATCH',
    );
  });

  it.each([
    ['RSA', 'citizenSign', []],
    ['RSA-PSS', 'citizenSign', ['-keyopt', 'rsa_padding_mode:pss']],
    ['ECDSA', 'citizenEc', []],
  ] as const)('tampered %s signature → ERR_CMS_SIGNATURE', (_, name, extra) => {
    const cms = opensslSign(name, [...extra]);
    cms[cms.length - 1]! ^= 0x01; // the signature value is the last element
    expect(codeOf(() => verify(cms))).toBe('ERR_CMS_SIGNATURE');
  });

  it.each([
    ['citizenRevoked', 'ERR_CERT_REVOKED'],
    ['citizenExpired', 'ERR_CERT_EXPIRED'],
    ['citizenNotYetValid', 'ERR_CERT_NOT_YET_VALID'],
    ['citizenForeign', 'ERR_CERT_UNTRUSTED'],
    ['citizenEncrypt', 'ERR_CERT_KEY_USAGE'],
  ] as const)('signer %s → %s', (name, code) => {
    expect(codeOf(() => verify(opensslSign(name)))).toBe(code);
  });

  it('a family that is not allowed → ERR_CERT_FAMILY', () => {
    const cms = opensslSign('company');
    expect(codeOf(() => verify(cms, { families: ['MOICA'] }))).toBe('ERR_CERT_FAMILY');
  });

  it('missing or stale CRL → ERR_CRL_UNAVAILABLE', () => {
    const cms = opensslSign('citizenSign');
    const noCrls = new TrustStore({ anchors: pki.trust.anchors, intermediates: pki.trust.intermediates });
    expect(codeOf(() => verify(cms, { trust: noCrls }))).toBe('ERR_CRL_UNAVAILABLE');
    expect(verify(cms, { trust: noCrls, requireRevocationInfo: false }).info.family).toBe('MOICA');
    expect(codeOf(() => verify(cms, { now: new Date(Date.now() + 31 * DAY) }))).toBe('ERR_CRL_UNAVAILABLE');
  });

  it.each([
    ['embedded content (-nodetach)', ['-nodetach'], /embedded/],
    ['no certificates (-nocerts)', ['-nocerts'], /signer certificate is not included/],
  ])('%s → ERR_CMS_MALFORMED', (_, extra, reason) => {
    expect(reasonOf(() => verify(opensslSign('citizenSign', extra)))).toMatch(reason);
  });

  it('two signers → ERR_CMS_MALFORMED', () => {
    expect(reasonOf(() => verify(opensslSign(['citizenSign', 'company'])))).toMatch(/one signer, found 2/);
  });

  it('no signed attributes (-noattr) → ERR_CMS_ATTRIBUTES', () => {
    expect(codeOf(() => verify(opensslSign('citizenSign', ['-noattr'])))).toBe('ERR_CMS_ATTRIBUTES');
  });

  it('SHA-1 → ERR_CMS_ALGORITHM', () => {
    expect(codeOf(() => verify(opensslSign('citizenSign', ['-md', 'sha1'])))).toBe('ERR_CMS_ALGORITHM');
  });

  it.each([
    ['empty', () => Buffer.alloc(0)],
    ['garbage', () => Buffer.from('not a signature')],
    ['truncated', () => opensslSign('citizenSign').subarray(0, 500)],
    ['trailing byte', () => Buffer.concat([opensslSign('citizenSign'), Buffer.from([0])])],
    ['a certificate instead', () => pki.leaves.citizenSign.certificate],
    ['PEM instead of DER', () => Buffer.from(opensslSign('citizenSign').toString('base64'))],
  ])('%s → ERR_CMS_MALFORMED', (_, input) => {
    expect(codeOf(() => verify(input()))).toBe('ERR_CMS_MALFORMED');
  });

  it('needs exactly one of content and digest', () => {
    const cms = opensslSign('citizenSign');
    expect(() => verifyCms(cms, { trust })).toThrow(TypeError);
    expect(() =>
      verifyCms(cms, { trust, content: CONTENT, digest: { algorithm: 'SHA-256', value: sha256(CONTENT) } }),
    ).toThrow(TypeError);
  });
});

describe('verifyCms: signed attributes (hand-built CMS)', () => {
  const leaf = () => pki.leaves.citizenSign;

  it('the hand-built baseline verifies', () => {
    expect(verify(craftCms(leaf())).info.family).toBe('MOICA');
  });

  it('reads signingTime, unsigned attributes and an empty crls field', () => {
    const at = tlv(0x17, Buffer.from('261202030405Z'));
    const attributes = [...defaultAttributes(leaf()), attribute('1.2.840.113549.1.9.5', at)];
    const unsigned = tlv(0xa1, attribute('1.2.840.113549.1.9.6', tlv(0x04, Buffer.alloc(4))));
    const result = verify(craftCms(leaf(), { attributes, signerTrailer: [unsigned], crls: 'after' }));
    expect(result.signingTime?.toISOString()).toBe('2026-12-02T03:04:05.000Z');
  });

  it.each([
    ['a field after the signature that is not [1]', { signerTrailer: [tlv(0x04, Buffer.alloc(2))] }],
    ['two unsigned attribute fields', { signerTrailer: [tlv(0xa1), tlv(0xa1)] }],
    ['crls before certificates', { crls: 'before' as const }],
  ])('%s → ERR_CMS_MALFORMED', (_, options) => {
    expect(codeOf(() => verify(craftCms(leaf(), options)))).toBe('ERR_CMS_MALFORMED');
  });

  it('a signature over the [0]-tagged attributes instead of the SET → ERR_CMS_SIGNATURE', () => {
    expect(codeOf(() => verify(craftCms(leaf(), { signedTag: 0xa0 })))).toBe('ERR_CMS_SIGNATURE');
  });

  it('attributes changed after signing → ERR_CMS_SIGNATURE', () => {
    const signed = defaultAttributes(leaf());
    const shown = [...signed, attribute('1.2.840.113549.1.9.5', tlv(0x17, Buffer.from('250101000000Z')))];
    expect(codeOf(() => verify(craftCms(leaf(), { attributes: shown, signed })))).toBe('ERR_CMS_SIGNATURE');
  });

  it('a messageDigest over other content, correctly signed → ERR_CMS_DIGEST_MISMATCH', () => {
    const attributes = defaultAttributes(leaf(), Buffer.from('other'));
    expect(codeOf(() => verify(craftCms(leaf(), { attributes })))).toBe('ERR_CMS_DIGEST_MISMATCH');
  });

  it.each([
    ['no contentType', (a: Buffer[]) => [a[1]!, a[2]!]],
    [
      'contentType not id-data',
      (a: Buffer[]) => [attribute(OIDS.contentType, oid(OIDS.signedData)), a[1]!, a[2]!],
    ],
    ['no messageDigest', (a: Buffer[]) => [a[0]!, a[2]!]],
    ['messageDigest twice', (a: Buffer[]) => [...a, a[1]!]],
    [
      'messageDigest with two values',
      (a: Buffer[]) => [
        a[0]!,
        attribute(OIDS.messageDigest, tlv(0x04, sha256(CONTENT)), tlv(0x04, sha256(CONTENT))),
        a[2]!,
      ],
    ],
    [
      'messageDigest of the wrong length',
      (a: Buffer[]) => [a[0]!, attribute(OIDS.messageDigest, tlv(0x04, Buffer.alloc(20))), a[2]!],
    ],
    [
      'signingCertificateV2 naming another certificate',
      (a: Buffer[]) => [
        a[0]!,
        a[1]!,
        attribute(
          OIDS.signingCertificateV2,
          tlv(0x30, tlv(0x30, tlv(0x30, tlv(0x04, sha256(pki.leaves.company.certificate))))),
        ),
      ],
    ],
    [
      'messageDigest not an OCTET STRING',
      (a: Buffer[]) => [a[0]!, attribute(OIDS.messageDigest, tlv(0x02, sha256(CONTENT))), a[2]!],
    ],
    [
      'signingTime without seconds',
      (a: Buffer[]) => [...a, attribute('1.2.840.113549.1.9.5', tlv(0x17, Buffer.from('2612020304Z')))],
    ],
    ['an attribute that is not a SEQUENCE', (a: Buffer[]) => [...a, tlv(0x31, oid(OIDS.data))]],
    [
      'signingCertificateV2 unreadable',
      (a: Buffer[]) => [a[0]!, a[1]!, attribute(OIDS.signingCertificateV2, tlv(0x04))],
    ],
  ])('%s → ERR_CMS_ATTRIBUTES', (_, edit) => {
    const attributes = edit(defaultAttributes(leaf()));
    expect(codeOf(() => verify(craftCms(leaf(), { attributes })))).toBe('ERR_CMS_ATTRIBUTES');
  });
});

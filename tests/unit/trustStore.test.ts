/** TrustStore: chain building to an anchor, CA constraints, validity at `now`, CRLs, the leaf cache. */
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '@peculiar/x509';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../lab/pki/testPki.ts';
import { VerificationError, type VerificationErrorCode } from '../../shared/authtoken/errors.ts';
import { TrustStore } from '../../shared/node/pki/trustStore.ts';
import { resolveSignatureAlgorithm } from '../../shared/node/pki/signatureVerify.ts';
import { AsnConvert } from '@peculiar/asn1-schema';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

const DAY = 86_400_000;
let pki: TestPki;
let store: TrustStore;

beforeAll(async () => {
  pki = await createTestPki();
  store = new TrustStore(pki.trust);
}, 60_000);

function codeOf(run: () => unknown): VerificationErrorCode | 'no error' | 'other error' {
  try {
    run();
    return 'no error';
  } catch (error) {
    return error instanceof VerificationError ? error.code : 'other error';
  }
}

/** Flips one byte of the serialNumber attribute in the subject: same key, broken CA signature. */
function tamperSubject(der: Buffer): Buffer {
  const copy = Buffer.from(der);
  const at = copy.indexOf('TE0000000000000');
  expect(at).toBeGreaterThan(0);
  copy[at + 2]! ^= 0x01;
  return copy;
}

const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

async function importSigningKey(issued: IssuedCertificate, hash = 'SHA-256') {
  return webcrypto.subtle.importKey('pkcs8', issued.privateKey, { name: 'RSASSA-PKCS1-v1_5', hash }, true, [
    'sign',
  ]);
}

/** Issues a certificate under an existing test certificate (used for the constraint cases). */
async function issueUnder(
  issuer: IssuedCertificate,
  options: { subject: string; ca?: boolean; usage?: number; hash?: string; criticalExtension?: boolean },
): Promise<IssuedCertificate> {
  const keys = await webcrypto.subtle.generateKey(
    { ...RSA_SHA256, publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
    true,
    ['sign', 'verify'],
  );
  const issuerCertificate = new x509.X509Certificate(new Uint8Array(issuer.certificate));
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: createHash('sha256').update(options.subject).digest('hex').slice(0, 16),
    subject: options.subject,
    issuer: issuerCertificate.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: options.hash ?? 'SHA-256' },
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(issuer, options.hash),
    extensions: [
      new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true),
      new x509.KeyUsagesExtension(options.usage ?? x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(issuerCertificate),
      ...(options.ca ? [await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)] : []),
      // An extension no verifier knows, marked critical (value: NULL).
      ...(options.criticalExtension
        ? [new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([5, 0]))]
        : []),
    ],
  });
  return {
    name: options.subject,
    certificate: Buffer.from(certificate.rawData),
    privateKey: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    keyAlgorithm: 'RSA',
    issuer: issuerCertificate.subject,
  };
}

describe('TrustStore: valid chains', () => {
  it.each([
    ['citizenSign', 'MOICA'],
    ['citizenEncrypt', 'MOICA'],
    ['citizenEc', 'MOICA'],
    ['company', 'MOEACA'],
    ['agency', 'GCA'],
    ['organisation', 'XCA'],
  ] as const)('builds leaf → %s CA → root', (leafName, family) => {
    const leaf = pki.leaves[leafName];
    const result = store.validate(leaf.certificate, { now: new Date() });
    expect(result.chain).toHaveLength(3);
    expect(result.chain[0]!.equals(leaf.certificate)).toBe(true);
    expect(result.chain[1]!.equals(pki.cas[family].certificate)).toBe(true);
    expect(result.chain[2]!.equals(pki.root.certificate)).toBe(true);
    expect(result.info.family).toBe(family);
    expect(result.publicKey.asymmetricKeyType).toBe(leaf.keyAlgorithm === 'EC' ? 'ec' : 'rsa');
  });

  it('returns the holder attributes from describeCertificate', () => {
    const { info } = store.validate(pki.leaves.company.certificate, { now: new Date() });
    expect(info.subject.ubn).toBe('12345675');
    expect(info.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
  });

  it('accepts a sub-CA configured as an anchor (shorter chain)', () => {
    const subAnchored = new TrustStore({ anchors: [pki.cas.MOICA.certificate], crls: [pki.crls.MOICA] });
    const result = subAnchored.validate(pki.leaves.citizenSign.certificate, { now: new Date() });
    expect(result.chain).toHaveLength(2);
  });

  it('hands out copies: mutating a result does not change the next one', () => {
    const first = store.validate(pki.leaves.citizenSign.certificate, { now: new Date() });
    first.info.keyUsage.push('keyCertSign');
    first.info.subject.commonName = 'changed';
    first.info.notAfter.setTime(0);
    first.chain[0]!.fill(0);
    const second = store.validate(pki.leaves.citizenSign.certificate, { now: new Date() });
    expect(second.info.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(second.info.subject.commonName).toBe('王大明 TEST');
    expect(second.info.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(second.chain[0]!.equals(pki.leaves.citizenSign.certificate)).toBe(true);
  });
});

describe('TrustStore: rejected leaves', () => {
  it.each([
    ['citizenExpired', 'ERR_CERT_EXPIRED'],
    ['citizenNotYetValid', 'ERR_CERT_NOT_YET_VALID'],
    ['citizenRevoked', 'ERR_CERT_REVOKED'],
    ['citizenForeign', 'ERR_CERT_UNTRUSTED'],
  ] as const)('%s → %s', (leafName, code) => {
    expect(codeOf(() => store.validate(pki.leaves[leafName].certificate, { now: new Date() }))).toBe(code);
  });

  it('rejects a leaf whose CA signature no longer matches (tampered subject)', () => {
    const tampered = tamperSubject(pki.leaves.citizenSign.certificate);
    expect(codeOf(() => store.validate(tampered, { now: new Date() }))).toBe('ERR_CERT_UNTRUSTED');
  });

  it('rejects a leaf when its CA is not in the store', () => {
    const rootOnly = new TrustStore({ anchors: pki.trust.anchors });
    const validate = () => rootOnly.validate(pki.leaves.citizenSign.certificate, { now: new Date() });
    expect(codeOf(validate)).toBe('ERR_CERT_UNTRUSTED');
  });

  it('trusts the ROGUE chain only when ROGUE is an anchor', () => {
    const rogue = new TrustStore({ anchors: [pki.cas.ROGUE.certificate] });
    const options = { now: new Date(), requireRevocationInfo: false };
    expect(rogue.validate(pki.leaves.citizenForeign.certificate, options).info.family).toBe('OTHER');
    expect(codeOf(() => rogue.validate(pki.leaves.citizenSign.certificate, options))).toBe(
      'ERR_CERT_UNTRUSTED',
    );
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['garbage', Buffer.from('not a certificate')],
    ['a truncated certificate', () => pki.leaves.citizenSign.certificate.subarray(0, 300)],
    ['trailing bytes', () => Buffer.concat([pki.leaves.citizenSign.certificate, Buffer.from([0])])],
    [
      'PEM text',
      () =>
        Buffer.from(
          `-----BEGIN CERTIFICATE-----\n${pki.leaves.citizenSign.certificate.toString('base64')}\n-----END CERTIFICATE-----\n`,
        ),
    ],
  ])('rejects %s as ERR_CERT_MALFORMED', (_, input) => {
    const der = typeof input === 'function' ? input() : input;
    expect(codeOf(() => store.validate(der, { now: new Date() }))).toBe('ERR_CERT_MALFORMED');
  });

  it('refuses a CA certificate as a leaf', () => {
    expect(codeOf(() => store.validate(pki.cas.MOICA.certificate, { now: new Date() }))).toBe(
      'ERR_CERT_KEY_USAGE',
    );
  });

  it('refuses an issuer without keyCertSign, and a CA past its path length', async () => {
    const options = { now: new Date(), requireRevocationInfo: false };
    const reasonOf = (store: TrustStore, der: Buffer) => {
      try {
        store.validate(der, options);
      } catch (error) {
        expect(error).toBeInstanceOf(VerificationError);
        expect((error as VerificationError).code).toBe('ERR_CERT_UNTRUSTED');
        return String((error as VerificationError).details?.reason);
      }
      return 'accepted';
    };
    // A CA certificate under the root whose key usage lacks keyCertSign.
    const noCertSign = await issueUnder(pki.root, {
      subject: 'C=TW, CN=TEST CA without keyCertSign',
      ca: true,
      usage: x509.KeyUsageFlags.cRLSign,
    });
    const underNoCertSign = await issueUnder(noCertSign, { subject: 'C=TW, CN=TEST under no keyCertSign' });
    // MOICA (pathLen 0) issues a sub-CA, which issues a leaf: one CA too many below MOICA.
    const subCa = await issueUnder(pki.cas.MOICA, {
      subject: 'C=TW, CN=TEST sub-sub CA',
      ca: true,
      usage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    });
    const deep = await issueUnder(subCa, { subject: 'C=TW, CN=TEST too deep' });
    const wide = new TrustStore({
      anchors: pki.trust.anchors,
      intermediates: [...pki.trust.intermediates, subCa.certificate, noCertSign.certificate],
    });
    expect(reasonOf(wide, underNoCertSign.certificate)).toMatch(/keyCertSign/);
    expect(reasonOf(wide, deep.certificate)).toMatch(/path length/);
    // A non-CA certificate cannot even be configured as an intermediate.
    expect(
      () =>
        new TrustStore({ anchors: pki.trust.anchors, intermediates: [pki.leaves.citizenSign.certificate] }),
    ).toThrow(/not a CA/);
  }, 30_000);

  it('refuses a leaf with an unknown critical extension', async () => {
    const leaf = await issueUnder(pki.cas.MOICA, {
      subject: 'C=TW, CN=TEST critical',
      criticalExtension: true,
    });
    const options = { now: new Date(), requireRevocationInfo: false };
    let error: unknown;
    try {
      store.validate(leaf.certificate, options);
    } catch (caught) {
      error = caught;
    }
    expect((error as VerificationError).code).toBe('ERR_CERT_UNTRUSTED');
    expect(String((error as VerificationError).details?.reason)).toMatch(
      /critical extension 1.3.6.1.4.1.99999.1/,
    );
  }, 30_000);

  it('refuses a leaf signed with SHA-1', async () => {
    const sha1 = await issueUnder(pki.cas.MOICA, { subject: 'C=TW, CN=TEST SHA-1', hash: 'SHA-1' });
    const options = { now: new Date(), requireRevocationInfo: false };
    let error: unknown;
    try {
      store.validate(sha1.certificate, options);
    } catch (caught) {
      error = caught;
    }
    expect((error as VerificationError).code).toBe('ERR_CERT_UNTRUSTED');
    expect(String((error as VerificationError).details?.reason)).toMatch(/unsupported signature algorithm/);
  }, 30_000);
});

describe('TrustStore: time is checked on every call, also for cached leaves', () => {
  it('the same leaf is valid now, not yet valid before notBefore and expired after notAfter', () => {
    const local = new TrustStore(pki.trust);
    const leaf = pki.leaves.citizenSign.certificate;
    const { info } = local.validate(leaf, { now: new Date() });
    expect(local.cachedLeaves).toBe(1);
    const before = new Date(info.notBefore.getTime() - 1000);
    const after = new Date(info.notAfter.getTime() + 1000);
    expect(codeOf(() => local.validate(leaf, { now: before, requireRevocationInfo: false }))).toBe(
      'ERR_CERT_NOT_YET_VALID',
    );
    expect(codeOf(() => local.validate(leaf, { now: after, requireRevocationInfo: false }))).toBe(
      'ERR_CERT_EXPIRED',
    );
    expect(local.cachedLeaves).toBe(1);
  });

  it('rejects an invalid `now`', () => {
    expect(() => store.validate(pki.leaves.citizenSign.certificate, { now: new Date(Number.NaN) })).toThrow(
      TypeError,
    );
  });

  it('keeps at most cacheSize leaves', () => {
    const small = new TrustStore(pki.trust, { cacheSize: 2 });
    for (const name of ['citizenSign', 'company', 'agency', 'organisation'] as const) {
      small.validate(pki.leaves[name].certificate, { now: new Date() });
    }
    expect(small.cachedLeaves).toBe(2);
    expect(small.validate(pki.leaves.citizenSign.certificate, { now: new Date() }).info.family).toBe('MOICA');
  });
});

describe('TrustStore: revocation information', () => {
  const leaf = () => pki.leaves.citizenSign.certificate;

  it('requires a CRL for the leaf CA by default', () => {
    const noCrls = new TrustStore({ anchors: pki.trust.anchors, intermediates: pki.trust.intermediates });
    expect(codeOf(() => noCrls.validate(leaf(), { now: new Date() }))).toBe('ERR_CRL_UNAVAILABLE');
    expect(noCrls.validate(leaf(), { now: new Date(), requireRevocationInfo: false }).chain).toHaveLength(3);
  });

  it('requires the CRL of the right CA', () => {
    const otherCrls = new TrustStore({ ...pki.trust, crls: [pki.crls.MOEACA, pki.crls.GCA] });
    expect(codeOf(() => otherCrls.validate(leaf(), { now: new Date() }))).toBe('ERR_CRL_UNAVAILABLE');
  });

  it('treats a CRL past nextUpdate or before thisUpdate as unavailable', () => {
    const stale = new Date(Date.now() + 31 * DAY);
    const early = new Date(Date.now() - 2 * DAY);
    expect(codeOf(() => store.validate(leaf(), { now: stale }))).toBe('ERR_CRL_UNAVAILABLE');
    expect(codeOf(() => store.validate(leaf(), { now: early }))).toBe('ERR_CRL_UNAVAILABLE');
    expect(store.validate(leaf(), { now: stale, requireRevocationInfo: false }).chain).toHaveLength(3);
  });

  it('still reports a listed certificate as revoked when the CRL is stale', () => {
    const stale = new Date(Date.now() + 31 * DAY);
    const revoked = pki.leaves.citizenRevoked.certificate;
    expect(codeOf(() => store.validate(revoked, { now: stale, requireRevocationInfo: false }))).toBe(
      'ERR_CERT_REVOKED',
    );
  });

  it('refuses a CRL that no CA of the store signed', () => {
    expect(() => new TrustStore({ anchors: pki.trust.anchors, crls: [pki.crls.MOICA] })).toThrow(
      /not signed/,
    );
    const tampered = Buffer.from(pki.crls.MOICA);
    tampered[tampered.length - 1]! ^= 0x01;
    expect(() => new TrustStore({ ...pki.trust, crls: [tampered] })).toThrow(/not signed/);
    expect(() => new TrustStore({ ...pki.trust, crls: [Buffer.from('junk')] })).toThrow(/cannot parse a CRL/);
  });

  it('refuses a non-CA anchor and an empty anchor list', () => {
    expect(() => new TrustStore({ anchors: [pki.leaves.citizenSign.certificate] })).toThrow(/not a CA/);
    expect(() => new TrustStore({ anchors: [] })).toThrow(/anchor/);
  });
});

describe('resolveSignatureAlgorithm', () => {
  it('knows SHA-2 RSA and ECDSA and refuses SHA-1 and MD5', () => {
    const alg = (oid: string) => new AlgorithmIdentifier({ algorithm: oid, parameters: null });
    expect(resolveSignatureAlgorithm(alg('1.2.840.113549.1.1.11'))).toEqual({
      hash: 'SHA-256',
      scheme: 'pkcs1',
    });
    expect(resolveSignatureAlgorithm(alg('1.2.840.10045.4.3.3'))).toEqual({
      hash: 'SHA-384',
      scheme: 'ecdsa',
    });
    expect(resolveSignatureAlgorithm(alg('1.2.840.113549.1.1.5'))).toBeUndefined(); // sha1WithRSA
    expect(resolveSignatureAlgorithm(alg('1.2.840.113549.1.1.4'))).toBeUndefined(); // md5WithRSA
    expect(resolveSignatureAlgorithm(alg('1.2.840.113549.1.1.10'))).toBeUndefined(); // PSS without params
    expect(resolveSignatureAlgorithm(alg('1.2.840.113549.1.1.1'), 'SHA-512')).toEqual({
      hash: 'SHA-512',
      scheme: 'pkcs1',
    });
  });

  it('reads RSASSA-PSS parameters and refuses SHA-1 defaults or a mask hash that differs', () => {
    const hashId = (oid: string) => new AlgorithmIdentifier({ algorithm: oid, parameters: null });
    const pss = (hash: string, mgfHash: string, saltLength: number) =>
      new AlgorithmIdentifier({
        algorithm: '1.2.840.113549.1.1.10',
        parameters: AsnConvert.serialize(
          new RsaSaPssParams({
            hashAlgorithm: hashId(hash),
            maskGenAlgorithm: new AlgorithmIdentifier({
              algorithm: '1.2.840.113549.1.1.8',
              parameters: AsnConvert.serialize(hashId(mgfHash)),
            }),
            saltLength,
          }),
        ),
      });
    const sha256 = '2.16.840.1.101.3.4.2.1';
    const sha384 = '2.16.840.1.101.3.4.2.2';
    expect(resolveSignatureAlgorithm(pss(sha256, sha256, 32))).toEqual({
      hash: 'SHA-256',
      scheme: 'pss',
      saltLength: 32,
    });
    expect(resolveSignatureAlgorithm(pss(sha384, sha384, 48))).toEqual({
      hash: 'SHA-384',
      scheme: 'pss',
      saltLength: 48,
    });
    expect(resolveSignatureAlgorithm(pss(sha256, sha384, 32))).toBeUndefined();
    expect(resolveSignatureAlgorithm(pss('1.3.14.3.2.26', '1.3.14.3.2.26', 20))).toBeUndefined(); // SHA-1
    const defaults = new AlgorithmIdentifier({
      algorithm: '1.2.840.113549.1.1.10',
      parameters: AsnConvert.serialize(new RsaSaPssParams()),
    });
    expect(resolveSignatureAlgorithm(defaults)).toBeUndefined();
  });
});

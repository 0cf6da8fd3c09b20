/**
 * Certificates and signatures through the built host, SoftHSM tokens (real PKCS#11) and PKCS#12
 * files, checked independently with OpenSSL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerificationError } from '../../shared/authtoken/errors.ts';
import { NonceStore } from '../../shared/node/authtoken/nonceStore.ts';
import { verifyAuthToken } from '../../shared/node/authtoken/verifyAuthToken.ts';
import { ecdsaRawToDer } from '../../shared/node/cms/derWriter.ts';
import { verifyCms } from '../../shared/node/cms/verifyCms.ts';
import { TrustStore } from '../../shared/node/pki/trustStore.ts';
import { createTestPki, TEST_IDENTITIES, type TestPki } from '../../lab/pki/testPki.ts';
import { LAB_TOKENS, SoftHsmLab } from '../../lab/softhsm.ts';
import { HostProcess } from './helpers/hostProcess.ts';
import {
  openssl,
  opensslCmsVerify,
  opensslDgstVerify,
  pem,
  publicKeyPem,
  tempFile,
} from './helpers/openssl.ts';

interface Listed {
  id: string;
  token: { kind: string; label: string; serial: string; source: string };
  certificate: string;
  family: string;
  subject: { commonName: string; ubn?: string; organizationId?: string; idLast4?: string };
  issuer: string;
  notAfter: string;
  keyUsage: string[];
  pinpad: boolean;
}

const ORIGIN = 'https://eservice.nhi.gov.tw';
const CITIZEN_PIN = LAB_TOKENS[0]!.pin;
const P12_PASSWORD = 'TEST-p12-密碼';

let pki: TestPki;
let hsm: SoftHsmLab;
let p12: string;
let crashing: string;
let host: HostProcess;
let certificates: Listed[];
let chainFile: string;

function env(extra: Record<string, string> = {}) {
  return {
    ...hsm.env,
    PCSCLITE_CSOCK_NAME: '/nonexistent/pcscd.comm',
    CARDBRIDGE_PKCS11_MODULES: [hsm.module, crashing, '/nonexistent/libmissing-pkcs11.so'].join(':'),
    CARDBRIDGE_PKCS12_FILES: p12,
    ...extra,
  };
}

const byLeaf = (commonName: string, usage = 'digitalSignature', kind = 'pkcs11') =>
  certificates.find(
    (c) => c.subject.commonName === commonName && c.keyUsage.includes(usage) && c.token.kind === kind,
  )!;
const citizen = () => byLeaf(TEST_IDENTITIES.citizen.name);
const nonce = () => randomBytes(32).toString('base64');

beforeAll(async () => {
  pki = await createTestPki();
  hsm = SoftHsmLab.create(pki);
  p12 = hsm.writePkcs12('company', pki.leaves.company, [pki.cas.MOEACA], P12_PASSWORD);
  crashing = hsm.crashingModule();
  chainFile = tempFile(
    'chain.pem',
    [pki.root, pki.cas.MOICA, pki.cas.MOEACA, pki.cas.GCA, pki.cas.XCA]
      .map((c) => pem(c.certificate))
      .join(''),
  );
  host = new HostProcess({ env: env() });
  const listed = await host.request('certificates.list');
  certificates = (listed.result as { certificates: Listed[] }).certificates;
}, 60_000);

afterAll(async () => {
  await host?.close();
  hsm?.dispose();
});

describe('listing', () => {
  it('lists every certificate of every token, classified by family with its holder attributes', () => {
    const fromHsm = certificates.filter((c) => c.token.kind === 'pkcs11');
    expect(fromHsm).toHaveLength(LAB_TOKENS.flatMap((t) => t.objects).length);
    expect(citizen()).toMatchObject({ family: 'MOICA', subject: { idLast4: '6789' }, pinpad: false });
    expect(byLeaf(TEST_IDENTITIES.company.name)).toMatchObject({
      family: 'MOEACA',
      subject: { ubn: TEST_IDENTITIES.company.ubn },
    });
    expect(byLeaf(TEST_IDENTITIES.agency.name)).toMatchObject({
      family: 'GCA',
      subject: { organizationId: TEST_IDENTITIES.agency.organizationId },
    });
    expect(byLeaf(TEST_IDENTITIES.organisation.name).family).toBe('XCA');
    expect(byLeaf('外來 TEST').family).toBe('OTHER');
    // A citizen card holds a signature and an encryption certificate.
    expect(byLeaf(TEST_IDENTITIES.citizen.name, 'keyEncipherment').keyUsage).not.toContain(
      'digitalSignature',
    );
    expect(Buffer.from(citizen().certificate, 'base64').equals(pki.leaves.citizenSign.certificate)).toBe(
      true,
    );
  });

  it('lists the certificate of a PKCS#12 file without its password', () => {
    const fromFile = byLeaf(TEST_IDENTITIES.company.name, 'digitalSignature', 'pkcs12');
    expect(fromFile).toMatchObject({ family: 'MOEACA', token: { kind: 'pkcs12', source: p12 } });
  });

  it('gives the same ids after a restart', async () => {
    const again = new HostProcess({ env: env() });
    const listed = ((await again.request('certificates.list')).result as { certificates: Listed[] })
      .certificates;
    await again.close();
    expect(listed.map((c) => c.id).sort()).toEqual(certificates.map((c) => c.id).sort());
  });

  it('reports a module that fails to load and one that crashes, and keeps the others working', async () => {
    const status = (await host.request('status')).result as {
      tokens: Array<{ source: string; error?: string; tokens: Array<{ label: string }> }>;
    };
    const bySource = new Map(status.tokens.map((t) => [t.source, t]));
    expect(bySource.get('/nonexistent/libmissing-pkcs11.so')?.error).toMatch(/cannot (load|open)/);
    expect(bySource.get(crashing)?.error).toMatch(/SIGSEGV|stopped/);
    expect(bySource.get(hsm.module)?.error).toBeUndefined();
    expect(
      bySource
        .get(hsm.module)
        ?.tokens.map((t) => t.label)
        .sort(),
    ).toEqual(LAB_TOKENS.map((t) => t.label).sort());
    expect(bySource.get(p12)?.tokens).toHaveLength(1);
    expect(host.child.exitCode).toBeNull();
  });
});

describe('authenticate', () => {
  const signingInput = (hash: string, origin: string, challenge: string) => {
    const h = (s: string) => createHash(hash).update(s, 'utf8').digest();
    return Buffer.concat([h(origin), h(challenge)]);
  };

  it('makes an RS256 web-eid:1.0 token whose signature OpenSSL verifies over H(origin) ‖ H(nonce)', async () => {
    const challenge = nonce();
    const reply = await host.request('authenticate', {
      origin: ORIGIN,
      challengeNonce: challenge,
      certificateId: citizen().id,
      pin: CITIZEN_PIN,
    });
    const token = reply.result as {
      format: string;
      algorithm: string;
      signature: string;
      unverifiedCertificate: string;
      appVersion: string;
    };
    expect(token).toMatchObject({
      format: 'web-eid:1.0',
      algorithm: 'RS256',
      unverifiedCertificate: citizen().certificate,
    });
    expect(token.appVersion).toMatch(/^cardbridge-host\//);
    const check = opensslDgstVerify(
      pki.leaves.citizenSign.certificate,
      'sha256',
      Buffer.from(token.signature, 'base64'),
      signingInput('sha256', ORIGIN, challenge),
    );
    expect(check.output).toContain('Verified OK');
    // The same signature does not verify for another origin.
    const other = opensslDgstVerify(
      pki.leaves.citizenSign.certificate,
      'sha256',
      Buffer.from(token.signature, 'base64'),
      signingInput('sha256', 'https://evil.example', challenge),
    );
    expect(other.status).not.toBe(0);
  });

  it('makes an ES256 token with a raw r‖s signature on an EC key', async () => {
    const challenge = nonce();
    const ec = byLeaf(`${TEST_IDENTITIES.citizen.name} EC`);
    const token = (
      await host.request('authenticate', {
        origin: ORIGIN,
        challengeNonce: challenge,
        certificateId: ec.id,
        pin: CITIZEN_PIN,
      })
    ).result as { algorithm: string; signature: string };
    expect(token.algorithm).toBe('ES256');
    const raw = Buffer.from(token.signature, 'base64');
    expect(raw).toHaveLength(64);
    const check = opensslDgstVerify(
      pki.leaves.citizenEc.certificate,
      'sha256',
      ecdsaRawToDer(raw),
      signingInput('sha256', ORIGIN, challenge),
    );
    expect(check.output).toContain('Verified OK');
  });

  it('refuses a wrong PIN with ERR_PIN_INCORRECT, then works with the right one', async () => {
    const wrong = await host.request('authenticate', {
      origin: ORIGIN,
      challengeNonce: nonce(),
      certificateId: citizen().id,
      pin: '000000',
    });
    expect(wrong.error?.code).toBe('ERR_PIN_INCORRECT');
    const right = await host.request('authenticate', {
      origin: ORIGIN,
      challengeNonce: nonce(),
      certificateId: citizen().id,
      pin: CITIZEN_PIN,
    });
    expect(right.result).toMatchObject({ format: 'web-eid:1.0' });
  });

  it('refuses origins that are not https://host[:port], unless configured for development', async () => {
    for (const origin of [
      'http://eservice.nhi.gov.tw',
      'https://eservice.nhi.gov.tw/login',
      'null',
      'chrome-extension://abc',
    ]) {
      const reply = await host.request('authenticate', {
        origin,
        challengeNonce: nonce(),
        certificateId: citizen().id,
        pin: CITIZEN_PIN,
      });
      expect(reply.error?.code, origin).toBe('ERR_ORIGIN_NOT_ALLOWED');
    }
    const dev = new HostProcess({ env: env({ CARDBRIDGE_DEV_ORIGINS: 'http://127.0.0.1:8443' }) });
    const reply = await dev.request('authenticate', {
      origin: 'http://127.0.0.1:8443',
      challengeNonce: nonce(),
      certificateId: citizen().id,
      pin: CITIZEN_PIN,
    });
    await dev.close();
    expect(reply.result).toMatchObject({ format: 'web-eid:1.0' });
  });

  it('refuses a nonce shorter than 44 characters and an unknown certificate', async () => {
    const short = await host.request('authenticate', {
      origin: ORIGIN,
      challengeNonce: 'c2hvcnQ=',
      certificateId: citizen().id,
      pin: CITIZEN_PIN,
    });
    expect(short.error?.code).toBe('ERR_BAD_REQUEST');
    const missing = await host.request('authenticate', {
      origin: ORIGIN,
      challengeNonce: nonce(),
      certificateId: 'f'.repeat(32),
      pin: CITIZEN_PIN,
    });
    expect(missing.error?.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
  });
});

describe('sign', () => {
  const document = Buffer.from('TEST 投保單位加保申報 2026-11 第 1 頁', 'utf8');
  const sha = (alg: string) => createHash(alg).update(document).digest();

  it('makes raw PKCS#1 v1.5 and PSS signatures of a hash that OpenSSL verifies', async () => {
    for (const padding of ['pkcs1', 'pss'] as const) {
      const reply = await host.request('sign', {
        origin: ORIGIN,
        certificateId: citizen().id,
        pin: CITIZEN_PIN,
        hash: sha('sha256').toString('base64'),
        hashFunction: 'SHA-256',
        format: 'raw',
        padding,
      });
      const result = reply.result as { signature: string; algorithm: string };
      expect(result.algorithm).toBe(padding === 'pkcs1' ? 'RS256' : 'PS256');
      const check = openssl([
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        tempFile('pub.pem', publicKeyPem(pki.leaves.citizenSign.certificate)),
        '-in',
        tempFile('hash.bin', sha('sha256')),
        '-sigfile',
        tempFile('sig.bin', Buffer.from(result.signature, 'base64')),
        '-pkeyopt',
        'digest:sha256',
        ...(padding === 'pss' ? ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'rsa_pss_saltlen:32'] : []),
      ]);
      expect(check.output, padding).toContain('Signature Verified Successfully');
    }
  });

  const cmsCases = [
    {
      name: 'RSA PKCS#1 v1.5, SHA-256 (SoftHSM)',
      leaf: () => citizen(),
      pin: CITIZEN_PIN,
      hash: 'SHA-256',
      padding: 'pkcs1',
    },
    {
      name: 'RSA PSS, SHA-384 (SoftHSM)',
      leaf: () => citizen(),
      pin: CITIZEN_PIN,
      hash: 'SHA-384',
      padding: 'pss',
    },
    {
      name: 'ECDSA P-256, SHA-256 (SoftHSM)',
      leaf: () => byLeaf(`${TEST_IDENTITIES.citizen.name} EC`),
      pin: CITIZEN_PIN,
      hash: 'SHA-256',
    },
    {
      name: 'RSA, SHA-512 (MOEACA card)',
      leaf: () => byLeaf(TEST_IDENTITIES.company.name),
      pin: LAB_TOKENS[1]!.pin,
      hash: 'SHA-512',
    },
    {
      name: 'RSA, SHA-256 (PKCS#12 file)',
      leaf: () => byLeaf(TEST_IDENTITIES.company.name, 'digitalSignature', 'pkcs12'),
      pin: P12_PASSWORD,
      hash: 'SHA-256',
    },
  ] as const;

  for (const c of cmsCases) {
    it(`makes a detached CMS that openssl cms -verify accepts: ${c.name}`, async () => {
      const nodeHash = c.hash.replace('-', '').toLowerCase();
      const reply = await host.request('sign', {
        origin: ORIGIN,
        certificateId: c.leaf().id,
        pin: c.pin,
        hash: sha(nodeHash).toString('base64'),
        hashFunction: c.hash,
        format: 'cms',
        ...('padding' in c ? { padding: c.padding } : {}),
      });
      expect(reply.error).toBeUndefined();
      const cms = Buffer.from((reply.result as { cms: string }).cms, 'base64');
      const cmsFile = tempFile('sig.p7s', cms);
      const verified = opensslCmsVerify(cms, document, chainFile);
      expect(verified.output).toContain('Verification successful');
      // Signed attributes as the contract wants them.
      const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', cmsFile]).output;
      for (const attribute of [
        'contentType',
        'messageDigest',
        'signingTime',
        'id-smime-aa-signingCertificateV2',
      ]) {
        expect(printed).toContain(attribute);
      }
      // A different document does not verify.
      const tampered = opensslCmsVerify(cms, Buffer.from('other'), chainFile);
      expect(tampered.status).not.toBe(0);
    });
  }

  it('refuses a wrong PKCS#12 password and a hash whose length does not fit its function', async () => {
    const file = byLeaf(TEST_IDENTITIES.company.name, 'digitalSignature', 'pkcs12');
    const wrong = await host.request('sign', {
      origin: ORIGIN,
      certificateId: file.id,
      pin: 'not-it',
      hash: sha('sha256').toString('base64'),
      hashFunction: 'SHA-256',
      format: 'raw',
    });
    expect(wrong.error?.code).toBe('ERR_PIN_INCORRECT');
    const mismatch = await host.request('sign', {
      origin: ORIGIN,
      certificateId: citizen().id,
      pin: CITIZEN_PIN,
      hash: sha('sha256').toString('base64'),
      hashFunction: 'SHA-512',
      format: 'raw',
    });
    expect(mismatch.error?.code).toBe('ERR_BAD_REQUEST');
  });

  it('never writes a PIN or password to the log', () => {
    const log = readFileSync(host.logFile, 'utf8');
    expect(log).toContain('signature for');
    for (const secret of [CITIZEN_PIN, P12_PASSWORD, LAB_TOKENS[1]!.pin]) expect(log).not.toContain(secret);
  });
});

describe('the shared verifiers accept what the host makes, and refuse what they must', () => {
  let trust: TrustStore;
  beforeAll(() => {
    trust = new TrustStore(pki.trust);
  });

  const login = async (certificateId: string, challenge: string) =>
    (
      await host.request('authenticate', {
        origin: ORIGIN,
        challengeNonce: challenge,
        certificateId,
        pin: CITIZEN_PIN,
      })
    ).result;

  it('verifies a host-made RS256 and ES256 token for the right origin and nonce', async () => {
    for (const certificate of [citizen(), byLeaf(`${TEST_IDENTITIES.citizen.name} EC`)]) {
      const nonces = new NonceStore();
      const challenge = nonces.issue();
      const token = await login(certificate.id, challenge);
      nonces.consume(challenge);
      const verified = await verifyAuthToken(token, { origin: ORIGIN, nonce: challenge, trust });
      expect(verified.info).toMatchObject({ family: 'MOICA', subject: { idLast4: '6789' } });
      // The same token for another site, or replayed with its nonce already used, is refused.
      await expect(
        verifyAuthToken(token, { origin: 'https://edesk.nhi.gov.tw', nonce: challenge, trust }),
      ).rejects.toThrow(VerificationError);
      expect(() => nonces.consume(challenge)).toThrow(VerificationError);
    }
  });

  it('refuses tokens from revoked, expired, not-yet-valid and foreign certificates', async () => {
    const cases: Array<[string, string]> = [
      ['已廢止 TEST', 'ERR_CERT_REVOKED'],
      ['過期 TEST', 'ERR_CERT_EXPIRED'],
      ['未生效 TEST', 'ERR_CERT_NOT_YET_VALID'],
      ['外來 TEST', 'ERR_CERT_UNTRUSTED'],
    ];
    for (const [commonName, code] of cases) {
      const challenge = nonce();
      const token = (
        await host.request('authenticate', {
          origin: ORIGIN,
          challengeNonce: challenge,
          certificateId: byLeaf(commonName).id,
          pin: LAB_TOKENS[4]!.pin,
        })
      ).result;
      let caught: unknown;
      try {
        await verifyAuthToken(token, { origin: ORIGIN, nonce: challenge, trust });
      } catch (error) {
        caught = error;
      }
      expect((caught as VerificationError | undefined)?.code, commonName).toBe(code);
    }
  });

  it('verifies a host-made CMS for the document, and refuses it for another', async () => {
    const document = Buffer.from('TEST 退保申報表', 'utf8');
    const reply = await host.request('sign', {
      origin: ORIGIN,
      certificateId: byLeaf(TEST_IDENTITIES.company.name).id,
      pin: LAB_TOKENS[1]!.pin,
      hash: createHash('sha256').update(document).digest('base64'),
      hashFunction: 'SHA-256',
      format: 'cms',
    });
    const cms = Buffer.from((reply.result as { cms: string }).cms, 'base64');
    const verified = verifyCms(cms, { content: document, trust });
    expect(verified.info).toMatchObject({ family: 'MOEACA', subject: { ubn: TEST_IDENTITIES.company.ubn } });
    expect(() => verifyCms(cms, { content: Buffer.from('other'), trust })).toThrow(VerificationError);
  });
});

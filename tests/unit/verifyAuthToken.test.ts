/**
 * verifyAuthToken(): `web-eid:1.0` login tokens signed with the test PKI's leaf keys through Node's
 * crypto, accepted and rejected with the specific verifier error codes.
 */
import { constants, createHash, createPrivateKey, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type LeafName, type TestPki } from '../../lab/pki/testPki.ts';
import {
  VERIFICATION_ERROR_CODES,
  VERIFICATION_ERROR_MESSAGES,
  VerificationError,
  type VerificationErrorCode,
} from '../../shared/authtoken/errors.ts';
import { NonceStore } from '../../shared/node/authtoken/nonceStore.ts';
import { loginSigningInput } from '../../shared/authtoken/loginBinding.ts';
import { AUTH_TOKEN_LIMITS, type TokenAlgorithm } from '../../shared/authtoken/token.ts';
import { isValidPortalOrigin } from '../../shared/protocol/origin.ts';
import { verifyAuthToken, type VerifyAuthTokenOptions } from '../../shared/node/authtoken/verifyAuthToken.ts';
import { ERROR_CODES } from '../../shared/protocol/errors.ts';
import { TrustStore } from '../../shared/node/pki/trustStore.ts';
import { signAuthToken } from '../../lab/pki/signToken.ts';

const ORIGIN = 'https://eservice.example.tw';
const NONCE = Buffer.alloc(32, 0x5a).toString('base64');
const DAY = 86_400_000;

let pki: TestPki;
let trust: TrustStore;

beforeAll(async () => {
  pki = await createTestPki();
  trust = new TrustStore(pki.trust);
}, 60_000);

interface TokenOptions {
  algorithm?: TokenAlgorithm;
  origin?: string;
  nonce?: string;
  /** Sign with this leaf's key but present `leaf`'s certificate. */
  keyOf?: IssuedCertificate;
}

/** What the extension would send: H(origin) ‖ H(nonce) signed with the leaf's key. */
const makeToken = (leaf: IssuedCertificate, options: TokenOptions = {}) =>
  signAuthToken(leaf, { ...options, origin: options.origin ?? ORIGIN, nonce: options.nonce ?? NONCE });

function verify(token: unknown, options: Partial<VerifyAuthTokenOptions> = {}) {
  return verifyAuthToken(token, { origin: ORIGIN, nonce: NONCE, trust, ...options });
}

async function codeOf(run: () => unknown): Promise<VerificationErrorCode | 'no error' | 'other error'> {
  try {
    await run();
    return 'no error';
  } catch (error) {
    return error instanceof VerificationError ? error.code : 'other error';
  }
}

describe('verifyAuthToken: valid tokens', () => {
  it.each([
    ['citizenSign', 'RS256', 'MOICA'],
    ['citizenSign', 'PS256', 'MOICA'],
    ['citizenEc', 'ES256', 'MOICA'],
    ['company', 'RS256', 'MOEACA'],
    ['company', 'PS256', 'MOEACA'],
    ['agency', 'RS256', 'GCA'],
    ['agency', 'PS256', 'GCA'],
    ['organisation', 'RS256', 'XCA'],
    ['organisation', 'PS256', 'XCA'],
    ['citizenSign', 'RS384', 'MOICA'],
    ['citizenSign', 'RS512', 'MOICA'],
    ['citizenSign', 'PS384', 'MOICA'],
    ['citizenSign', 'PS512', 'MOICA'],
  ] as const)('%s with %s (%s)', async (leafName: LeafName, algorithm: TokenAlgorithm, family) => {
    const leaf = pki.leaves[leafName];
    const result = await verify(await makeToken(leaf, { algorithm }));
    expect(result.certificate.equals(leaf.certificate)).toBe(true);
    expect(result.info.family).toBe(family);
    expect(result.chain).toHaveLength(3);
    expect(result.chain[2]!.equals(pki.root.certificate)).toBe(true);
  });

  it('returns the holder attributes', async () => {
    expect(await verify(await makeToken(pki.leaves.citizenSign))).toMatchObject({
      info: { subject: { commonName: '王大明 TEST', idLast4: '6789' } },
    });
    expect((await verify(await makeToken(pki.leaves.company))).info.subject.ubn).toBe('12345675');
  });

  it('accepts an http origin on the local machine', async () => {
    const origin = 'http://localhost:8443';
    expect((await verify(await makeToken(pki.leaves.citizenSign, { origin }), { origin })).info.family).toBe(
      'MOICA',
    );
  });

  it('signs H(origin) ‖ H(nonce), each hashed as UTF-8', async () => {
    const input = Buffer.from(await loginSigningInput('https://例子.tw', '隨機', 'SHA-384'));
    const h = (text: string) => createHash('sha384').update(Buffer.from(text, 'utf8')).digest();
    expect(input.equals(Buffer.concat([h('https://例子.tw'), h('隨機')]))).toBe(true);
    expect(input).toHaveLength(96);
  });
});

describe('verifyAuthToken with a NonceStore (the caller checks single use)', () => {
  it('accepts a fresh nonce once; the same nonce again is refused', async () => {
    const nonces = new NonceStore();
    const nonce = nonces.issue();
    const token = await makeToken(pki.leaves.citizenSign, { nonce });
    nonces.consume(nonce);
    expect((await verify(token, { nonce })).info.family).toBe('MOICA');
    expect(await codeOf(() => nonces.consume(nonce))).toBe('ERR_NONCE_INVALID');
  });

  it('refuses an expired nonce (injected clock)', async () => {
    let now = 1_700_000_000_000;
    const nonces = new NonceStore({ now: () => now });
    const nonce = nonces.issue();
    now += 5 * 60_000 + 1;
    expect(await codeOf(() => nonces.consume(nonce))).toBe('ERR_NONCE_INVALID');
  });
});

describe('verifyAuthToken: rejected tokens', () => {
  it('tampered signature → ERR_TOKEN_SIGNATURE', async () => {
    for (const leaf of [pki.leaves.citizenSign, pki.leaves.citizenEc]) {
      const token = await makeToken(leaf);
      const signature = Buffer.from(token.signature, 'base64');
      signature[10]! ^= 0x01;
      expect(await codeOf(() => verify({ ...token, signature: signature.toString('base64') }))).toBe(
        'ERR_TOKEN_SIGNATURE',
      );
    }
  });

  it('tampered certificate (same key, broken CA signature) → ERR_CERT_UNTRUSTED', async () => {
    const token = await makeToken(pki.leaves.citizenSign);
    const certificate = Buffer.from(pki.leaves.citizenSign.certificate);
    const at = certificate.indexOf('TE00000000000001');
    expect(at).toBeGreaterThan(0);
    certificate[at + 15]! ^= 0x01;
    const tampered = { ...token, unverifiedCertificate: certificate.toString('base64') };
    expect(await codeOf(() => verify(tampered))).toBe('ERR_CERT_UNTRUSTED');
  });

  it('another leaf certificate than the signing key → ERR_TOKEN_SIGNATURE', async () => {
    const token = await makeToken(pki.leaves.company, { keyOf: pki.leaves.citizenSign });
    expect(await codeOf(() => verify(token))).toBe('ERR_TOKEN_SIGNATURE');
  });

  it('signed for another origin → ERR_TOKEN_SIGNATURE (the signature binds the origin)', async () => {
    const token = await makeToken(pki.leaves.citizenSign, { origin: 'https://phishing.example.tw' });
    expect(await codeOf(() => verify(token))).toBe('ERR_TOKEN_SIGNATURE');
  });

  it('signed for another nonce → ERR_TOKEN_SIGNATURE', async () => {
    const token = await makeToken(pki.leaves.citizenSign, { nonce: Buffer.alloc(32, 1).toString('base64') });
    expect(await codeOf(() => verify(token))).toBe('ERR_TOKEN_SIGNATURE');
  });

  it.each([
    'http://eservice.example.tw',
    'https://eservice.example.tw/',
    'https://eservice.example.tw/login',
    'https://EService.example.tw',
    'https://eservice.example.tw:443',
    'https://user@eservice.example.tw',
    'eservice.example.tw',
    'ftp://eservice.example.tw',
    'http://localhost.example.tw',
    '',
  ])('an expected origin that is not a valid origin (%j) → ERR_ORIGIN_INVALID', async (origin) => {
    const token = await makeToken(pki.leaves.citizenSign, { origin });
    expect(isValidPortalOrigin(origin)).toBe(false);
    expect(await codeOf(() => verify(token, { origin }))).toBe('ERR_ORIGIN_INVALID');
  });

  it.each([
    ['missing', undefined],
    ['short', 'abc'],
    ['43 characters', 'a'.repeat(43)],
    ['too long', 'a'.repeat(1025)],
  ])('nonce %s → ERR_NONCE_INVALID', async (_, nonce) => {
    const token = await makeToken(pki.leaves.citizenSign);
    expect(await codeOf(() => verify(token, { nonce: nonce as string }))).toBe('ERR_NONCE_INVALID');
  });

  it.each([
    ['citizenExpired', 'ERR_CERT_EXPIRED'],
    ['citizenNotYetValid', 'ERR_CERT_NOT_YET_VALID'],
    ['citizenRevoked', 'ERR_CERT_REVOKED'],
    ['citizenForeign', 'ERR_CERT_UNTRUSTED'],
    ['citizenEncrypt', 'ERR_CERT_KEY_USAGE'],
  ] as const)('%s → %s', async (leafName, code) => {
    const token = await makeToken(pki.leaves[leafName]);
    expect(await codeOf(() => verify(token))).toBe(code);
  });

  it('a family that is not allowed → ERR_CERT_FAMILY', async () => {
    const token = await makeToken(pki.leaves.company);
    expect(await codeOf(() => verify(token, { families: ['MOICA'] }))).toBe('ERR_CERT_FAMILY');
    expect((await verify(token, { families: ['MOEACA'] })).info.family).toBe('MOEACA');
  });

  it('OTHER is not allowed by default', async () => {
    const rogueTrust = new TrustStore({ anchors: [pki.cas.ROGUE.certificate] });
    const token = await makeToken(pki.leaves.citizenForeign);
    const options = { trust: rogueTrust, requireRevocationInfo: false };
    expect(await codeOf(() => verify(token, options))).toBe('ERR_CERT_FAMILY');
    expect((await verify(token, { ...options, families: ['OTHER'] })).info.family).toBe('OTHER');
  });

  it('missing CRL when required → ERR_CRL_UNAVAILABLE; accepted when not required', async () => {
    const noCrls = new TrustStore({ anchors: pki.trust.anchors, intermediates: pki.trust.intermediates });
    const token = await makeToken(pki.leaves.citizenSign);
    expect(await codeOf(() => verify(token, { trust: noCrls }))).toBe('ERR_CRL_UNAVAILABLE');
    expect((await verify(token, { trust: noCrls, requireRevocationInfo: false })).info.family).toBe('MOICA');
  });

  it('stale CRL (now past nextUpdate) → ERR_CRL_UNAVAILABLE', async () => {
    const token = await makeToken(pki.leaves.citizenSign);
    expect(await codeOf(() => verify(token, { now: new Date(Date.now() + 31 * DAY) }))).toBe(
      'ERR_CRL_UNAVAILABLE',
    );
  });

  it.each([
    ['ES256 with an RSA certificate', 'citizenSign', 'ES256'],
    ['RS256 with an EC certificate', 'citizenEc', 'RS256'],
    ['PS256 with an EC certificate', 'citizenEc', 'PS256'],
    ['ES384 with a P-256 certificate', 'citizenEc', 'ES384'],
    ['ES512 with a P-256 certificate', 'citizenEc', 'ES512'],
  ] as const)('algorithm/key mismatch: %s → ERR_TOKEN_ALGORITHM', async (_, leafName, algorithm) => {
    // The signature is made with the algorithm the key supports, then the claimed algorithm changed.
    const leaf = pki.leaves[leafName];
    const token = { ...(await makeToken(leaf)), algorithm };
    expect(await codeOf(() => verify(token))).toBe('ERR_TOKEN_ALGORITHM');
  });

  it('an ECDSA signature in DER instead of raw r‖s → ERR_TOKEN_SIGNATURE', async () => {
    const token = await makeToken(pki.leaves.citizenEc);
    const key = createPrivateKey({ key: pki.leaves.citizenEc.privateKey, format: 'der', type: 'pkcs8' });
    const der = sign('sha256', await loginSigningInput(ORIGIN, NONCE, 'SHA-256'), {
      key,
      dsaEncoding: 'der',
    });
    expect(await codeOf(() => verify({ ...token, signature: der.toString('base64') }))).toBe(
      'ERR_TOKEN_SIGNATURE',
    );
  });

  it('a PS256 signature whose salt is not the hash length → ERR_TOKEN_SIGNATURE', async () => {
    const token = await makeToken(pki.leaves.citizenSign, { algorithm: 'PS256' });
    const key = createPrivateKey({ key: pki.leaves.citizenSign.privateKey, format: 'der', type: 'pkcs8' });
    const data = await loginSigningInput(ORIGIN, NONCE, 'SHA-256');
    const signature = sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
    expect(await codeOf(() => verify({ ...token, signature: signature.toString('base64') }))).toBe(
      'ERR_TOKEN_SIGNATURE',
    );
  });

  it('an RS256 signature presented as PS256 → ERR_TOKEN_SIGNATURE', async () => {
    const token = {
      ...(await makeToken(pki.leaves.citizenSign, { algorithm: 'RS256' })),
      algorithm: 'PS256',
    };
    expect(await codeOf(() => verify(token))).toBe('ERR_TOKEN_SIGNATURE');
  });
});

describe('verifyAuthToken: malformed token shapes → ERR_TOKEN_MALFORMED', () => {
  let validToken: Awaited<ReturnType<typeof makeToken>>;
  beforeAll(async () => {
    validToken = await makeToken(pki.leaves.citizenSign);
  });
  const valid = () => validToken;
  const without = (field: string) => () => {
    const token: Record<string, unknown> = { ...valid() };
    delete token[field];
    return token;
  };
  const withField = (field: string, value: unknown) => () => ({ ...valid(), [field]: value });

  it.each([
    ['null', () => null],
    ['a string', () => JSON.stringify(valid())],
    ['an array', () => [valid()]],
    ['an empty object', () => ({})],
    ['no format', without('format')],
    ['no unverifiedCertificate', without('unverifiedCertificate')],
    ['no algorithm', without('algorithm')],
    ['no signature', without('signature')],
    ['no appVersion', without('appVersion')],
    ['another format', withField('format', 'web-eid:1.1')],
    ['format as a number', withField('format', 1)],
    ['certificate as bytes', withField('unverifiedCertificate', [1, 2, 3])],
    ['signature as a number', withField('signature', 42)],
    ['algorithm "none"', withField('algorithm', 'none')],
    ['algorithm "HS256"', withField('algorithm', 'HS256')],
    ['algorithm in lower case', withField('algorithm', 'rs256')],
    ['appVersion empty', withField('appVersion', '')],
    ['appVersion as an object', withField('appVersion', { v: 1 })],
    ['an extra property', withField('origin', ORIGIN)],
    ['certificate not base64', withField('unverifiedCertificate', 'not base64!')],
    ['certificate base64url', withField('unverifiedCertificate', 'ab-_')],
    [
      'certificate with whitespace',
      () => ({ ...valid(), unverifiedCertificate: ` ${valid().unverifiedCertificate}` }),
    ],
    ['signature empty', withField('signature', '')],
    [
      'oversized certificate',
      withField('unverifiedCertificate', 'A'.repeat(AUTH_TOKEN_LIMITS.certificateChars + 4)),
    ],
    ['oversized signature', withField('signature', 'A'.repeat(AUTH_TOKEN_LIMITS.signatureChars + 4))],
    ['oversized appVersion', withField('appVersion', 'x'.repeat(AUTH_TOKEN_LIMITS.appVersionChars + 1))],
    [
      'certificate that is not a certificate',
      withField('unverifiedCertificate', Buffer.from('hello').toString('base64')),
    ],
  ])('%s', async (_, token) => {
    expect(await codeOf(() => verify(token()))).toBe('ERR_TOKEN_MALFORMED');
  });
});

describe('verifier error list', () => {
  it('has zh-TW and English text for every code, and no code shared with the protocol list', () => {
    for (const code of VERIFICATION_ERROR_CODES) {
      expect(code).toMatch(/^ERR_[A-Z_]+$/);
      expect(VERIFICATION_ERROR_MESSAGES[code]['zh-TW']).toMatch(/[\u4e00-\u9fff]/);
      expect(VERIFICATION_ERROR_MESSAGES[code].en.length).toBeGreaterThan(10);
      expect((ERROR_CODES as readonly string[]).includes(code)).toBe(false);
    }
    expect(Object.keys(VERIFICATION_ERROR_MESSAGES).sort()).toEqual([...VERIFICATION_ERROR_CODES].sort());
  });

  it('VerificationError carries the code, details and the clerk text', () => {
    const error = new VerificationError('ERR_CERT_REVOKED', { serialNumber: '100e' });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_CERT_REVOKED');
    expect(error.details).toEqual({ serialNumber: '100e' });
    expect(error.text()).toBe(VERIFICATION_ERROR_MESSAGES.ERR_CERT_REVOKED['zh-TW']);
    expect(error.text('en')).toBe(VERIFICATION_ERROR_MESSAGES.ERR_CERT_REVOKED.en);
  });
});

/**
 * A PKCS#12 file as a token: certificates listed without the password (from unencrypted bags), RSA
 * signatures over a digest the host computed, the password as PIN. Signatures are checked with
 * Node's crypto (OpenSSL), a different implementation from node-forge, which the token uses.
 */
import { execFileSync } from 'node:child_process';
import {
  constants,
  createHash,
  createPrivateKey,
  publicDecrypt,
  randomBytes,
  verify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostError } from '../../native-host/src/hostError.ts';
import { nodeHashName as nodeHash } from '../../shared/crypto/hashes.ts';
import { digestInfo } from '../../native-host/src/tokens/digestInfo.ts';
import { Pkcs12Token } from '../../native-host/src/tokens/pkcs12/pkcs12Token.ts';
import type { HashName, SignInput, TokenInfo } from '../../native-host/src/tokens/types.ts';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../lab/pki/testPki.ts';
import { SoftHsmLab } from '../../lab/softhsm.ts';

const PASSWORD = 'TEST-p12-密碼';
/**
 * Files made by openssl get an ASCII password: with a non-ASCII one, node-forge derives another
 * PBES2 (AES) key than OpenSSL does (UTF-8), so such a file cannot be signed with (reported as a bug).
 */
const OPENSSL_PASSWORD = 'TEST-openssl-pw';

let pki: TestPki;
let lab: SoftHsmLab;
let file: string;
let token: Pkcs12Token;
let tokenInfo: TokenInfo;
let leafKeyId: string;
let publicKey: KeyObject;

const keyIdOf = (der: Buffer) => createHash('sha256').update(der).digest('hex').slice(0, 16);

/** Runs `fn` so that a synchronous throw and a rejection are both seen as a rejection. */
const attempt = <T>(fn: () => Promise<T>): Promise<T> => Promise.resolve().then(fn);

async function expectHostError(promise: Promise<unknown>, code: string): Promise<HostError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  expect((error as HostError).code).toBe(code);
  return error as HostError;
}

const pem = (der: Buffer) => new X509Certificate(der).toString();

function writePem(name: string, text: string): string {
  const out = path.join(lab.dir, name);
  writeFileSync(out, text);
  return out;
}

/** A PKCS#12 file made by the OpenSSL command line, with `options` added to `pkcs12 -export`. */
function opensslPkcs12(name: string, leaf: IssuedCertificate, chain: IssuedCertificate[], options: string[]) {
  const key = createPrivateKey({ key: leaf.privateKey, format: 'der', type: 'pkcs8' });
  const out = path.join(lab.dir, name);
  const chainFile = chain.length
    ? ['-certfile', writePem(`${name}.chain.pem`, chain.map((c) => pem(c.certificate)).join(''))]
    : [];
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    writePem(`${name}.key.pem`, key.export({ type: 'pkcs8', format: 'pem' }).toString()),
    '-in',
    writePem(`${name}.cert.pem`, pem(leaf.certificate)),
    ...chainFile,
    '-passout',
    `pass:${OPENSSL_PASSWORD}`,
    '-out',
    out,
    ...options,
  ]);
  return out;
}

beforeAll(async () => {
  pki = await createTestPki();
  lab = SoftHsmLab.create(pki, []);
  file = lab.writePkcs12('company', pki.leaves.company, [pki.cas.MOEACA], PASSWORD);
  token = new Pkcs12Token(file);
  tokenInfo = (await token.list()).tokens[0]!;
  leafKeyId = keyIdOf(pki.leaves.company.certificate);
  publicKey = new X509Certificate(pki.leaves.company.certificate).publicKey;
}, 60_000);

afterAll(() => {
  lab?.dispose();
});

describe('list() without the password', () => {
  it('shows the file as one token, named after the file, without a PIN-pad', async () => {
    const { tokens } = await token.list();
    expect(tokens).toEqual([
      {
        kind: 'pkcs12',
        source: file,
        label: 'company.p12',
        serial: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
        pinpad: false,
      },
    ]);
  });

  it('lists the leaf byte for byte, and not the CA certificate of its chain', async () => {
    const { certificates } = await token.list();
    // The chain's CA certificate has no key in the file: offering it for signing would only fail.
    expect(certificates.map((c) => c.certificate)).toEqual([pki.leaves.company.certificate]);
    const leaf = certificates.find((c) => c.certificate.equals(pki.leaves.company.certificate))!;
    expect(leaf.token).toEqual((await token.list()).tokens[0]);
    expect(leaf.hasPrivateKey).toBe(true);
  });

  it('gives each certificate a key id derived from the certificate only: stable across listings and files', async () => {
    const first = await token.list();
    const again = await new Pkcs12Token(file).list();
    expect(again.certificates.map((c) => c.keyId)).toEqual(first.certificates.map((c) => c.keyId));
    expect(first.certificates.find((c) => c.keyId === leafKeyId)?.certificate).toEqual(
      pki.leaves.company.certificate,
    );
    expect(first.certificates).toHaveLength(1);

    // The same certificate in another file (other order, other tool) keeps its key id.
    const other = await new Pkcs12Token(
      opensslPkcs12('same-leaf.p12', pki.leaves.company, [pki.cas.MOEACA], ['-certpbe', 'NONE']),
    ).list();
    expect(other.certificates.map((c) => c.keyId).sort()).toEqual(
      first.certificates.map((c) => c.keyId).sort(),
    );
  });

  it('gives another file another token serial', async () => {
    const second = lab.writePkcs12('agency', pki.leaves.agency, [pki.cas.GCA], PASSWORD);
    const { tokens } = await new Pkcs12Token(second).list();
    expect(tokens[0]!.serial).not.toBe(tokenInfo.serial);
    expect(tokens[0]!.label).toBe('agency.p12');
  });
});

describe('sign() with the password', () => {
  const document = Buffer.from('CardBridge PKCS#12 test document');

  it.each(['SHA-256', 'SHA-384', 'SHA-512'] as HashName[])(
    'makes a PKCS#1 v1.5 %s signature over the given digest',
    async (hash) => {
      const digest = createHash(nodeHash(hash)).update(document).digest();
      const signature = await token.sign(tokenInfo, leafKeyId, PASSWORD, { scheme: 'pkcs1', hash, digest });
      // The token got only the digest; a PKCS#1 v1.5 signature over that digest is exactly a normal
      // signature of the document, so Node can verify it against the document with the same hash
      // (it hashes the document itself and compares DigestInfo after undoing the padding).
      expect(verify(nodeHash(hash), document, publicKey, signature)).toBe(true);
      expect(verify(nodeHash(hash), Buffer.from('another document'), publicKey, signature)).toBe(false);
      // And the encoded DigestInfo under the padding is the one the host builds.
      const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      expect(recovered.equals(digestInfo(hash, digest))).toBe(true);
    },
  );

  it.each(['SHA-256', 'SHA-384'] as HashName[])(
    'makes an RSASSA-PSS %s signature (salt = hash length) over the given digest',
    async (hash) => {
      const digest = createHash(nodeHash(hash)).update(document).digest();
      const signature = await token.sign(tokenInfo, leafKeyId, PASSWORD, { scheme: 'pss', hash, digest });
      const key = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digest.length };
      expect(verify(nodeHash(hash), document, key, signature)).toBe(true);
      expect(verify(nodeHash(hash), Buffer.from('another document'), key, signature)).toBe(false);
      // Not PKCS#1 v1.5: the two schemes must not be mixed up.
      expect(verify(nodeHash(hash), document, publicKey, signature)).toBe(false);
    },
  );

  it('signs with the key of the leaf, not of another certificate in the file', async () => {
    const digest = randomBytes(32);
    const signature = await token.sign(tokenInfo, leafKeyId, PASSWORD, {
      scheme: 'pkcs1',
      hash: 'SHA-256',
      digest,
    });
    const caKey = new X509Certificate(pki.cas.MOEACA.certificate).publicKey;
    expect(() => publicDecrypt({ key: caKey, padding: constants.RSA_PKCS1_PADDING }, signature)).toThrow();
  });

  it('signs with a file made by openssl with unencrypted certificates', async () => {
    const other = new Pkcs12Token(
      opensslPkcs12(
        'openssl-signing.p12',
        pki.leaves.company,
        [],
        ['-certpbe', 'NONE', '-keypbe', 'AES-256-CBC'],
      ),
    );
    const listed = await other.list();
    const digest = createHash('sha256').update(document).digest();
    const signature = await other.sign(listed.tokens[0]!, leafKeyId, OPENSSL_PASSWORD, {
      scheme: 'pkcs1',
      hash: 'SHA-256',
      digest,
    });
    expect(verify('sha256', document, publicKey, signature)).toBe(true);
  });
});

describe('sign() failures', () => {
  const input: SignInput = { scheme: 'pkcs1', hash: 'SHA-256', digest: Buffer.alloc(32, 7) };

  it('a wrong password → ERR_PIN_INCORRECT', async () => {
    await expectHostError(
      attempt(() => token.sign(tokenInfo, leafKeyId, 'wrong password', input)),
      'ERR_PIN_INCORRECT',
    );
  });

  it('an empty password → ERR_PIN_INCORRECT', async () => {
    await expectHostError(
      attempt(() => token.sign(tokenInfo, leafKeyId, '', input)),
      'ERR_PIN_INCORRECT',
    );
  });

  it('no password → ERR_PIN_INCORRECT', async () => {
    await expectHostError(
      attempt(() => token.sign(tokenInfo, leafKeyId, undefined, input)),
      'ERR_PIN_INCORRECT',
    );
  });

  it('the ECDSA scheme → ERR_UNSUPPORTED_CARD (RSA only)', async () => {
    await expectHostError(
      attempt(() => token.sign(tokenInfo, leafKeyId, PASSWORD, { ...input, scheme: 'ecdsa' })),
      'ERR_UNSUPPORTED_CARD',
    );
  });

  it('an unknown key id → ERR_CERTIFICATE_NOT_FOUND', async () => {
    await expectHostError(
      attempt(() => token.sign(tokenInfo, '0123456789abcdef', PASSWORD, input)),
      'ERR_CERTIFICATE_NOT_FOUND',
    );
  });

  it('a certificate of the file without its private key (the CA) → ERR_CERTIFICATE_NOT_FOUND', async () => {
    await expectHostError(
      attempt(() => token.sign(tokenInfo, keyIdOf(pki.cas.MOEACA.certificate), PASSWORD, input)),
      'ERR_CERTIFICATE_NOT_FOUND',
    );
  });
});

describe('files that are not usable', () => {
  it('a file that does not exist: the constructor throws ERR_TOKEN_UNAVAILABLE', () => {
    const missing = path.join(lab.dir, 'missing.p12');
    let error: unknown;
    try {
      new Pkcs12Token(missing);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).code).toBe('ERR_TOKEN_UNAVAILABLE');
    expect((error as HostError).reason).toContain(missing);
  });

  it.each([
    ['random bytes', () => randomBytes(300)],
    ['an empty file', () => Buffer.alloc(0)],
    ['a PEM text file', () => Buffer.from(new X509Certificate(pki.leaves.company.certificate).toString())],
    ['a DER certificate', () => pki.leaves.company.certificate],
  ])('%s: a token without certificates, no exception', async (name, content) => {
    const notP12 = path.join(lab.dir, `not-p12-${name.replace(/\W+/g, '-')}.p12`);
    writeFileSync(notP12, content());
    const listed = await new Pkcs12Token(notP12).list();
    expect(listed.certificates).toEqual([]);
    expect(listed.tokens).toHaveLength(1);
    expect(listed.tokens[0]!.source).toBe(notP12);
  });

  it('a non-PKCS#12 file refuses to sign with ERR_PIN_INCORRECT (forge cannot open it)', async () => {
    const notP12 = path.join(lab.dir, 'garbage.p12');
    writeFileSync(notP12, randomBytes(100));
    const garbage = new Pkcs12Token(notP12);
    const info = (await garbage.list()).tokens[0]!;
    await expectHostError(
      attempt(() =>
        garbage.sign(info, leafKeyId, PASSWORD, {
          scheme: 'pkcs1',
          hash: 'SHA-256',
          digest: Buffer.alloc(32),
        }),
      ),
      'ERR_PIN_INCORRECT',
    );
  });
});

describe('PKCS#12 files made by openssl', () => {
  it('with -certpbe NONE -keypbe AES-256-CBC (readable certificates): lists the leaf, not the chain', async () => {
    const made = opensslPkcs12(
      'readable.p12',
      pki.leaves.company,
      [pki.cas.MOEACA],
      ['-certpbe', 'NONE', '-keypbe', 'AES-256-CBC'],
    );
    const { certificates } = await new Pkcs12Token(made).list();
    expect(certificates.map((c) => c.keyId)).toEqual([leafKeyId]);
    expect(certificates.find((c) => c.keyId === leafKeyId)!.certificate).toEqual(
      pki.leaves.company.certificate,
    );
  });

  it('with default options (certificates encrypted too): lists no certificates without the password, yet signs with it', async () => {
    const made = new Pkcs12Token(opensslPkcs12('encrypted.p12', pki.leaves.company, [pki.cas.MOEACA], []));
    const listed = await made.list();
    expect(listed.certificates).toEqual([]);
    expect(listed.tokens).toHaveLength(1);
    // The key is there: knowing the key id (the certificate's hash) is enough to sign.
    const document = Buffer.from('doc');
    const signature = await made.sign(listed.tokens[0]!, leafKeyId, OPENSSL_PASSWORD, {
      scheme: 'pkcs1',
      hash: 'SHA-256',
      digest: createHash('sha256').update(document).digest(),
    });
    expect(verify('sha256', document, publicKey, signature)).toBe(true);
  });
});

/**
 * One login binding, H(H(origin) ‖ H(nonce)), and its four users agreeing on it for the same origin,
 * nonce and hash: the host's `authenticate` command (the digest it hands the token), the extension's
 * NHI challenge, the token verifier and the SAM emulation. The host's token layer is replaced by a
 * recorder that signs with the test PKI's key the way a card's raw RSA mechanism does.
 */
import { constants, createHash, createPrivateKey, privateEncrypt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginBinding, loginSigningInput } from '../../shared/authtoken/loginBinding.ts';
import { VerificationError } from '../../shared/authtoken/errors.ts';
import { HASH_NAMES, nodeHashName, type HashName } from '../../shared/crypto/hashes.ts';
import { CURVES, type CurveName } from '../../shared/crypto/signatureAlgorithms.ts';
import { NHI_CHALLENGE_BYTES } from '../../shared/nhi/challenge.ts';
import { verifyAuthToken } from '../../shared/node/authtoken/verifyAuthToken.ts';
import { cardResponse, deriveCardKey, verifyLoginResponse } from '../../shared/node/nhi/samEmulation.ts';
import { TrustStore } from '../../shared/node/pki/trustStore.ts';
import { nhiChallenge } from '../../extension/lib/nhiChallenge.ts';
import { authenticateCommand } from '../../native-host/src/commands/authenticate.ts';
import type { HostServices } from '../../native-host/src/hostServices.ts';
import { digestInfo } from '../../native-host/src/tokens/digestInfo.ts';
import type { ListedCertificate } from '../../native-host/src/tokens/tokenService.ts';
import type { SignInput } from '../../native-host/src/tokens/types.ts';
import { createTestPki, type TestPki } from '../../lab/pki/testPki.ts';

const DEV_ORIGIN = 'http://127.0.0.1:8780';
const CASES: Array<[string, string]> = [
  ['https://eservice.nhi.gov.tw', Buffer.alloc(32, 0x5a).toString('base64')],
  ['https://portal.example.tw:8443', 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80='],
  [DEV_ORIGIN, '隨機數-ñ-🙂-'.repeat(8)],
];

/** The rule computed with node:crypto, independently of the code under test. */
function reference(origin: string, nonce: string, hash: HashName): Buffer {
  const h = (data: string | Buffer) => createHash(nodeHashName(hash)).update(data).digest();
  return h(Buffer.concat([h(Buffer.from(origin, 'utf8')), h(Buffer.from(nonce, 'utf8'))]));
}

const curveOf = (hash: HashName) =>
  (Object.keys(CURVES) as CurveName[]).find((curve) => CURVES[curve].hash === hash)!;

/** Runs the host's `authenticate` with a token layer that records what it is asked to sign. */
async function hostAuthenticate(
  certificate: Pick<ListedCertificate, 'certificate' | 'key'>,
  origin: string,
  nonce: string,
  signer: (input: SignInput) => Buffer = () => Buffer.alloc(64),
): Promise<{ token: Record<string, unknown>; signed: SignInput }> {
  const signed: SignInput[] = [];
  const listed = { ...certificate, id: 'c1', info: { family: 'MOICA' } } as ListedCertificate;
  const tokens = {
    find: () => Promise.resolve(listed),
    sign: (_c: ListedCertificate, _pin: string | undefined, input: SignInput) => {
      signed.push(input);
      return Promise.resolve(signer(input));
    },
  };
  const silent = () => undefined;
  const services = {
    logger: { debug: silent, info: silent, warn: silent, error: silent },
    config: { developmentOrigins: [DEV_ORIGIN] },
    tokens: () => Promise.resolve(tokens),
  } as unknown as HostServices;
  const command = authenticateCommand(services);
  const args = { origin, challengeNonce: nonce, certificateId: 'c1', pin: '1234' };
  const token = (await command.run(args, { subscribeEvents: silent })) as Record<string, unknown>;
  expect(signed).toHaveLength(1);
  return { token, signed: signed[0]! };
}

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
}, 60_000);

describe('login binding', () => {
  it.each(HASH_NAMES)(
    '%s: H(H(origin) ‖ H(nonce)) over UTF-8, the signing input before the last hash',
    async (hash) => {
      for (const [origin, nonce] of CASES) {
        const binding = Buffer.from(await loginBinding(origin, nonce, hash));
        expect(binding.equals(reference(origin, nonce, hash))).toBe(true);
        const input = Buffer.from(await loginSigningInput(origin, nonce, hash));
        expect(createHash(nodeHashName(hash)).update(input).digest().equals(binding)).toBe(true);
      }
    },
  );

  it('differs for another origin, another nonce, or origin and nonce run together differently', async () => {
    const base = Buffer.from(await loginBinding('https://a.example', 'bc', 'SHA-256'));
    expect(Buffer.from(await loginBinding('https://a.exampleb', 'c', 'SHA-256')).equals(base)).toBe(false);
    expect(Buffer.from(await loginBinding('bc', 'https://a.example', 'SHA-256')).equals(base)).toBe(false);
    expect(Buffer.from(await loginBinding('https://a.example', 'bd', 'SHA-256')).equals(base)).toBe(false);
  });
});

describe('host, extension, verifier and SAM emulation agree on the binding', () => {
  it.each(HASH_NAMES)('host: the digest handed to an EC token for %s is the binding', async (hash) => {
    for (const [origin, nonce] of CASES) {
      const key = { type: 'EC' as const, curve: curveOf(hash) };
      const { token, signed } = await hostAuthenticate(
        { certificate: pki.leaves.citizenEc.certificate, key },
        origin,
        nonce,
      );
      expect(signed.hash).toBe(hash);
      expect(signed.digest.equals(Buffer.from(await loginBinding(origin, nonce, hash)))).toBe(true);
      expect(token.algorithm).toBe(`ES${hash.slice(4)}`);
    }
  });

  it('extension: the NHI challenge is the SHA-256 binding the host signs for an RSA certificate', async () => {
    for (const [origin, nonce] of CASES) {
      const { signed } = await hostAuthenticate(
        { certificate: pki.leaves.citizenSign.certificate, key: { type: 'RSA' } },
        origin,
        nonce,
      );
      const challenge = Buffer.from(await nhiChallenge(origin, nonce));
      expect(challenge).toHaveLength(NHI_CHALLENGE_BYTES);
      expect(signed.hash).toBe('SHA-256');
      expect(challenge.equals(signed.digest)).toBe(true);
    }
  });

  it('verifier: accepts the token the host makes for the same origin and nonce, and no other', async () => {
    const leaf = pki.leaves.citizenSign;
    const privateKey = createPrivateKey({ key: leaf.privateKey, format: 'der', type: 'pkcs8' });
    // A card's CKM_RSA_PKCS: raw RSA over the DigestInfo of the digest the host hands it.
    const card = (input: SignInput) =>
      privateEncrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
        digestInfo(input.hash, input.digest),
      );
    const trust = new TrustStore(pki.trust);
    for (const [origin, nonce] of CASES) {
      const { token } = await hostAuthenticate(
        { certificate: leaf.certificate, key: { type: 'RSA' } },
        origin,
        nonce,
        card,
      );
      expect((await verifyAuthToken(token, { origin, nonce, trust })).info.family).toBe('MOICA');
      const other = verifyAuthToken(token, { origin: 'https://other.example.tw', nonce, trust });
      await expect(other).rejects.toBeInstanceOf(VerificationError);
      await expect(other).rejects.toMatchObject({ code: 'ERR_TOKEN_SIGNATURE' });
    }
  });

  it("SAM emulation: accepts a card's answer to the extension's challenge for that origin and nonce only", async () => {
    const master = Buffer.alloc(32, 3);
    const cardNumber = '000012345678';
    for (const [origin, nonce] of CASES) {
      const response = cardResponse(deriveCardKey(master, cardNumber), await nhiChallenge(origin, nonce));
      expect(await verifyLoginResponse(master, cardNumber, origin, nonce, response)).toBe(true);
      expect(await verifyLoginResponse(master, cardNumber, 'https://other.example.tw', nonce, response)).toBe(
        false,
      );
    }
  });
});

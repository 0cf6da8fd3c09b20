/**
 * The NHI-card login challenge as the extension computes it (WebCrypto, the shared login binding) must
 * be SHA-256(SHA-256(origin) ‖ SHA-256(nonce)), bound to the origin: checked against an independent
 * node:crypto computation written here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nhiChallenge, toBase64 } from '../../../extension/lib/nhiChallenge.ts';
import { NHI_CHALLENGE_BYTES } from '../../../shared/nhi/challenge.ts';

const NONCE = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The rule computed with node:crypto, independently of the code under test. */
function challengeFor(origin: string, nonce: string): Buffer {
  const h = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return createHash('sha256').update(h(origin)).update(h(nonce)).digest();
}

describe('nhiChallenge: the rule, computed independently', () => {
  it.each([
    ['the reference portal', 'http://127.0.0.1:8780', NONCE],
    ['an https portal', 'https://eservice.nhi.gov.tw', NONCE],
    [
      'a portal with a port',
      'https://portal.example.tw:8443',
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    ],
    ['an IDN host in Unicode', 'https://健保.台灣', NONCE],
    ['a non-ASCII nonce', 'https://eservice.nhi.gov.tw', '隨機數-ñ-🙂'],
    ['an empty nonce', 'https://eservice.nhi.gov.tw', ''],
    ['an empty origin', '', NONCE],
    ['a long nonce', 'https://eservice.nhi.gov.tw', 'x'.repeat(1000)],
  ])('equals challengeFor for %s', async (_name, origin, nonce) => {
    const ours = await nhiChallenge(origin, nonce);
    expect(ours).toBeInstanceOf(Uint8Array);
    expect(ours.length).toBe(NHI_CHALLENGE_BYTES);
    expect(hex(ours)).toBe(challengeFor(origin, nonce).toString('hex'));
  });

  it('equals challengeFor for random origins and nonces', async () => {
    for (let i = 0; i < 20; i++) {
      const origin = `https://${randomBytes(6).toString('hex')}.example.tw`;
      const nonce = randomBytes(32).toString('base64');
      expect(hex(await nhiChallenge(origin, nonce))).toBe(challengeFor(origin, nonce).toString('hex'));
    }
  });

  it('is SHA-256(SHA-256(origin) ‖ SHA-256(nonce)) over UTF-8', async () => {
    const origin = 'https://健保.example.tw';
    const nonce = 'nonce-ü';
    const h = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest();
    const expected = createHash('sha256')
      .update(Buffer.concat([h(origin), h(nonce)]))
      .digest('hex');
    expect(hex(await nhiChallenge(origin, nonce))).toBe(expected);
  });

  it('is the same each time for the same input', async () => {
    const a = await nhiChallenge('https://eservice.nhi.gov.tw', NONCE);
    const b = await nhiChallenge('https://eservice.nhi.gov.tw', NONCE);
    expect(hex(a)).toBe(hex(b));
  });
});

describe('nhiChallenge: bound to the origin and the nonce', () => {
  const base = () => nhiChallenge('https://eservice.nhi.gov.tw', NONCE);

  it.each([
    'https://evil.example',
    'http://eservice.nhi.gov.tw',
    'https://eservice.nhi.gov.tw:443',
    'https://eservice.nhi.gov.tw/',
    'https://eservice.nhi.gov.tw.evil.example',
  ])('differs for the origin %s', async (origin) => {
    expect(hex(await nhiChallenge(origin, NONCE))).not.toBe(hex(await base()));
  });

  it('differs when the nonce differs, even by one character', async () => {
    const other = `${NONCE.slice(0, -2)}1=`;
    expect(hex(await nhiChallenge('https://eservice.nhi.gov.tw', other))).not.toBe(hex(await base()));
  });

  it('does not let origin and nonce trade characters (each is hashed on its own)', async () => {
    const a = await nhiChallenge('https://a.example', 'bc');
    const b = await nhiChallenge('https://a.exampleb', 'c');
    expect(hex(a)).not.toBe(hex(b));
    // Swapping the two fields gives another challenge too.
    expect(hex(await nhiChallenge('bc', 'https://a.example'))).not.toBe(hex(a));
  });
});

describe('toBase64', () => {
  it('encodes the empty array as the empty string', () => {
    expect(toBase64(new Uint8Array())).toBe('');
  });

  it('encodes every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toBase64(all)).toBe(Buffer.from(all).toString('base64'));
  });

  it.each([1, 2, 3, 4, 31, 32, 33, 100, 4096])('matches Buffer for %i random bytes', (length) => {
    for (let i = 0; i < 10; i++) {
      const bytes = new Uint8Array(randomBytes(length));
      const encoded = toBase64(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
      expect(new Uint8Array(Buffer.from(encoded, 'base64'))).toEqual(bytes);
    }
  });

  it('encodes a challenge as the 44-character base64 the host expects', async () => {
    const challenge = await nhiChallenge('https://eservice.nhi.gov.tw', NONCE);
    const encoded = toBase64(challenge);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(encoded).toBe(challengeFor('https://eservice.nhi.gov.tw', NONCE).toString('base64'));
  });
});

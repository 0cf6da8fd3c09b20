/**
 * NHI card proofs checked by the SAM emulation: the card's answer to nhiChallenge(origin, nonce) with
 * the key derived from the master key, as the lab's virtual card computes it.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nhiChallenge } from '../../../shared/nhi/challenge.ts';
import { cardResponse, deriveCardKey } from '../../../shared/node/nhi/samEmulation.ts';
import { samAcceptsResponse } from '../../../portal/src/services/proofs.ts';
import { hashPassword, verifyPassword } from '../../../portal/src/services/passwords.ts';

const MASTER = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
const ORIGIN = 'https://portal.cardbridge.test';
const CARD = '000012345678';

async function answer(options: { card?: string; origin?: string; nonce: string; master?: Buffer }) {
  const key = deriveCardKey(options.master ?? MASTER, options.card ?? CARD);
  return cardResponse(key, await nhiChallenge(options.origin ?? ORIGIN, options.nonce)).toString('base64');
}

describe('samAcceptsResponse', () => {
  const nonce = randomBytes(32).toString('base64');

  it("accepts the card's answer for this origin and nonce", async () => {
    const response = await answer({ nonce });
    expect(await samAcceptsResponse(MASTER, ORIGIN, { cardNumber: CARD, nonce, response })).toBe(true);
  });

  it.each([
    ['another origin', { origin: 'https://evil.example.test' }],
    ['another nonce', { nonce: randomBytes(32).toString('base64') }],
    ['another card', { card: '000012345679' }],
    ['another master key', { master: Buffer.alloc(32, 9) }],
  ])('refuses an answer made for %s', async (_label, change) => {
    const response = await answer({ nonce, ...change });
    expect(await samAcceptsResponse(MASTER, ORIGIN, { cardNumber: CARD, nonce, response })).toBe(false);
  });

  it('refuses tampered and malformed responses', async () => {
    const good = Buffer.from(await answer({ nonce }), 'base64');
    good[0]! ^= 1;
    expect(
      await samAcceptsResponse(MASTER, ORIGIN, {
        cardNumber: CARD,
        nonce,
        response: good.toString('base64'),
      }),
    ).toBe(false);
    expect(await samAcceptsResponse(MASTER, ORIGIN, { cardNumber: CARD, nonce, response: 'AAAA' })).toBe(
      false,
    );
    const shortCard = await answer({ nonce, card: '12345' });
    expect(
      await samAcceptsResponse(MASTER, ORIGIN, { cardNumber: '12345', nonce, response: shortCard }),
    ).toBe(false);
  });
});

describe('NHI card web passwords', () => {
  it('are salted scrypt hashes that verify only the same password', async () => {
    const a = await hashPassword('Test1234');
    const b = await hashPassword('Test1234');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('Test1234', a)).toBe(true);
    expect(await verifyPassword('Test1235', a)).toBe(false);
    expect(await verifyPassword('Test1234', 'plain')).toBe(false);
  });
});

/** The security-module stand-in for NHI-card logins: keys per card, origin-bound challenges. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nhiChallenge } from '../../shared/nhi/challenge.ts';
import {
  cardResponse,
  deriveCardKey,
  verifyCardResponse,
  verifyLoginResponse,
} from '../../shared/node/nhi/samEmulation.ts';

const MASTER = Buffer.alloc(32, 7);
const CARD = '000012345678';

describe('SAM emulation', () => {
  it('accepts the answer of the card holding the derived key, and only for that card number', () => {
    const challenge = randomBytes(32);
    const response = cardResponse(deriveCardKey(MASTER, CARD), challenge);
    expect(response).toHaveLength(16);
    expect(verifyCardResponse(MASTER, CARD, challenge, response)).toBe(true);
    expect(verifyCardResponse(MASTER, '000012345679', challenge, response)).toBe(false);
    expect(verifyCardResponse(Buffer.alloc(32, 8), CARD, challenge, response)).toBe(false);
  });

  it('refuses an answer to another challenge, a flipped bit and malformed input', () => {
    const challenge = randomBytes(32);
    const response = cardResponse(deriveCardKey(MASTER, CARD), challenge);
    expect(verifyCardResponse(MASTER, CARD, randomBytes(32), response)).toBe(false);
    const flipped = Buffer.from(response);
    flipped[0]! ^= 1;
    expect(verifyCardResponse(MASTER, CARD, challenge, flipped)).toBe(false);
    expect(verifyCardResponse(MASTER, CARD, challenge.subarray(0, 31), response)).toBe(false);
    expect(verifyCardResponse(MASTER, CARD, challenge, response.subarray(0, 15))).toBe(false);
    expect(verifyCardResponse(MASTER, 'A00012345678', challenge, response)).toBe(false);
  });

  it('needs a master key of at least 16 bytes', () => {
    expect(() => deriveCardKey(Buffer.alloc(15), CARD)).toThrow(RangeError);
  });

  it('binds the challenge to origin and nonce', async () => {
    const nonce = randomBytes(32).toString('base64');
    const a = await nhiChallenge('https://eservice.nhi.gov.tw', nonce);
    expect(a).toHaveLength(32);
    expect(await nhiChallenge('https://eservice.nhi.gov.tw', nonce)).toEqual(a);
    expect(await nhiChallenge('https://evil.example', nonce)).not.toEqual(a);
    expect(await nhiChallenge('https://eservice.nhi.gov.tw', randomBytes(32).toString('base64'))).not.toEqual(
      a,
    );
  });

  it('accepts a login answer only for the origin and nonce the card answered', async () => {
    const origin = 'https://eservice.nhi.gov.tw';
    const nonce = randomBytes(32).toString('base64');
    const response = cardResponse(deriveCardKey(MASTER, CARD), await nhiChallenge(origin, nonce));
    expect(await verifyLoginResponse(MASTER, CARD, origin, nonce, response)).toBe(true);
    expect(await verifyLoginResponse(MASTER, CARD, 'https://evil.example', nonce, response)).toBe(false);
    expect(
      await verifyLoginResponse(MASTER, CARD, origin, randomBytes(32).toString('base64'), response),
    ).toBe(false);
    expect(await verifyLoginResponse(MASTER, '000012345679', origin, nonce, response)).toBe(false);
  });
});

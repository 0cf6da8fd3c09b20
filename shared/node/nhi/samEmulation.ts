/**
 * Stand-in for NHI's security module (SAM/HSM) in NHI-card logins.
 *
 * A real NHI card answers the mutual-authentication command (`00 82 11 12 20 <32 bytes> 10`, see
 * ../../shared/reference/taiwan-nhi-facts.md) with 16 bytes that only NHI's security module can
 * check; its keys and algorithm are not public. This emulation keeps the same shape so that every
 * other part (host command, extension, portal, tests) is real:
 *
 *   card key  = first 16 bytes of HMAC-SHA256(master key, "cardbridge-nhi-card-key:" ‖ card number)
 *   response  = first 16 bytes of HMAC-SHA256(card key, challenge)
 *
 * The lab's virtual NHI cards hold their own derived key; the reference portal holds the master key.
 * The challenge a page may ask the card to answer is bound to the page's origin
 * (../../nhi/challenge.ts), so a response obtained on one site is worthless on another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { NHI_CHALLENGE_BYTES, NHI_RESPONSE_BYTES, nhiChallenge } from '../../nhi/challenge.ts';
import { isNhiCardNumber } from '../../tw/nationalId.ts';
import { nodeDigest } from '../crypto/nodeDigest.ts';

const CARD_KEY_BYTES = 16;

export function deriveCardKey(masterKey: Uint8Array, cardNumber: string): Buffer {
  if (masterKey.length < 16) throw new RangeError('SAM master key must be at least 16 bytes');
  return createHmac('sha256', masterKey)
    .update(`cardbridge-nhi-card-key:${cardNumber}`, 'utf8')
    .digest()
    .subarray(0, CARD_KEY_BYTES);
}

/** What the card computes from its own key (the virtual card calls this). */
export function cardResponse(cardKey: Uint8Array, challenge: Uint8Array): Buffer {
  if (challenge.length !== NHI_CHALLENGE_BYTES) throw new RangeError('challenge must be 32 bytes');
  return createHmac('sha256', cardKey).update(challenge).digest().subarray(0, NHI_RESPONSE_BYTES);
}

/** The security module's check: constant time, false for any malformed input. */
export function verifyCardResponse(
  masterKey: Uint8Array,
  cardNumber: string,
  challenge: Uint8Array,
  response: Uint8Array,
): boolean {
  if (challenge.length !== NHI_CHALLENGE_BYTES || response.length !== NHI_RESPONSE_BYTES) return false;
  if (!isNhiCardNumber(cardNumber)) return false;
  const expected = cardResponse(deriveCardKey(masterKey, cardNumber), challenge);
  return timingSafeEqual(expected, response);
}

/** The security module's check of a card's answer in a login at `origin` with `nonce`. */
export async function verifyLoginResponse(
  masterKey: Uint8Array,
  cardNumber: string,
  origin: string,
  nonce: string,
  response: Uint8Array,
): Promise<boolean> {
  return verifyCardResponse(masterKey, cardNumber, await nhiChallenge(origin, nonce, nodeDigest), response);
}

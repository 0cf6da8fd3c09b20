/**
 * NHI IC card commands (taiwan-nhi-facts.md, "NHI IC card over PC/SC", confirmed by three public
 * implementations). Reading the basic data needs no PIN.
 */
import { hex } from '../apdu.ts';

export const NHI_APDUS = {
  /** SELECT the NHI applet by AID D1 58 00 00 01 00 … 00 11 00. */
  selectApplet: hex('00 A4 04 00 10 D1 58 00 00 01 00 00 00 00 00 00 00 00 00 11 00'),
  /** READ the 57-byte basic data record. */
  readBasic: hex('00 CA 11 00 02 00 00'),
} as const;

export const NHI_BASIC_RECORD_LENGTH = 57;

/** Mutual authentication: `00 82 11 12 20 <32-byte challenge> 10`, answered with 16 bytes. */
export const NHI_CHALLENGE_LENGTH = 0x20;
export const NHI_AUTH_RESPONSE_LENGTH = 0x10;
const MUTUAL_AUTH_HEADER = hex('00 82 11 12');

export function mutualAuthenticateApdu(challenge: Uint8Array): Buffer {
  if (challenge.length !== NHI_CHALLENGE_LENGTH) {
    throw new RangeError(`challenge is ${challenge.length} bytes, expected ${NHI_CHALLENGE_LENGTH}`);
  }
  return Buffer.concat([
    MUTUAL_AUTH_HEADER,
    Buffer.from([NHI_CHALLENGE_LENGTH]),
    challenge,
    Buffer.from([NHI_AUTH_RESPONSE_LENGTH]),
  ]);
}

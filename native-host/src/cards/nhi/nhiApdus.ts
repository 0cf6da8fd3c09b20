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

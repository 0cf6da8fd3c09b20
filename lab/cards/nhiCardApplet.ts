/**
 * A virtual NHI card: the applet answers SELECT and READ basic data with configurable holder data,
 * and mutual authenticate (`00 82 11 12 20 <32 bytes> 10`) with the SAM emulation's card response
 * (shared/node/nhi/samEmulation.ts) under its own card key.
 */
import iconv from 'iconv-lite';
import { cardResponse, deriveCardKey } from '../../shared/node/nhi/samEmulation.ts';
import { isoToRocDate } from '../../shared/tw/rocDate.ts';
import { buildAtr, type CardApplet } from '../vpcd/virtualCard.ts';

export interface NhiCardData {
  cardNumber: string;
  name: string;
  idNumber: string;
  birthDate: string;
  sex: 'M' | 'F';
  issueDate: string;
}

/** The demo holder: fictional, with a valid ID checksum and a leap-day birth date. */
export const DEMO_NHI_CARD: NhiCardData = {
  cardNumber: '000012345678',
  name: '王大明',
  idNumber: 'A123456789',
  birthDate: '1980-02-29',
  sex: 'M',
  issueDate: '2015-06-01',
};

/**
 * TEST KEY ONLY — the lab's SAM master key, public in this repository and worthless anywhere else.
 * Virtual NHI cards derive their card key from it (deriveCardKey(LAB_SAM_MASTER_KEY, card number))
 * unless given their own; tests and the lab portal verify card responses with it.
 */
export const LAB_SAM_MASTER_KEY: Buffer = Buffer.from(
  // ASCII "TEST ONLY: CardBridge lab SAM k1"
  '54455354204f4e4c593a2043617264427269646765206c61622053414d206b31',
  'hex',
);

/** An ATR that is in no table, so the host must probe the applet (as for most real NHI cards). */
export const LAB_NHI_ATR = buildAtr(Buffer.from('CBLAB-NHI1', 'ascii'));

const NHI_AID = Buffer.from('D1580000010000000000000000001100', 'hex');
const SW = (sw: number) => Buffer.from([sw >> 8, sw & 0xff]);

/** Encodes holder data into the 57-byte record layout. */
export function encodeNhiBasicRecord(data: NhiCardData): Buffer {
  const record = Buffer.alloc(57, 0);
  record.write(data.cardNumber.padEnd(12, ' '), 0, 12, 'latin1');
  const name = iconv.encode(data.name, 'big5hkscs');
  if (name.length > 20) throw new Error('name longer than 20 Big5 bytes');
  name.copy(record, 12);
  record.write(data.idNumber.padEnd(10, ' '), 32, 10, 'latin1');
  record.write(isoToRocDate(data.birthDate), 42, 7, 'latin1');
  record.write(data.sex, 49, 1, 'latin1');
  record.write(isoToRocDate(data.issueDate), 50, 7, 'latin1');
  return record;
}

export interface NhiCardAppletOptions {
  /** The card's own 16-byte authentication key; default deriveCardKey(LAB_SAM_MASTER_KEY, card number). */
  authKey?: Buffer;
}

const INS_MUTUAL_AUTHENTICATE = 0x82;
const CHALLENGE_LENGTH = 0x20;
const RESPONSE_LENGTH = 0x10;

export class NhiCardApplet implements CardApplet {
  private selected = false;
  private readonly record: Buffer;
  /** The key the card answers mutual authenticate with. */
  readonly authKey: Buffer;

  constructor(
    data: NhiCardData = DEMO_NHI_CARD,
    readonly atr: Buffer = LAB_NHI_ATR,
    /** Raw record override, for malformed-card tests. */
    record?: Buffer,
    options: NhiCardAppletOptions = {},
  ) {
    this.record = record ?? encodeNhiBasicRecord(data);
    this.authKey = options.authKey ?? deriveCardKey(LAB_SAM_MASTER_KEY, data.cardNumber);
  }

  reset(): void {
    this.selected = false;
  }

  process(apdu: Buffer): Buffer | undefined {
    const [cla, ins, p1] = apdu;
    if (cla === 0x00 && ins === 0xa4 && p1 === 0x04) {
      const lc = apdu[4] ?? 0;
      this.selected = apdu.subarray(5, 5 + lc).equals(NHI_AID);
      return SW(this.selected ? 0x9000 : 0x6a82);
    }
    if (cla === 0x00 && ins === 0xca && p1 === 0x11) {
      return this.selected ? Buffer.concat([this.record, SW(0x9000)]) : SW(0x6985);
    }
    if (cla === 0x00 && ins === INS_MUTUAL_AUTHENTICATE) return this.mutualAuthenticate(apdu);
    return SW(0x6d00);
  }

  /** `00 82 11 12 20 <challenge> 10` → the 16-byte card response + 9000. */
  private mutualAuthenticate(apdu: Buffer): Buffer {
    if (apdu[2] !== 0x11 || apdu[3] !== 0x12) return SW(0x6a86);
    // Case 4 short: header, Lc = 32, the challenge, Le = 16 (or 00, "up to 256").
    const le = apdu[5 + CHALLENGE_LENGTH];
    if (
      apdu[4] !== CHALLENGE_LENGTH ||
      apdu.length !== 5 + CHALLENGE_LENGTH + 1 ||
      (le !== RESPONSE_LENGTH && le !== 0x00)
    ) {
      return SW(0x6700);
    }
    if (!this.selected) return SW(0x6985);
    const challenge = apdu.subarray(5, 5 + CHALLENGE_LENGTH);
    return Buffer.concat([cardResponse(this.authKey, challenge), SW(0x9000)]);
  }
}

/** A card with no NHI applet (a bank or transport card, say). */
export class ForeignCardApplet implements CardApplet {
  constructor(readonly atr: Buffer = buildAtr(Buffer.from('CBLAB-OTHER', 'ascii'))) {}
  reset(): void {}
  process(apdu: Buffer): Buffer {
    return apdu[1] === 0xa4 ? SW(0x6a82) : SW(0x6d00);
  }
}

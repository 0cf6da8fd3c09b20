/**
 * A virtual PIV card (NIST SP 800-73-4) for the lab, good enough for OpenSC's own PIV driver and so
 * for `opensc-pkcs11.so`: a real card-level PKCS#11 chain whose PIN is checked and counted by the
 * card. SoftHSM never reports "final try" or "locked"; this card does, as a real one would:
 * VERIFY answers 63Cx with the tries left and 6983 once blocked, and the count survives resets.
 *
 * It holds one RSA key and its certificate in slot 9A (PIV Authentication) and signs with GENERAL
 * AUTHENTICATE (raw RSA; OpenSC pads). Short and extended APDUs, command chaining (CLA 0x10) and
 * response chaining (61xx + GET RESPONSE) are understood, since a 2048-bit operation needs them.
 */
import { constants, createHash, createPrivateKey, privateEncrypt, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { buildAtr, type CardApplet } from '../vpcd/virtualCard.ts';

/** The PIV application's AID (SP 800-73-4 part 1, §2.2); cards are selected by its first 9 bytes. */
const PIV_AID = Buffer.from('A000000308000010000100', 'hex');
const PIV_AID_PREFIX = PIV_AID.subarray(0, 9);

/** An ATR in no table: OpenSC finds the card by selecting the PIV AID, as for a generic PIV card. */
export const LAB_PIV_ATR = buildAtr(Buffer.from('CBLAB-PIV1', 'ascii'));

/** OpenSC's PKCS#11 module (Debian's opensc-pkcs11 package), which drives this card. */
export const OPENSC_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';

/** Fails loudly (as the lab does for pcscd) where OpenSC is not installed: no silent skip. */
export function requireOpenSc(): void {
  if (!existsSync(OPENSC_MODULE))
    throw new Error(`${OPENSC_MODULE} is missing — run: sudo apt-get install opensc`);
}

/** TEST VALUES ONLY: the lab PIV card's PIN and PUK. */
export const LAB_PIV_PIN = '73915086';
export const LAB_PIV_PUK = '42068173';
/** Wrong PINs the tests type (8 digits like the real one, distinctive enough to search logs for). */
export const LAB_PIV_WRONG_PINS: readonly string[] = ['20261203', '31415926', '27182818', '16180339'];

const TAG = { CHUID: '5fc102', CERT_9A: '5fc105' } as const;
const KEY_REF = { PIN: 0x80, PUK: 0x81, AUTH_9A: 0x9a } as const;
const ALG_RSA_2048 = 0x07;

const SW = (sw: number) => Buffer.from([sw >> 8, sw & 0xff]);
const OK = SW(0x9000);

export interface PivCardOptions {
  /** The slot 9A certificate (DER) and its RSA private key (PKCS#8 DER). */
  certificate: Buffer;
  privateKey: Buffer;
  pin?: string;
  puk?: string;
  /** Tries before the PIN blocks (3 on most cards). */
  pinTries?: number;
  atr?: Buffer;
}

/** What the card saw, for tests: every PIN comparison it made, and its state. */
export interface PivCardCounters {
  /** VERIFY commands that carried a PIN (each one is a try, right or wrong). */
  pinVerifications: number;
  /** VERIFY commands without data (a status query: no try). */
  pinStatusQueries: number;
  signatures: number;
}

interface Apdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Buffer;
}

/** BER-TLV length bytes. */
function berLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

export function tlv(tag: number | Buffer, value: Buffer): Buffer {
  const tagBytes = typeof tag === 'number' ? Buffer.from([tag]) : tag;
  return Buffer.concat([tagBytes, berLength(value.length), value]);
}

/** Reads the TLVs of one level (BER lengths up to 3 bytes). */
export function readTlvs(bytes: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  while (i < bytes.length) {
    const tag = bytes[i++]!;
    let length = bytes[i++] ?? 0;
    if (length === 0x81) length = bytes[i++] ?? 0;
    else if (length === 0x82) {
      length = bytes.readUInt16BE(i);
      i += 2;
    }
    out.set(tag, bytes.subarray(i, i + length));
    i += length;
  }
  return out;
}

/** Parses a short or extended command APDU (ISO 7816-4 §5.1); undefined when malformed. */
function parseApdu(raw: Buffer): Apdu | undefined {
  if (raw.length < 4) return undefined;
  const [cla, ins, p1, p2] = raw as unknown as [number, number, number, number];
  const body = raw.subarray(4);
  let data: Buffer = Buffer.alloc(0);
  if (body.length > 1) {
    if (body[0] === 0 && body.length >= 3) {
      const lc = body.readUInt16BE(1);
      // Extended: 00 Lc(2) data [Le(2)], or 00 Le(2) alone.
      if (body.length === 3) data = Buffer.alloc(0);
      else if (body.length === 3 + lc || body.length === 5 + lc) data = body.subarray(3, 3 + lc);
      else return undefined;
    } else {
      const lc = body[0]!;
      if (body.length !== 1 + lc && body.length !== 2 + lc) return undefined;
      data = body.subarray(1, 1 + lc);
    }
  }
  return { cla, ins, p1, p2, data };
}

export class PivCardApplet implements CardApplet {
  readonly atr: Buffer;
  readonly counters: PivCardCounters = { pinVerifications: 0, pinStatusQueries: 0, signatures: 0 };
  private readonly objects = new Map<string, Buffer>();
  private readonly key: KeyObject;
  private readonly pin: string;
  private readonly puk: string;
  private readonly pinTries: number;
  /** Card state: survives resets and power cycles, as in a real card's EEPROM. */
  private pinTriesLeft: number;
  private pukTriesLeft = 3;
  /** Session state: lost on reset. */
  private selected = false;
  private pinVerified = false;
  private chained: Buffer = Buffer.alloc(0);
  private pendingResponse: Buffer = Buffer.alloc(0);

  constructor(options: PivCardOptions) {
    this.atr = options.atr ?? LAB_PIV_ATR;
    this.pin = options.pin ?? LAB_PIV_PIN;
    this.puk = options.puk ?? LAB_PIV_PUK;
    this.pinTries = options.pinTries ?? 3;
    this.pinTriesLeft = this.pinTries;
    this.key = createPrivateKey({ key: options.privateKey, format: 'der', type: 'pkcs8' });
    // CHUID: FASC-N (30), GUID (34, OpenSC's token serial: from the certificate, so stable across
    // restarts), expiry (35), empty signature (3E).
    const chuid = Buffer.concat([
      tlv(0x30, Buffer.from('d4e739da739ced39ce739d836858210842108421c84210c3eb', 'hex')),
      tlv(0x34, createHash('sha256').update(options.certificate).digest().subarray(0, 16)),
      tlv(0x35, Buffer.from('20361231', 'ascii')),
      tlv(0x3e, Buffer.alloc(0)),
      tlv(0xfe, Buffer.alloc(0)),
    ]);
    this.objects.set(TAG.CHUID, chuid);
    // Certificate object: the DER (70), CertInfo 00 = not compressed (71), error detection code (FE).
    this.objects.set(
      TAG.CERT_9A,
      Buffer.concat([
        tlv(0x70, options.certificate),
        tlv(0x71, Buffer.from([0])),
        tlv(0xfe, Buffer.alloc(0)),
      ]),
    );
  }

  /** Tries left before the PIN blocks, as the card counts them. */
  get pinTriesRemaining(): number {
    return this.pinTriesLeft;
  }

  reset(): void {
    this.selected = false;
    this.pinVerified = false;
    this.chained = Buffer.alloc(0);
    this.pendingResponse = Buffer.alloc(0);
  }

  process(raw: Buffer): Buffer {
    const apdu = parseApdu(raw);
    if (!apdu) return SW(0x6700);
    if (apdu.ins === 0xc0) return this.getResponse();
    this.pendingResponse = Buffer.alloc(0);
    // Command chaining: CLA bit 0x10 says "more to come"; the last part comes with the plain CLA.
    if (apdu.cla & 0x10) {
      this.chained = Buffer.concat([this.chained, apdu.data]);
      return OK;
    }
    if (this.chained.length > 0) {
      apdu.data = Buffer.concat([this.chained, apdu.data]);
      this.chained = Buffer.alloc(0);
    }
    if (apdu.cla !== 0x00) return SW(0x6e00);
    switch (apdu.ins) {
      case 0xa4:
        return this.select(apdu);
      case 0xcb:
        return this.selected ? this.respond(this.getData(apdu)) : SW(0x6985);
      case 0x20:
        return this.selected ? this.verify(apdu) : SW(0x6985);
      case 0x2c:
        return this.selected ? this.resetRetryCounter(apdu) : SW(0x6985);
      case 0x87:
        return this.selected ? this.respond(this.generalAuthenticate(apdu)) : SW(0x6985);
      default:
        return SW(0x6d00);
    }
  }

  private select(apdu: Apdu): Buffer {
    if (apdu.p1 !== 0x04) return SW(0x6a82);
    this.selected =
      apdu.data.length >= PIV_AID_PREFIX.length && PIV_AID.subarray(0, apdu.data.length).equals(apdu.data);
    if (!this.selected) return SW(0x6a82);
    // Application property template: AID (4F), coexistent tag allocation authority (79).
    const apt = tlv(
      0x61,
      Buffer.concat([
        tlv(0x4f, PIV_AID.subarray(5)),
        tlv(0x79, tlv(0x4f, PIV_AID.subarray(0, 5))),
        tlv(0x50, Buffer.from('CardBridge Lab PIV', 'ascii')),
      ]),
    );
    return this.respond({ data: apt, sw: 0x9000 });
  }

  /** GET DATA `00 CB 3F FF` with `5C <tag>`: the object wrapped in 53, or 6A82. */
  private getData(apdu: Apdu): { data: Buffer; sw: number } {
    if (apdu.p1 !== 0x3f || apdu.p2 !== 0xff) return { data: Buffer.alloc(0), sw: 0x6a86 };
    const tag = readTlvs(apdu.data).get(0x5c);
    const object = tag && this.objects.get(tag.toString('hex'));
    if (!object) return { data: Buffer.alloc(0), sw: 0x6a82 };
    return { data: tlv(0x53, object), sw: 0x9000 };
  }

  /** VERIFY `00 20 00 80`: with a PIN it is a try; without data it asks the status. */
  private verify(apdu: Apdu): Buffer {
    if (apdu.p2 !== KEY_REF.PIN) return SW(0x6a88);
    if (apdu.p1 === 0xff) {
      this.pinVerified = false;
      return OK;
    }
    if (apdu.data.length === 0) {
      this.counters.pinStatusQueries++;
      if (this.pinTriesLeft === 0) return SW(0x6983);
      return this.pinVerified ? OK : SW(0x63c0 | this.pinTriesLeft);
    }
    this.counters.pinVerifications++;
    if (this.pinTriesLeft === 0) return SW(0x6983);
    if (apdu.data.length !== 8) return SW(0x6700);
    if (apdu.data.equals(padPin(this.pin))) {
      this.pinTriesLeft = this.pinTries;
      this.pinVerified = true;
      return OK;
    }
    this.pinVerified = false;
    this.pinTriesLeft--;
    return this.pinTriesLeft === 0 ? SW(0x6983) : SW(0x63c0 | this.pinTriesLeft);
  }

  /** RESET RETRY COUNTER `00 2C 00 80` with PUK ‖ new PIN (8 + 8 bytes): unblocks the PIN. */
  private resetRetryCounter(apdu: Apdu): Buffer {
    if (apdu.p2 !== KEY_REF.PIN || apdu.data.length !== 16) return SW(0x6a80);
    if (this.pukTriesLeft === 0) return SW(0x6983);
    if (!apdu.data.subarray(0, 8).equals(padPin(this.puk))) {
      this.pukTriesLeft--;
      return this.pukTriesLeft === 0 ? SW(0x6983) : SW(0x63c0 | this.pukTriesLeft);
    }
    this.pukTriesLeft = 3;
    this.pinTriesLeft = this.pinTries;
    return OK;
  }

  /**
   * GENERAL AUTHENTICATE `00 87 07 9A` with `7C { 82 00, 81 <block> }`: the raw RSA private
   * operation on the block, answered as `7C { 82 <signature> }`. Needs the PIN verified.
   */
  private generalAuthenticate(apdu: Apdu): { data: Buffer; sw: number } {
    const none = Buffer.alloc(0);
    if (apdu.p1 !== ALG_RSA_2048 || apdu.p2 !== KEY_REF.AUTH_9A) return { data: none, sw: 0x6a86 };
    const template = readTlvs(apdu.data).get(0x7c);
    const block = template && readTlvs(template).get(0x81);
    if (!block || block.length !== 256) return { data: none, sw: 0x6a80 };
    if (!this.pinVerified) return { data: none, sw: 0x6982 };
    const signature = privateEncrypt({ key: this.key, padding: constants.RSA_NO_PADDING }, block);
    this.counters.signatures++;
    return { data: tlv(0x7c, tlv(0x82, signature)), sw: 0x9000 };
  }

  /** Answers up to 256 bytes at once; the rest waits for GET RESPONSE (61xx). */
  private respond(answer: { data: Buffer; sw: number }): Buffer {
    if (answer.sw !== 0x9000) return SW(answer.sw);
    this.pendingResponse = answer.data;
    return this.nextChunk(256);
  }

  private getResponse(): Buffer {
    if (this.pendingResponse.length === 0) return SW(0x6985);
    return this.nextChunk(256);
  }

  private nextChunk(max: number): Buffer {
    const chunk = this.pendingResponse.subarray(0, max);
    this.pendingResponse = this.pendingResponse.subarray(chunk.length);
    const left = this.pendingResponse.length;
    const sw = left === 0 ? 0x9000 : 0x6100 | (Math.min(left, 256) % 256);
    return Buffer.concat([chunk, SW(sw)]);
  }
}

/** PIV PINs are 6–8 ASCII digits, padded with FF to 8 bytes. */
function padPin(pin: string): Buffer {
  const out = Buffer.alloc(8, 0xff);
  out.write(pin, 'ascii');
  return out;
}

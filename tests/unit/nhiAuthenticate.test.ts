/**
 * The NHI authenticate sequence (SELECT, READ basic data, MUTUAL AUTHENTICATE) over a fake card
 * session: scripted answers for the error paths, and the lab's virtual NHI applet for the full answer.
 */
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { verifyCardResponse } from '../../shared/node/nhi/samEmulation.ts';
import { NhiAuthenticateArgsSchema } from '../../shared/protocol/messages.ts';
import { mutualAuthenticateApdu } from '../../native-host/src/cards/nhi/nhiApdus.ts';
import { authenticateNhi, readNhiBasic } from '../../native-host/src/cards/nhi/nhiDriver.ts';
import { HostError } from '../../native-host/src/hostError.ts';
import type { CardSession } from '../../native-host/src/pcsc/cardAccess.ts';
import {
  DEMO_NHI_CARD,
  ForeignCardApplet,
  LAB_SAM_MASTER_KEY,
  NhiCardApplet,
  encodeNhiBasicRecord,
} from '../../lab/cards/nhiCardApplet.ts';

/** Written out from taiwan-nhi-facts.md, not taken from the driver. */
const SELECT = '00a4040010' + 'd1580000010000000000000000001100';
const READ = '00ca1100020000';
const CHALLENGE = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 1));
const OK = Buffer.from([0x90, 0x00]);
const sw = (value: number) => Buffer.from([value >> 8, value & 0xff]);

/** A card session whose answers come from `answer`; every APDU sent is kept as hex. */
function fakeSession(answer: (apdu: Buffer) => Buffer | Promise<Buffer>) {
  const sent: string[] = [];
  const session: CardSession = {
    reader: 'Fake Reader 00 00',
    atr: Buffer.from('3b00', 'hex'),
    async transmit(apdu) {
      sent.push(apdu.toString('hex'));
      return answer(apdu);
    },
  };
  return { session, sent };
}

/** Answers SELECT and READ like an NHI card; MUTUAL AUTHENTICATE with `auth`. */
function scripted(auth: Buffer) {
  const record = encodeNhiBasicRecord(DEMO_NHI_CARD);
  return fakeSession((apdu) => {
    switch (apdu[1]) {
      case 0xa4:
        return OK;
      case 0xca:
        return Buffer.concat([record, OK]);
      case 0x82:
        return auth;
      default:
        return sw(0x6d00);
    }
  });
}

async function hostError(promise: Promise<unknown>): Promise<HostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

describe('mutualAuthenticateApdu', () => {
  it('is 00 82 11 12 20 <32 bytes> 10', () => {
    const apdu = mutualAuthenticateApdu(CHALLENGE);
    expect(apdu.length).toBe(38);
    expect(apdu.subarray(0, 5).toString('hex')).toBe('0082111220');
    expect(apdu.subarray(5, 37).equals(CHALLENGE)).toBe(true);
    expect(apdu[37]).toBe(0x10);
  });

  it('refuses a challenge that is not 32 bytes', () => {
    expect(() => mutualAuthenticateApdu(Buffer.alloc(31))).toThrow(RangeError);
    expect(() => mutualAuthenticateApdu(Buffer.alloc(33))).toThrow(RangeError);
  });
});

describe('authenticateNhi', () => {
  it('sends SELECT, READ basic data, then MUTUAL AUTHENTICATE, and returns the card number and answer', async () => {
    const answer = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const { session, sent } = scripted(Buffer.concat([answer, OK]));
    const result = await authenticateNhi(session, CHALLENGE);
    expect(result).toEqual({ cardNumber: DEMO_NHI_CARD.cardNumber, response: answer });
    expect(sent).toEqual([SELECT, READ, mutualAuthenticateApdu(CHALLENGE).toString('hex')]);
  });

  it('gets an answer from the virtual NHI card that the SAM emulation verifies', async () => {
    const card = new NhiCardApplet();
    const { session } = fakeSession((apdu) => card.process(apdu) ?? Buffer.alloc(0));
    const { cardNumber, response } = await authenticateNhi(session, CHALLENGE);
    expect(cardNumber).toBe(DEMO_NHI_CARD.cardNumber);
    expect(response.length).toBe(16);
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, cardNumber, CHALLENGE, response)).toBe(true);
    const other = Buffer.from(CHALLENGE);
    other[0]! ^= 1;
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, cardNumber, other, response)).toBe(false);
  });

  it('gives an answer that does not verify for a card holding a key of its own', async () => {
    const card = new NhiCardApplet(DEMO_NHI_CARD, undefined, undefined, { authKey: Buffer.alloc(16, 7) });
    const { session } = fakeSession((apdu) => card.process(apdu) ?? Buffer.alloc(0));
    const { cardNumber, response } = await authenticateNhi(session, CHALLENGE);
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, cardNumber, CHALLENGE, response)).toBe(false);
  });

  it('gives ERR_UNSUPPORTED_CARD (as nhi.readBasic does) for a card without the NHI applet', async () => {
    const foreign = new ForeignCardApplet();
    const { session, sent } = fakeSession((apdu) => foreign.process(apdu));
    const error = await hostError(authenticateNhi(session, CHALLENGE));
    expect(error.code).toBe('ERR_UNSUPPORTED_CARD');
    expect(sent).toEqual([SELECT]);
    const again = fakeSession((apdu) => foreign.process(apdu));
    expect((await hostError(readNhiBasic(again.session))).code).toBe('ERR_UNSUPPORTED_CARD');
  });

  it.each([
    ['a refusal', sw(0x6985), { sw: '6985' }],
    ['a wrong-length status', sw(0x6700), { sw: '6700' }],
    ['15 bytes', Buffer.concat([Buffer.alloc(15, 1), OK]), { sw: '9000', length: 15 }],
    ['17 bytes', Buffer.concat([Buffer.alloc(17, 1), OK]), { sw: '9000', length: 17 }],
    ['no data', OK, { sw: '9000', length: 0 }],
    ['16 bytes with a warning', Buffer.concat([Buffer.alloc(16, 1), sw(0x6283)]), { sw: '6283' }],
  ])('gives ERR_CARD_IO with details.sw for %s', async (_label, answer, details) => {
    const { session } = scripted(answer);
    const error = await hostError(authenticateNhi(session, CHALLENGE));
    expect(error.code).toBe('ERR_CARD_IO');
    expect(error.details).toEqual(details);
  });

  it('gives ERR_CARD_IO with details.sw when READ basic data fails, and never sends the challenge', async () => {
    const { session, sent } = fakeSession((apdu) => (apdu[1] === 0xa4 ? OK : sw(0x6a82)));
    const error = await hostError(authenticateNhi(session, CHALLENGE));
    expect(error.code).toBe('ERR_CARD_IO');
    expect(error.details).toEqual({ sw: '6a82' });
    expect(sent).toEqual([SELECT, READ]);
  });

  it('gives ERR_CARD_IO when the record carries no 12-digit card number', async () => {
    const record = encodeNhiBasicRecord(DEMO_NHI_CARD);
    record.write('00001234567X', 0, 'latin1');
    const card = new NhiCardApplet(DEMO_NHI_CARD, undefined, record);
    const { session, sent } = fakeSession((apdu) => card.process(apdu) ?? Buffer.alloc(0));
    expect((await hostError(authenticateNhi(session, CHALLENGE))).code).toBe('ERR_CARD_IO');
    expect(sent).toHaveLength(2);
  });

  it('needs only the card number from the record (a bad date elsewhere does not matter)', async () => {
    const record = encodeNhiBasicRecord(DEMO_NHI_CARD);
    record.write('0691332', 42, 'latin1'); // 13th month: nhi.readBasic refuses this card
    const card = new NhiCardApplet(DEMO_NHI_CARD, undefined, record);
    const { session } = fakeSession((apdu) => card.process(apdu) ?? Buffer.alloc(0));
    const { response } = await authenticateNhi(session, CHALLENGE);
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, DEMO_NHI_CARD.cardNumber, CHALLENGE, response)).toBe(true);
  });

  it('passes card errors from the session through unchanged (card removed mid-operation)', async () => {
    const { session } = fakeSession((apdu) => {
      if (apdu[1] === 0x82) throw new HostError('ERR_CARD_REMOVED', 'card changed during the operation');
      return apdu[1] === 0xca ? Buffer.concat([encodeNhiBasicRecord(DEMO_NHI_CARD), OK]) : OK;
    });
    expect((await hostError(authenticateNhi(session, CHALLENGE))).code).toBe('ERR_CARD_REMOVED');
  });
});

describe('the virtual NHI applet, mutual authenticate', () => {
  const apdu = mutualAuthenticateApdu(CHALLENGE);
  const selected = () => {
    const card = new NhiCardApplet();
    card.process(Buffer.from(SELECT, 'hex'));
    return card;
  };

  it('answers 6985 before the NHI applet is selected, and again after a reset', () => {
    const card = new NhiCardApplet();
    expect(card.process(apdu)).toEqual(sw(0x6985));
    const ready = selected();
    expect(ready.process(apdu)?.subarray(-2)).toEqual(OK);
    ready.reset();
    expect(ready.process(apdu)).toEqual(sw(0x6985));
  });

  it('answers 6700 for a wrong Lc or a missing or wrong Le', () => {
    const card = selected();
    const wrongLc = Buffer.from(apdu);
    wrongLc[4] = 0x1f;
    expect(card.process(wrongLc)).toEqual(sw(0x6700));
    expect(
      card.process(Buffer.concat([apdu.subarray(0, 5), CHALLENGE.subarray(0, 31), Buffer.from([0x10])])),
    ).toEqual(sw(0x6700));
    expect(card.process(apdu.subarray(0, 37))).toEqual(sw(0x6700));
    const wrongLe = Buffer.from(apdu);
    wrongLe[37] = 0x08;
    expect(card.process(wrongLe)).toEqual(sw(0x6700));
  });

  it('derives its default key from the lab master key and its card number', () => {
    const data = { ...DEMO_NHI_CARD, cardNumber: '987654321098' };
    const card = new NhiCardApplet(data);
    card.process(Buffer.from(SELECT, 'hex'));
    const response = card.process(apdu)!.subarray(0, -2);
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, data.cardNumber, CHALLENGE, response)).toBe(true);
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, DEMO_NHI_CARD.cardNumber, CHALLENGE, response)).toBe(false);
  });

  it('is marked as a test key and is 32 bytes', () => {
    expect(LAB_SAM_MASTER_KEY.length).toBe(32);
    expect(LAB_SAM_MASTER_KEY.toString('latin1')).toContain('TEST');
  });
});

describe('NhiAuthenticateArgsSchema', () => {
  const good = CHALLENGE.toString('base64');
  it('accepts base64 of exactly 32 bytes, with or without a reader', () => {
    expect(Value.Check(NhiAuthenticateArgsSchema, { challenge: good })).toBe(true);
    expect(Value.Check(NhiAuthenticateArgsSchema, { challenge: good, reader: 'R 00 00' })).toBe(true);
  });

  it.each([
    ['31 bytes', Buffer.alloc(31, 9).toString('base64')],
    ['33 bytes', Buffer.alloc(33, 9).toString('base64')],
    ['not base64', '!'.repeat(43) + '='],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url') + '='],
    ['unpadded', good.slice(0, 43)],
    ['non-canonical final character', good.slice(0, 42) + 'B='],
    ['empty', ''],
  ])('refuses %s', (_label, challenge) => {
    expect(Value.Check(NhiAuthenticateArgsSchema, { challenge })).toBe(false);
  });

  it('refuses a missing challenge and extra arguments', () => {
    expect(Value.Check(NhiAuthenticateArgsSchema, {})).toBe(false);
    expect(Value.Check(NhiAuthenticateArgsSchema, { challenge: good, origin: 'https://x' })).toBe(false);
  });
});

/** NHI card mutual authentication through the built host, real pcscd and vpcd virtual cards. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyCardResponse } from '../../shared/node/nhi/samEmulation.ts';
import {
  DEMO_NHI_CARD,
  ForeignCardApplet,
  LAB_SAM_MASTER_KEY,
  NhiCardApplet,
} from '../../lab/cards/nhiCardApplet.ts';
import { cardSuite } from './helpers/cardSuite.ts';

const suite = cardSuite();

interface AuthResult {
  reader: string;
  cardNumber: string;
  response: string;
}

async function authenticate(challenge: Buffer, reader?: string): Promise<AuthResult> {
  const args: Record<string, unknown> = { challenge: challenge.toString('base64') };
  if (reader !== undefined) args.reader = reader;
  const reply = await suite.host.request('nhi.authenticate', args);
  expect(reply.error).toBeUndefined();
  return reply.result as AuthResult;
}

describe('nhi.authenticate through pcscd', () => {
  it('answers a challenge with 16 bytes the SAM emulation verifies for the card number read', async () => {
    await suite.insert(new NhiCardApplet());
    await suite.startHost();
    const challenge = randomBytes(32);
    const result = await authenticate(challenge);
    expect(Object.keys(result).sort()).toEqual(['cardNumber', 'reader', 'response']);
    expect(result.reader).toBe(suite.lab.slot(0).reader);
    expect(result.cardNumber).toBe(DEMO_NHI_CARD.cardNumber);
    const response = Buffer.from(result.response, 'base64');
    expect(response.length).toBe(16);
    expect(response.toString('base64')).toBe(result.response);
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, result.cardNumber, challenge, response)).toBe(true);
    // The response is bound to the challenge and to the card number.
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, result.cardNumber, randomBytes(32), response)).toBe(false);
    expect(verifyCardResponse(LAB_SAM_MASTER_KEY, '987654321098', challenge, response)).toBe(false);
  });

  it('gives a different response for a different challenge, the same for the same one', async () => {
    await suite.insert(new NhiCardApplet());
    await suite.startHost();
    const a = randomBytes(32);
    const b = Buffer.from(a);
    b[31]! ^= 0x01;
    const first = await authenticate(a);
    const second = await authenticate(b);
    const again = await authenticate(a);
    expect(second.response).not.toBe(first.response);
    expect(again.response).toBe(first.response);
    expect(
      verifyCardResponse(LAB_SAM_MASTER_KEY, second.cardNumber, b, Buffer.from(second.response, 'base64')),
    ).toBe(true);
  });

  it('uses the named reader, and without one the first reader holding an NHI card', async () => {
    const data = { ...DEMO_NHI_CARD, cardNumber: '987654321098' };
    await suite.insert(new ForeignCardApplet(), 0);
    await suite.insert(new NhiCardApplet(data), 1);
    await suite.startHost();
    const challenge = randomBytes(32);
    const chosen = await authenticate(challenge);
    expect(chosen).toMatchObject({ reader: suite.lab.slot(1).reader, cardNumber: data.cardNumber });
    const named = await authenticate(challenge, suite.lab.slot(1).reader);
    expect(named).toEqual(chosen);
    expect(
      verifyCardResponse(
        LAB_SAM_MASTER_KEY,
        data.cardNumber,
        challenge,
        Buffer.from(named.response, 'base64'),
      ),
    ).toBe(true);
  });

  it('gives ERR_BAD_REQUEST for a challenge that is not base64 of 32 bytes, without touching the card', async () => {
    const card = await suite.insert(new NhiCardApplet());
    await suite.startHost();
    card.apduLog.length = 0;
    const bad: unknown[] = [
      'not base64 at all!',
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(32).toString('base64url'),
      randomBytes(32).toString('hex'),
      '',
      42,
    ];
    for (const challenge of bad) {
      const reply = await suite.host.request('nhi.authenticate', { challenge });
      expect(reply.error?.code, JSON.stringify(challenge)).toBe('ERR_BAD_REQUEST');
    }
    expect((await suite.host.request('nhi.authenticate')).error?.code).toBe('ERR_BAD_REQUEST');
    expect((await suite.host.request('nhi.authenticate', {})).error?.code).toBe('ERR_BAD_REQUEST');
    const extra = { challenge: randomBytes(32).toString('base64'), origin: 'https://example.test' };
    expect((await suite.host.request('nhi.authenticate', extra)).error?.code).toBe('ERR_BAD_REQUEST');
    expect(card.apduLog).toEqual([]);
  });

  it('gives the errors nhi.readBasic gives with no card and for a reader that is not there', async () => {
    await suite.startHost();
    const challenge = randomBytes(32).toString('base64');
    const cases: Array<Record<string, unknown>> = [
      {},
      { reader: suite.lab.slot(1).reader },
      { reader: 'Unplugged Reader 00 00' },
    ];
    const codes = [];
    for (const args of cases) {
      const auth = await suite.host.request('nhi.authenticate', { ...args, challenge });
      const read = await suite.host.request('nhi.readBasic', args);
      expect(auth.error?.code).toBe(read.error?.code);
      codes.push(auth.error?.code);
    }
    expect(codes).toEqual(['ERR_NO_CARD', 'ERR_NO_CARD', 'ERR_READER_NOT_FOUND']);
  });

  it('gives the error nhi.readBasic gives (ERR_UNSUPPORTED_CARD) for a card without the NHI applet', async () => {
    const card = await suite.insert(new ForeignCardApplet());
    await suite.startHost();
    const challenge = randomBytes(32).toString('base64');
    for (const args of [{}, { reader: suite.lab.slot(0).reader }]) {
      const auth = await suite.host.request('nhi.authenticate', { ...args, challenge });
      const read = await suite.host.request('nhi.readBasic', args);
      expect(auth.error?.code).toBe('ERR_UNSUPPORTED_CARD');
      expect(auth.error?.code).toBe(read.error?.code);
    }
    expect(card.apduLog.every((hex) => hex.slice(2, 4) === 'a4')).toBe(true);
  });

  it('gives ERR_CARD_IO with details.sw when the card refuses or answers the wrong length', async () => {
    const applet = new NhiCardApplet();
    const answer = applet.process.bind(applet);
    let reply: Buffer = Buffer.from('6982', 'hex');
    applet.process = (apdu: Buffer) => (apdu[1] === 0x82 ? reply : answer(apdu));
    await suite.insert(applet);
    await suite.startHost();
    const challenge = randomBytes(32).toString('base64');
    const refused = await suite.host.request('nhi.authenticate', { challenge });
    expect(refused.error).toMatchObject({ code: 'ERR_CARD_IO', details: { sw: '6982' } });
    reply = Buffer.concat([randomBytes(8), Buffer.from('9000', 'hex')]);
    const short = await suite.host.request('nhi.authenticate', { challenge });
    expect(short.error).toMatchObject({ code: 'ERR_CARD_IO', details: { sw: '9000', length: 8 } });
  });

  it('gives ERR_CARD_REMOVED when the card is pulled during the authentication, then answers once reinserted', async () => {
    let pull = true;
    const card = await suite.insert(new NhiCardApplet(), 0, (apdu, c) => {
      if (pull && apdu[1] === 0x82) void c.remove();
    });
    await suite.startHost();
    const reader = suite.lab.slot(0).reader;
    const challenge = randomBytes(32);
    const reply = await suite.host.request('nhi.authenticate', {
      reader,
      challenge: challenge.toString('base64'),
    });
    expect(reply.error?.code).toBe('ERR_CARD_REMOVED');
    pull = false;
    const inserted = suite.host.nextReadersChanged((d) =>
      d.readers.some((r) => r.name === reader && r.cardPresent),
    );
    await card.insert();
    await inserted;
    const result = await authenticate(challenge, reader);
    expect(
      verifyCardResponse(
        LAB_SAM_MASTER_KEY,
        result.cardNumber,
        challenge,
        Buffer.from(result.response, 'base64'),
      ),
    ).toBe(true);
  });

  it('serialises concurrent operations on one card with nhi.readBasic', async () => {
    const card = await suite.insert(new NhiCardApplet());
    await suite.startHost();
    card.apduLog.length = 0;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? suite.host.request('nhi.authenticate', { challenge: randomBytes(32).toString('base64') })
          : suite.host.request('nhi.readBasic'),
      ),
    );
    for (const reply of replies) expect(reply.result).toMatchObject({ cardNumber: DEMO_NHI_CARD.cardNumber });
    // Each operation is SELECT, READ (then MUTUAL AUTHENTICATE): no two operations interleave.
    const kinds = card.apduLog.map((hex) => hex.slice(2, 4)).join(' ');
    const operations = kinds.split(/ ?(?=a4)/);
    expect(operations).toHaveLength(8);
    expect(operations.filter((o) => o === 'a4 ca 82')).toHaveLength(4);
    expect(operations.filter((o) => o === 'a4 ca')).toHaveLength(4);
  });

  it('keeps the challenge, the response and the card number out of the log', async () => {
    await suite.insert(new NhiCardApplet());
    await suite.startHost();
    const challenge = randomBytes(32);
    const result = await authenticate(challenge);
    const failed = await suite.host.request('nhi.authenticate', {
      challenge: randomBytes(31).toString('base64'),
    });
    expect(failed.error?.code).toBe('ERR_BAD_REQUEST');
    // The host writes a line just after the reply it records.
    const log = await suite.host.logWith('nhi.authenticate');
    const response = Buffer.from(result.response, 'base64');
    for (const secret of [
      challenge.toString('base64'),
      challenge.toString('hex'),
      challenge.subarray(0, 8).toString('hex'),
      result.response,
      response.toString('hex'),
      response.subarray(0, 8).toString('hex'),
      DEMO_NHI_CARD.cardNumber,
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

/** NHI card mutual authentication through the built host, real pcscd and vpcd virtual cards. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyCardResponse } from '../../shared/nhi/samEmulation.ts';
import { Lab } from '../lab/lab.ts';
import {
  DEMO_NHI_CARD,
  ForeignCardApplet,
  LAB_SAM_MASTER_KEY,
  NhiCardApplet,
} from '../lab/cards/nhiCardApplet.ts';
import type { VirtualCard } from '../lab/vpcd/virtualCard.ts';
import { HostProcess } from './helpers/hostProcess.ts';

let lab: Lab;
let host: HostProcess;
const cards: VirtualCard[] = [];

beforeAll(async () => {
  lab = await Lab.start();
});
afterAll(async () => {
  await lab?.stop();
});
afterEach(async () => {
  // As in nhiCard.test.ts: wait until the host saw every reader empty before the next test.
  const empty = host.nextReadersChanged((d) => d.readers.every((r) => !r.cardPresent)).catch(() => undefined);
  const hadCards = cards.some((c) => c.isInserted);
  await Promise.all(cards.splice(0).map((c) => c.remove()));
  if (hadCards) await empty;
  await host.close();
});

async function insert(
  applet: NhiCardApplet | ForeignCardApplet,
  slot: 0 | 1 = 0,
  onApdu?: (a: Buffer, c: VirtualCard) => void,
) {
  const card = lab.card(applet, lab.slot(slot), onApdu ? { onApdu } : {});
  cards.push(card);
  await card.insert();
  return card;
}

/** Starts the host and waits until exactly the inserted cards show (earlier tests' cards gone). */
async function startHost(): Promise<HostProcess> {
  host = new HostProcess({ env: lab.env });
  await host.request('events.subscribe');
  const expected = cards
    .filter((c) => c.isInserted)
    .map((c) => c.applet.atr.toString('hex'))
    .sort();
  const deadline = Date.now() + 5000;
  for (;;) {
    const status = (await host.request('status')).result as { readers: Array<{ atr?: string }> };
    const seen = status.readers.flatMap((r) => (r.atr ? [r.atr] : [])).sort();
    if (JSON.stringify(seen) === JSON.stringify(expected)) return host;
    if (Date.now() > deadline)
      throw new Error(`host saw cards ${seen.join(',')}, expected ${expected.join(',')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface AuthResult {
  reader: string;
  cardNumber: string;
  response: string;
}

async function authenticate(challenge: Buffer, reader?: string): Promise<AuthResult> {
  const args: Record<string, unknown> = { challenge: challenge.toString('base64') };
  if (reader !== undefined) args.reader = reader;
  const reply = await host.request('nhi.authenticate', args);
  expect(reply.error).toBeUndefined();
  return reply.result as AuthResult;
}

describe('nhi.authenticate through pcscd', () => {
  it('answers a challenge with 16 bytes the SAM emulation verifies for the card number read', async () => {
    await insert(new NhiCardApplet());
    await startHost();
    const challenge = randomBytes(32);
    const result = await authenticate(challenge);
    expect(Object.keys(result).sort()).toEqual(['cardNumber', 'reader', 'response']);
    expect(result.reader).toBe(lab.slot(0).reader);
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
    await insert(new NhiCardApplet());
    await startHost();
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
    await insert(new ForeignCardApplet(), 0);
    await insert(new NhiCardApplet(data), 1);
    await startHost();
    const challenge = randomBytes(32);
    const chosen = await authenticate(challenge);
    expect(chosen).toMatchObject({ reader: lab.slot(1).reader, cardNumber: data.cardNumber });
    const named = await authenticate(challenge, lab.slot(1).reader);
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
    const card = await insert(new NhiCardApplet());
    await startHost();
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
      const reply = await host.request('nhi.authenticate', { challenge });
      expect(reply.error?.code, JSON.stringify(challenge)).toBe('ERR_BAD_REQUEST');
    }
    expect((await host.request('nhi.authenticate')).error?.code).toBe('ERR_BAD_REQUEST');
    expect((await host.request('nhi.authenticate', {})).error?.code).toBe('ERR_BAD_REQUEST');
    const extra = { challenge: randomBytes(32).toString('base64'), origin: 'https://example.test' };
    expect((await host.request('nhi.authenticate', extra)).error?.code).toBe('ERR_BAD_REQUEST');
    expect(card.apduLog).toEqual([]);
  });

  it('gives the errors nhi.readBasic gives with no card and for a reader that is not there', async () => {
    await startHost();
    const challenge = randomBytes(32).toString('base64');
    const cases: Array<Record<string, unknown>> = [
      {},
      { reader: lab.slot(1).reader },
      { reader: 'Unplugged Reader 00 00' },
    ];
    const codes = [];
    for (const args of cases) {
      const auth = await host.request('nhi.authenticate', { ...args, challenge });
      const read = await host.request('nhi.readBasic', args);
      expect(auth.error?.code).toBe(read.error?.code);
      codes.push(auth.error?.code);
    }
    expect(codes).toEqual(['ERR_NO_CARD', 'ERR_NO_CARD', 'ERR_READER_NOT_FOUND']);
  });

  it('gives the error nhi.readBasic gives (ERR_UNSUPPORTED_CARD) for a card without the NHI applet', async () => {
    const card = await insert(new ForeignCardApplet());
    await startHost();
    const challenge = randomBytes(32).toString('base64');
    for (const args of [{}, { reader: lab.slot(0).reader }]) {
      const auth = await host.request('nhi.authenticate', { ...args, challenge });
      const read = await host.request('nhi.readBasic', args);
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
    await insert(applet);
    await startHost();
    const challenge = randomBytes(32).toString('base64');
    const refused = await host.request('nhi.authenticate', { challenge });
    expect(refused.error).toMatchObject({ code: 'ERR_CARD_IO', details: { sw: '6982' } });
    reply = Buffer.concat([randomBytes(8), Buffer.from('9000', 'hex')]);
    const short = await host.request('nhi.authenticate', { challenge });
    expect(short.error).toMatchObject({ code: 'ERR_CARD_IO', details: { sw: '9000', length: 8 } });
  });

  it('gives ERR_CARD_REMOVED when the card is pulled during the authentication, then answers once reinserted', async () => {
    let pull = true;
    const card = await insert(new NhiCardApplet(), 0, (apdu, c) => {
      if (pull && apdu[1] === 0x82) void c.remove();
    });
    await startHost();
    const reader = lab.slot(0).reader;
    const challenge = randomBytes(32);
    const reply = await host.request('nhi.authenticate', { reader, challenge: challenge.toString('base64') });
    expect(reply.error?.code).toBe('ERR_CARD_REMOVED');
    pull = false;
    const inserted = host.nextReadersChanged((d) =>
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
    const card = await insert(new NhiCardApplet());
    await startHost();
    card.apduLog.length = 0;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? host.request('nhi.authenticate', { challenge: randomBytes(32).toString('base64') })
          : host.request('nhi.readBasic'),
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
    await insert(new NhiCardApplet());
    await startHost();
    const challenge = randomBytes(32);
    const result = await authenticate(challenge);
    const failed = await host.request('nhi.authenticate', { challenge: randomBytes(31).toString('base64') });
    expect(failed.error?.code).toBe('ERR_BAD_REQUEST');
    // Log writes are synchronous appends: the file is complete once the reply is out.
    const log = readFileSync(host.logFile, 'utf8');
    expect(log).toContain('nhi.authenticate');
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

/** Reading NHI cards through the built host, real pcscd and vpcd virtual cards. */
import { describe, expect, it } from 'vitest';
import {
  DEMO_NHI_CARD,
  ForeignCardApplet,
  NhiCardApplet,
  encodeNhiBasicRecord,
} from '../../lab/cards/nhiCardApplet.ts';
import { cardSuite } from './helpers/cardSuite.ts';

const suite = cardSuite();

/** Pulls `card` out and puts `applet` in its place, each step seen by the host. */
async function putInstead(card: Awaited<ReturnType<typeof suite.insert>>, applet: NhiCardApplet) {
  const gone = suite.host.nextReadersChanged((d) => d.readers.every((r) => !r.cardPresent));
  await card.remove();
  await gone;
  card.applet = applet;
  const back = suite.host.nextReadersChanged((d) =>
    d.readers.some((r) => r.cardPresent && r.card?.type === 'nhi'),
  );
  await card.insert();
  await back;
}

describe('nhi.readBasic through pcscd', () => {
  it('reads every field of the virtual NHI card right', async () => {
    await suite.insert(new NhiCardApplet());
    await suite.startHost();
    const reply = await suite.host.request('nhi.readBasic');
    expect(reply.error).toBeUndefined();
    expect(reply.result).toEqual({
      reader: suite.lab.slot(0).reader,
      cardNumber: DEMO_NHI_CARD.cardNumber,
      name: DEMO_NHI_CARD.name,
      idNumber: DEMO_NHI_CARD.idNumber,
      idNumberValid: true,
      birthDate: '1980-02-29',
      sex: 'M',
      issueDate: '2015-06-01',
    });
  });

  it('decodes HKSCS names, reports a bad ID checksum and never derives the issue date from the birth date', async () => {
    const data = {
      cardNumber: '987654321098',
      name: '陳𠕇峯',
      idNumber: 'B223456780',
      birthDate: '2001-12-31',
      sex: 'F' as const,
      issueDate: '2024-01-05',
    };
    await suite.insert(new NhiCardApplet(data), 1);
    await suite.startHost();
    const reply = await suite.host.request('nhi.readBasic', { reader: suite.lab.slot(1).reader });
    expect(reply.result).toMatchObject({ ...data, idNumberValid: false });
  });

  it('identifies cards in status: NHI by probing its applet, others as unknown', async () => {
    await suite.insert(new NhiCardApplet(), 0);
    await suite.insert(new ForeignCardApplet(), 1);
    await suite.startHost();
    const status = (await suite.host.request('status')).result as {
      pcsc: { available: boolean };
      readers: Array<{
        name: string;
        cardPresent: boolean;
        atr?: string;
        card?: { type: string; identifiedBy: string };
      }>;
      tokens: unknown[];
    };
    expect(status.pcsc).toEqual({ available: true });
    expect(status.tokens).toEqual([]);
    const byName = new Map(status.readers.map((r) => [r.name, r]));
    expect(byName.get(suite.lab.slot(0).reader)).toMatchObject({
      cardPresent: true,
      card: { type: 'nhi', identifiedBy: 'probe' },
    });
    expect(byName.get(suite.lab.slot(0).reader)?.atr).toMatch(/^3b8a8001/);
    expect(byName.get(suite.lab.slot(1).reader)?.card).toEqual({ type: 'unknown', identifiedBy: 'none' });
  });

  it('identifies a MOICA card by its ATR without probing', async () => {
    const moicaAtr = Buffer.from('3b8b80010031c1640840213000900057', 'hex');
    const card = await suite.insert(new ForeignCardApplet(moicaAtr));
    await suite.startHost();
    const status = (await suite.host.request('status')).result as {
      readers: Array<{ card?: { type: string; identifiedBy: string } }>;
    };
    expect(status.readers.find((r) => r.card)?.card).toMatchObject({ type: 'pki', identifiedBy: 'atr' });
    expect(card.apduLog).toEqual([]);
  });

  it('gives ERR_UNSUPPORTED_CARD for a card without the NHI applet', async () => {
    await suite.insert(new ForeignCardApplet());
    await suite.startHost();
    expect((await suite.host.request('nhi.readBasic')).error?.code).toBe('ERR_UNSUPPORTED_CARD');
    expect(
      (await suite.host.request('nhi.readBasic', { reader: suite.lab.slot(0).reader })).error?.code,
    ).toBe('ERR_UNSUPPORTED_CARD');
  });

  it('gives ERR_NO_CARD with no card, ERR_READER_NOT_FOUND for a reader that is not there', async () => {
    await suite.startHost();
    expect((await suite.host.request('nhi.readBasic')).error?.code).toBe('ERR_NO_CARD');
    expect(
      (await suite.host.request('nhi.readBasic', { reader: suite.lab.slot(1).reader })).error?.code,
    ).toBe('ERR_NO_CARD');
    expect(
      (await suite.host.request('nhi.readBasic', { reader: 'Unplugged Reader 00 00' })).error?.code,
    ).toBe('ERR_READER_NOT_FOUND');
  });

  it('gives ERR_CARD_IO for a card whose record is malformed', async () => {
    const record = encodeNhiBasicRecord(DEMO_NHI_CARD);
    record.write('0691332', 42, 'latin1'); // 13th month
    await suite.insert(new NhiCardApplet(DEMO_NHI_CARD, undefined, record));
    await suite.startHost();
    expect((await suite.host.request('nhi.readBasic')).error?.code).toBe('ERR_CARD_IO');
  });

  it('gives ERR_CARD_REMOVED when the card is pulled during the read, then reads it once reinserted', async () => {
    let pull = true;
    const card = await suite.insert(new NhiCardApplet(), 0, (apdu, c) => {
      if (pull && apdu[1] === 0xca) void c.remove();
    });
    await suite.startHost();
    const reader = suite.lab.slot(0).reader;
    const reply = await suite.host.request('nhi.readBasic', { reader });
    expect(reply.error?.code).toBe('ERR_CARD_REMOVED');
    pull = false;
    const inserted = suite.host.nextReadersChanged((d) =>
      d.readers.some((r) => r.name === reader && r.cardPresent),
    );
    await card.insert();
    await inserted;
    expect((await suite.host.request('nhi.readBasic', { reader })).result).toMatchObject({
      cardNumber: DEMO_NHI_CARD.cardNumber,
    });
  });

  it('gives ERR_TIMEOUT for a card that stops answering, and keeps serving', async () => {
    // The card answers SELECT, then never answers READ.
    const mute = new NhiCardApplet();
    const answer = mute.process.bind(mute);
    mute.process = (apdu: Buffer) => (apdu[1] === 0xca ? undefined : answer(apdu));
    const card = await suite.insert(mute);
    suite.startHostWith({ CARDBRIDGE_APDU_TIMEOUT_MS: '500' });
    await suite.host.request('events.subscribe');
    await suite.host.waitFor(
      (m) => m.event === 'readers-changed' && JSON.stringify(m.data).includes('"nhi"'),
    );
    expect((await suite.host.request('nhi.readBasic')).error?.code).toBe('ERR_TIMEOUT');
    expect((await suite.host.request('version')).result).toMatchObject({ protocol: 1 });
    // Pulling the stuck card frees the reader; a good card then reads normally.
    await putInstead(card, new NhiCardApplet());
    expect((await suite.host.request('nhi.readBasic')).result).toMatchObject({
      cardNumber: DEMO_NHI_CARD.cardNumber,
    });
  });

  it('serialises concurrent operations on one card', async () => {
    const card = await suite.insert(new NhiCardApplet());
    await suite.startHost();
    card.apduLog.length = 0;
    const replies = await Promise.all(Array.from({ length: 8 }, () => suite.host.request('nhi.readBasic')));
    for (const reply of replies) expect(reply.result).toMatchObject({ idNumber: DEMO_NHI_CARD.idNumber });
    // Each read is SELECT then READ: interleaving would put two SELECTs or two READs side by side.
    const kinds = card.apduLog.map((hex) => hex.slice(2, 4));
    expect(kinds).toEqual(Array.from({ length: 8 }, () => ['a4', 'ca']).flat());
  });

  it('reads the card on every call, and gives what the card in the reader holds now', async () => {
    const other = { ...DEMO_NHI_CARD, cardNumber: '987654321098', name: '林美華', idNumber: 'B223456781' };
    const card = await suite.insert(new NhiCardApplet());
    await suite.startHost();
    const reader = suite.lab.slot(0).reader;
    card.apduLog.length = 0;
    for (let i = 0; i < 2; i++) {
      expect((await suite.host.request('nhi.readBasic', { reader })).result).toMatchObject({
        name: DEMO_NHI_CARD.name,
      });
    }
    expect(card.apduLog.map((hex) => hex.slice(2, 4))).toEqual(['a4', 'ca', 'a4', 'ca']);
    // Other data behind the same insertion (the host is told of no change): read and parsed anew.
    card.applet = new NhiCardApplet(other);
    expect((await suite.host.request('nhi.readBasic', { reader })).result).toMatchObject({
      cardNumber: other.cardNumber,
      name: other.name,
    });
    // Another card put in the same reader, with the first card's data: the same record, read anew.
    await putInstead(card, new NhiCardApplet());
    card.apduLog.length = 0;
    expect((await suite.host.request('nhi.readBasic', { reader })).result).toMatchObject({
      cardNumber: DEMO_NHI_CARD.cardNumber,
      name: DEMO_NHI_CARD.name,
    });
    expect(card.apduLog.map((hex) => hex.slice(2, 4))).toEqual(['a4', 'ca']);
  });

  it('keeps the holder personal data out of the log', async () => {
    await suite.insert(new NhiCardApplet());
    await suite.startHost();
    expect((await suite.host.request('nhi.readBasic')).result).toBeDefined();
    // The host writes the line just after the reply it records.
    const log = await suite.host.logWith('basic data read');
    for (const secret of [
      DEMO_NHI_CARD.name,
      DEMO_NHI_CARD.idNumber,
      DEMO_NHI_CARD.cardNumber,
      '1980-02-29',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

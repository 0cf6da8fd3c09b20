/** Reading NHI cards through the built host, real pcscd and vpcd virtual cards. */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../lab/lab.ts';
import {
  DEMO_NHI_CARD,
  ForeignCardApplet,
  NhiCardApplet,
  encodeNhiBasicRecord,
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
  // pcscd polls vpcd for presence: a card swapped faster than that keeps the old ATR. Wait until the
  // host has seen every reader empty before the next test inserts anything.
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
    .map((c) => `${c.applet.atr.toString('hex')}`)
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

describe('nhi.readBasic through pcscd', () => {
  it('reads every field of the virtual NHI card right', async () => {
    await insert(new NhiCardApplet());
    await startHost();
    const reply = await host.request('nhi.readBasic');
    expect(reply.error).toBeUndefined();
    expect(reply.result).toEqual({
      reader: lab.slot(0).reader,
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
    await insert(new NhiCardApplet(data), 1);
    await startHost();
    const reply = await host.request('nhi.readBasic', { reader: lab.slot(1).reader });
    expect(reply.result).toMatchObject({ ...data, idNumberValid: false });
  });

  it('identifies cards in status: NHI by probing its applet, others as unknown', async () => {
    await insert(new NhiCardApplet(), 0);
    await insert(new ForeignCardApplet(), 1);
    await startHost();
    const status = (await host.request('status')).result as {
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
    expect(byName.get(lab.slot(0).reader)).toMatchObject({
      cardPresent: true,
      card: { type: 'nhi', identifiedBy: 'probe' },
    });
    expect(byName.get(lab.slot(0).reader)?.atr).toMatch(/^3b8a8001/);
    expect(byName.get(lab.slot(1).reader)?.card).toEqual({ type: 'unknown', identifiedBy: 'none' });
  });

  it('identifies a MOICA card by its ATR without probing', async () => {
    const moicaAtr = Buffer.from('3b8b80010031c1640840213000900057', 'hex');
    const card = await insert(new ForeignCardApplet(moicaAtr));
    await startHost();
    const status = (await host.request('status')).result as {
      readers: Array<{ card?: { type: string; identifiedBy: string } }>;
    };
    expect(status.readers.find((r) => r.card)?.card).toMatchObject({ type: 'pki', identifiedBy: 'atr' });
    expect(card.apduLog).toEqual([]);
  });

  it('gives ERR_UNSUPPORTED_CARD for a card without the NHI applet', async () => {
    await insert(new ForeignCardApplet());
    await startHost();
    expect((await host.request('nhi.readBasic')).error?.code).toBe('ERR_UNSUPPORTED_CARD');
    expect((await host.request('nhi.readBasic', { reader: lab.slot(0).reader })).error?.code).toBe(
      'ERR_UNSUPPORTED_CARD',
    );
  });

  it('gives ERR_NO_CARD with no card, ERR_READER_NOT_FOUND for a reader that is not there', async () => {
    await startHost();
    expect((await host.request('nhi.readBasic')).error?.code).toBe('ERR_NO_CARD');
    expect((await host.request('nhi.readBasic', { reader: lab.slot(1).reader })).error?.code).toBe(
      'ERR_NO_CARD',
    );
    expect((await host.request('nhi.readBasic', { reader: 'Unplugged Reader 00 00' })).error?.code).toBe(
      'ERR_READER_NOT_FOUND',
    );
  });

  it('gives ERR_CARD_IO for a card whose record is malformed', async () => {
    const record = encodeNhiBasicRecord(DEMO_NHI_CARD);
    record.write('0691332', 42, 'latin1'); // 13th month
    await insert(new NhiCardApplet(DEMO_NHI_CARD, undefined, record));
    await startHost();
    expect((await host.request('nhi.readBasic')).error?.code).toBe('ERR_CARD_IO');
  });

  it('gives ERR_CARD_REMOVED when the card is pulled during the read, then reads it once reinserted', async () => {
    let pull = true;
    const card = await insert(new NhiCardApplet(), 0, (apdu, c) => {
      if (pull && apdu[1] === 0xca) void c.remove();
    });
    await startHost();
    const reader = lab.slot(0).reader;
    const reply = await host.request('nhi.readBasic', { reader });
    expect(reply.error?.code).toBe('ERR_CARD_REMOVED');
    pull = false;
    const inserted = host.nextReadersChanged((d) =>
      d.readers.some((r) => r.name === reader && r.cardPresent),
    );
    await card.insert();
    await inserted;
    expect((await host.request('nhi.readBasic', { reader })).result).toMatchObject({
      cardNumber: DEMO_NHI_CARD.cardNumber,
    });
  });

  it('gives ERR_TIMEOUT for a card that stops answering, and keeps serving', async () => {
    // The card answers SELECT, then never answers READ.
    const mute = new NhiCardApplet();
    const answer = mute.process.bind(mute);
    mute.process = (apdu: Buffer) => (apdu[1] === 0xca ? undefined : answer(apdu));
    const card = await insert(mute);
    host = new HostProcess({ env: { ...lab.env, CARDBRIDGE_APDU_TIMEOUT_MS: '500' } });
    await host.request('events.subscribe');
    await host.waitFor((m) => m.event === 'readers-changed' && JSON.stringify(m.data).includes('"nhi"'));
    expect((await host.request('nhi.readBasic')).error?.code).toBe('ERR_TIMEOUT');
    expect((await host.request('version')).result).toMatchObject({ protocol: 1 });
    // Pulling the stuck card frees the reader; a good card then reads normally.
    const gone = host.nextReadersChanged((d) => d.readers.every((r) => !r.cardPresent));
    await card.remove();
    await gone;
    card.applet = new NhiCardApplet();
    const back = host.nextReadersChanged((d) =>
      d.readers.some((r) => r.cardPresent && r.card?.type === 'nhi'),
    );
    await card.insert();
    await back;
    expect((await host.request('nhi.readBasic')).result).toMatchObject({
      cardNumber: DEMO_NHI_CARD.cardNumber,
    });
  });

  it('serialises concurrent operations on one card', async () => {
    const card = await insert(new NhiCardApplet());
    await startHost();
    card.apduLog.length = 0;
    const replies = await Promise.all(Array.from({ length: 8 }, () => host.request('nhi.readBasic')));
    for (const reply of replies) expect(reply.result).toMatchObject({ idNumber: DEMO_NHI_CARD.idNumber });
    // Each read is SELECT then READ: interleaving would put two SELECTs or two READs side by side.
    const kinds = card.apduLog.map((hex) => hex.slice(2, 4));
    expect(kinds).toEqual(Array.from({ length: 8 }, () => ['a4', 'ca']).flat());
  });

  it('keeps the holder personal data out of the log', async () => {
    await insert(new NhiCardApplet());
    await startHost();
    expect((await host.request('nhi.readBasic')).result).toBeDefined();
    // Log writes are synchronous appends: the file is complete once the reply is out.
    const log = readFileSync(host.logFile, 'utf8');
    expect(log).toContain('basic data read');
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

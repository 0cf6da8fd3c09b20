/**
 * CardAccess over a real ReaderMonitor fed by a scripted backend whose channels are fakes. Real
 * timers, with small grace/timeout values; ordering is controlled with deferred promises, not sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HostError } from '../../native-host/src/hostError.ts';
import { silentLogger } from '../../native-host/src/log/logger.ts';
import type {
  CardChannel,
  PcscBackend,
  PcscListener,
  ReaderState,
} from '../../native-host/src/pcsc/backend.ts';
import { CardAccess, type CardAccessOptions } from '../../native-host/src/pcsc/cardAccess.ts';
import { ReaderMonitor } from '../../native-host/src/pcsc/readerMonitor.ts';

const ATR_A = Buffer.from('3b8b80010031c1640840213000900057', 'hex');
const ATR_B = Buffer.from('3bd8960081b1fe451f0743485447504b494add', 'hex');
const SELECT = Buffer.from('00a4040000', 'hex');
const OK = Buffer.from([0x90, 0x00]);

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks and immediates run. */
async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

class FakeChannel implements CardChannel {
  readonly sent: Buffer[] = [];
  disconnects = 0;
  /** How the card answers; replaced per test. */
  answer: (apdu: Buffer) => Promise<Buffer> = () => Promise.resolve(OK);

  constructor(readonly reader: string) {}

  transmit(apdu: Buffer): Promise<Buffer> {
    this.sent.push(apdu);
    return this.answer(apdu);
  }
  disconnect(): Promise<void> {
    this.disconnects++;
    return Promise.resolve();
  }
}

class FakeBackend implements PcscBackend {
  listener!: PcscListener;
  readonly channels: FakeChannel[] = [];
  /** Optional override for connect (e.g. to fail). */
  connectImpl: ((reader: string) => Promise<CardChannel>) | undefined;
  /** Applied to every new channel. */
  answer: ((apdu: Buffer) => Promise<Buffer>) | undefined;

  start(listener: PcscListener): void {
    this.listener = listener;
  }
  stop(): void {}
  connect(reader: string): Promise<CardChannel> {
    if (this.connectImpl) return this.connectImpl(reader);
    const channel = new FakeChannel(reader);
    if (this.answer) channel.answer = this.answer;
    this.channels.push(channel);
    return Promise.resolve(channel);
  }
  state(name: string, state: ReaderState): void {
    this.listener.readerState(name, state);
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A running monitor with readers R1 (card A) and R2 (card B) and Empty (no card). */
function setup(options: Partial<CardAccessOptions> = {}) {
  const backend = new FakeBackend();
  const monitor = new ReaderMonitor(() => backend, { logger: silentLogger });
  monitor.start();
  for (const name of ['R1', 'R2', 'Empty']) backend.listener.readerAdded(name);
  backend.state('R1', { present: true, atr: ATR_A });
  backend.state('R2', { present: true, atr: ATR_B });
  backend.state('Empty', { present: false });
  const access = new CardAccess(monitor, {
    logger: silentLogger,
    removalGraceMs: 300,
    apduTimeoutMs: 1000,
    idleDisconnectMs: 60_000,
    ...options,
  });
  cleanups.push(async () => {
    monitor.stop();
    await access.close();
  });
  return { backend, monitor, access };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return (error as HostError).code;
}

describe('CardAccess: exclusive access', () => {
  it('runs operations on the same reader one at a time, in order', async () => {
    const { access } = setup();
    const log: string[] = [];
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    let active = 0;
    let maxActive = 0;
    const ops = gates.map((gate, i) =>
      access.withCard('R1', async (session) => {
        active++;
        maxActive = Math.max(maxActive, active);
        log.push(`start ${i}`);
        await session.transmit(SELECT);
        await gate.promise;
        log.push(`end ${i}`);
        active--;
        return i;
      }),
    );
    await settle();
    expect(log).toEqual(['start 0']);
    // Release in reverse order: later operations still must wait for earlier ones.
    gates[2]!.resolve();
    gates[1]!.resolve();
    await settle();
    expect(log).toEqual(['start 0']);
    gates[0]!.resolve();
    expect(await Promise.all(ops)).toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(maxActive).toBe(1);
  });

  it('lets different readers run at the same time', async () => {
    const { access } = setup();
    const gate = deferred<void>();
    const started: string[] = [];
    const op = (reader: string) =>
      access.withCard(reader, async (session) => {
        started.push(session.reader);
        await gate.promise;
      });
    const both = Promise.all([op('R1'), op('R2')]);
    await settle();
    // Both are in progress before either is released.
    expect(started.sort()).toEqual(['R1', 'R2']);
    gate.resolve();
    await both;
  });

  it('goes on with the next operation after one fails', async () => {
    const { access } = setup();
    const failed = access.withCard('R1', () => Promise.reject(new Error('driver bug')));
    const next = access.withCard('R1', (session) => session.transmit(SELECT));
    await expect(failed).rejects.toThrow('driver bug');
    expect(await next).toEqual(OK);
  });

  it('gives the session the reader name and the card ATR', async () => {
    const { access } = setup();
    const seen = await access.withCard('R2', (s) => Promise.resolve({ reader: s.reader, atr: s.atr }));
    expect(seen).toEqual({ reader: 'R2', atr: ATR_B });
  });
});

describe('CardAccess: errors before the operation', () => {
  it('refuses a reader without a card with ERR_NO_CARD', async () => {
    const { access, backend } = setup();
    expect(await codeOf(access.withCard('Empty', () => Promise.resolve()))).toBe('ERR_NO_CARD');
    expect(backend.channels).toHaveLength(0);
  });

  it('refuses an unknown reader with ERR_READER_NOT_FOUND', async () => {
    const { access } = setup();
    expect(await codeOf(access.withCard('Nope', () => Promise.resolve()))).toBe('ERR_READER_NOT_FOUND');
  });

  it('refuses everything with ERR_PCSC_UNAVAILABLE when the service is missing', async () => {
    const monitor = new ReaderMonitor(
      () => ({
        start: () => {
          throw new Error('SCardEstablishContext error: Service not available.(0x8010001d)');
        },
        stop: () => undefined,
        connect: () => Promise.reject(new Error('unreachable')),
      }),
      { logger: silentLogger, minBackoffMs: 60_000 },
    );
    monitor.start();
    cleanups.push(() => monitor.stop());
    const access = new CardAccess(monitor, { logger: silentLogger });
    let ran = false;
    const code = await codeOf(
      access.withCard('R1', () => {
        ran = true;
        return Promise.resolve();
      }),
    );
    expect(code).toBe('ERR_PCSC_UNAVAILABLE');
    expect(ran).toBe(false);
    expect(monitor.unavailableReason).toContain('Service not available');
  });

  it('maps a connect error with SCARD_E_NO_SMARTCARD to ERR_NO_CARD', async () => {
    const { access, backend } = setup();
    backend.connectImpl = () => Promise.reject(new Error('SCardConnect error: No smart card.(0x8010000c)'));
    expect(await codeOf(access.withCard('R1', () => Promise.resolve()))).toBe('ERR_NO_CARD');
  });

  it('maps a connect error with SCARD_E_SHARING_VIOLATION to ERR_CARD_BUSY', async () => {
    const { access, backend } = setup();
    backend.connectImpl = () =>
      Promise.reject(new Error('SCardConnect error: Sharing violation.(0x8010000b)'));
    expect(await codeOf(access.withCard('R1', () => Promise.resolve()))).toBe('ERR_CARD_BUSY');
  });
});

describe('CardAccess: errors during the operation', () => {
  it('maps a transmit error carrying 0x80100069 to ERR_CARD_REMOVED', async () => {
    const { access, backend } = setup();
    backend.answer = () => Promise.reject(new Error('SCardTransmit error: Card was removed.(0x80100069)'));
    expect(await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)))).toBe('ERR_CARD_REMOVED');
  });

  it('maps SCARD_E_NO_SMARTCARD mid-operation to ERR_CARD_REMOVED (the card was there when it started)', async () => {
    const { access, backend } = setup();
    backend.answer = () => Promise.reject(new Error('SCardTransmit error: No smart card.(0x8010000c)'));
    expect(await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)))).toBe('ERR_CARD_REMOVED');
  });

  it('turns a truncated response into ERR_CARD_REMOVED once the monitor sees the card gone', async () => {
    const { access, backend } = setup({ removalGraceMs: 2000 });
    backend.answer = () => {
      // The reader answers empty; the removal event arrives a little later.
      setTimeout(() => backend.state('R1', { present: false }), 30);
      return Promise.resolve(Buffer.alloc(1));
    };
    expect(await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)))).toBe('ERR_CARD_REMOVED');
  });

  it('reports a truncated response as ERR_CARD_IO when the card is still there after the grace period', async () => {
    const { access, backend } = setup({ removalGraceMs: 60 });
    backend.answer = () => Promise.resolve(Buffer.alloc(0));
    expect(await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)))).toBe('ERR_CARD_IO');
  });

  it('refuses to transmit once the card has changed under the operation', async () => {
    const { access, backend } = setup();
    const result = access.withCard('R1', async (s) => {
      await s.transmit(SELECT);
      backend.state('R1', { present: true, atr: ATR_B }); // swapped between two APDUs
      return s.transmit(SELECT);
    });
    expect(await codeOf(result)).toBe('ERR_CARD_REMOVED');
    expect(backend.channels[0]!.sent).toHaveLength(1); // the second APDU never reached the new card
  });

  it('times out a card that does not answer with ERR_TIMEOUT', async () => {
    const { access, backend } = setup({ apduTimeoutMs: 50 });
    backend.answer = () => new Promise<Buffer>(() => undefined);
    expect(await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)))).toBe('ERR_TIMEOUT');
  });

  it('times out a later APDU on a channel already used (the channel timer restarted)', async () => {
    const { access, backend } = setup({ apduTimeoutMs: 50 });
    await access.withCard('R1', (s) => s.transmit(SELECT));
    backend.channels[0]!.answer = () => new Promise<Buffer>(() => undefined);
    expect(await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)))).toBe('ERR_TIMEOUT');
  });

  it('still times out an APDU that never returns after the card changed under it', async () => {
    const { access, backend } = setup({ apduTimeoutMs: 200 });
    await access.withCard('R1', (s) => s.transmit(SELECT));
    backend.channels[0]!.answer = () => {
      // The card is swapped mid-command: the monitor drops the channel while the call hangs.
      backend.state('R1', { present: true, atr: ATR_B });
      return new Promise<Buffer>(() => undefined);
    };
    expect(await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)))).toBe('ERR_TIMEOUT');
  });

  it('gives each APDU the whole timeout, however long the operation has run', async () => {
    const { access, backend } = setup({ apduTimeoutMs: 300 });
    const result = access.withCard('R1', async (s) => {
      await s.transmit(SELECT);
      await new Promise((r) => setTimeout(r, 250)); // the driver works between two APDUs
      backend.channels[0]!.answer = () => new Promise((r) => setTimeout(() => r(OK), 150));
      return s.transmit(SELECT); // 400 ms after the first APDU, 150 ms after its own start
    });
    expect(await result).toEqual(OK);
  });

  it('reports the service gone mid-operation to the monitor', async () => {
    const { access, backend, monitor } = setup();
    backend.answer = () =>
      Promise.reject(new Error('SCardTransmit error: Service not available.(0x8010001d)'));
    expect(await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)))).toBe('ERR_PCSC_UNAVAILABLE');
    expect(monitor.snapshot().available).toBe(false);
    expect(monitor.unavailableReason).toBeDefined();
  });
});

describe('CardAccess: channel reuse', () => {
  it('reuses one channel while the reader generation is unchanged', async () => {
    const { access, backend } = setup();
    await access.withCard('R1', (s) => s.transmit(SELECT));
    await access.withCard('R1', (s) => s.transmit(SELECT));
    await access.withCard('R1', (s) => s.transmit(SELECT));
    expect(backend.channels).toHaveLength(1);
    expect(backend.channels[0]!.sent).toHaveLength(3);
    expect(backend.channels[0]!.disconnects).toBe(0);
  });

  it('reconnects after a card change and disconnects the old channel once', async () => {
    const { access, backend } = setup();
    await access.withCard('R1', (s) => s.transmit(SELECT));
    backend.state('R1', { present: false });
    backend.state('R1', { present: true, atr: ATR_B });
    const atr = await access.withCard('R1', async (s) => {
      await s.transmit(SELECT);
      return s.atr;
    });
    expect(atr).toEqual(ATR_B);
    expect(backend.channels).toHaveLength(2);
    await settle();
    await new Promise((r) => setTimeout(r, 40)); // the monitor's change event also drops stale channels
    expect(backend.channels[0]!.disconnects).toBe(1);
    expect(backend.channels[1]!.disconnects).toBe(0);
  });

  it('disconnects a dropped channel only once, even if the operation keeps using it', async () => {
    const { access, backend } = setup();
    const codes = await access.withCard('R1', async (s) => {
      await s.transmit(SELECT);
      backend.state('R1', { present: true, atr: ATR_B });
      // A driver that retries after an error must not cause a second disconnect.
      return [await codeOf(s.transmit(SELECT)), await codeOf(s.transmit(SELECT))];
    });
    expect(codes).toEqual(['ERR_CARD_REMOVED', 'ERR_CARD_REMOVED']);
    await access.close();
    expect(backend.channels[0]!.disconnects).toBe(1);
  });

  it('opens a fresh channel after a transmit error', async () => {
    const { access, backend } = setup();
    let fail = true;
    backend.answer = () =>
      fail ? Promise.reject(new Error('SCardTransmit error: Reset.(0x80100068)')) : Promise.resolve(OK);
    await codeOf(access.withCard('R1', (s) => s.transmit(SELECT)));
    fail = false;
    await access.withCard('R1', (s) => s.transmit(SELECT));
    expect(backend.channels).toHaveLength(2);
    expect(backend.channels[0]!.disconnects).toBe(1);
  });

  it('keeps separate channels per reader', async () => {
    const { access, backend } = setup();
    await access.withCard('R1', (s) => s.transmit(SELECT));
    await access.withCard('R2', (s) => s.transmit(SELECT));
    expect(backend.channels.map((c) => c.reader)).toEqual(['R1', 'R2']);
  });

  it('disconnects an idle channel after idleDisconnectMs', async () => {
    const { access, backend } = setup({ idleDisconnectMs: 20 });
    await access.withCard('R1', (s) => s.transmit(SELECT));
    await new Promise((r) => setTimeout(r, 80));
    expect(backend.channels[0]!.disconnects).toBe(1);
    await access.withCard('R1', (s) => s.transmit(SELECT));
    expect(backend.channels).toHaveLength(2);
  });

  it('never disconnects a channel while an operation longer than idleDisconnectMs uses it', async () => {
    const { access, backend } = setup({ idleDisconnectMs: 20 });
    await access.withCard('R1', async (s) => {
      await s.transmit(SELECT);
      await new Promise((r) => setTimeout(r, 80));
      await s.transmit(SELECT);
    });
    expect(backend.channels).toHaveLength(1);
    expect(backend.channels[0]!.disconnects).toBe(0);
    expect(backend.channels[0]!.sent).toHaveLength(2);
  });

  it('close() disconnects every open channel', async () => {
    const { access, backend } = setup();
    await access.withCard('R1', (s) => s.transmit(SELECT));
    await access.withCard('R2', (s) => s.transmit(SELECT));
    await access.close();
    expect(backend.channels.map((c) => c.disconnects)).toEqual([1, 1]);
  });
});

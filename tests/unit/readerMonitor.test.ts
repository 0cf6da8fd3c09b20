/**
 * ReaderMonitor over a scripted PcscBackend, with fake timers so back-off delays and the 20 ms event
 * coalescing are driven deterministically.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostError } from '../../native-host/src/hostError.ts';
import { silentLogger } from '../../native-host/src/log/logger.ts';
import type {
  CardChannel,
  PcscBackend,
  PcscListener,
  ReaderState,
} from '../../native-host/src/pcsc/backend.ts';
import {
  ReaderMonitor,
  type MonitorSnapshot,
  type ReaderMonitorOptions,
} from '../../native-host/src/pcsc/readerMonitor.ts';

const ATR_A = Buffer.from('3b8b80010031c1640840213000900057', 'hex');
const ATR_B = Buffer.from('3bb813008131fa524348544d4f494341a5', 'hex');

class FakeBackend implements PcscBackend {
  listener: PcscListener | undefined;
  stopped = false;
  readonly connected: string[] = [];

  constructor(
    readonly createdAt: number,
    private readonly startError: Error | undefined,
  ) {}

  start(listener: PcscListener): void {
    if (this.startError) throw this.startError;
    this.listener = listener;
  }
  stop(): void {
    this.stopped = true;
  }
  connect(reader: string): Promise<CardChannel> {
    this.connected.push(reader);
    return Promise.resolve({
      transmit: () => Promise.resolve(Buffer.from([0x90, 0x00])),
      disconnect: () => Promise.resolve(),
    });
  }

  // Script helpers: what the binding would report.
  add(name: string): void {
    this.listener!.readerAdded(name);
  }
  state(name: string, state: ReaderState): void {
    this.listener!.readerState(name, state);
  }
  remove(name: string): void {
    this.listener!.readerRemoved(name);
  }
  fail(message: string): void {
    this.listener!.failed(new Error(message));
  }
}

function setup(options: Partial<ReaderMonitorOptions> = {}) {
  const backends: FakeBackend[] = [];
  let startError: Error | undefined;
  const monitor = new ReaderMonitor(
    () => {
      const backend = new FakeBackend(Date.now(), startError);
      backends.push(backend);
      return backend;
    },
    { logger: silentLogger, minBackoffMs: 100, maxBackoffMs: 800, settleMs: 1500, ...options },
  );
  const events: MonitorSnapshot[] = [];
  monitor.on('changed', (snapshot) => events.push(snapshot));
  return {
    monitor,
    backends,
    events,
    setStartError(error: Error | undefined) {
      startError = error;
    },
    /** The most recently created backend. */
    get backend(): FakeBackend {
      return backends[backends.length - 1]!;
    },
  };
}

/** Lets the coalescing timer (20 ms) fire. */
const flushEvents = () => vi.advanceTimersByTimeAsync(25);

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ReaderMonitor: service missing', () => {
  it('reports available:false with the error text when backend.start throws', async () => {
    const h = setup();
    h.setStartError(new Error('SCardEstablishContext error: Service not available.(0x8010001d)'));
    h.monitor.start();
    expect(h.monitor.snapshot()).toEqual({
      available: false,
      error: 'SCardEstablishContext error: Service not available.(0x8010001d)',
      readers: [],
    });
    expect(h.backend.stopped).toBe(true); // a half-started backend is cleaned up
    await flushEvents();
    expect(h.events).toEqual([h.monitor.snapshot()]);
    h.monitor.stop();
  });

  it('retries with back-off doubling from minBackoffMs up to maxBackoffMs', async () => {
    const h = setup({ minBackoffMs: 100, maxBackoffMs: 800 });
    h.setStartError(new Error('no service'));
    h.monitor.start();
    await vi.advanceTimersByTimeAsync(4000);
    // Delays 100, 200, 400, 800, 800, 800 … after the first attempt at t=0.
    expect(h.backends.map((b) => b.createdAt)).toEqual([0, 100, 300, 700, 1500, 2300, 3100, 3900]);
    // The same error over and over is one change, not one event per attempt.
    expect(h.events).toHaveLength(1);
    h.monitor.stop();
  });

  it('recovers when start stops throwing, and resets the back-off', async () => {
    const h = setup({ minBackoffMs: 100, maxBackoffMs: 800 });
    h.setStartError(new Error('no service'));
    h.monitor.start();
    await vi.advanceTimersByTimeAsync(750); // attempts at 0, 100, 300, 700
    h.setStartError(undefined);
    await vi.advanceTimersByTimeAsync(800); // the next attempt, at 1500, succeeds
    expect(h.backends.map((b) => b.createdAt)).toEqual([0, 100, 300, 700, 1500]);
    expect(h.monitor.snapshot()).toEqual({ available: true, readers: [] });
    expect(h.events.at(-1)).toEqual({ available: true, readers: [] });

    // Back-off starts again from minBackoffMs after a success.
    const t = Date.now();
    h.backend.fail('lost');
    h.setStartError(new Error('still down'));
    await vi.advanceTimersByTimeAsync(350);
    expect(h.backends.slice(5).map((b) => b.createdAt - t)).toEqual([100, 300]);
    h.monitor.stop();
  });

  it('stops retrying after stop()', async () => {
    const h = setup();
    h.setStartError(new Error('no service'));
    h.monitor.start();
    await vi.advanceTimersByTimeAsync(150);
    const count = h.backends.length;
    h.monitor.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.backends).toHaveLength(count);
  });

  it('rejects connect() with ERR_PCSC_UNAVAILABLE while the service is missing', async () => {
    const h = setup();
    h.setStartError(new Error('no service'));
    h.monitor.start();
    const error = await h.monitor.connect('R').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).code).toBe('ERR_PCSC_UNAVAILABLE');
    h.monitor.stop();
  });
});

describe('ReaderMonitor: readers and cards', () => {
  it('coalesces a burst of reader events into one change with the full picture', async () => {
    const h = setup();
    h.monitor.start();
    h.backend.add('Reader B');
    h.backend.add('Reader A');
    h.backend.state('Reader B', { present: true, atr: ATR_A });
    h.backend.state('Reader A', { present: false });
    await flushEvents();
    expect(h.events).toHaveLength(1);
    const snapshot = h.events[0]!;
    expect(snapshot.available).toBe(true);
    // Sorted by name; the ATR only on the reader with a card.
    expect(snapshot.readers.map((r) => [r.name, r.present, r.atr?.toString('hex')])).toEqual([
      ['Reader A', false, undefined],
      ['Reader B', true, ATR_A.toString('hex')],
    ]);
    h.monitor.stop();
  });

  it('emits a change when a reader is removed', async () => {
    const h = setup();
    h.monitor.start();
    h.backend.add('R1');
    h.backend.add('R2');
    h.backend.state('R1', { present: false });
    h.backend.state('R2', { present: false });
    await flushEvents();
    h.backend.remove('R1');
    await flushEvents();
    expect(h.events).toHaveLength(2);
    expect(h.events[1]!.readers.map((r) => r.name)).toEqual(['R2']);
    expect(h.monitor.reader('R1')).toBeUndefined();
    h.monitor.stop();
  });

  it('drops the ATR when the backend reports one with present:false', () => {
    const h = setup();
    h.monitor.start();
    h.backend.add('R');
    h.backend.state('R', { present: false, atr: ATR_A });
    expect(h.monitor.reader('R')!.atr).toBeUndefined();
    h.monitor.stop();
  });

  it('bumps the generation on every card change and not on a repeated identical state', async () => {
    const h = setup();
    h.monitor.start();
    h.backend.add('R');
    h.backend.state('R', { present: false });
    await flushEvents();
    const gen = () => h.monitor.reader('R')!.generation;
    const events = () => h.events.length;

    const empty = gen();
    const before = events();
    h.backend.state('R', { present: false }); // no change
    await flushEvents();
    expect(gen()).toBe(empty);
    expect(events()).toBe(before);

    h.backend.state('R', { present: true, atr: ATR_A }); // card inserted
    await flushEvents();
    const withA = gen();
    expect(withA).toBeGreaterThan(empty);
    expect(events()).toBe(before + 1);

    h.backend.state('R', { present: true, atr: Buffer.from(ATR_A) }); // same ATR, another Buffer
    await flushEvents();
    expect(gen()).toBe(withA);
    expect(events()).toBe(before + 1);

    h.backend.state('R', { present: true, atr: ATR_B }); // swapped for another card
    const withB = gen();
    expect(withB).toBeGreaterThan(withA);

    h.backend.state('R', { present: false }); // removed
    expect(gen()).toBeGreaterThan(withB);
    await flushEvents();
    expect(events()).toBe(before + 2); // the last two changes coalesced
    expect(h.events.at(-1)!.readers[0]).toMatchObject({ name: 'R', present: false });
    h.monitor.stop();
  });

  it('gives a re-added reader a new generation', () => {
    const h = setup();
    h.monitor.start();
    h.backend.add('R');
    h.backend.state('R', { present: true, atr: ATR_A });
    const first = h.monitor.reader('R')!.generation;
    h.backend.remove('R');
    h.backend.add('R');
    h.backend.state('R', { present: true, atr: ATR_A });
    expect(h.monitor.reader('R')!.generation).toBeGreaterThan(first);
    h.monitor.stop();
  });

  it('advances revision on every change to the picture and not on a repeated state', () => {
    const h = setup();
    h.monitor.start();
    h.backend.add('R');
    h.backend.state('R', { present: false });
    const r0 = h.monitor.revision;
    h.backend.state('R', { present: false });
    expect(h.monitor.revision).toBe(r0);
    h.backend.state('R', { present: true, atr: ATR_A });
    const r1 = h.monitor.revision;
    expect(r1).toBeGreaterThan(r0);
    h.backend.remove('R');
    expect(h.monitor.revision).toBeGreaterThan(r1);
    h.monitor.stop();
  });

  it('connects through the current backend while available', async () => {
    const h = setup();
    h.monitor.start();
    await h.monitor.connect('R');
    expect(h.backend.connected).toEqual(['R']);
    h.monitor.stop();
  });
});

describe('ReaderMonitor: service lost', () => {
  it('on failed(): clears readers, emits available:false, stops the backend and restarts it', async () => {
    const h = setup({ minBackoffMs: 100 });
    h.monitor.start();
    const first = h.backend;
    first.add('R');
    first.state('R', { present: true, atr: ATR_A });
    await flushEvents();

    const t = Date.now();
    first.fail('SCardGetStatusChange error: Service was stopped.(0x8010001e)');
    expect(first.stopped).toBe(true);
    await flushEvents();
    expect(h.events.at(-1)).toEqual({
      available: false,
      error: 'SCardGetStatusChange error: Service was stopped.(0x8010001e)',
      readers: [],
    });

    // Late callbacks from the dead backend are ignored.
    first.add('Ghost');
    first.fail('again');
    expect(h.monitor.reader('Ghost')).toBeUndefined();

    await vi.advanceTimersByTimeAsync(100);
    expect(h.backends).toHaveLength(2);
    expect(h.backends[1]!.createdAt - t).toBe(100);
    await flushEvents();
    expect(h.events.at(-1)).toEqual({ available: true, readers: [] });

    h.backend.add('R');
    h.backend.state('R', { present: true, atr: ATR_A });
    await flushEvents();
    expect(h.events.at(-1)!.readers.map((r) => r.name)).toEqual(['R']);
    h.monitor.stop();
  });

  it('stays unavailable when the backend fails while starting, and retries', async () => {
    let calls = 0;
    const monitor = new ReaderMonitor(
      () => ({
        start(listener) {
          calls++;
          listener.failed(new Error('died at start'));
        },
        stop: () => undefined,
        connect: () => Promise.reject(new Error('unused')),
      }),
      { logger: silentLogger, minBackoffMs: 100, maxBackoffMs: 100 },
    );
    monitor.start();
    expect(monitor.snapshot()).toMatchObject({ available: false, error: 'died at start' });
    await monitor.ready();
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(monitor.snapshot().available).toBe(false);
    monitor.stop();
  });

  it('reportServiceLost() restarts immediately like failed()', async () => {
    const h = setup();
    h.monitor.start();
    h.backend.add('R');
    h.monitor.reportServiceLost(new Error('gone (0x8010001d)'));
    expect(h.backends[0]!.stopped).toBe(true);
    expect(h.monitor.snapshot()).toEqual({ available: false, error: 'gone (0x8010001d)', readers: [] });
    await vi.advanceTimersByTimeAsync(100);
    expect(h.monitor.snapshot().available).toBe(true);
    h.monitor.stop();
  });
});

describe('ReaderMonitor.ready()', () => {
  /** Whether a promise has settled, after letting pending microtasks run. */
  async function isDone(promise: Promise<void>): Promise<boolean> {
    let done = false;
    void promise.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  }

  it('resolves once every added reader has reported its first state', async () => {
    const h = setup();
    h.monitor.start();
    const ready = h.monitor.ready();
    h.backend.add('R1');
    h.backend.add('R2');
    h.backend.state('R1', { present: false });
    expect(await isDone(ready)).toBe(false);
    h.backend.state('R2', { present: true, atr: ATR_A });
    expect(await isDone(ready)).toBe(true);
    h.monitor.stop();
  });

  it('resolves shortly after start when there are no readers', async () => {
    const h = setup({ settleMs: 1500 });
    h.monitor.start();
    const ready = h.monitor.ready();
    expect(await isDone(ready)).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await isDone(ready)).toBe(true);
    h.monitor.stop();
  });

  it('gives up waiting for a silent reader after settleMs', async () => {
    const h = setup({ settleMs: 1500 });
    h.monitor.start();
    h.backend.add('Silent');
    const ready = h.monitor.ready();
    await vi.advanceTimersByTimeAsync(1400);
    expect(await isDone(ready)).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await isDone(ready)).toBe(true);
    h.monitor.stop();
  });

  it('resolves at once when the service is known to be missing', async () => {
    const h = setup();
    h.setStartError(new Error('no service'));
    h.monitor.start();
    expect(await isDone(h.monitor.ready())).toBe(true);
    h.monitor.stop();
  });
});

/**
 * The extension's one connection to the native host, driven against a fake port: the handshake, id
 * matching, the three ways reaching the host can fail (not installed, failing, incompatible),
 * timeouts, host errors and events, reconnecting and the idle disconnect.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardBridgeError } from '../../../shared/protocol/cardBridgeError.ts';
import {
  NativePort,
  classifyDisconnect,
  compareVersions,
  type NativePortLike,
  type PortEvent,
  type NativePortOptions,
} from '../../../extension/background/nativePort.ts';

interface SentMessage {
  id: string;
  command: string;
  arguments?: Record<string, unknown>;
}

const CHROME_NOT_FOUND = 'Specified native messaging host not found.';
const FIREFOX_NOT_FOUND = 'No such native application tw.cardbridge.host';
const HOST_EXITED = 'Native host has exited.';

/** A browser port to the host: records what the extension sends; the test plays the host. */
class FakePort implements NativePortLike {
  readonly sent: SentMessage[] = [];
  disconnected = false;
  /** What the browser would report as the reason the port closed. */
  lastError: string | undefined;
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly disconnectListeners: ((port: NativePortLike) => void)[] = [];

  readonly onMessage = {
    addListener: (listener: (message: unknown) => void) => void this.messageListeners.push(listener),
  };
  readonly onDisconnect = {
    addListener: (listener: (port: NativePortLike) => void) => void this.disconnectListeners.push(listener),
  };

  postMessage(message: unknown): void {
    // Like Chrome: a port the extension closed cannot be used any more.
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(structuredClone(message) as SentMessage);
  }

  disconnect(): void {
    this.disconnected = true;
  }

  get commands(): string[] {
    return this.sent.map((m) => m.command);
  }

  /** The last message sent with this command. */
  find(command: string): SentMessage {
    const message = this.sent.findLast((m) => m.command === command);
    if (!message) throw new Error(`no ${command} was sent (sent: ${this.commands.join(', ')})`);
    return message;
  }

  /** Host → extension. */
  emit(message: unknown): void {
    for (const listener of this.messageListeners) listener(structuredClone(message));
  }

  answer(id: string, result: unknown): void {
    this.emit({ id, result });
  }

  answerWithError(id: string, error: { code: string; message: string; details?: unknown }): void {
    this.emit({ id, error });
  }

  answerHandshake(info: unknown = { version: '0.1.0', protocol: 1 }): void {
    this.answer(this.find('version').id, info);
  }

  /** The host goes away (or was never there); the browser closes the port with a reason. */
  hostDisconnects(reason: string | undefined): void {
    this.lastError = reason;
    this.disconnected = true;
    for (const listener of this.disconnectListeners) listener(this);
  }
}

/** A valid `status` reply, told apart from others by its version text. */
const statusOf = (version: string) => ({
  version,
  protocol: 1,
  pcsc: { available: true },
  readers: [],
  tokens: [],
});

/** A valid `nhi.readBasic` reply for a card in `reader`. */
const cardIn = (reader: string) => ({
  reader,
  cardNumber: '000012345678',
  name: '王大明',
  idNumber: 'A123456789',
  idNumberValid: true,
  birthDate: '1980-01-01',
  sex: 'M',
  issueDate: '2020-01-01',
});

/** Lets promise chains run (the port's handshake → send → reply steps are all microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Tracks a promise's outcome without letting an expected rejection go unhandled. */
function track<T>(promise: Promise<T>) {
  const outcome: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { settled: true, value }),
    (error: unknown) => Object.assign(outcome, { settled: true, error }),
  );
  return outcome;
}

function setup(options: Partial<NativePortOptions> = {}) {
  const ports: FakePort[] = [];
  const connect = vi.fn((_host: string): NativePortLike => {
    const port = new FakePort();
    ports.push(port);
    return port;
  });
  const nativePort = new NativePort({
    connect,
    lastError: (p) => (p as FakePort).lastError,
    minHostVersion: '0.1.0',
    handshakeTimeoutMs: 1_000,
    requestTimeoutMs: 5_000,
    idleTimeoutMs: 10_000,
    ...options,
  });
  const lastPort = (): FakePort => {
    const port = ports.at(-1);
    if (!port) throw new Error('not connected');
    return port;
  };
  return { nativePort, connect, ports, lastPort };
}

/** Connects and completes the handshake; returns the port the host answers on. */
async function connected(nativePort: NativePort, lastPort: () => FakePort): Promise<FakePort> {
  const ready = nativePort.ensureConnected();
  lastPort().answerHandshake();
  await ready;
  return lastPort();
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<CardBridgeError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but the promise resolved`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CardBridgeError);
  expect((error as CardBridgeError).code).toBe(code);
  return error as CardBridgeError;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('compareVersions', () => {
  it('compares each part as a number, not as text', () => {
    expect(compareVersions('1.10.0', '1.9.3')).toBeGreaterThan(0);
    expect(compareVersions('1.9.3', '1.10.0')).toBeLessThan(0);
    expect(compareVersions('0.10.0', '0.9.0')).toBeGreaterThan(0);
    expect(compareVersions('2.0.0', '10.0.0')).toBeLessThan(0);
  });

  it('finds equal versions equal', () => {
    expect(compareVersions('0.1.0', '0.1.0')).toBe(0);
    expect(compareVersions('12.4.7', '12.4.7')).toBe(0);
  });

  it('treats missing parts as 0', () => {
    expect(compareVersions('1.2', '1.2.0')).toBe(0);
    expect(compareVersions('1', '1.0.0')).toBe(0);
    expect(compareVersions('1.2', '1.2.1')).toBeLessThan(0);
    expect(compareVersions('1.2.1', '1.2')).toBeGreaterThan(0);
    expect(compareVersions('2', '1.99.99')).toBeGreaterThan(0);
  });
});

describe('classifyDisconnect', () => {
  it.each([
    ['Chrome, host not registered', CHROME_NOT_FOUND, 'ERR_HOST_NOT_INSTALLED'],
    ['Firefox, host not registered', FIREFOX_NOT_FOUND, 'ERR_HOST_NOT_INSTALLED'],
    [
      'Chrome, extension id not in the host manifest',
      'Access to the specified native messaging host is forbidden.',
      'ERR_HOST_NOT_INSTALLED',
    ],
    ['Chrome, host exited', HOST_EXITED, 'ERR_HOST_FAILED'],
    ['Chrome, host failed to start', 'Failed to start native messaging host.', 'ERR_HOST_FAILED'],
    ['Chrome, protocol error', 'Error when communicating with the native messaging host.', 'ERR_HOST_FAILED'],
    ['no reason given', undefined, 'ERR_HOST_FAILED'],
  ])('%s → %s', (_name, reason, code) => {
    expect(classifyDisconnect(reason)).toBe(code);
  });
});

describe('NativePort: connecting and the handshake', () => {
  it('connects only on the first request, to the CardBridge host, and sends version first', async () => {
    const { nativePort, connect, lastPort } = setup();
    expect(connect).not.toHaveBeenCalled();
    expect(nativePort.connected).toBe(false);

    const status = track(nativePort.request('status'));
    expect(connect).toHaveBeenCalledTimes(1);
    expect(connect).toHaveBeenCalledWith('tw.cardbridge.host');
    const port = lastPort();
    // Nothing but the handshake goes out before the host has answered it.
    expect(port.sent).toEqual([{ id: expect.any(String) as string, command: 'version' }]);

    port.answerHandshake({ version: '0.1.0', protocol: 1 });
    await settle();
    expect(nativePort.connected).toBe(true);
    expect(nativePort.hostInfo).toEqual({ version: '0.1.0', protocol: 1 });
    expect(port.commands).toEqual(['version', 'status']);

    port.answer(port.find('status').id, statusOf('0.1.0'));
    await settle();
    expect(status.value).toEqual(statusOf('0.1.0'));
  });

  it('shares one connection and one handshake between requests made while connecting', async () => {
    const { nativePort, connect, lastPort } = setup();
    const a = track(nativePort.request('status'));
    const b = track(nativePort.request('certificates.list'));
    expect(connect).toHaveBeenCalledTimes(1);
    const port = lastPort();
    expect(port.commands).toEqual(['version']);

    port.answerHandshake();
    await settle();
    expect(port.commands.sort()).toEqual(['certificates.list', 'status', 'version']);
    port.answer(port.find('status').id, statusOf('S'));
    port.answer(port.find('certificates.list').id, { certificates: [] });
    await settle();
    expect([a.value, b.value]).toEqual([statusOf('S'), { certificates: [] }]);
  });

  it('matches replies to requests by id, in whatever order they come', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);

    const first = track(nativePort.request('nhi.readBasic', { reader: 'Reader 0' }));
    const second = track(nativePort.request('nhi.readBasic', { reader: 'Reader 1' }));
    const third = track(nativePort.request('status'));
    await settle();
    const [m1, m2, m3] = port.sent.slice(1);
    expect(m1).toEqual({
      id: expect.any(String) as string,
      command: 'nhi.readBasic',
      arguments: { reader: 'Reader 0' },
    });
    expect(m2?.arguments).toEqual({ reader: 'Reader 1' });
    expect(new Set([m1?.id, m2?.id, m3?.id]).size).toBe(3);

    port.answer(m3!.id, statusOf('status result'));
    port.answer(m2!.id, cardIn('Reader 1'));
    await settle();
    expect(third.value).toEqual(statusOf('status result'));
    expect(second.value).toEqual(cardIn('Reader 1'));
    expect(first.settled).toBe(false);

    port.answer(m1!.id, cardIn('Reader 0'));
    await settle();
    expect(first.value).toEqual(cardIn('Reader 0'));
  });

  it.each([
    ['a newer protocol', { version: '0.1.0', protocol: 2 }],
    ['an older protocol', { version: '0.1.0', protocol: 0 }],
    ['a host older than minHostVersion', { version: '0.0.9', protocol: 1 }],
  ])('refuses %s with ERR_HOST_INCOMPATIBLE and disconnects', async (_name, info) => {
    const { nativePort, lastPort } = setup({ minHostVersion: '0.1.0' });
    const status = nativePort.request('status');
    const port = lastPort();
    port.answerHandshake(info);

    const error = await expectCode(status, 'ERR_HOST_INCOMPATIBLE');
    expect(error.details).toEqual({ hostVersion: info.version, minHostVersion: '0.1.0' });
    expect(port.disconnected).toBe(true);
    expect(port.commands).toEqual(['version']);
    expect(nativePort.connected).toBe(false);
    expect(nativePort.hostInfo).toBeUndefined();
  });

  it('compares the host version numerically (0.10.0 satisfies a minimum of 0.9.0)', async () => {
    const { nativePort, lastPort } = setup({ minHostVersion: '0.9.0' });
    const ready = nativePort.ensureConnected();
    lastPort().answerHandshake({ version: '0.10.0', protocol: 1 });
    await expect(ready).resolves.toEqual({ version: '0.10.0', protocol: 1 });
    expect(lastPort().disconnected).toBe(false);
  });

  it('gives ERR_HOST_FAILED when the host does not answer the handshake within handshakeTimeoutMs', async () => {
    const { nativePort, lastPort } = setup({ handshakeTimeoutMs: 1_000, requestTimeoutMs: 30_000 });
    const status = track(nativePort.request('status'));
    const port = lastPort();

    await vi.advanceTimersByTimeAsync(999);
    expect(status.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(status.settled).toBe(true);
    expect(status.error).toBeInstanceOf(CardBridgeError);
    expect((status.error as CardBridgeError).code).toBe('ERR_HOST_FAILED');
    expect(port.disconnected).toBe(true);
  });

  it('gives ERR_HOST_NOT_INSTALLED when connect() throws, and tries again on the next request', async () => {
    const { nativePort, connect } = setup();
    connect.mockImplementationOnce(() => {
      throw new Error('Specified native messaging host not found.');
    });
    await expectCode(nativePort.request('status'), 'ERR_HOST_NOT_INSTALLED');
    expect(nativePort.connected).toBe(false);

    const second = track(nativePort.request('status'));
    expect(connect).toHaveBeenCalledTimes(2);
    const port = connect.mock.results[1]!.value as FakePort;
    port.answerHandshake();
    await settle();
    port.answer(port.find('status').id, statusOf('ok'));
    await settle();
    expect(second.value).toEqual(statusOf('ok'));
  });
});

describe('NativePort: the host going away', () => {
  it.each([
    ['Chrome', CHROME_NOT_FOUND, 'ERR_HOST_NOT_INSTALLED'],
    ['Firefox', FIREFOX_NOT_FOUND, 'ERR_HOST_NOT_INSTALLED'],
    ['a host that exits', HOST_EXITED, 'ERR_HOST_FAILED'],
    ['no reason', undefined, 'ERR_HOST_FAILED'],
  ])('a port closed during the handshake (%s) fails the request with %s', async (_name, reason, code) => {
    const { nativePort, lastPort } = setup();
    const status = nativePort.request('status');
    lastPort().hostDisconnects(reason);
    await expectCode(status, code);
    expect(nativePort.connected).toBe(false);
  });

  it.each([
    [CHROME_NOT_FOUND, 'ERR_HOST_NOT_INSTALLED'],
    [FIREFOX_NOT_FOUND, 'ERR_HOST_NOT_INSTALLED'],
    [HOST_EXITED, 'ERR_HOST_FAILED'],
  ])('every pending request rejects when the port closes with "%s" → %s', async (reason, code) => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const a = nativePort.request('nhi.readBasic');
    const b = nativePort.request('status');
    await settle();
    expect(port.commands).toEqual(['version', 'nhi.readBasic', 'status']);

    port.hostDisconnects(reason);
    const [errorA, errorB] = await Promise.all([expectCode(a, code), expectCode(b, code)]);
    expect(errorA.message).toBe(reason);
    expect(errorB.message).toBe(reason);
    expect(nativePort.connected).toBe(false);
  });

  it('tells event listeners that the host disconnected, with the reason code', async () => {
    const { nativePort, lastPort } = setup();
    const events: PortEvent[] = [];
    nativePort.onEvent((event) => void events.push(event));
    const port = await connected(nativePort, lastPort);
    port.hostDisconnects(HOST_EXITED);
    expect(events).toContainEqual({ event: 'host-disconnected', data: { code: 'ERR_HOST_FAILED' } });
  });

  it('reconnects on the next request with a new port and a new handshake', async () => {
    const { nativePort, connect, ports, lastPort } = setup();
    const first = await connected(nativePort, lastPort);
    first.hostDisconnects(HOST_EXITED);

    const status = track(nativePort.request('status'));
    expect(connect).toHaveBeenCalledTimes(2);
    const second = lastPort();
    expect(second).not.toBe(first);
    expect(second.commands).toEqual(['version']);
    second.answerHandshake();
    await settle();
    second.answer(second.find('status').id, statusOf('again'));
    await settle();
    expect(status.value).toEqual(statusOf('again'));
    expect(ports).toHaveLength(2);
    expect(first.sent.map((m) => m.command)).toEqual(['version']);
  });

  it('ignores a late disconnect from a port it has already replaced', async () => {
    const { nativePort, lastPort } = setup();
    const first = await connected(nativePort, lastPort);
    first.hostDisconnects(HOST_EXITED);
    const second = await connected(nativePort, lastPort);

    const status = track(nativePort.request('status'));
    await settle();
    first.hostDisconnects(CHROME_NOT_FOUND);
    await settle();
    expect(status.settled).toBe(false);
    expect(nativePort.connected).toBe(true);
    second.answer(second.find('status').id, statusOf('fine'));
    await settle();
    expect(status.value).toEqual(statusOf('fine'));
  });
});

describe('NativePort: requests', () => {
  it('rejects with ERR_TIMEOUT when the host does not answer within requestTimeoutMs, and stays usable', async () => {
    const { nativePort, lastPort } = setup({ requestTimeoutMs: 5_000 });
    const port = await connected(nativePort, lastPort);
    const slow = track(nativePort.request('nhi.readBasic'));
    await settle();
    const slowId = port.find('nhi.readBasic').id;

    await vi.advanceTimersByTimeAsync(4_999);
    expect(slow.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((slow.error as CardBridgeError).code).toBe('ERR_TIMEOUT');

    // A late answer is dropped; the connection still serves the next request.
    port.answer(slowId, cardIn('too late'));
    const next = track(nativePort.request('status'));
    await settle();
    port.answer(port.find('status').id, statusOf('on time'));
    await settle();
    expect(next.value).toEqual(statusOf('on time'));
    expect(nativePort.connected).toBe(true);
  });

  it('uses a per-request timeout when one is given', async () => {
    const { nativePort, lastPort } = setup({ requestTimeoutMs: 5_000 });
    await connected(nativePort, lastPort);
    const sign = track(
      nativePort.request(
        'sign',
        {
          origin: 'https://eservice.nhi.gov.tw',
          certificateId: 'cert-1',
          hash: 'AAAA',
          hashFunction: 'SHA-256',
          format: 'raw',
        },
        60_000,
      ),
    );
    await vi.advanceTimersByTimeAsync(59_999);
    expect(sign.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((sign.error as CardBridgeError).code).toBe('ERR_TIMEOUT');
  });

  it("turns a host error reply into a CardBridgeError with the host's code, message and details", async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const read = nativePort.request('nhi.readBasic', { reader: 'ACS ACR39U' });
    await settle();
    port.answerWithError(port.find('nhi.readBasic').id, {
      code: 'ERR_NO_CARD',
      message: 'no card in ACS ACR39U',
      details: { reader: 'ACS ACR39U' },
    });
    const error = await expectCode(read, 'ERR_NO_CARD');
    expect(error.message).toBe('no card in ACS ACR39U');
    expect(error.details).toEqual({ reader: 'ACS ACR39U' });
    // A host error is an answer, not a broken connection.
    expect(nativePort.connected).toBe(true);
    expect(port.disconnected).toBe(false);
  });

  it('ignores frames with id null (the host refusing a frame it could not parse) and unknown ids', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const status = track(nativePort.request('status'));
    await settle();

    port.emit({ id: null, error: { code: 'ERR_BAD_REQUEST', message: 'not JSON' } });
    port.emit({ id: 'no-such-request', result: statusOf('stray') });
    port.emit({ result: 'no id at all' });
    port.emit('not an object');
    port.emit(null);
    await settle();
    expect(status.settled).toBe(false);

    port.answer(port.find('status').id, statusOf('real'));
    await settle();
    expect(status.value).toEqual(statusOf('real'));
  });

  it('answers each id only once', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const a = track(nativePort.request('status'));
    await settle();
    const id = port.find('status').id;
    port.answer(id, statusOf('first'));
    port.answer(id, statusOf('second'));
    await settle();
    expect(a.value).toEqual(statusOf('first'));
  });
});

const READER_0_IN = {
  pcsc: { available: true },
  readers: [{ name: 'Reader 0', cardPresent: true, card: { type: 'nhi', identifiedBy: 'atr' } }],
};

describe('NativePort: events', () => {
  it('passes host events to every onEvent listener until it unsubscribes', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const one = vi.fn();
    const two = vi.fn();
    const offOne = nativePort.onEvent(one);
    nativePort.onEvent(two);

    port.emit({ event: 'readers-changed', data: READER_0_IN });
    expect(one).toHaveBeenCalledWith({ event: 'readers-changed', data: READER_0_IN });
    expect(two).toHaveBeenCalledWith({ event: 'readers-changed', data: READER_0_IN });

    offOne();
    port.emit({ event: 'readers-changed', data: { pcsc: { available: true }, readers: [] } });
    expect(one).toHaveBeenCalledTimes(1);
    expect(two).toHaveBeenCalledTimes(2);
  });

  it('an event frame does not settle a pending request', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const status = track(nativePort.request('status'));
    await settle();
    port.emit({ event: 'readers-changed', data: READER_0_IN, id: port.find('status').id });
    await settle();
    expect(status.settled).toBe(false);
  });

  it('subscribes to host events right after the handshake when a listener is registered', async () => {
    const { nativePort, lastPort } = setup();
    nativePort.onEvent(() => undefined);
    const status = track(nativePort.request('status'));
    const port = lastPort();
    expect(port.commands).toEqual(['version']);
    port.answerHandshake();
    await settle();
    expect(port.commands).toEqual(['version', 'events.subscribe', 'status']);
    port.answer(port.find('status').id, statusOf('ok'));
    await settle();
    expect(status.value).toEqual(statusOf('ok'));
  });

  it('subscribes once when the first listener is added to a ready connection', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    expect(port.commands).toEqual(['version']);
    nativePort.onEvent(() => undefined);
    nativePort.onEvent(() => undefined);
    expect(port.commands).toEqual(['version', 'events.subscribe']);
  });

  it('does not subscribe when nobody listens', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const status = nativePort.request('status');
    await settle();
    port.answer(port.find('status').id, statusOf('ok'));
    await status;
    expect(port.commands).toEqual(['version', 'status']);
  });
});

describe('NativePort: idle disconnect', () => {
  it('disconnects after idleTimeoutMs with nothing pending and no listeners, then reconnects', async () => {
    const { nativePort, connect, lastPort } = setup({ idleTimeoutMs: 10_000 });
    const port = await connected(nativePort, lastPort);
    const status = nativePort.request('status');
    await settle();
    port.answer(port.find('status').id, statusOf('ok'));
    await status;

    await vi.advanceTimersByTimeAsync(9_999);
    expect(port.disconnected).toBe(false);
    expect(nativePort.connected).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(port.disconnected).toBe(true);
    expect(nativePort.connected).toBe(false);

    const again = track(nativePort.request('status'));
    expect(connect).toHaveBeenCalledTimes(2);
    const next = lastPort();
    next.answerHandshake();
    await settle();
    next.answer(next.find('status').id, statusOf('reconnected'));
    await settle();
    expect(again.value).toEqual(statusOf('reconnected'));
  });

  it('restarts the idle period after each request', async () => {
    const { nativePort, lastPort } = setup({ idleTimeoutMs: 10_000 });
    const port = await connected(nativePort, lastPort);
    await vi.advanceTimersByTimeAsync(8_000);
    const status = nativePort.request('status');
    await settle();
    port.answer(port.find('status').id, statusOf('ok'));
    await status;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(port.disconnected).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(port.disconnected).toBe(true);
  });

  it('does not disconnect while a request is still waiting for the host', async () => {
    const { nativePort, lastPort } = setup({ idleTimeoutMs: 10_000, requestTimeoutMs: 60_000 });
    const port = await connected(nativePort, lastPort);
    const read = track(nativePort.request('nhi.readBasic'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(port.disconnected).toBe(false);

    port.answer(port.find('nhi.readBasic').id, cardIn('Reader 0'));
    await settle();
    expect(read.value).toEqual(cardIn('Reader 0'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(port.disconnected).toBe(true);
  });

  it('keeps the connection while an event listener is registered, and idles out after it leaves', async () => {
    const { nativePort, lastPort } = setup({ idleTimeoutMs: 10_000 });
    const off = nativePort.onEvent(() => undefined);
    const port = await connected(nativePort, lastPort);
    port.answer(port.find('events.subscribe').id, { subscribed: true, events: ['readers-changed'] });
    await settle();

    await vi.advanceTimersByTimeAsync(60_000);
    expect(port.disconnected).toBe(false);
    expect(nativePort.connected).toBe(true);

    off();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(port.disconnected).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(port.disconnected).toBe(true);
  });

  it('close() disconnects and fails pending requests with ERR_HOST_FAILED', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const read = nativePort.request('nhi.readBasic');
    await settle();
    nativePort.close();
    await expectCode(read, 'ERR_HOST_FAILED');
    expect(port.disconnected).toBe(true);
    expect(nativePort.connected).toBe(false);
  });
});

describe('NativePort: handshakes that go wrong', () => {
  it('treats a malformed version answer as an incompatible host, closes the port and reconnects later', async () => {
    const { nativePort, ports, lastPort } = setup();
    const first = track(nativePort.request('status'));
    await settle();
    lastPort().answerHandshake({ protocol: 1 });
    await settle();
    expect((first.error as CardBridgeError).code).toBe('ERR_HOST_INCOMPATIBLE');
    expect(ports[0]!.disconnected).toBe(true);
    const second = track(nativePort.request('status'));
    await settle();
    expect(ports).toHaveLength(2);
    lastPort().answerHandshake();
    await settle();
    lastPort().answer(lastPort().find('status').id, statusOf('0.1.0'));
    await settle();
    expect(second.value).toEqual(statusOf('0.1.0'));
  });

  it('does not let a failed handshake close a newer connection a listener opened meanwhile', async () => {
    const { nativePort, ports, lastPort } = setup();
    let retry: ReturnType<typeof track> | undefined;
    nativePort.onEvent(({ event }) => {
      if (event === 'host-disconnected' && !retry) retry = track(nativePort.request('status'));
    });
    track(nativePort.request('status'));
    await settle();
    ports[0]!.hostDisconnects(HOST_EXITED);
    await settle();
    expect(ports).toHaveLength(2);
    expect(ports[1]!.disconnected).toBe(false);
    lastPort().answerHandshake();
    await settle();
    lastPort().answer(lastPort().find('status').id, statusOf('fresh'));
    await settle();
    expect(retry?.value).toEqual(statusOf('fresh'));
  });
});

describe('compareVersions: pre-releases and build metadata', () => {
  it('ranks a pre-release below its release and ignores build metadata', () => {
    expect(compareVersions('0.2.0-beta.1', '0.2.0')).toBeLessThan(0);
    expect(compareVersions('0.2.0', '0.2.0-beta.1')).toBeGreaterThan(0);
    expect(compareVersions('0.2.0+build.7', '0.2.0')).toBe(0);
    expect(compareVersions('0.2.0-beta.2', '0.2.0-beta.1')).toBeGreaterThan(0);
  });
});

describe('NativePort: replies and events are checked against the command table', () => {
  it.each([
    ['a reply of another command', { certificates: [] }],
    ['a field of the wrong type', { ...statusOf('0.1.0'), readers: 'Reader 0' }],
    ['a missing field', { version: '0.1.0', protocol: 1, readers: [], tokens: [] }],
    ['no result at all', undefined],
  ])('refuses %s with ERR_INTERNAL and keeps the connection', async (_name, result) => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const status = nativePort.request('status');
    await settle();
    port.emit({ id: port.find('status').id, result });
    const error = await expectCode(status, 'ERR_INTERNAL');
    expect(error.details).toEqual({ command: 'status' });
    expect(nativePort.connected).toBe(true);

    const next = track(nativePort.request('status'));
    await settle();
    port.answer(port.find('status').id, statusOf('0.1.0'));
    await settle();
    expect(next.value).toEqual(statusOf('0.1.0'));
  });

  it('refuses a card record whose card number breaks the pattern', async () => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const read = nativePort.request('nhi.readBasic', { reader: 'Reader 0' });
    await settle();
    port.answer(port.find('nhi.readBasic').id, { ...cardIn('Reader 0'), cardNumber: '<script>' });
    await expectCode(read, 'ERR_INTERNAL');
  });

  it.each([
    ['an ERR_ code outside the documented list', { code: 'ERR_FROM_THE_FUTURE', message: 'x' }],
    ['a code that is not a string', { code: 7, message: 'x' }],
    ['no message', { code: 'ERR_NO_CARD' }],
    ['details that are not an object', { code: 'ERR_NO_CARD', message: 'x', details: 'Reader 0' }],
    ['an error that is not an object', 'ERR_NO_CARD'],
  ])('turns an error body with %s into ERR_INTERNAL', async (_name, error) => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const status = nativePort.request('status');
    await settle();
    port.emit({ id: port.find('status').id, error });
    const refused = await expectCode(status, 'ERR_INTERNAL');
    expect(refused.details).toEqual({ command: 'status' });
  });

  it.each([
    ['data that breaks the schema', { event: 'readers-changed', data: { readers: ['Reader 0'] } }],
    ['no data', { event: 'readers-changed' }],
    ['an event outside the table', { event: 'cards-exploded', data: READER_0_IN }],
    ['a name that is not a string', { event: 42, data: READER_0_IN }],
    ['an inherited name', { event: 'toString', data: READER_0_IN }],
  ])('drops an event with %s, and still passes on the next good one', async (_name, frame) => {
    const { nativePort, lastPort } = setup();
    const port = await connected(nativePort, lastPort);
    const listener = vi.fn();
    nativePort.onEvent(listener);
    port.emit(frame);
    expect(listener).not.toHaveBeenCalled();
    port.emit({ event: 'readers-changed', data: READER_0_IN });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ event: 'readers-changed', data: READER_0_IN });
  });

  it('refuses at compile time a command, argument or result the table does not have', () => {
    const { nativePort } = setup();
    // Never called: `npm run typecheck` fails if any of these pairings stops being an error.
    const wrongPairings = async () => {
      // @ts-expect-error: 'nhi.readAll' is not a command of the table.
      await nativePort.request('nhi.readAll');
      // @ts-expect-error: sign needs its arguments.
      await nativePort.request('sign');
      // @ts-expect-error: nhi.readBasic takes { reader? }, not a PIN.
      await nativePort.request('nhi.readBasic', { pin: '1234' });
      const status = await nativePort.request('status');
      // @ts-expect-error: a status result has no certificates.
      expect(status.certificates).toBeUndefined();
    };
    expect(typeof wrongPairings).toBe('function');
  });
});

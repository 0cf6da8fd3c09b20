/**
 * NativeServer over in-memory streams with a few fake commands. Frames written to stdout are decoded
 * with FrameDecoder (tested on its own) and checked as protocol messages.
 */
import { PassThrough } from 'node:stream';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_MESSAGES } from '../../shared/protocol/errors.ts';
import { MAX_MESSAGE_BYTES } from '../../shared/protocol/version.ts';
import { HostError } from '../../native-host/src/hostError.ts';
import { silentLogger } from '../../native-host/src/log/logger.ts';
import type { CommandContext, ServedCommand } from '../../native-host/src/messaging/commandTypes.ts';
import { FrameDecoder } from '../../native-host/src/messaging/frameDecoder.ts';
import { encodeFrame } from '../../native-host/src/messaging/frameEncoder.ts';
import { NativeServer } from '../../native-host/src/messaging/nativeServer.ts';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

interface ErrorFrame {
  id: string | null;
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Gates for the slow command, keyed by request text. */
const gates = new Map<string, Deferred<void>>();

/** A test command: the server is generic; the protocol's own commands are tested elsewhere. */
function served<S extends TSchema>(command: {
  name: string;
  args: S;
  run(args: Static<S>, context: CommandContext): Promise<unknown>;
}): ServedCommand {
  return { ...command, run: (args, context) => command.run(args, context) };
}

const commands: ServedCommand[] = [
  served({
    name: 'echo',
    args: Type.Object({ text: Type.String({ maxLength: 10 }) }, { additionalProperties: false }),
    run: (args) => Promise.resolve({ text: args.text }),
  }),
  served({ name: 'ping', args: Type.Object({}), run: () => Promise.resolve('pong') }),
  served({ name: 'nothing', args: Type.Object({}), run: () => Promise.resolve(undefined) }),
  served({
    name: 'slow',
    args: Type.Object({ gate: Type.String() }),
    async run(args) {
      const gate = deferred<void>();
      gates.set(args.gate, gate);
      await gate.promise;
      return `done ${args.gate}`;
    },
  }),
  served({
    name: 'noCard',
    args: Type.Object({}),
    run: () => Promise.reject(new HostError('ERR_NO_CARD', 'no card in ACS 00', { reader: 'ACS 00' })),
  }),
  served({
    name: 'crash',
    args: Type.Object({}),
    async run() {
      await Promise.resolve();
      throw new TypeError('secret internals: cannot read x of undefined');
    },
  }),
  served({
    name: 'syncThrow',
    args: Type.Object({}),
    run() {
      throw new Error('thrown before any promise');
    },
  }),
  served({
    name: 'subscribe',
    args: Type.Object({}),
    run(_args, context) {
      context.subscribeEvents();
      return Promise.resolve({ subscribed: true });
    },
  }),
  served({
    name: 'unwritable',
    args: Type.Object({}),
    run: () => Promise.resolve({ serial: 1n }),
  }),
  served({
    name: 'huge',
    args: Type.Object({}),
    run: () => Promise.resolve({ blob: 'x'.repeat(MAX_MESSAGE_BYTES) }),
  }),
];

const servers: NativeServer[] = [];
afterEach(async () => {
  for (const gate of gates.values()) gate.resolve();
  gates.clear();
  await Promise.all(servers.splice(0).map((s) => s.idle()));
});

function setup() {
  const input = new PassThrough();
  const output = new PassThrough();
  const decoder = new FrameDecoder();
  const received: unknown[] = [];
  let waiters: Array<() => void> = [];
  output.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) {
      // The server must only ever write well-formed frames.
      expect(frame.kind).toBe('message');
      if (frame.kind === 'message') received.push(frame.value);
    }
    const ready = waiters;
    waiters = [];
    ready.forEach((w) => w());
  });
  const onFatal = vi.fn<(reason: string) => void>();
  const onEnd = vi.fn<() => void>();
  const server = new NativeServer({ input, output, commands, logger: silentLogger, onFatal, onEnd });
  server.start();
  servers.push(server);

  const h = {
    server,
    input,
    received,
    onFatal,
    onEnd,
    send(message: unknown) {
      input.write(encodeFrame(message));
    },
    /** Resolves with the received frames once there are at least `n`. */
    async frames(n: number): Promise<unknown[]> {
      while (received.length < n) await new Promise<void>((r) => waiters.push(r));
      return received.slice(0, n);
    },
    /** Round-trips a ping so everything written before it has arrived; returns the frames before it. */
    async barrier(): Promise<unknown[]> {
      const id = `barrier-${received.length}`;
      h.send({ id, command: 'ping' });
      for (;;) {
        const index = received.findIndex((m) => (m as { id?: unknown }).id === id);
        if (index >= 0) return received.slice(0, index);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
  return h;
}

const gateOpened = async (name: string): Promise<Deferred<void>> => {
  while (!gates.has(name)) await new Promise((r) => setImmediate(r));
  return gates.get(name)!;
};

describe('NativeServer: requests', () => {
  it('answers a valid request with its id and result', async () => {
    const h = setup();
    h.send({ id: 'r1', command: 'echo', arguments: { text: '健保' } });
    expect(await h.frames(1)).toEqual([{ id: 'r1', result: { text: '健保' } }]);
  });

  it('runs a command without arguments and sends null for an undefined result', async () => {
    const h = setup();
    h.send({ id: 'a', command: 'ping' });
    h.send({ id: 'b', command: 'nothing', arguments: {} });
    expect(await h.frames(2)).toEqual([
      { id: 'a', result: 'pong' },
      { id: 'b', result: null },
    ]);
  });

  it('answers invalid frames with id null / ERR_BAD_REQUEST and keeps serving', async () => {
    const h = setup();
    const notJson = Buffer.from('{oops', 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32LE(notJson.length, 0);
    h.input.write(Buffer.concat([head, notJson]));
    h.send({ command: 'ping' }); // no id
    h.send({ id: 7, command: 'ping' }); // id not a string
    h.send({ id: '', command: 'ping' }); // empty id
    h.send({ id: 'x', command: 'ping', arguments: [1] }); // arguments not an object
    h.send('just a string');
    h.send({ id: 'ok', command: 'ping' });
    const frames = (await h.frames(7)) as ErrorFrame[];
    for (const frame of frames.slice(0, 6)) {
      expect(frame.id).toBeNull();
      expect(frame.error.code).toBe('ERR_BAD_REQUEST');
      expect(frame.error.message).toBe(ERROR_MESSAGES.ERR_BAD_REQUEST.en);
    }
    expect(frames[0]!.error.details).toEqual({ reason: 'frame is not JSON' });
    expect(frames[6]).toEqual({ id: 'ok', result: 'pong' });
    expect(h.onFatal).not.toHaveBeenCalled();
  });

  it('answers an unknown command with ERR_UNKNOWN_COMMAND and the request id', async () => {
    const h = setup();
    h.send({ id: 'u1', command: 'pkcs11.sign' });
    expect(await h.frames(1)).toEqual([
      {
        id: 'u1',
        error: {
          code: 'ERR_UNKNOWN_COMMAND',
          message: ERROR_MESSAGES.ERR_UNKNOWN_COMMAND.en,
          details: { command: 'pkcs11.sign' },
        },
      },
    ]);
  });

  it.each([
    ['a missing argument', {}],
    ['a wrong type', { text: 42 }],
    ['a too-long value', { text: 'x'.repeat(11) }],
    ['an extra property', { text: 'a', extra: true }],
  ])('answers arguments failing the schema (%s) with ERR_BAD_REQUEST and the id', async (_, args) => {
    const h = setup();
    h.send({ id: 'b1', command: 'echo', arguments: args });
    const [frame] = (await h.frames(1)) as ErrorFrame[];
    expect(frame!.id).toBe('b1');
    expect(frame!.error.code).toBe('ERR_BAD_REQUEST');
    expect(String(frame!.error.details?.reason)).toMatch(/^arguments/);
  });

  it('passes a HostError code and details through', async () => {
    const h = setup();
    h.send({ id: 'n1', command: 'noCard' });
    expect(await h.frames(1)).toEqual([
      {
        id: 'n1',
        error: { code: 'ERR_NO_CARD', message: ERROR_MESSAGES.ERR_NO_CARD.en, details: { reader: 'ACS 00' } },
      },
    ]);
  });

  it('turns any other error into ERR_INTERNAL without leaking its message or stack', async () => {
    const h = setup();
    h.send({ id: 'c1', command: 'crash' });
    const [frame] = await h.frames(1);
    expect(frame).toEqual({
      id: 'c1',
      error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en },
    });
    const text = JSON.stringify(frame);
    expect(text).not.toContain('secret');
    expect(text).not.toContain('TypeError');
    expect(text).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('answers a command that throws synchronously with ERR_INTERNAL and serves the next frame', async () => {
    const h = setup();
    h.input.write(
      Buffer.concat([
        encodeFrame({ id: 's', command: 'syncThrow' }),
        encodeFrame({ id: 'p', command: 'ping' }),
      ]),
    );
    const frames = await h.frames(2);
    expect(frames).toContainEqual({
      id: 's',
      error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en },
    });
    expect(frames).toContainEqual({ id: 'p', result: 'pong' });
    await h.server.idle();
  });

  it('answers in completion order: a slow command does not hold back a fast one', async () => {
    const h = setup();
    h.send({ id: 'slow', command: 'slow', arguments: { gate: 's' } });
    h.send({ id: 'fast', command: 'ping' });
    expect(await h.frames(1)).toEqual([{ id: 'fast', result: 'pong' }]);
    let idle = false;
    void h.server.idle().then(() => (idle = true));
    (await gateOpened('s')).resolve();
    expect(await h.frames(2)).toEqual([
      { id: 'fast', result: 'pong' },
      { id: 'slow', result: 'done s' },
    ]);
    await h.server.idle();
    expect(idle).toBe(true);
  });

  it.each([
    ['a result over 1 MiB', 'huge'],
    ['a result that cannot be written as JSON', 'unwritable'],
  ])('replaces %s with ERR_INTERNAL for that id and keeps serving', async (_what, command) => {
    const h = setup();
    h.send({ id: 'bad', command });
    h.send({ id: 'after', command: 'ping' });
    const frames = await h.frames(2);
    expect(frames).toContainEqual({
      id: 'bad',
      error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en },
    });
    expect(frames).toContainEqual({ id: 'after', result: 'pong' });
    await h.server.idle();
    expect(h.onFatal).not.toHaveBeenCalled();
  });
});

const noReaders = (available: boolean) => ({ pcsc: { available }, readers: [] });

describe('NativeServer: events', () => {
  it('sends no events before subscribeEvents() and sends them after', async () => {
    const h = setup();
    expect(h.server.eventsSubscribed).toBe(false);
    h.server.sendEvent({ event: 'readers-changed', data: noReaders(false) });
    expect(await h.barrier()).toEqual([]);

    h.send({ id: 's', command: 'subscribe' });
    await h.frames(2);
    expect(h.server.eventsSubscribed).toBe(true);
    h.server.sendEvent({ event: 'readers-changed', data: noReaders(true) });
    const before = await h.barrier();
    expect(before.filter((m) => 'event' in (m as object))).toEqual([
      { event: 'readers-changed', data: noReaders(true) },
    ]);
    // Events never carry an id.
    expect(before.at(-1)).not.toHaveProperty('id');
  });
});

describe('NativeServer: fatal and end of stream', () => {
  it('answers an oversized header with one ERR_MESSAGE_TOO_LARGE, calls onFatal and stops', async () => {
    const h = setup();
    h.send({ id: 's', command: 'subscribe' });
    await h.frames(1);
    h.received.length = 0;
    const head = Buffer.alloc(4);
    head.writeUInt32LE(MAX_MESSAGE_BYTES + 1, 0);
    // A valid request after the bad header, in the same chunk and in a later one: neither is served.
    h.input.write(
      Buffer.concat([
        encodeFrame({ id: 'first', command: 'ping' }),
        head,
        encodeFrame({ id: 'x', command: 'ping' }),
      ]),
    );
    const frames = await h.frames(2);
    // The request before the bad header was accepted and is still answered (asynchronously, so
    // possibly after the synchronous fatal error).
    expect(frames).toContainEqual({ id: 'first', result: 'pong' });
    expect(frames).toContainEqual({
      id: null,
      error: {
        code: 'ERR_MESSAGE_TOO_LARGE',
        message: ERROR_MESSAGES.ERR_MESSAGE_TOO_LARGE.en,
        details: { limit: MAX_MESSAGE_BYTES },
      },
    });
    expect(h.onFatal).toHaveBeenCalledTimes(1);

    // Nothing more goes out: not a later request, not even an event the browser subscribed to.
    h.send({ id: 'later', command: 'ping' });
    h.server.sendEvent({ event: 'readers-changed', data: noReaders(true) });
    await new Promise((r) => setImmediate(r));
    await h.server.idle();
    expect(h.received).toHaveLength(2);
    expect(h.onFatal).toHaveBeenCalledTimes(1);
  });

  it('calls onEnd when the browser closes stdin', async () => {
    const h = setup();
    const ended = new Promise<void>((r) => h.onEnd.mockImplementation(() => r()));
    h.input.end();
    await ended;
    expect(h.onEnd).toHaveBeenCalledTimes(1);
    expect(h.onFatal).not.toHaveBeenCalled();
  });

  it('idle() waits for requests still in progress', async () => {
    const h = setup();
    await h.server.idle(); // nothing in flight: resolves at once
    h.send({ id: 'g', command: 'slow', arguments: { gate: 'g' } });
    const gate = await gateOpened('g');
    let idle = false;
    void h.server.idle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    gate.resolve();
    await h.server.idle();
    expect(await h.frames(1)).toEqual([{ id: 'g', result: 'done g' }]);
  });
});

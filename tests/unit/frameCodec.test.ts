/**
 * Native messaging frames: encodeFrame + FrameDecoder. The decoder must reassemble frames split at
 * any byte (Chrome and the OS pipe may deliver partial or merged chunks), survive garbage bodies,
 * and stop for good on an oversized header (the stream cannot be resynchronised).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, type DecodedFrame } from '../../native-host/src/messaging/frameDecoder.ts';
import {
  EncodedResult,
  encodeFrame,
  encodeResultFrame,
  FrameTooLargeError,
} from '../../native-host/src/messaging/frameEncoder.ts';
import { MAX_MESSAGE_BYTES } from '../../shared/protocol/version.ts';

/** A frame built by hand (independent of encodeFrame): LE uint32 length + body. */
function rawFrame(body: Buffer, announcedLength = body.length): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(announcedLength, 0);
  return Buffer.concat([head, body]);
}

/** Splits `bytes` at the given cut points (duplicates give empty chunks). */
function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(start, p));
    start = p;
  }
  return chunks;
}

function feed(decoder: FrameDecoder, chunks: Buffer[]): DecodedFrame[] {
  return chunks.flatMap((c) => decoder.push(c));
}

/** What a JSON round trip makes of a value (e.g. -0 becomes 0): the codec's contract. */
const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

// Strings with any code point, so multi-byte UTF-8 sequences get split across chunks too.
const jsonMessage = fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 });

describe('encodeFrame', () => {
  it('prefixes the UTF-8 body with its byte length as a little-endian uint32', () => {
    const message = { id: '1', text: '健保卡' }; // multi-byte: byte length ≠ string length
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const frame = encodeFrame(message);
    expect(frame.length).toBe(4 + body.length);
    expect(frame.readUInt32LE(0)).toBe(body.length);
    expect(frame.subarray(4)).toEqual(body);
  });

  it('writes the low byte first (LE, not BE)', () => {
    // A 300-byte string body: length 0x0000012c → bytes 2c 01 00 00.
    const message = 'x'.repeat(298); // JSON adds two quotes
    const frame = encodeFrame(message);
    expect([...frame.subarray(0, 4)]).toEqual([0x2c, 0x01, 0x00, 0x00]);
  });

  it('accepts a body of exactly MAX_MESSAGE_BYTES and refuses one byte more', () => {
    const exact = 'a'.repeat(MAX_MESSAGE_BYTES - 2); // + 2 quotes = limit
    expect(encodeFrame(exact).readUInt32LE(0)).toBe(MAX_MESSAGE_BYTES);

    const over = 'a'.repeat(MAX_MESSAGE_BYTES - 1);
    expect(() => encodeFrame(over)).toThrow(FrameTooLargeError);
    try {
      encodeFrame(over);
    } catch (error) {
      expect((error as FrameTooLargeError).length).toBe(MAX_MESSAGE_BYTES + 1);
    }
  });

  it('counts the limit in UTF-8 bytes, not UTF-16 code units', () => {
    // 400 000 CJK characters are 1.2 MB of UTF-8 although the string is only 400 000 units long.
    expect(() => encodeFrame('健'.repeat(400_000))).toThrow(FrameTooLargeError);
  });

  it('honours a custom limit', () => {
    expect(() => encodeFrame('abcdef', 7)).toThrow(FrameTooLargeError);
    expect(encodeFrame('abcde', 7).readUInt32LE(0)).toBe(7);
  });
});

describe('FrameDecoder', () => {
  it('round-trips any sequence of messages split into any chunks (including empty ones)', () => {
    fc.assert(
      fc.property(
        fc.array(jsonMessage, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (messages, cuts) => {
          const stream = Buffer.concat(messages.map((m) => encodeFrame(m)));
          const decoder = new FrameDecoder();
          const frames = feed(decoder, splitAt(stream, cuts));
          expect(frames).toEqual(messages.map((m) => ({ kind: 'message', value: viaJson(m) })));
          expect(decoder.pending).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips when fed one byte at a time', () => {
    fc.assert(
      fc.property(fc.array(jsonMessage, { minLength: 1, maxLength: 5 }), (messages) => {
        const stream = Buffer.concat(messages.map((m) => encodeFrame(m)));
        const chunks = [...stream].map((b) => Buffer.from([b]));
        const frames = feed(new FrameDecoder(), chunks);
        expect(frames).toEqual(messages.map((m) => ({ kind: 'message', value: viaJson(m) })));
      }),
      { numRuns: 100 },
    );
  });

  it('returns nothing until a frame is complete and reports the bytes held', () => {
    const frame = encodeFrame({ a: 1 });
    const decoder = new FrameDecoder();
    expect(decoder.push(frame.subarray(0, 2))).toEqual([]);
    expect(decoder.pending).toBe(2);
    expect(decoder.push(frame.subarray(2, frame.length - 1))).toEqual([]);
    expect(decoder.pending).toBe(frame.length - 1);
    expect(decoder.push(frame.subarray(frame.length - 1))).toEqual([{ kind: 'message', value: { a: 1 } }]);
    expect(decoder.pending).toBe(0);
  });

  it('decodes several frames delivered in one chunk', () => {
    const chunk = Buffer.concat([encodeFrame(1), encodeFrame('two'), encodeFrame([3])]);
    expect(new FrameDecoder().push(chunk)).toEqual([
      { kind: 'message', value: 1 },
      { kind: 'message', value: 'two' },
      { kind: 'message', value: [3] },
    ]);
  });

  it('reports a non-UTF-8 body as invalid and goes on with the next frame', () => {
    const bad = rawFrame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])); // '{' 0xff 0xfe '}'
    const frames = new FrameDecoder().push(Buffer.concat([bad, encodeFrame({ ok: true })]));
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/UTF-8/) as unknown });
    expect(frames[1]).toEqual({ kind: 'message', value: { ok: true } });
  });

  it('reports a UTF-8 body that is not JSON as invalid', () => {
    const frames = new FrameDecoder().push(rawFrame(Buffer.from('{not json', 'utf8')));
    expect(frames).toEqual([{ kind: 'invalid', reason: expect.stringMatching(/JSON/) as unknown }]);
  });

  it('reports an empty body as invalid (empty text is not JSON)', () => {
    expect(new FrameDecoder().push(rawFrame(Buffer.alloc(0)))).toMatchObject([{ kind: 'invalid' }]);
  });

  it('yields exactly one frame per random-byte body, then decodes the valid frames after it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 5 }),
        fc.array(jsonMessage, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (garbage, valid, cuts) => {
          const stream = Buffer.concat([
            ...garbage.map((g) => rawFrame(Buffer.from(g))),
            ...valid.map((m) => encodeFrame(m)),
          ]);
          const frames = feed(new FrameDecoder(), splitAt(stream, cuts));
          expect(frames).toHaveLength(garbage.length + valid.length);
          garbage.forEach((g, i) => {
            // Independent oracle: is the body strict UTF-8 and JSON?
            let expected: DecodedFrame['kind'] = 'message';
            try {
              JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(g));
            } catch {
              expected = 'invalid';
            }
            expect(frames[i]!.kind).toBe(expected);
          });
          expect(frames.slice(garbage.length)).toEqual(
            valid.map((m) => ({ kind: 'message', value: viaJson(m) })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts a body of exactly 1 MiB', () => {
    const body = Buffer.from(JSON.stringify('b'.repeat(MAX_MESSAGE_BYTES - 2)), 'utf8');
    expect(body.length).toBe(MAX_MESSAGE_BYTES);
    const frames = new FrameDecoder().push(rawFrame(body));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.kind).toBe('message');
  });

  it('reports a header over 1 MiB once as too-large and decodes nothing afterwards', () => {
    const decoder = new FrameDecoder();
    const huge = rawFrame(Buffer.alloc(0), MAX_MESSAGE_BYTES + 1);
    const frames = decoder.push(Buffer.concat([encodeFrame('before'), huge, encodeFrame('after')]));
    expect(frames).toEqual([
      { kind: 'message', value: 'before' },
      { kind: 'too-large', length: MAX_MESSAGE_BYTES + 1 },
    ]);
    // Even well-formed frames later on are ignored: the stream is out of sync for good.
    expect(decoder.push(encodeFrame({ id: '1', command: 'version' }))).toEqual([]);
    expect(decoder.push(huge)).toEqual([]);
    expect(decoder.pending).toBe(0);
  });

  it('detects the oversized header as soon as its 4 bytes are in, without waiting for a body', () => {
    const decoder = new FrameDecoder();
    const head = Buffer.alloc(4);
    head.writeUInt32LE(0xffffffff, 0);
    expect(decoder.push(head.subarray(0, 3))).toEqual([]);
    expect(decoder.push(head.subarray(3))).toEqual([{ kind: 'too-large', length: 0xffffffff }]);
  });

  it('reads the header as little-endian', () => {
    // 00 00 10 00 is 1 MiB (accepted) in LE but 4096 in BE; 01 00 10 00 is 1 MiB + 1 in LE.
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.from([0x01, 0x00, 0x10, 0x00]))).toEqual([
      { kind: 'too-large', length: MAX_MESSAGE_BYTES + 1 },
    ]);
  });

  it('honours a custom limit', () => {
    const decoder = new FrameDecoder(4);
    expect(decoder.push(encodeFrame(12))).toEqual([{ kind: 'message', value: 12 }]);
    expect(decoder.push(encodeFrame(12345))).toEqual([{ kind: 'too-large', length: 5 }]);
  });
});

describe('encodeResultFrame', () => {
  it('gives the bytes encodeFrame gives for the same { id, result }', () => {
    const result = {
      version: '0.1.0',
      readers: [{ name: 'Lab 00 00', atr: '3b8f', note: '王大明 "q" \\ \u2028' }],
    };
    for (const id of ['req-1', 'quote " and \\ backslash', '王', '']) {
      expect(encodeResultFrame(id, new EncodedResult(result))).toEqual(encodeFrame({ id, result }));
    }
  });

  it('refuses a result over the limit like encodeFrame', () => {
    const big = new EncodedResult({ blob: 'x'.repeat(100) });
    expect(() => encodeResultFrame('r', big, 64)).toThrow(FrameTooLargeError);
  });
});

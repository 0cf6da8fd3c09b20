/** Encodes one native messaging frame; refuses bodies over the protocol limit. */
import { MAX_MESSAGE_BYTES } from '../../../shared/protocol/version.ts';

export class FrameTooLargeError extends Error {
  constructor(readonly length: number) {
    super(`frame of ${length} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  }
}

export function encodeFrame(message: unknown, maxBytes: number = MAX_MESSAGE_BYTES): Buffer {
  return encodeJsonFrame(JSON.stringify(message), maxBytes);
}

/** A command's result serialised once, for one answered many times unchanged (`status` polled by
 * pages): the answer's frame then costs no serialisation of the result. */
export class EncodedResult<T> {
  readonly json: string;
  constructor(readonly value: T) {
    this.json = JSON.stringify(value);
  }
}

/** The frame of `{ id, result }` for an encoded result: the bytes encodeFrame would give. */
export function encodeResultFrame(
  id: string,
  result: EncodedResult<unknown>,
  maxBytes: number = MAX_MESSAGE_BYTES,
): Buffer {
  return encodeJsonFrame(`{"id":${JSON.stringify(id)},"result":${result.json}}`, maxBytes);
}

function encodeJsonFrame(json: string, maxBytes: number): Buffer {
  // The JSON is encoded straight behind its header: one buffer, no copy of the body.
  const length = Buffer.byteLength(json, 'utf8');
  if (length > maxBytes) throw new FrameTooLargeError(length);
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32LE(length, 0);
  frame.write(json, 4, 'utf8');
  return frame;
}

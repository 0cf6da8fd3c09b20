/** Encodes one native messaging frame; refuses bodies over the protocol limit. */
import { MAX_MESSAGE_BYTES } from '../../../shared/protocol/version.ts';

export class FrameTooLargeError extends Error {
  constructor(readonly length: number) {
    super(`frame of ${length} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  }
}

export function encodeFrame(message: unknown, maxBytes: number = MAX_MESSAGE_BYTES): Buffer {
  const json = JSON.stringify(message);
  // The JSON is encoded straight behind its header: one buffer, no copy of the body.
  const length = Buffer.byteLength(json, 'utf8');
  if (length > maxBytes) throw new FrameTooLargeError(length);
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32LE(length, 0);
  frame.write(json, 4, 'utf8');
  return frame;
}

/** Encodes one native messaging frame; refuses bodies over the protocol limit. */
import { MAX_MESSAGE_BYTES } from '../../../shared/protocol/version.ts';

export class FrameTooLargeError extends Error {
  constructor(readonly length: number) {
    super(`frame of ${length} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  }
}

export function encodeFrame(message: unknown, maxBytes: number = MAX_MESSAGE_BYTES): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  if (body.length > maxBytes) throw new FrameTooLargeError(body.length);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

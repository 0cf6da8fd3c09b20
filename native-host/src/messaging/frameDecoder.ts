/**
 * Incremental decoder for native messaging frames: a 32-bit little-endian length followed by that
 * many bytes of UTF-8 JSON. Input may arrive split at any byte or with several frames in one chunk.
 */
import { MAX_MESSAGE_BYTES } from '../../../shared/protocol/version.ts';

export type DecodedFrame =
  | { kind: 'message'; value: unknown }
  | { kind: 'invalid'; reason: string }
  | { kind: 'too-large'; length: number };

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private stopped = false;

  constructor(private readonly maxBytes: number = MAX_MESSAGE_BYTES) {}

  /** Feeds bytes; returns the frames completed by them. After 'too-large' nothing more is decoded. */
  push(chunk: Buffer): DecodedFrame[] {
    if (this.stopped) return [];
    // The usual case, one whole request in one chunk, without the bookkeeping below.
    if (this.buffered === 0 && chunk.length >= 4) {
      const length = chunk.readUInt32LE(0);
      if (length <= this.maxBytes && chunk.length === 4 + length) return [parseBody(chunk.subarray(4))];
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: DecodedFrame[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length > this.maxBytes) {
        // The stream cannot be resynchronised after an oversized header.
        this.stopped = true;
        this.chunks = [];
        this.buffered = 0;
        out.push({ kind: 'too-large', length });
        break;
      }
      if (this.buffered < 4 + length) break;
      const body = this.take(4 + length).subarray(4);
      out.push(parseBody(body));
    }
    return out;
  }

  /** Bytes held for an incomplete frame. */
  get pending(): number {
    return this.buffered;
  }

  private peekLength(): number {
    const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.flatten();
    return head.readUInt32LE(0);
  }

  private flatten(): Buffer {
    const all = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : this.flatten();
    const taken = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseBody(body: Buffer): DecodedFrame {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { kind: 'invalid', reason: 'frame is not valid UTF-8' };
  }
  try {
    return { kind: 'message', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid', reason: 'frame is not JSON' };
  }
}

/** PcscBackend over the npm `pcsclite` binding (santigimeno/node-pcsclite). */
import type { CardChannel, PcscBackend, PcscListener } from './backend.ts';
import { loadPcsclite } from './loadBinding.ts';
import type { PcscliteContext, PcscliteFactory, PcscliteReader } from './pcscliteTypes.ts';

/** Extended APDUs can answer up to 64 KiB + SW. */
const MAX_RESPONSE = 65538;

export class PcscliteBackend implements PcscBackend {
  private context: PcscliteContext | undefined;
  private readonly readers = new Map<string, PcscliteReader>();
  private stopped = false;

  constructor(private readonly factory: () => PcscliteFactory = loadPcsclite) {}

  start(listener: PcscListener): void {
    const create = this.factory();
    // The binding opens its context in the constructor and throws when pcscd is not there.
    const context = create();
    this.context = context;
    context.on('error', (err: unknown) => {
      if (!this.stopped) listener.failed(asError(err));
    });
    context.on('reader', (reader: PcscliteReader) => {
      if (this.stopped) return;
      this.readers.set(reader.name, reader);
      listener.readerAdded(reader.name);
      reader.on('status', (status: { state: number; atr?: Buffer }) => {
        if (this.stopped) return;
        const present =
          (status.state & reader.SCARD_STATE_PRESENT) !== 0 && (status.state & reader.SCARD_STATE_MUTE) === 0;
        reader.state = status.state;
        listener.readerState(reader.name, present && status.atr ? { present, atr: status.atr } : { present });
      });
      reader.on('error', (err: unknown) => {
        if (!this.stopped) listener.failed(asError(err));
      });
      reader.on('end', () => {
        this.readers.delete(reader.name);
        if (!this.stopped) listener.readerRemoved(reader.name);
      });
    });
  }

  stop(): void {
    this.stopped = true;
    const readers = [...this.readers.values()];
    this.readers.clear();
    const context = this.context;
    this.context = undefined;
    for (const emitter of [...readers, context]) {
      emitter?.removeAllListeners();
      emitter?.on('error', () => undefined);
    }
    // The binding calls our listeners while holding a reader's mutex, and close() takes that same
    // mutex: closing from inside a callback would deadlock the process. Close on a fresh tick.
    setImmediate(() => {
      for (const closable of [...readers, context]) {
        try {
          closable?.close();
        } catch {
          // already closed by the binding
        }
      }
    });
  }

  connect(name: string): Promise<CardChannel> {
    const reader = this.readers.get(name);
    if (!reader) return Promise.reject(new Error(`SCardConnect error: Unknown reader.(0x80100009)`));
    return new Promise((resolve, reject) => {
      reader.connect(
        {
          share_mode: reader.SCARD_SHARE_SHARED,
          protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1,
        },
        (err, protocol) => {
          if (err) reject(asError(err));
          else resolve(new PcscliteChannel(reader, protocol));
        },
      );
    });
  }
}

class PcscliteChannel implements CardChannel {
  constructor(
    private readonly reader: PcscliteReader,
    private readonly protocol: number,
  ) {}

  transmit(apdu: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.reader.transmit(apdu, MAX_RESPONSE, this.protocol, (err, data) => {
        if (err) reject(asError(err));
        else resolve(data);
      });
    });
  }

  disconnect(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.reader.connected) return resolve();
      this.reader.disconnect(this.reader.SCARD_LEAVE_CARD, () => resolve());
    });
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

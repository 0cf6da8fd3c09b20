/**
 * The narrow PC/SC interface the rest of the host uses. Only pcscliteBackend.ts knows the binding,
 * so the binding can be swapped (e.g. for an FFI one on Windows) without touching anything above.
 */

export interface ReaderState {
  present: boolean;
  /** Present only while a card is in the reader. */
  atr?: Buffer;
}

export interface PcscListener {
  readerAdded(name: string): void;
  readerRemoved(name: string): void;
  readerState(name: string, state: ReaderState): void;
  /** The service went away or monitoring failed: the backend is unusable until restarted. */
  failed(error: Error): void;
}

export interface CardChannel {
  transmit(apdu: Buffer): Promise<Buffer>;
  /** Leaves the card powered so the next operation needs no reset. */
  disconnect(): Promise<void>;
}

export interface PcscBackend {
  /** Opens a PC/SC context and starts watching; throws when the service is not available. */
  start(listener: PcscListener): void;
  stop(): void;
  connect(reader: string): Promise<CardChannel>;
}

export type PcscBackendFactory = () => PcscBackend;

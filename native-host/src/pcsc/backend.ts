/**
 * The narrow PC/SC interface the rest of the host uses. Each binding is known by one file only
 * (koffiPcscBackend.ts: FFI to the system's PC/SC library on every OS; pcscliteBackend.ts: the npm
 * addon), and selectBackend.ts picks one, so nothing above changes when the binding does.
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

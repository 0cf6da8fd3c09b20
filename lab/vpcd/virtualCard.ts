/**
 * A virtual smart card for vsmartcard-vpcd: the card is a TCP client of the pcscd driver. Frames in
 * both directions are a 2-byte big-endian length plus payload; 1-byte frames from the reader are
 * control codes (0 power off, 1 power on, 2 reset, 4 get ATR), longer ones are command APDUs.
 * Connecting is inserting the card; closing the socket is removing it.
 */
import net from 'node:net';
import { quickAck } from './quickAck.ts';

export interface CardApplet {
  readonly atr: Buffer;
  /** Answers one command APDU with data + SW1 SW2, or undefined to stay silent. */
  process(apdu: Buffer): Buffer | undefined | Promise<Buffer | undefined>;
  /** Power cycle or reset: forget selections. */
  reset(): void;
}

export interface VirtualCardOptions {
  port: number;
  host?: string;
  /** Called for each APDU before the applet answers (tests use it to pull the card mid-operation). */
  onApdu?: (apdu: Buffer, card: VirtualCard) => void;
}

export class VirtualCard {
  private socket: net.Socket | undefined;
  private inserted = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private resolveInsert: (() => void) | undefined;
  /** APDUs received since the last insertion, as hex (tests read it). */
  readonly apduLog: string[] = [];

  constructor(
    public applet: CardApplet,
    private readonly options: VirtualCardOptions,
  ) {}

  get isInserted(): boolean {
    return this.inserted;
  }

  /** Inserts the card: connects to vpcd (retrying until the driver listens). */
  insert(): Promise<void> {
    if (this.inserted) return Promise.resolve();
    this.inserted = true;
    this.apduLog.length = 0;
    return new Promise((resolve) => {
      this.resolveInsert = resolve;
      this.connect();
    });
  }

  /** Removes the card: closes the socket at once, even mid-APDU. */
  remove(): Promise<void> {
    this.inserted = false;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  private connect(): void {
    if (!this.inserted) return;
    const socket = net.connect(this.options.port, this.options.host ?? '127.0.0.1');
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    socket.on('connect', () => {
      quickAck(socket);
      this.socket = socket;
      this.resolveInsert?.();
      this.resolveInsert = undefined;
    });
    socket.on('data', (chunk) => {
      quickAck(socket);
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const length = buffer.readUInt16BE(0);
        const message = buffer.subarray(2, 2 + length);
        buffer = buffer.subarray(2 + length);
        void this.handle(socket, message);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      // vpcd not listening yet, or pcscd restarted: a card still "inserted" keeps trying.
      if (this.inserted) this.retryTimer = setTimeout(() => this.connect(), 100);
    });
  }

  private async handle(socket: net.Socket, message: Buffer): Promise<void> {
    if (message.length === 1) {
      const code = message[0];
      if (code === 0x04) send(socket, this.applet.atr);
      else if (code === 0x00 || code === 0x02) this.applet.reset();
      return;
    }
    this.apduLog.push(message.toString('hex'));
    this.options.onApdu?.(message, this);
    if (socket.destroyed) return;
    const response = await this.applet.process(message);
    if (response && !socket.destroyed) send(socket, response);
  }
}

function send(socket: net.Socket, payload: Buffer): void {
  const header = Buffer.alloc(2);
  header.writeUInt16BE(payload.length);
  socket.write(Buffer.concat([header, payload]));
}

/** Builds a T=1 ATR with the given historical bytes and its check byte. */
export function buildAtr(historical: Buffer): Buffer {
  if (historical.length > 15) throw new Error('at most 15 historical bytes');
  const body = Buffer.concat([Buffer.from([0x80 | historical.length, 0x80, 0x01]), historical]);
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Buffer.concat([Buffer.from([0x3b]), body, Buffer.from([tck])]);
}

/** The part of the npm pcsclite binding this host uses (its own index.d.ts is not exported as ESM). */
import type { EventEmitter } from 'node:events';

export interface PcscliteReader extends EventEmitter {
  readonly name: string;
  state: number;
  connected: boolean;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_LEAVE_CARD: number;
  connect(
    options: { share_mode?: number; protocol?: number },
    cb: (err: unknown, protocol: number) => void,
  ): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, data: Buffer) => void): void;
  close(): void;
}

export interface PcscliteContext extends EventEmitter {
  close(): void;
}

export type PcscliteFactory = () => PcscliteContext;

/** Messages between the host and a PKCS#11 worker process (one per module), over Node IPC. */
import type { SignInput, TokenFailure } from '../types.ts';

export interface WorkerSlot {
  slotIndex: number;
  slotDescription: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  flags: number;
  certificates: Array<{ keyId: string; der: string; hasPrivateKey: boolean }>;
}

export type WorkerRequest =
  | { id: number; op: 'list' }
  | {
      id: number;
      op: 'sign';
      serial: string;
      keyId: string;
      pin: string | null;
      input: Omit<SignInput, 'digest'> & { digest: string };
    };

export type WorkerResponse =
  | { id: number; ok: true; slots?: WorkerSlot[]; signature?: string }
  | { id: number; ok: false; failure: TokenFailure }
  | { ready: true }
  | { ready: false; failure: TokenFailure };

/** The argument that makes the host binary run as a PKCS#11 worker. */
export const WORKER_FLAG = '--pkcs11-worker';

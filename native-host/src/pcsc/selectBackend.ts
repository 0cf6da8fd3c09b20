/**
 * Chooses the PC/SC backend: `CARDBRIDGE_PCSC_BACKEND=koffi` (FFI to the system's PC/SC library,
 * the default, and the only one inside the single executable) or `pcsclite` (the npm addon, built
 * for the Node that runs the host from source).
 */
import type { PcscBackendFactory } from './backend.ts';
import { KoffiPcscBackend } from './koffiPcscBackend.ts';
import { PcscliteBackend } from './pcscliteBackend.ts';

export const PCSC_BACKENDS = ['koffi', 'pcsclite'] as const;
export type PcscBackendName = (typeof PCSC_BACKENDS)[number];

export function pcscBackendName(env: NodeJS.ProcessEnv = process.env): PcscBackendName {
  const chosen = env.CARDBRIDGE_PCSC_BACKEND?.trim() || 'koffi';
  if (!(PCSC_BACKENDS as readonly string[]).includes(chosen))
    throw new Error(`CARDBRIDGE_PCSC_BACKEND must be one of ${PCSC_BACKENDS.join(', ')}, not "${chosen}"`);
  return chosen as PcscBackendName;
}

export function pcscBackendFactory(env: NodeJS.ProcessEnv = process.env): PcscBackendFactory {
  return pcscBackendName(env) === 'pcsclite' ? () => new PcscliteBackend() : () => new KoffiPcscBackend();
}

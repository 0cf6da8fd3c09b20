/**
 * Loads the pcsclite binding lazily, so a machine without libpcsclite still runs the host (status
 * and doctor then explain what is missing). The single-executable build replaces this module with
 * a plain require() that the bundler can follow (see native-host/sea/build.ts).
 */
import { createRequire } from 'node:module';
import type { PcscliteFactory } from './pcscliteTypes.ts';

export function loadPcsclite(): PcscliteFactory {
  const require = createRequire(import.meta.url);
  return require('pcsclite') as PcscliteFactory;
}

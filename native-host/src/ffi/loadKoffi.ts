/**
 * Loads koffi (FFI) lazily, once. The single-executable build replaces this module with one that
 * loads koffi's native file from the SEA asset (see native-host/sea/build.ts); koffi's native file
 * is the whole API, so both paths give the same object.
 */
import { createRequire } from 'node:module';
import type * as KoffiModule from 'koffi';

export type Koffi = typeof KoffiModule;

let koffi: Koffi | undefined;

export function loadKoffi(): Koffi {
  koffi ??= createRequire(import.meta.url)('koffi') as Koffi;
  return koffi;
}

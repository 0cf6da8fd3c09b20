/**
 * The NHI driver, loaded on its first use (a card probe or an NHI command): it brings the
 * Big5-HKSCS tables of iconv-lite, which a start that answers the extension's `version` does not need.
 */
import type * as NhiDriver from './nhiDriver.ts';

let loaded: typeof NhiDriver | undefined;

export function loadNhiDriver(): Promise<typeof NhiDriver> {
  return import('./nhiDriver.ts').then((driver) => (loaded = driver));
}

/** The driver once loaded, else undefined: a command run per read skips the import's promise hops. */
export function loadedNhiDriver(): typeof NhiDriver | undefined {
  return loaded;
}

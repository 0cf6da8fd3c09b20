/**
 * The NHI driver, loaded on its first use (a card probe or an NHI command): it brings the
 * Big5-HKSCS tables of iconv-lite, which a start that answers the extension's `version` does not need.
 */
import type * as NhiDriver from './nhiDriver.ts';

export function loadNhiDriver(): Promise<typeof NhiDriver> {
  return import('./nhiDriver.ts');
}

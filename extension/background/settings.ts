/** Origin settings from the options (storage.local) and IT policy (storage.managed). */
import browser from 'webextension-polyfill';
import { DEFAULT_ORIGIN_SETTINGS, isValidConfiguredOrigin, type OriginSettings } from './originPolicy.ts';

const strings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && isValidConfiguredOrigin(v))
    : [];

export async function loadOriginSettings(): Promise<OriginSettings> {
  const local = await browser.storage.local.get(['userOrigins', 'developmentMode']);
  let managed: Record<string, unknown> = {};
  try {
    managed = await browser.storage.managed.get(['allowedOrigins', 'developmentMode']);
  } catch {
    // No policy installed: managed storage is unavailable, which is normal.
  }
  return {
    ...DEFAULT_ORIGIN_SETTINGS,
    userOrigins: strings(local.userOrigins),
    policyOrigins: strings(managed.allowedOrigins),
    developmentMode: local.developmentMode === true || managed.developmentMode === true,
  };
}

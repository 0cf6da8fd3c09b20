/** Settings from the options (storage.local) and IT policy (storage.managed, which wins). */
import browser from 'webextension-polyfill';
import { DEFAULT_ORIGIN_SETTINGS, DEFAULT_PORTAL_ADDRESS } from './originPolicy.ts';
import {
  isValidConfiguredOrigin,
  isValidPortalOrigin,
  type OriginSettings,
} from '../../shared/protocol/origin.ts';

const strings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && isValidConfiguredOrigin(v))
    : [];

/** What IT set by policy; empty when no policy is installed (managed storage is then unavailable). */
export async function loadPolicy(): Promise<Record<string, unknown>> {
  try {
    return await browser.storage.managed.get(['allowedOrigins', 'developmentMode', 'portalAddress']);
  } catch {
    return {};
  }
}

export async function loadOriginSettings(): Promise<OriginSettings> {
  const local = await browser.storage.local.get(['userOrigins', 'developmentMode']);
  const managed = await loadPolicy();
  return {
    ...DEFAULT_ORIGIN_SETTINGS,
    userOrigins: strings(local.userOrigins),
    policyOrigins: strings(managed.allowedOrigins),
    developmentMode: local.developmentMode === true || managed.developmentMode === true,
  };
}

const portalOrNothing = (value: unknown) =>
  typeof value === 'string' && isValidPortalOrigin(value) ? value : undefined;

/** The portal address in use: IT policy first, then the clerk's choice, then the reference portal. */
export function effectivePortalAddress(policyValue: unknown, clerkValue: unknown): string {
  return portalOrNothing(policyValue) ?? portalOrNothing(clerkValue) ?? DEFAULT_PORTAL_ADDRESS;
}

export async function loadPortalAddress(): Promise<string> {
  const { portalAddress } = await browser.storage.local.get('portalAddress');
  return effectivePortalAddress((await loadPolicy()).portalAddress, portalAddress);
}

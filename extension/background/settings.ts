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

/** The clerk's UI language: the options' choice, else the browser's own (Chinese → zh-TW). */
export function uiLanguage(chosen: unknown, browserLanguage: string): 'zh-TW' | 'en' {
  if (chosen === 'zh_TW') return 'zh-TW';
  if (chosen === 'en') return 'en';
  return /^zh/i.test(browserLanguage) ? 'zh-TW' : 'en';
}

export async function loadUiLanguage(): Promise<'zh-TW' | 'en'> {
  const { language } = await browser.storage.local.get('language');
  return uiLanguage(language, browser.i18n.getUILanguage());
}

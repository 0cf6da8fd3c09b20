/**
 * Text for the extension's pages, from _locales (zh-TW first, English second). The browser's own
 * language is used unless the clerk picked one in the options; then that catalogue is loaded.
 */
import browser from 'webextension-polyfill';
import { PORTAL_ERROR_MESSAGES, isPortalErrorCode } from '../../shared/portal/errors.ts';
import { ERROR_MESSAGES, isErrorCode, type LocalizedText } from '../../shared/protocol/errors.ts';

export type Language = 'zh_TW' | 'en';
type Catalogue = Record<string, { message: string }>;

let override: Catalogue | undefined;
let language: Language = /^zh/i.test(browser.i18n.getUILanguage()) ? 'zh_TW' : 'en';

/** Loads the clerk's language choice (options page); call once before rendering. */
export async function initI18n(): Promise<Language> {
  const { language: chosen } = (await browser.storage.local.get('language')) as { language?: unknown };
  if (chosen === 'zh_TW' || chosen === 'en') {
    language = chosen;
    const response = await fetch(browser.runtime.getURL(`_locales/${chosen}/messages.json`));
    override = (await response.json()) as Catalogue;
  }
  document.documentElement.lang = language === 'zh_TW' ? 'zh-Hant-TW' : 'en';
  return language;
}

export function currentLanguage(): Language {
  return language;
}

/** The same language as the shared catalogues spell it ('zh-TW' | 'en'). */
export function textLanguage(): keyof LocalizedText {
  return language === 'zh_TW' ? 'zh-TW' : 'en';
}

/** A text of the shared data (both languages) in the page's language. */
export function localized(text: LocalizedText): string {
  return text[textLanguage()];
}

/**
 * The text for `key`; `$1`… in it are replaced by `substitutions`. Error codes come from the shared
 * catalogues (ERR_PORTAL_… from the portal's, other ERR_… from the protocol's).
 */
export function t(key: string, ...substitutions: Array<string | number>): string {
  if (isErrorCode(key)) return localized(ERROR_MESSAGES[key]);
  if (isPortalErrorCode(key)) return localized(PORTAL_ERROR_MESSAGES[key]);
  const template = override?.[key]?.message ?? browser.i18n.getMessage(key, substitutions.map(String));
  const text = template || key;
  return substitutions.reduce<string>((s, value, i) => s.replaceAll(`$${i + 1}`, String(value)), text);
}

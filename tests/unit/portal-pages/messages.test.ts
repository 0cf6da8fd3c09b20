/**
 * Every text key the portal pages use is in both catalogues (zh-TW and English) with the same
 * placeholders, and t() gives ERR_PORTAL_… codes their text from shared/portal/errors.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PORTAL_ERROR_MESSAGES } from '../../../shared/portal/errors.ts';

vi.mock('webextension-polyfill', () => ({
  default: {
    i18n: { getUILanguage: () => 'zh-TW', getMessage: (key: string) => `msg:${key}` },
    storage: { local: { get: () => Promise.resolve({}) } },
  },
}));

const root = join(import.meta.dirname, '../../..');
const pages = join(root, 'extension/pages/portal');
const catalogue = (language: string) =>
  JSON.parse(
    readFileSync(join(root, `extension/public/_locales/${language}/messages.json`), 'utf8'),
  ) as Record<string, { message: string }>;

function usedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of readdirSync(pages).filter((f) => /\.tsx?$/.test(f))) {
    const text = readFileSync(join(pages, file), 'utf8');
    for (const match of text.matchAll(/'(portal_[A-Za-z0-9_]+)'/g)) keys.add(match[1]!);
  }
  return keys;
}

const placeholders = (text: string) => [...text.matchAll(/\$\d/g)].map((m) => m[0]).sort();

describe('portal page texts', () => {
  it('has every key in zh-TW and English, with the same placeholders', () => {
    const zh = catalogue('zh_TW');
    const en = catalogue('en');
    const keys = usedKeys();
    expect(keys.size).toBeGreaterThan(50);
    for (const key of keys) {
      expect(zh[key]?.message, key).toBeTruthy();
      expect(en[key]?.message, key).toBeTruthy();
      expect(placeholders(zh[key]!.message), key).toEqual(placeholders(en[key]!.message));
    }
  });

  it('zh-TW texts are Chinese, not copies of the English', () => {
    const zh = catalogue('zh_TW');
    for (const key of usedKeys()) expect(zh[key]!.message, key).toMatch(/[\u4e00-\u9fff]/);
  });

  it('no Chinese text in the code outside comments: all of it comes through t()', () => {
    for (const file of readdirSync(pages).filter((f) => /\.tsx?$/.test(f))) {
      const code = readFileSync(join(pages, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code.match(/[\u4e00-\u9fff]+/)?.[0], file).toBeUndefined();
    }
  });

  it('t() gives portal error codes their text in the clerk language', async () => {
    const { t } = await import('../../../extension/lib/i18n.ts');
    expect(t('ERR_PORTAL_PASSWORD_WRONG')).toBe(PORTAL_ERROR_MESSAGES.ERR_PORTAL_PASSWORD_WRONG['zh-TW']);
    expect(t('ERR_PORTAL_CLERK_LIMIT')).toBe(PORTAL_ERROR_MESSAGES.ERR_PORTAL_CLERK_LIMIT['zh-TW']);
    expect(t('portal_loginTitle')).toBe('msg:portal_loginTitle');
  });
});

// @vitest-environment jsdom
/// <reference lib="dom" />
/**
 * The prompt page on a locked PIN, in both languages with the real catalogues: the page has its
 * answer already (the background finished the request), so the window says plainly that the card is
 * locked, offers no PIN field and no approve button, and closes only when the clerk says so.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PromptView } from '../../../extension/lib/promptProtocol.ts';
import { listedCertificate } from './listedCertificate.ts';
import { loadPromptPage } from './promptPageLoader.ts';

type Catalogue = Record<string, { message: string }>;
const catalogue = (language: string) =>
  JSON.parse(
    readFileSync(path.resolve(`extension/public/_locales/${language}/messages.json`), 'utf8'),
  ) as Catalogue;
const CATALOGUES: Record<'en' | 'zh_TW', Catalogue> = { en: catalogue('en'), zh_TW: catalogue('zh_TW') };

let language: 'en' | 'zh_TW' = 'en';
const view: PromptView = {
  id: 'p1',
  kind: 'sign',
  origin: 'https://portal.example.tw',
  expiresAt: Date.now() + 60_000,
  certificates: [listedCertificate('citizen', 'MOICA')],
  digestHex: 'ab'.repeat(32),
  hashFunction: 'SHA-256',
};

vi.mock('webextension-polyfill', () => ({
  default: {
    i18n: {
      getUILanguage: () => (language === 'zh_TW' ? 'zh-TW' : 'en'),
      getMessage: (key: string) => CATALOGUES[language][key]?.message ?? '',
    },
    storage: { local: { get: () => Promise.resolve({}) } },
    runtime: {
      sendMessage: (message: Record<string, unknown>) =>
        Promise.resolve({
          ok: true,
          result:
            message.command === 'prompt-get' ? view : { done: false, ended: true, code: 'ERR_PIN_LOCKED' },
        }),
    },
  },
}));

const close = vi.fn();
beforeEach(() => {
  close.mockReset();
  vi.stubGlobal('close', close);
});
afterEach(() => vi.unstubAllGlobals());

describe('prompt page: a locked PIN', () => {
  for (const lang of ['zh_TW', 'en'] as const) {
    it(`says so in ${lang} and closes only when the clerk closes it`, async () => {
      language = lang;
      await loadPromptPage(view.id);
      await vi.waitFor(() => expect(document.querySelector('#pin')).not.toBeNull());
      document.querySelector<HTMLInputElement>('#pin')!.value = '12345678';
      await act(async () => {
        document
          .querySelector('form')!
          .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
        await Promise.resolve();
      });
      await vi.waitFor(() => expect(document.querySelector('[data-pin-locked]')).not.toBeNull());
      const texts = CATALOGUES[lang];
      expect(document.querySelector('[data-pin-locked] h1')?.textContent).toBe(
        texts.promptPinLockedTitle!.message,
      );
      expect(document.querySelector('[role="alert"]')?.textContent).toBe(texts.promptPinLocked!.message);
      expect(document.querySelector('#pin')).toBeNull();
      expect(document.querySelector('button[type="submit"]')).toBeNull();
      expect(close).not.toHaveBeenCalled();
      const button = document.querySelector<HTMLButtonElement>('[data-close]')!;
      expect(button.textContent).toBe(texts.promptClose!.message);
      button.click();
      expect(close).toHaveBeenCalledTimes(1);
    });
  }
});

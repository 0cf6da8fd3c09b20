/**
 * NHI's own words, used the same way in every catalogue (zh-TW first). In NHI's flow the unit logs in
 * with its unit certificate (or the responsible person's NHI card) and, in 單位管理者登錄作業, adds its
 * authorised 經辦人 (clerk), who then acts as 單位管理者. So:
 * - 單位管理者 names the clerk's role or that task, never the unit itself;
 * - the clerk is 經辦人 everywhere (never 承辦人).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CATALOGUES = [
  'extension/public/_locales/zh_TW/messages.json',
  'extension/public/_locales/en/messages.json',
  'portal/src/i18n/messages.ts',
  'shared/portal/errors.ts',
  'shared/protocol/errors.ts',
  'shared/desk/messages.ts',
  'native-host/src/i18n/messages.ts',
];

const texts = CATALOGUES.map((file) => ({ file, text: readFileSync(file, 'utf8') }));

describe('NHI terminology in the catalogues', () => {
  it('calls the clerk 經辦人, never 承辦人', () => {
    for (const { file, text } of texts) expect(text.includes('承辦人'), file).toBe(false);
  });

  it('uses 單位管理者 only for the task 單位管理者登錄作業 or the clerk acting as it', () => {
    for (const { file, text } of texts) {
      const stray = text.replaceAll('單位管理者登錄作業', '').replaceAll('經辦人（單位管理者）', '');
      expect(stray.includes('單位管理者'), file).toBe(false);
    }
  });

  it('never calls the unit itself an administrator in English', () => {
    const english = JSON.parse(texts[1]!.text) as Record<string, { message: string }>;
    for (const [key, { message }] of Object.entries(english)) {
      expect(/insured unit \(unit administrator\)/i.test(message), key).toBe(false);
    }
  });

  it('names the clerk role and the task in both languages', () => {
    const zh = JSON.parse(texts[0]!.text) as Record<string, { message: string }>;
    const en = JSON.parse(texts[1]!.text) as Record<string, { message: string }>;
    expect(zh.portal_roleClerk?.message).toBe('經辦人（單位管理者）');
    expect(en.portal_roleClerk?.message).toMatch(/^Clerk/);
    expect(zh.portal_clerksTitle?.message).toContain('單位管理者登錄作業');
  });
});

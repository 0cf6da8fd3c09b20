/**
 * The browsers CardBridge supports, their minimum versions and how a clerk sets each one up, as data
 * (the self-check shows it, like NHI's own 「環境說明」 page). Source of the minimums: manifest.json
 * (`minimum_chrome_version`, `browser_specific_settings.gecko.strict_min_version`); a test keeps the
 * two equal.
 */
import type { LocalizedText } from '../../shared/protocol/errors.ts';

export interface SupportedBrowser {
  name: 'Chrome' | 'Edge' | 'Firefox';
  engine: 'chromium' | 'firefox';
  minimum: string;
  /** Update, add the extension, allow it: the steps in the browser's own words. */
  setup: LocalizedText;
}

export const SUPPORTED_BROWSERS: readonly [SupportedBrowser, ...SupportedBrowser[]] = [
  {
    name: 'Chrome',
    engine: 'chromium',
    minimum: '116',
    setup: {
      'zh-TW':
        'Chrome：按右上角「⋮」→「說明」→「關於 Google Chrome」更新到最新版；再到「⋮」→「擴充功能」→「管理擴充功能」，確認「卡橋」已開啟。',
      en: 'Chrome: ⋮ → Help → About Google Chrome to update; then ⋮ → Extensions → Manage extensions and make sure CardBridge is on.',
    },
  },
  {
    name: 'Edge',
    engine: 'chromium',
    minimum: '116',
    setup: {
      'zh-TW':
        'Edge：按右上角「…」→「說明與意見反應」→「關於 Microsoft Edge」更新到最新版；再到「…」→「擴充功能」→「管理擴充功能」，確認「卡橋」已開啟。',
      en: 'Edge: … → Help and feedback → About Microsoft Edge to update; then … → Extensions → Manage extensions and make sure CardBridge is on.',
    },
  },
  {
    name: 'Firefox',
    engine: 'firefox',
    minimum: '140',
    setup: {
      'zh-TW':
        'Firefox：按右上角「≡」→「說明」→「關於 Firefox」更新到最新版；再到「≡」→「附加元件與佈景主題」→「擴充套件」，確認「卡橋」已啟用。',
      en: 'Firefox: ≡ → Help → About Firefox to update; then ≡ → Add-ons and themes → Extensions and make sure CardBridge is enabled.',
    },
  },
];

/** The minimum version of an engine, read from the table. */
export function minimumFor(engine: SupportedBrowser['engine']): string {
  return SUPPORTED_BROWSERS.find((b) => b.engine === engine)!.minimum;
}

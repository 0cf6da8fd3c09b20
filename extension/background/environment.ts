/** The browser and OS the extension runs in, against the supported minimums (the manifest's). */
import browser from 'webextension-polyfill';
import { minimumFor } from '../lib/supportedBrowsers.ts';
import type { BrowserCheck, SelfCheckReport } from '../lib/uiProtocol.ts';

export const MINIMUM_VERSIONS = { chromium: minimumFor('chromium'), firefox: minimumFor('firefox') } as const;

interface UaBrand {
  brand: string;
  version: string;
}

export function chromiumBrowser(brands: readonly UaBrand[]): Pick<BrowserCheck, 'name' | 'version'> {
  const find = (name: string) => brands.find((b) => b.brand === name);
  const edge = find('Microsoft Edge');
  if (edge) return { name: 'Edge', version: edge.version };
  const chrome = find('Google Chrome');
  if (chrome) return { name: 'Chrome', version: chrome.version };
  const chromium = find('Chromium');
  return chromium ? { name: 'Chromium', version: chromium.version } : { name: 'Other', version: '0' };
}

export function checkVersion(found: Pick<BrowserCheck, 'name' | 'version'>): BrowserCheck {
  const minimum = found.name === 'Firefox' ? MINIMUM_VERSIONS.firefox : MINIMUM_VERSIONS.chromium;
  const supported = found.name !== 'Other' && parseInt(found.version, 10) >= parseInt(minimum, 10);
  return { ...found, minimum, supported };
}

export async function detectBrowser(): Promise<BrowserCheck> {
  const runtime = browser.runtime as { getBrowserInfo?: () => Promise<{ name: string; version: string }> };
  if (runtime.getBrowserInfo) {
    const info = await runtime.getBrowserInfo();
    return checkVersion({ name: info.name === 'Firefox' ? 'Firefox' : 'Other', version: info.version });
  }
  const brands = (navigator as { userAgentData?: { brands?: UaBrand[] } }).userAgentData?.brands ?? [];
  return checkVersion(chromiumBrowser(brands));
}

export async function detectOs(): Promise<SelfCheckReport['os']> {
  const { os } = await browser.runtime.getPlatformInfo();
  return os === 'win' || os === 'mac' || os === 'linux' || os === 'cros' ? os : 'other';
}

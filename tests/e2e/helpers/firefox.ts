/**
 * Firefox ESR, headless through WebDriver BiDi, with the built extension installed as a temporary
 * add-on and the built host registered in a throw-away HOME (~/.mozilla/native-messaging-hosts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { EXTENSION_IDS } from '../../../shared/protocol/version.ts';
import { registerHostForFirefoxHome } from './hostManifest.ts';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../dist/firefox');

export interface FirefoxSession {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchFirefox(
  options: {
    env?: Record<string, string>;
    mapHosts?: string[];
    /** IT policy for the extension: Firefox reads it from ~/.mozilla/managed-storage/<id>.json. */
    managedStorage?: Record<string, unknown>;
    /** false: rely on a host registered elsewhere (the system folder a package writes). */
    registerHost?: boolean;
    /** Another Firefox binary (a copy with its own distribution/policies.json). */
    executablePath?: string;
  } = {},
): Promise<FirefoxSession> {
  const home = mkdtempSync(path.join(tmpdir(), 'cardbridge-firefox-home-'));
  if (options.managedStorage) {
    const dir = path.join(home, '.mozilla', 'managed-storage');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, `${EXTENSION_IDS.firefox}.json`),
      JSON.stringify({
        name: EXTENSION_IDS.firefox,
        description: 'CardBridge test policy',
        type: 'storage',
        data: options.managedStorage,
      }),
    );
  }
  if (options.registerHost !== false) registerHostForFirefoxHome(home);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: options.executablePath ?? FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    env: { ...process.env, ...options.env, HOME: home },
    extraPrefsFirefox: {
      'xpinstall.signatures.required': false,
      // Resolve the NHI host names to this machine, so the default allow-list is what is tested.
      'network.dns.localDomains': (options.mapHosts ?? []).join(','),
    },
  });
  await browser.installExtension(FIREFOX_EXTENSION_DIR);
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

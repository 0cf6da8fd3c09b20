/**
 * Firefox ESR, headless through WebDriver BiDi, with the built extension installed as a temporary
 * add-on and the built host registered in a throw-away HOME (~/.mozilla/native-messaging-hosts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { hostLogEnv } from '../../../lab/artefacts.ts';
import { EXTENSION_IDS } from '../../../shared/protocol/version.ts';
import { registerHostForFirefoxHome } from './hostManifest.ts';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../dist/firefox');

/** The add-on's internal UUID, pinned so that its pages have a known moz-extension:// address. */
export const FIREFOX_EXTENSION_UUID = '6f1c3e2a-8b4d-4c5e-9a7f-2d3b1e0c4a51';

export interface FirefoxSession {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Opens one of the extension's own pages (lab-recipes.md: BiDi sends no events for moz-extension
 * pages, so the navigation is sent without waiting and the page is polled until it has loaded).
 */
export async function openFirefoxExtensionPage(session: FirefoxSession, page: string): Promise<Page> {
  const tab = await session.browser.newPage();
  const url = `moz-extension://${FIREFOX_EXTENSION_UUID}/${page}`;
  const frame = tab.mainFrame() as unknown as {
    browsingContext: { navigate(url: string, wait: 'none'): Promise<unknown> };
  };
  await frame.browsingContext.navigate(url, 'none');
  await tab.waitForFunction(
    () => location.protocol === 'moz-extension:' && document.readyState === 'complete',
    { timeout: 15_000 },
  );
  return tab;
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
    /** Registers this executable as the host instead of the built one (a recording wrapper). */
    hostPath?: string;
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
  if (options.registerHost !== false) registerHostForFirefoxHome(home, options.hostPath);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: options.executablePath ?? FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    // Lets BiDi open the extension's own pages (openFirefoxExtensionPage).
    args: ['--remote-allow-system-access'],
    env: { ...process.env, ...hostLogEnv(options.env), ...options.env, HOME: home },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [EXTENSION_IDS.firefox]: FIREFOX_EXTENSION_UUID }),
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
